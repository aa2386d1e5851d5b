import { describe, expect, it } from 'vitest';
import { loadKubeSession } from '../../src/platform/kube/kubeSession.js';
import { demoFleetPerFile, keys } from './harness.js';

// Ctrl-K over a fleet: marked pods of two clusters, one preview naming each pod's cluster, one
// typed confirmation, and each pod deleted in its own cluster (80x24).

const fixture = demoFleetPerFile({ clusters: ['dc1', 'dc2'], pods: 100, churn: false });

const session = (dc: string) => loadKubeSession({ kubeconfig: fixture.fleet.kubeconfigPath, context: `warroom-demo-${dc}` });

async function firstCartApiPod(dc: string): Promise<{ name: string; uid: string }> {
  const list = await session(dc).getJson<{ items: Array<{ metadata: { name: string; uid: string } }> }>('/api/v1/namespaces/cart/pods', { labelSelector: 'app.kubernetes.io/name=cart-api' });
  return list.items.map((p) => p.metadata).sort((a, b) => a.name.localeCompare(b.name))[0];
}

async function stillThere(dc: string, pod: { name: string; uid: string }): Promise<boolean> {
  const res = await session(dc).request('GET', `/api/v1/namespaces/cart/pods/${pod.name}`);
  return res.status === 200 && (res.body as { metadata: { uid: string } }).metadata.uid === pod.uid;
}

describe('Ctrl-K on a fleet', () => {
  it('marked pods of two clusters: the preview names each one\'s cluster, the typed word, and each goes in its own cluster', { timeout: 60_000 }, async () => {
    const [one, two] = await Promise.all([firstCartApiPod('dc1'), firstCartApiPod('dc2')]);
    const c = await fixture.open('warroom-demo-dc1,warroom-demo-dc2', { cols: 80, rows: 24 });
    await c.waitFor(/dc1 ● live\s+dc2 ● live/, 30_000);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*CLUSTER/);
    await c.type(`/re:^(${one.name}|${two.name})$`);
    c.press(keys.enter);
    await c.waitFor((s) => s.includes(one.name) && s.includes(two.name));
    c.press(' ');
    await c.waitFor(() => [one.name, two.name].some((n) => c.lines().some((l) => l.startsWith('*') && l.includes(n))));
    c.press(' ');
    await c.waitFor(() => [one.name, two.name].every((n) => c.lines().some((l) => l.startsWith('*') && l.includes(n))));
    c.press('\x0b');
    const preview = await c.waitFor('type 2-clusters and press Enter to kill');
    expect(preview).toContain('Kill 2 objects (grace period 0, at once)');
    expect(preview).toMatch(new RegExp(`warroom-demo-dc1 Pod cart/${one.name}`));
    expect(preview).toMatch(new RegExp(`warroom-demo-dc2 Pod cart/${two.name}`));
    await c.type('2-clusters');
    c.press(keys.enter);
    await c.waitFor('killed 2 objects');
    expect(await stillThere('dc1', one)).toBe(false);
    expect(await stillThere('dc2', two)).toBe(false);
  });
});
