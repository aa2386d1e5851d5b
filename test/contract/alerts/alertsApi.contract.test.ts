import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERTMANAGER_DEFAULTS } from '../../../src/config/alertsConfig.js';
import { matchersFor, type Matcher } from '../../../src/platform/alerts/alertModel.js';
import { AlertmanagerReads, AlertsError, PrometheusAlertReads } from '../../../src/platform/alerts/alertSource.js';
import { silenceWrites } from '../../../src/platform/alerts/silenceWrites.js';
import type { MutatingClient } from '../../../src/platform/kube/kubeSession.js';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { alertmanagerConfigured, prometheusConfigured, startAlertsTarget, type AlertsTarget } from './alertsTarget.js';

// What warroom relies on from the alert APIs, read through warroom's own clients: Prometheus'
// /api/v1/alerts and /api/v1/rules (firing and pending alerts, the rules they come from) and
// Alertmanager's API v2 (alerts grouped as it groups them, silenced / inhibited, the filter
// parameter a silence preview counts with, silences created, read and expired). Against the demo
// here; against the lab's Prometheus (and Alertmanager, with WARROOM_ALERTMANAGER_URL) in e2e.

let target: AlertsTarget;

beforeAll(async () => {
  target = await startAlertsTarget();
});

afterAll(async () => {
  await target?.close();
});

async function failure(p: Promise<unknown>): Promise<AlertsError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AlertsError) return err;
    throw err;
  }
  throw new Error('expected an AlertsError');
}

describe.skipIf(!prometheusConfigured)('Prometheus alerts API contract', () => {
  const prom = () => new PrometheusAlertReads(directTransport({ url: target.prometheusUrl! }), 10_000);

  it('/api/v1/alerts lists firing and pending alerts with an alertname, labels, annotations and since when', async () => {
    const alerts = await prom().alerts();
    for (const a of alerts) {
      expect(a.name).not.toBe('');
      expect(['firing', 'pending']).toContain(a.state);
      expect(a.since).toBeGreaterThan(0);
      expect(a.since).toBeLessThanOrEqual(Date.now());
    }
    if (!target.isDemo) return;
    const crash = alerts.find((a) => a.name === 'KubePodCrashLooping');
    expect(crash).toMatchObject({ state: 'firing', severity: 'critical', labels: { namespace: 'cart', pod: 'cart-api-6d9f7c5b8-b7kpl' } });
    expect(crash!.annotations.summary).toBe('Pod is crash looping.');
    expect(alerts.find((a) => a.name === 'KubeDeploymentReplicasMismatch' && a.labels.deployment === 'cart-api')).toMatchObject({ severity: 'warning', state: 'firing' });
    expect(alerts.find((a) => a.name === 'KubePodNotReady')).toMatchObject({ state: 'pending', labels: { namespace: 'search', pod: 'reindex-worker-7c8d9e0f1-aaaaa' } });
  });

  it('/api/v1/rules?type=alert gives every alert its rule: group, query, for and health', async () => {
    const [alerts, { rules, alerts: inRules }] = await Promise.all([prom().alerts(), prom().rules()]);
    for (const r of rules) {
      expect(r.group).not.toBe('');
      expect(r.query).not.toBe('');
      expect(['ok', 'err', 'unknown']).toContain(r.health);
    }
    const names = new Set(rules.map((r) => r.name));
    for (const a of alerts) expect(names.has(a.name), `a rule for ${a.name}`).toBe(true);
    // The rules list the same alerts (by labels) as /api/v1/alerts.
    expect(new Set(inRules.map((a) => a.key))).toEqual(new Set(alerts.map((a) => a.key)));
    if (target.isDemo) expect(rules.find((r) => r.name === 'KubePodCrashLooping')).toMatchObject({ group: 'kubernetes-apps', forSeconds: 120, health: 'ok' });
  });

  it('answers a parameter it does not take with an error envelope, not a list', async () => {
    const res = await fetch(`${target.prometheusUrl}/api/v1/rules?type=bogus`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status: 'error', errorType: 'bad_data' });
  });
});

