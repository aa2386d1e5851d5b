import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadSession } from '../../../src/platform/kube/kubeSession.js';
import type { MetricsSource } from '../../../src/platform/metrics/metricsSource.js';
import { auditEntries, readAuditFacts } from '../../../src/platform/timeline/auditReader.js';
import { readRestarts, readRollouts, readScaleChanges, readWarnings, type AuditFact } from '../../../src/platform/timeline/kubeReaders.js';
import { alertIntervals, errorSpikes, readAlerts, readLogSpikes } from '../../../src/platform/timeline/signalReaders.js';
import { SourceNotConfigured, type TimelineQuery } from '../../../src/platform/timeline/timelineEntry.js';
import { TimelineReads } from '../../../src/platform/timeline/timelineReads.js';
import { scratchDir } from '../../support/scratchDir.js';

// The timeline's readers, each from fixture objects as the API server, Prometheus and
// Elasticsearch return them.

const T0 = Date.parse('2026-12-06T08:00:00Z');
const min = 60_000;
const at = (m: number) => new Date(T0 + m * min).toISOString();
const query = (scope: TimelineQuery['scope'] = { namespace: 'shop', app: { kind: 'Deployment', name: 'web' } }): TimelineQuery => ({ scope, from: T0, to: T0 + 60 * min });

const tpl = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } });
const deployment = (managedFields: unknown[] = []) => ({
  metadata: { name: 'web', namespace: 'shop', uid: 'd-uid', managedFields },
  spec: { replicas: 6, selector: { matchLabels: { app: 'web' } }, template: tpl('reg/web:2') },
});
const rs = (name: string, revision: number, image: string, created: string) => ({
  metadata: { name, namespace: 'shop', creationTimestamp: created, annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ uid: 'd-uid', controller: true, kind: 'Deployment', name: 'web' }] },
  spec: { replicas: 1, template: { ...tpl(image), metadata: { labels: { app: 'web', 'pod-template-hash': name.split('-')[1] } } } },
  status: { readyReplicas: 1 },
});
const event = (reason: string, message: string, time: string, involved: Record<string, string>, type = 'Normal', count = 1) => ({
  metadata: { name: `${involved.name}.${reason}.${time}`, namespace: 'shop', uid: `${reason}-${time}` },
  type,
  reason,
  message,
  count,
  lastTimestamp: time,
  firstTimestamp: time,
  involvedObject: { namespace: 'shop', ...involved },
  source: { component: 'test' },
});
const onDeploy = { kind: 'Deployment', name: 'web' };

/** A ReadSession answering GETs from fixtures by path (lists as {items}). */
function session(objects: Record<string, unknown>): ReadSession {
  return {
    getJson: async (path: string) => {
      if (path in objects) return objects[path];
      throw Object.assign(new Error(`404 ${path}`), { status: 404 });
    },
  } as unknown as ReadSession;
}

const base = '/apis/apps/v1/namespaces/shop';
const world = (o: { deploy?: unknown; replicaSets?: unknown[]; events?: unknown[]; pods?: unknown[] }) =>
  session({
    [`${base}/deployments/web`]: o.deploy ?? deployment(),
    [`${base}/replicasets`]: { items: o.replicaSets ?? [] },
    '/api/v1/namespaces/shop/events': { items: o.events ?? [] },
    '/api/v1/namespaces/shop/pods': { items: o.pods ?? [] },
  });

