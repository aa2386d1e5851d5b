import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { demoFleetPerFile, keys } from './harness.js';
import { selectEntry } from './timelineScreen.js';

// The timeline over a two-cluster demo fleet: `T` on a fleet system merges both clusters' entries,
// each tagged with its cluster, and Enter on an entry opens it in that entry's cluster.

const fixture = demoFleetPerFile({ clusters: ['dc1', 'dc2'], pods: 150, churn: false });

/** The system of the demo's staged incident in a cluster (the Deployment scaled by its HPA). */
async function incidentOf(context: string): Promise<{ namespace: string; name: string }> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.fleet.kubeconfigPath);
  kc.setCurrentContext(context);
  const opts: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(opts as never);
  const res = await fetch(`${kc.getCurrentCluster()!.server}/apis/apps/v1/deployments`, { headers: opts.headers });
  const list = (await res.json()) as { items: Array<{ metadata: { namespace: string; name: string; managedFields?: Array<{ manager: string }> } }> };
  const d = list.items.find((x) => (x.metadata.managedFields ?? []).some((f) => f.manager === 'kube-controller-manager'))!;
  return { namespace: d.metadata.namespace, name: d.metadata.name };
}

describe('timeline over a fleet', () => {
  it("T on a fleet system lists both clusters' entries tagged dc1 / dc2; Enter opens a dc2 entry in dc2", async () => {
    const [one, two] = await Promise.all([incidentOf('warroom-demo-dc1'), incidentOf('warroom-demo-dc2')]);
    expect(two.namespace).toBe(one.namespace);
    const c = await fixture.open('warroom-demo-dc1,warroom-demo-dc2', { cols: 120, rows: 40 });
    await c.waitFor(/dc1 ● live\s+dc2 ● live/, 30_000);
    await c.waitFor(/SYSTEM.*dc1\s+dc2/);
    await c.type(`/${one.namespace}`);
    c.press(keys.enter);
    await c.waitFor((s) => s.includes(`filter: ${one.namespace}`) && s.includes('(1 of') && c.selectedRow() !== undefined);
    c.press('T');
    await c.waitFor(`system ${one.namespace}`);
    // Every cluster's sources are named (with their counts), each with its cluster.
    await c.waitFor((s) => /dc1 rollouts \d+/.test(s) && /dc2 rollouts \d+/.test(s) && !/\bdc\d (rollouts|scale|restarts|warnings|alerts|log spikes|audit)…/.test(s), 30_000);
    expect(c.screen()).toMatch(/\d\d:\d\d:\d\d \S dc1 /);
    expect(c.screen()).toMatch(/\d\d:\d\d:\d\d \S dc2 /);
    await selectEntry(c, /dc2 .*OOM killed/);
    c.press(keys.enter);
    await c.waitFor(/\[warroom-demo-dc2\] .*› Pods › /);
    await c.waitFor(/Warning Unhealthy/);
  }, 120_000);
});