describe.skipIf(!alertmanagerConfigured)('Alertmanager API v2 contract (set WARROOM_ALERTMANAGER_URL to run it against a real Alertmanager)', () => {
  const am = () => new AlertmanagerReads(directTransport({ url: target.alertmanagerUrl! }), 10_000);
  // The writes take the client the gate hands out; to a URL it is only the proof of the gate, never used.
  const gateClient = { gateClient: 'mutating', contextName: 'contract', user: 'contract' } as unknown as MutatingClient;
  const writes = () => silenceWrites({ url: target.alertmanagerUrl!, auth: { kind: 'none' }, headers: {}, ...ALERTMANAGER_DEFAULTS }, gateClient);
  const only = (run: string): Matcher[] => [{ name: 'warroom_contract', value: run, isRegex: false, isEqual: true }];
  const hour = () => ({ startsAt: new Date(), endsAt: new Date(Date.now() + 3_600_000) });

  it('/api/v2/alerts/groups holds every alert once, with its group, receivers and status', async () => {
    const [grouped, flat] = await Promise.all([am().groups(), am().alerts()]);
    expect(new Set(grouped.map((a) => a.key))).toEqual(new Set(flat.map((a) => a.key)));
    for (const a of grouped) {
      expect(a.group).toBeDefined();
      expect(a.receivers!.length).toBeGreaterThan(0);
      expect(['firing', 'silenced', 'inhibited']).toContain(a.state);
      expect(a.since).toBeGreaterThan(0);
    }
    if (!target.isDemo) return;
    expect(grouped.find((a) => a.name === 'KubePodCrashLooping')).toMatchObject({ state: 'firing', group: 'alertname=KubePodCrashLooping,namespace=cart', receivers: ['pager'] });
    // The demo's inhibit rule: a crash-looping pod mutes its system's replicas mismatch.
    const mismatch = grouped.find((a) => a.name === 'KubeDeploymentReplicasMismatch' && a.labels.namespace === 'cart');
    expect(mismatch).toMatchObject({ state: 'inhibited', group: 'namespace=cart' });
    expect(mismatch!.inhibitedBy).toEqual([grouped.find((a) => a.name === 'KubePodCrashLooping')!.key]);
    // Pending alerts are Prometheus' own: Alertmanager never sees them.
    expect(grouped.some((a) => a.name === 'KubePodNotReady')).toBe(false);
  });

  it('the filter parameter matches alerts by label, as a silence with those matchers would', async () => {
    const all = await am().alerts();
    const some = all[0];
    if (!some) return;
    const filtered = await am().alerts([{ name: 'alertname', value: some.name, isRegex: false, isEqual: true }]);
    expect(filtered.length).toBeGreaterThan(0);
    expect(filtered.every((a) => a.name === some.name)).toBe(true);
    const regex = await am().alerts([{ name: 'alertname', value: `${some.name.slice(0, 3)}.*`, isRegex: true, isEqual: true }]);
    expect(regex.map((a) => a.key)).toEqual(expect.arrayContaining(filtered.map((a) => a.key)));
    expect(await am().alerts(only(randomUUID()))).toEqual([]);
  });

  it('creates a silence, reads it back active, lists it, and expires it (expiring again is no error)', async () => {
    const run = randomUUID();
    const id = await writes().create({ matchers: only(run), ...hour(), createdBy: 'contract@warroom', comment: `contract run ${run}` });
    const read = await am().silence(id);
    expect(read).toMatchObject({ id, state: 'active', createdBy: 'contract@warroom', comment: `contract run ${run}`, matchers: only(run) });
    expect(read.endsAt - read.startsAt).toBeGreaterThan(3_500_000);
    expect((await am().silences()).find((s) => s.id === id)?.state).toBe('active');
    await writes().expire(id);
    expect((await am().silence(id)).state).toBe('expired');
    await writes().expire(id);
    const unknown = await failure(writes().expire(randomUUID()));
    expect(unknown.status === 404 || unknown.status === 500).toBe(true);
  });

  it('refuses a silence that would end in the past, and one whose matchers all match the empty string', async () => {
    const past = await failure(writes().create({ matchers: only(randomUUID()), startsAt: new Date(Date.now() - 7_200_000), endsAt: new Date(Date.now() - 3_600_000), createdBy: 'contract@warroom', comment: 'past' }));
    expect(past.status).toBe(400);
    expect(past.message).toMatch(/end time can't be in the past/);
    const empty = await failure(writes().create({ matchers: [{ name: 'warroom_contract', value: '', isRegex: false, isEqual: true }], ...hour(), createdBy: 'contract@warroom', comment: 'empty' }));
    expect(empty.status).toBe(400);
  });

  it('a silence with an alert\'s labels silences it at once; expiring it makes the alert active again', async () => {
    const firing = (await am().alerts()).find((a) => a.state === 'firing');
    if (!firing) return;
    const id = await writes().create({ matchers: matchersFor(firing.labels), ...hour(), createdBy: 'contract@warroom', comment: 'contract: silences what it matches' });
    try {
      const silenced = (await am().alerts()).find((a) => a.key === firing.key);
      expect(silenced).toMatchObject({ state: 'silenced', silencedBy: [id] });
    } finally {
      await writes().expire(id);
    }
    expect((await am().alerts()).find((a) => a.key === firing.key)?.state).toBe('firing');
  });
});