describe('rollouts reader', () => {
  it('a ReplicaSet created in the range is a rollout: revision, the image change and who (the template manager then)', async () => {
    const s = world({
      deploy: deployment([{ manager: 'helm', operation: 'Update', time: at(20), fieldsV1: { 'f:spec': { 'f:template': {} } } }]),
      replicaSets: [rs('web-aaa', 1, 'reg/web:1', '2026-11-01T00:00:00Z'), rs('web-bbb', 2, 'reg/web:2', at(20))],
    });
    const got = (await readRollouts(new TimelineReads(s, query()))).entries;
    expect(got).toEqual([expect.objectContaining({ time: T0 + 20 * min, kind: 'rollout', text: 'web revision 2 (from 1) by helm: reg/web:1 -> reg/web:2', source: 'ReplicaSets', target: { kind: 'revision', namespace: 'shop', app: { kind: 'Deployment', name: 'web' }, revision: 2 } })]);
  });

  it('an older ReplicaSet scaled up from 0 again is a rollback at that time, by the console whose audit record is close to it', async () => {
    const s = world({
      replicaSets: [rs('web-aaa', 3, 'reg/web:1', '2026-11-01T00:00:00Z'), rs('web-bbb', 2, 'reg/web:2', '2026-11-20T00:00:00Z')],
      events: [event('ScalingReplicaSet', 'Scaled up replica set web-aaa from 0 to 6', at(40), onDeploy), event('ScalingReplicaSet', 'Scaled down replica set web-bbb from 6 to 0', at(40), onDeploy)],
    });
    const facts: AuditFact[] = [{ time: T0 + 40 * min - 2000, action: 'rollback', kind: 'Deployment', namespace: 'shop', name: 'web', who: 'alice from alice@jump-1' }];
    const got = (await readRollouts(new TimelineReads(s, query()), async () => facts)).entries;
    expect(got.map((e) => [e.time, e.text])).toEqual([[T0 + 40 * min, 'web revision 3 (from 2) by warroom (alice from alice@jump-1), an earlier template again: reg/web:2 -> reg/web:1']]);
  });

  it("a StatefulSet's older ControllerRevision renumbered as the newest is a rollback at its controller's update of it", async () => {
    const sts = { metadata: { name: 'db', namespace: 'shop', uid: 's-uid' }, spec: { selector: { matchLabels: { app: 'db' } }, template: tpl('reg/db:1') }, status: { updateRevision: 'db-aaa' } };
    const cr = (name: string, revision: number, image: string, created: string, updated = created) => ({
      metadata: { name, namespace: 'shop', creationTimestamp: created, ownerReferences: [{ uid: 's-uid', controller: true, kind: 'StatefulSet', name: 'db' }], managedFields: [{ manager: 'kube-controller-manager', operation: 'Update', time: updated, fieldsV1: { 'f:data': {}, 'f:revision': {} } }] },
      data: { spec: { template: { $patch: 'replace', ...tpl(image) } } },
      revision,
    });
    const s = session({
      [`${base}/statefulsets/db`]: sts,
      [`${base}/controllerrevisions`]: { items: [cr('db-aaa', 3, 'reg/db:1', '2026-11-01T00:00:00Z', at(30)), cr('db-bbb', 2, 'reg/db:2', '2026-11-20T00:00:00Z')] },
    });
    const got = await readRollouts(new TimelineReads(s, query({ namespace: 'shop', app: { kind: 'StatefulSet', name: 'db' } })));
    expect(got.problem).toBeUndefined();
    expect(got.entries.map((e) => [e.time, e.text, e.source])).toEqual([[T0 + 30 * min, 'db revision 3 (from 2) by unknown, an earlier template again: reg/db:2 -> reg/db:1', 'ControllerRevisions']]);
  });

  it('nothing in the range: no entry; an unknown author is said as unknown', async () => {
    const s = world({ replicaSets: [rs('web-aaa', 1, 'reg/web:1', '2026-11-01T00:00:00Z'), rs('web-bbb', 2, 'reg/web:2', at(5))] });
    const got = (await readRollouts(new TimelineReads(s, query()))).entries;
    expect(got.map((e) => e.text)).toEqual(['web revision 2 (from 1) by unknown: reg/web:1 -> reg/web:2']);
    const none = await readRollouts(new TimelineReads(s, { ...query(), from: T0 + 10 * min }));
    expect(none).toEqual({ entries: [], problem: undefined });
  });
});

