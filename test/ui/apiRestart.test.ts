import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { json, KubeClient, type Json } from '../contract/kubeHttp.js';
import { demoFleetPerFile, keys } from './harness.js';

// The demo's API server restarting under a console that shows a system's pods (the fault probe
// test/e2e/faults.e2e.test.ts runs against the lab's real kube-apiserver). A demo cluster that is
// stopped and started again comes back from its seed, as a cluster restored from an older backup: a pod
// created before the stop is gone, a pod deleted before it is back, every uid and resourceVersion is new.

const fixture = demoFleetPerFile({ clusters: ['dc1'], pods: 100, churn: false, seed: 5 });
const CONTEXT = 'warroom-demo-dc1';

function admin(): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.fleet.kubeconfigPath);
  kc.setCurrentContext(CONTEXT);
  return new KubeClient(kc);
}

async function podNames(k: KubeClient, ns: string): Promise<string[]> {
  const r = await k.request(`/api/v1/namespaces/${ns}/pods`);
  expect(r.status, r.text).toBe(200);
  return (json(r).items as Json[]).filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name as string).sort();
}

describe('the demo API server restarting', () => {
  it('reconnecting, then live, and the rows are exactly the pods the restarted server lists: no ghost, none missing, none twice', async () => {
    const k = admin();
    const all = json(await k.request('/api/v1/pods')).items as Json[];
    const counts = new Map<string, number>();
    for (const p of all) counts.set(p.metadata.namespace, (counts.get(p.metadata.namespace) ?? 0) + 1);
    // A system whose pods all fit on the screen.
    const ns = [...counts].filter(([, n]) => n >= 4 && n <= 20).sort((a, b) => a[1] - b[1])[0][0];
    const c = await fixture.open(CONTEXT, { cols: 120, rows: 40 });
    await c.waitFor(/● live/);
    await c.type(`:pods ${ns}`);
    c.press(keys.enter);
    await c.waitFor(`Systems › ${ns} › Pods`);

    const seeded = await podNames(k, ns);
    const rowsNamed = (names: string[]) =>
      c
        .lines()
        .slice(3)
        .map((l) => /^.\s*(\S+)/.exec(l)?.[1])
        .filter((n): n is string => n !== undefined && names.includes(n));
    await c.waitFor(() => rowsNamed(seeded).length === seeded.length);

    // Before the stop: one pod deleted, one created; the console shows both changes.
    const created = 'restart-probe-0';
    const gone = seeded[0];
    expect((await k.request(`/api/v1/namespaces/${ns}/pods/${gone}?gracePeriodSeconds=0`, { method: 'DELETE' })).status).toBe(200);
    const made = await k.request(`/api/v1/namespaces/${ns}/pods`, { method: 'POST', body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: created }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } } });
    expect(made.status, made.text).toBe(201);
    const names = [...seeded, created];
    await c.waitFor(() => rowsNamed(names).includes(created) && !rowsNamed(names).includes(gone));

    await fixture.fleet.stop('dc1');
    await c.waitFor(/◌ reconnecting|● stale since/, 20_000);
    expect(rowsNamed(names)).toContain(created);
    await fixture.fleet.start('dc1');
    await c.waitFor(/● live/, 30_000);

    const after = await podNames(k, ns);
    expect(after).toContain(gone);
    expect(after).not.toContain(created);
    await c.waitFor(() => {
      const rows = rowsNamed(names);
      return rows.length === after.length && [...rows].sort().join() === after.join();
    }, 30_000);
  }, 120_000);
});
