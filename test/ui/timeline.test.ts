import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoApi } from './demoApi.js';
import { demoPerFile, keys, selectApp } from './harness.js';
import { chartMarked, incidentOf, selectEntry, stripMarked } from './timelineScreen.js';
import { scratchDir } from '../support/scratchDir.js';

// Screen tests of the timeline (`T`) on the demo platform, in process: an application scaled by a
// kubectl-like client and rolled back from this console shows both with who made them; Enter on
// the rollout opens its diff, Enter on an OOM kill opens the pod; the demo's staged incident gives
// an entry of every kind.

const fixture = demoPerFile();
process.env.WARROOM_AUDIT_FILE = join(scratchDir('warroom-timeline-'), 'audit.jsonl');

const request = demoApi(() => fixture.demo);

/** A request as the demo's admin that must answer 200; its JSON. */
async function api(path: string, init: { method?: string; body?: unknown; contentType?: string; accept?: string } = {}): Promise<any> {
  const r = await request(init.method ?? 'GET', path, init.body, { ...(init.contentType ? { 'Content-Type': init.contentType } : {}), ...(init.accept ? { Accept: init.accept } : {}), 'User-Agent': 'kubectl/v1.34.3 (linux/amd64) kubernetes/abc' });
  expect(r.status).toBe(200);
  return r.json;
}

describe('timeline', () => {
  it('T on an application after a kubectl scale and a rollback here: both with who made them; Enter on the rollout opens its diff', async () => {
    const d = await api('/apis/apps/v1/namespaces/trade/deployments/order-history');
    const replicas: number = d.spec.replicas;
    const revision = Number(d.metadata.annotations['deployment.kubernetes.io/revision']);
    // A scale as `kubectl scale` sends it (its field manager), through the scale subresource.
    await api(`/apis/apps/v1/namespaces/trade/deployments/order-history/scale?fieldManager=kubectl-scale`, { method: 'PATCH', body: { spec: { replicas: replicas + 1 } }, contentType: 'application/merge-patch+json' });
    const c = await fixture.open({ cols: 80, rows: 24 });
    await selectApp(c, 'trade', 'order-history');
    // A rollout made by this console: back to the revision before.
    c.press('H');
    await c.waitFor(new RegExp(`●\\s+${revision}\\s`));
    c.press('j');
    c.press('R');
    await c.waitFor('Enter rolls back', 30_000);
    c.press(keys.enter);
    await c.waitFor('deployment order-history successfully rolled out', 60_000);
    c.press(keys.esc);
    await c.waitFor(new RegExp(`●\\s+${revision + 1}\\s`));
    c.press(keys.esc);
    await c.waitFor('Applications');
    c.press('T');
    await c.waitFor('Timeline');
    await c.waitFor(/Deployment trade\/order-history .* last 1h/);
    await c.waitFor(new RegExp(`order-history scaled ${replicas} -> ${replicas + 1} by kubectl \\(kubectl-scale\\)`), 30_000);
    await c.waitFor(new RegExp(`order-history revision ${revision + 1} \\(from ${revision}\\) by warroom \\(warroom-demo-admin`), 30_000);
    // Every source is named, with its count or why it is not there.
    await c.waitFor(/rollouts \d+ +scale \d+ +restarts \d+ +warnings \d+ +alerts \d+ +log spikes \d+ +audit \d+/, 30_000);

    c.press('g');
    await selectEntry(c, /revision \d+ \(from/);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`revision ${revision} -> revision ${revision + 1} \\(running\\)`), 30_000);
    expect(c.screen()).toContain('History');
    c.press(keys.esc);
    await c.waitFor('● running');
    c.press(keys.esc);
    await c.waitFor('Timeline');
    // Back on the same entry.
    expect(c.selectedRow()).toMatch(/revision \d+ \(from/);
  }, 120_000);

  it("the demo's incident: every kind of entry at 160x45; Enter on the OOM kill opens the pod, on the spike the logs at that minute", async () => {
    const list = await api('/apis/apps/v1/deployments');
    const incident = list.items.find((x: any) => (x.metadata.managedFields ?? []).some((f: any) => f.manager === 'kube-controller-manager'));
    expect(incident).toBeDefined();
    const ns: string = incident.metadata.namespace;
    const name: string = incident.metadata.name;
    const c = await fixture.open({ cols: 160, rows: 45 });
    await selectApp(c, ns, name);
    c.press('T');
    await c.waitFor(new RegExp(`Deployment ${ns}/${name}`));
    await c.waitFor((s) => !/rollouts…|rollouts\.\.\./.test(s) && /log spikes \d/.test(s) && /alerts \d/.test(s), 30_000);
    const s = c.screen();
    expect(s).toMatch(new RegExp(`${name} revision \\d+ \\(from \\d+\\) by helm: .* -> `));
    expect(s).toMatch(new RegExp(`${name} scaled \\d+ -> \\d+ by HPA ${name}`));
    expect(s).toMatch(new RegExp(`${name} scaled \\d+ -> \\d+ by kubectl \\(kubectl\\)`));
    expect(s).toMatch(/OOM killed: exit 137 \(OOMKilled\)/);
    expect(s).toMatch(/Unhealthy x7 pod\//);
    expect(s).toMatch(/KubeDeploymentReplicasMismatch \(warning\) fired on deployment /);
    expect(s).toMatch(/KubeDeploymentReplicasMismatch \(warning\) resolved on deployment /);
    expect(s).toMatch(/error spike: \d+ error lines in \dm/);
    expect(s).toMatch(/Prometheus ALERTS/);

    c.press('g');
    const oom = await selectEntry(c, /OOM killed/);
    const pod = /(\S+) \S+ OOM killed/.exec(oom)![1].replace(/^.*\s/, '');
    c.press(keys.enter);
    await c.waitFor(new RegExp(`› ${pod}`));
    await c.waitFor(/Warning Unhealthy +Readiness probe failed/);
    c.press(keys.esc);
    await c.waitFor('Timeline');
    c.press('g');
    await selectEntry(c, /error spike/);
    c.press(keys.enter);
    await c.waitFor(/Logs/);
    await c.waitFor(/\d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d/);
  }, 120_000);

  it("the charts and the logs strip mark the application's rollout and scale changes", async () => {
    const incident = incidentOf(await api('/apis/apps/v1/deployments'));
    const c = await fixture.open({ cols: 160, rows: 45 });
    await selectApp(c, incident.namespace, incident.name);
    c.press('m');
    await c.waitFor(/CPU/, 30_000);
    // The 1h charts: the rollout 45 minutes ago, the HPA's scale 32 and kubectl's 18 minutes ago.
    await c.waitFor(chartMarked(3), 30_000);
    c.press(keys.esc);
    await c.waitFor('Applications');
    c.press('l');
    await c.waitFor(/last 15m/);
    c.press('t');
    await c.waitFor(/last 1h/);
    await c.waitFor(stripMarked(3), 30_000);
  }, 120_000);
});