describe('scale reader', () => {
  const scaleField = (manager: string, m: number) => ({ manager, operation: 'Update', subresource: 'scale', time: at(m), fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
  const hpa = { kind: 'HorizontalPodAutoscaler', name: 'web' };

  it('names who scaled: the HPA (its event), kubectl (managedFields), a warroom console (audit), else unknown; a rollout is not a scale', async () => {
    const s = world({
      deploy: deployment([scaleField('kube-controller-manager', 10), scaleField('kubectl-scale', 30)]),
      events: [
        event('ScalingReplicaSet', 'Scaled up replica set web-bbb from 2 to 4', at(10), onDeploy),
        event('SuccessfulRescale', 'New size: 4; reason: cpu resource utilization (percentage of request) above target', at(10), hpa),
        event('ScalingReplicaSet', 'Scaled up replica set web-bbb from 4 to 5', at(30), onDeploy),
        event('ScalingReplicaSet', 'Scaled up replica set web-bbb from 5 to 6', at(45), onDeploy),
        event('ScalingReplicaSet', 'Scaled up replica set web-bbb from 6 to 7', at(50), onDeploy),
        // A rollout: replicas move from one ReplicaSet to another.
        event('ScalingReplicaSet', 'Scaled up replica set web-ccc from 0 to 2', at(55), onDeploy),
        event('ScalingReplicaSet', 'Scaled down replica set web-bbb from 7 to 5', at(55), onDeploy),
      ],
    });
    const facts: AuditFact[] = [{ time: T0 + 45 * min + 1000, action: 'scale', kind: 'Deployment', namespace: 'shop', name: 'web', who: 'bob from bob@jump-2' }];
    const got = await readScaleChanges(new TimelineReads(s, query()), async () => facts);
    expect(got.map((e) => e.text).sort()).toEqual(['web scaled 2 -> 4 by HPA web', 'web scaled 4 -> 5 by kubectl (kubectl-scale)', 'web scaled 5 -> 6 by warroom (bob from bob@jump-2)', 'web scaled 6 -> 7 by unknown']);
    expect(got.every((e) => e.kind === 'scale' && e.source === 'Events')).toBe(true);
  });

  it('a scale whose events expired still shows from managedFields (the scale subresource), once', async () => {
    const s = world({ deploy: deployment([scaleField('kubectl', 25)]) });
    const got = await readScaleChanges(new TimelineReads(s, query()), async () => []);
    expect(got).toEqual([expect.objectContaining({ time: T0 + 25 * min, text: 'web replicas set by kubectl (kubectl) (its last change in managedFields)', source: 'managedFields' })]);
  });
});

describe('restarts reader', () => {
  const pod = (name: string, statuses: unknown[]) => ({ metadata: { name, namespace: 'shop' }, status: { containerStatuses: statuses } });
  it('an OOM kill and a crash from lastState, with exit codes; a restart before the range is left out', async () => {
    const s = world({
      pods: [
        pod('web-bbb-1', [{ name: 'web', restartCount: 2, lastState: { terminated: { exitCode: 137, reason: 'OOMKilled', finishedAt: at(12) } } }]),
        pod('web-bbb-2', [{ name: 'web', restartCount: 5, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: at(33) } } }]),
        pod('web-bbb-3', [{ name: 'web', restartCount: 1, lastState: { terminated: { exitCode: 2, reason: 'Error', finishedAt: '2026-12-05T00:00:00Z' } } }]),
      ],
    });
    const got = await readRestarts(new TimelineReads(s, query()));
    expect(got.map((e) => [e.kind, e.text, e.target])).toEqual([
      ['oom', 'web-bbb-1 web OOM killed: exit 137 (OOMKilled), 2 restarts', { kind: 'pod', namespace: 'shop', pod: 'web-bbb-1' }],
      ['restart', 'web-bbb-2 web restarted: exit 1 (Error), 5 restarts', { kind: 'pod', namespace: 'shop', pod: 'web-bbb-2' }],
    ]);
  });
});

describe('warnings reader', () => {
  it("groups an object's Warnings of one reason with their counts; other applications' objects are left out", async () => {
    const p = { kind: 'Pod', name: 'web-7d9f8c6b5-x2k4q', uid: 'p1' };
    const s = world({
      events: [
        event('BackOff', 'Back-off restarting failed container', at(20), p, 'Warning', 3),
        event('BackOff', 'Back-off restarting failed container', at(25), p, 'Warning', 4),
        event('BackOff', 'Back-off restarting failed container', at(25), { kind: 'Pod', name: 'webshop-7d9f8c6b5-aaaaa', uid: 'p2' }, 'Warning', 9),
        event('Pulled', 'Container image pulled', at(26), p),
      ],
    });
    const got = await readWarnings(new TimelineReads(s, query()));
    expect(got).toEqual([expect.objectContaining({ time: T0 + 25 * min, kind: 'warning', text: 'BackOff x7 pod/web-7d9f8c6b5-x2k4q: Back-off restarting failed container', target: { kind: 'pod', namespace: 'shop', pod: 'web-7d9f8c6b5-x2k4q' } })]);
  });
});

describe('alerts reader', () => {
  const matrix = (labels: Record<string, string>, from: number, to: number, step = 15) => {
    const values: Array<[number, string]> = [];
    for (let t = from; t <= to; t += step) values.push([t, '1']);
    return { metric: { __name__: 'ALERTS', alertstate: 'firing', ...labels }, values };
  };
  const s0 = T0 / 1000;

  it('a run of ALERTS samples fired at its first and resolved after its last; a gap splits it', () => {
    const got = alertIntervals([{ metric: { alertname: 'A' }, values: [...matrix({}, s0 + 600, s0 + 900).values, ...matrix({}, s0 + 1500, s0 + 1800).values] }], 15, s0 + 3600);
    expect(got.map((i) => [i.fired, i.resolved])).toEqual([
      [T0 + 600_000, T0 + 915_000],
      [T0 + 1_500_000, T0 + 1_815_000],
    ]);
  });

  it("reads ALERTS from the context's Prometheus over the range and keeps the scope's alerts", async () => {
    let asked = '';
    const source = {
      endpoint: 'http://prom:9090',
      queryRange: async (q: string) => {
        asked = q;
        return {
          data: [
            matrix({ alertname: 'KubeDeploymentReplicasMismatch', namespace: 'shop', deployment: 'web', severity: 'warning' }, s0 + 600, s0 + 1200),
            matrix({ alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'web-7d9f8c6b5-x2k4q', severity: 'critical' }, s0 + 3000, s0 + 3600),
            matrix({ alertname: 'KubePodCrashLooping', namespace: 'shop', pod: 'api-7d9f8c6b5-x2k4q', severity: 'critical' }, s0 + 3000, s0 + 3600),
          ],
          warnings: [],
        };
      },
    } as unknown as MetricsSource;
    const got = await readAlerts(query(), { prometheus: () => ({ source, matchers: 'cluster="dc1"' }), current: () => undefined });
    expect(asked).toBe('ALERTS{alertstate="firing",namespace="shop",cluster="dc1"}');
    expect(got.source).toBe('Prometheus ALERTS (http://prom:9090)');
    expect(got.entries.map((e) => [e.kind, e.text])).toEqual([
      ['alert-fired', 'KubeDeploymentReplicasMismatch (warning) fired on deployment web'],
      ['alert-resolved', 'KubeDeploymentReplicasMismatch (warning) resolved on deployment web'],
      ['alert-fired', 'KubePodCrashLooping (critical) fired on pod web-7d9f8c6b5-x2k4q'],
    ]);
  });

  it("without Prometheus, what the alerts store holds (firing now) and says so; with neither, it is not configured", async () => {
    const alert = { key: 'k', name: 'KubePodCrashLooping', severity: 'critical', state: 'firing' as const, labels: { namespace: 'shop', pod: 'web-7d9f8c6b5-x2k4q' }, annotations: {}, since: T0 + 5 * min, silencedBy: [], inhibitedBy: [] };
    const got = await readAlerts(query(), { prometheus: () => ({ problem: 'no Prometheus configured for context dc1' }), current: () => [alert] });
    expect(got.source).toMatch(/alerts store .*resolved alerts need Prometheus/);
    expect(got.entries.map((e) => e.text)).toEqual(['KubePodCrashLooping (critical) fired on pod web-7d9f8c6b5-x2k4q (firing now)']);
    await expect(readAlerts(query(), { prometheus: () => ({ problem: 'no Prometheus configured for context dc1' }), current: () => undefined })).rejects.toBeInstanceOf(SourceNotConfigured);
  });
});

describe('log spikes reader', () => {
  const h = (errors: number[]) => ({ from: T0, to: T0 + errors.length * min, intervalMs: min, buckets: errors.map((e, i) => ({ start: T0 + i * min, count: 100, errors: e })) });

  it('a bucket at least 3x the median (and 5 lines) is a spike; neighbours merge', () => {
    expect(errorSpikes(h([1, 2, 1, 30, 25, 1, 2, 2, 4]))).toEqual([{ start: T0 + 3 * min, end: T0 + 5 * min, errors: 55, median: 2 }]);
    expect(errorSpikes(h([3, 4, 3, 5, 4]))).toEqual([]);
  });

  it('an entry per spike, opening the logs at its minute', async () => {
    const got = await readLogSpikes(query(), async () => h([1, 2, 1, 30, 1]));
    expect(got).toEqual([{ time: T0 + 3 * min, kind: 'log-spike', text: 'error spike: 30 error lines in 1m (median 1 per 1m)', source: 'Elasticsearch', target: { kind: 'logs', at: T0 + 3 * min } }]);
  });
});

describe('audit reader', () => {
  it("this console's audit records and the other consoles' feed, in the scope and range", async () => {
    const path = join(scratchDir('warroom-tl-audit-'), 'audit.jsonl');
    const rec = (o: Record<string, unknown>) => JSON.stringify({ user: 'me', osUser: 'me', context: 'dc1', namespace: 'shop', kind: 'Deployment', name: 'web', dryRun: 'accepted', outcome: 'applied', ...o });
    writeFileSync(path, [rec({ time: at(10), action: 'scale', from: 3, to: 5 }), rec({ time: at(11), action: 'scale', name: 'api' }), rec({ time: at(12), action: 'scale', context: 'dc2' }), rec({ time: at(13), action: 'scale', outcome: 'refused: read-only' }), '{torn'].join('\n'));
    const feed = [{ key: 'k', time: T0 + 20 * min, user: 'alice', osUser: 'alice', host: 'jump-1', action: 'restart', namespace: 'shop', kind: 'Deployment', name: 'web', message: 'rollout restart' }];
    const facts = await readAuditFacts(query(), { context: 'dc1', feed: () => feed, auditPath: path });
    expect(auditEntries(query(), facts).map((e) => [e.text, e.source])).toEqual([
      ['me, this console scale Deployment web: 3 -> 5', 'audit log'],
      ['alice (alice@jump-1) restart Deployment web: rollout restart', 'war-room feed'],
    ]);
    expect(await readAuditFacts(query(), { context: 'dc1', feed: () => undefined, auditPath: join(path, '..', 'none.jsonl') })).toEqual([]);
  });
});
