import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { defaultDrainFlags, drainFlagsText, parseGracePeriod, parseTimeout } from '../../../src/platform/actions/drainFlags.js';
import { evictionBody, planPod, readEvictionAnswer, runDrain, selectorMatches, type DrainPlan, type PodJson } from '../../../src/platform/actions/nodeDrain.js';
import type { KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { podPortChoices, servicePortChoices } from '../../../src/platform/stores/portForwardDialogStore.js';
import { fitDialog } from '../../../src/ui/views/nodeActionLines.js';
import { scratchDir } from '../../support/scratchDir.js';

const pod = (over: Partial<PodJson['metadata']> = {}, spec: PodJson['spec'] = {}, phase = 'Running'): PodJson => ({
  metadata: { name: 'p', namespace: 'ns', ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }], ...over },
  spec,
  status: { phase },
});

const none = { deleteEmptyDirData: false, force: false };

describe('what a drain does with each pod, as kubectl drain --ignore-daemonsets and its filters decide', () => {
  it('evicts a pod a controller manages; skips mirror pods and DaemonSet pods, whatever the options', () => {
    expect(planPod(pod(), none)).toEqual({ action: 'evict' });
    expect(planPod(pod({ annotations: { 'kubernetes.io/config.mirror': 'abc' } }), none)).toMatchObject({ action: 'skip', why: expect.stringMatching(/^mirror pod/) });
    const ds = pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'node-exporter', controller: true }] }, { volumes: [{ name: 'x', emptyDir: {} }] });
    for (const flags of [none, { deleteEmptyDirData: true, force: true }]) expect(planPod(ds, flags)).toMatchObject({ action: 'skip', why: expect.stringMatching(/^DaemonSet pod \(node-exporter\)/) });
  });

  it('a running pod with emptyDir data blocks the drain until --delete-emptydir-data, which then deletes its data', () => {
    const cache = pod({}, { volumes: [{ name: 'cache', emptyDir: {} }, { name: 'cfg' }] });
    expect(planPod(cache, none)).toEqual({ action: 'block', why: 'emptyDir cache would be lost', needs: ['delete-emptydir-data'] });
    expect(planPod(cache, { ...none, force: true })).toMatchObject({ action: 'block', needs: ['delete-emptydir-data'] });
    expect(planPod(cache, { ...none, deleteEmptyDirData: true })).toEqual({ action: 'evict', warning: 'deletes emptyDir cache' });
  });

  it('a running pod no controller manages blocks the drain until --force, which then deletes it for good', () => {
    const bare = pod({ ownerReferences: [] });
    expect(planPod(bare, none)).toEqual({ action: 'block', why: 'no controller: nothing would recreate it', needs: ['force'] });
    expect(planPod(bare, { ...none, force: true })).toEqual({ action: 'evict', warning: 'no controller: gone for good' });
  });

  it('a pod with both names both options (kubectl would name only the first); each one alone still blocks', () => {
    const both = pod({ ownerReferences: [] }, { volumes: [{ name: 'tmp', emptyDir: {} }] });
    expect(planPod(both, none)).toEqual({ action: 'block', why: 'emptyDir tmp would be lost; no controller: nothing would recreate it', needs: ['delete-emptydir-data', 'force'] });
    expect(planPod(both, { deleteEmptyDirData: true, force: false })).toMatchObject({ action: 'block', needs: ['force'] });
    expect(planPod(both, { deleteEmptyDirData: true, force: true })).toEqual({ action: 'evict', warning: 'deletes emptyDir tmp; no controller: gone for good' });
  });

  it('a finished pod goes whatever it had: its disruption is over', () => {
    expect(planPod(pod({ ownerReferences: [] }, { volumes: [{ name: 'x', emptyDir: {} }] }, 'Succeeded'), none)).toEqual({ action: 'evict' });
    expect(planPod(pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'ds', controller: true }] }, {}, 'Failed'), none)).toEqual({ action: 'evict' });
  });

  it("a DaemonSet pod whose DaemonSet is gone blocks the drain until --force (kubectl's orphaned DaemonSet pod)", () => {
    const orphan = pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'old-agent', controller: true }] });
    const gone = (key: string) => key === 'ns/old-agent';
    expect(planPod(orphan, none, gone)).toEqual({ action: 'block', why: 'its DaemonSet old-agent is gone: nothing manages it', needs: ['force'] });
    expect(planPod(orphan, { ...none, force: true }, gone)).toEqual({ action: 'evict', warning: 'its DaemonSet old-agent is gone' });
  });
});

describe('drain options', () => {
  it('named as kubectl drain takes them, for the audit record', () => {
    expect(drainFlagsText(defaultDrainFlags(600_000))).toBe('--ignore-daemonsets --timeout=10m');
    expect(drainFlagsText({ deleteEmptyDirData: true, force: true, gracePeriodSeconds: 0, timeoutMs: 90_000, podSelector: 'app=web', disableEviction: true })).toBe('--ignore-daemonsets --delete-emptydir-data --force --grace-period=0 --timeout=1m30s --pod-selector=app=web --disable-eviction');
    expect(drainFlagsText({ ...defaultDrainFlags(0) })).toBe('--ignore-daemonsets --timeout=0s');
  });

  it('grace period: seconds, empty or negative for each pod\'s own; timeout: a duration or seconds, 0 for none', () => {
    expect(parseGracePeriod('30')).toEqual({ value: 30 });
    expect(parseGracePeriod('')).toEqual({ value: undefined });
    expect(parseGracePeriod('-1')).toEqual({ value: undefined });
    expect(parseGracePeriod('3x')).toEqual({ error: "'3x' is not a number of seconds (empty: each pod's own)" });
    expect(parseTimeout('5m')).toEqual({ value: 300_000 });
    expect(parseTimeout('1h30m')).toEqual({ value: 5_400_000 });
    expect(parseTimeout('90')).toEqual({ value: 90_000 });
    expect(parseTimeout('0')).toEqual({ value: 0 });
    expect(parseTimeout('soon')).toMatchObject({ error: expect.stringContaining("'soon' is not a duration") });
  });

  it('the Eviction carries the grace period only when one is set', () => {
    expect(evictionBody('ns', 'p')).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'ns' } });
    expect(evictionBody('ns', 'p', 0)).toEqual({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'ns' }, deleteOptions: { gracePeriodSeconds: 0 } });
  });
});

describe('budgets and the server\'s answers', () => {
  it('a PDB selector: matchLabels and matchExpressions (In, NotIn, Exists, DoesNotExist); empty selects all', () => {
    const labels = { app: 'cart', tier: 'api' };
    expect(selectorMatches({ matchLabels: { app: 'cart' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { app: 'web' } }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['api', 'web'] }] }, labels)).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['api'] }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selectorMatches({}, labels)).toBe(true);
  });

  it("reads the server's answer: 201 accepted, 404 gone, 429 with the budget's cause, anything else failed", () => {
    const status = (code: number, body: unknown) => ({ status: code, headers: {}, body });
    expect(readEvictionAnswer(status(201, {}))).toEqual({ kind: 'accepted' });
    expect(readEvictionAnswer(status(404, {}))).toEqual({ kind: 'gone' });
    expect(readEvictionAnswer(status(429, { message: "Cannot evict pod as it would violate the pod's disruption budget.", details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget x needs 2 healthy pods and has 2 currently' }], retryAfterSeconds: 10 } }))).toEqual({ kind: 'blocked', message: 'The disruption budget x needs 2 healthy pods and has 2 currently', retryAfterSeconds: 10 });
    expect(readEvictionAnswer(status(500, { message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.' }))).toEqual({ kind: 'failed', message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support. (500)' });
  });
});

describe('runDrain', () => {
  it('cordons, retries a budget that refuses until the timeout, reports "timed out", audits cordon and eviction', async () => {
    const sent: string[] = [];
    const session = {
      contextName: 'lab', user: 'admin', clusterName: 'lab', server: 'https://127.0.0.1',
      request: async (method: string, path: string) => {
        sent.push(`${method} ${path}`);
        if (method === 'PATCH') return { status: 200, headers: {}, body: { spec: { unschedulable: true } } };
        return { status: 429, headers: {}, body: { details: { causes: [{ reason: 'DisruptionBudget', message: 'The disruption budget db needs 1 healthy pods and has 1 currently' }] } } };
      },
    } as unknown as KubeSession;
    const audit = new AuditLog(join(scratchDir('warroom-drain-'), 'audit.jsonl'));
    const gate = new ActionGate({ session: () => session, policy: { global: false, contexts: new Set() }, audit });
    const plan: DrainPlan = { node: 'n1', cordoned: false, flags: defaultDrainFlags(400), skipped: [], blocking: [], evict: [{ namespace: 'db', name: 'db-0', uid: 'u', owner: 'StatefulSet/db', verdict: 'blocked' }] };
    const seen: string[] = [];
    const end = await runDrain(gate, plan, { operation: 'op', signal: new AbortController().signal, retryMs: 50, concurrency: 2, onProgress: (p) => seen.push(`${p.phase}:${p.pods[0].state}`) });
    expect(end.phase).toBe('timed out');
    expect(end.pods[0]).toMatchObject({ state: 'timed out', note: 'The disruption budget db needs 1 healthy pods and has 1 currently' });
    expect(end.pods[0].attempts).toBeGreaterThan(2);
    expect(end.message).toMatch(/^drain timed out after 0s: 1 pod still there; n1 stays cordoned/);
    expect(seen).toContain('evicting:waiting');
    expect(sent[0]).toBe('PATCH /api/v1/nodes/n1');
    expect(sent.slice(1).every((s) => s === 'POST /api/v1/namespaces/db/pods/db-0/eviction')).toBe(true);
    const records = readFileSync(audit.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    expect(records.map((r) => [r.action, r.name, r.outcome])).toEqual([['cordon', 'n1', 'applied'], ['evict', 'db-0', 'timed out: The disruption budget db needs 1 healthy pods and has 1 currently']]);
  });
});

describe('runDrain with options', () => {
  function fakeGate(answer: (method: string, path: string) => { status: number; body?: unknown }) {
    const sent: Array<{ method: string; path: string; query?: unknown; body?: unknown }> = [];
    const session = {
      contextName: 'lab', user: 'admin', clusterName: 'lab', server: 'https://127.0.0.1',
      request: async (method: string, path: string, o: { query?: unknown; body?: unknown } = {}) => {
        sent.push({ method, path, query: o.query, body: o.body });
        return { headers: {}, body: {}, ...answer(method, path) };
      },
    } as unknown as KubeSession;
    const audit = new AuditLog(join(scratchDir('warroom-drain-'), 'audit.jsonl'));
    const gate = new ActionGate({ session: () => session, policy: { global: false, contexts: new Set() }, audit });
    const records = () => readFileSync(audit.path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, string>);
    return { gate, sent, records };
  }
  const pods = [{ namespace: 'cart', name: 'web-1', uid: 'u1', owner: 'ReplicaSet/web', verdict: 'ok' as const }];

  it('the grace period goes in each Eviction; the audit record names the options', async () => {
    const { gate, sent, records } = fakeGate((method) => (method === 'POST' ? { status: 201 } : { status: 404 }));
    const flags = { ...defaultDrainFlags(60_000), deleteEmptyDirData: true, gracePeriodSeconds: 5 };
    const end = await runDrain(gate, { node: 'n1', cordoned: true, flags, skipped: [], blocking: [], evict: pods }, { operation: 'op', signal: new AbortController().signal, retryMs: 50, concurrency: 2, onProgress: () => undefined });
    expect(end.phase).toBe('done');
    expect(sent[0]).toMatchObject({ method: 'POST', path: '/api/v1/namespaces/cart/pods/web-1/eviction', body: { kind: 'Eviction', deleteOptions: { gracePeriodSeconds: 5 } } });
    expect(records().map((r) => [r.action, r.name, r.options, r.outcome])).toEqual([['evict', 'web-1', '--ignore-daemonsets --delete-emptydir-data --grace-period=5 --timeout=1m', 'applied']]);
  });

  it('--disable-eviction deletes each pod instead (no budget consulted), audited as delete', async () => {
    const { gate, sent, records } = fakeGate((method) => (method === 'DELETE' ? { status: 200 } : { status: 404 }));
    const flags = { ...defaultDrainFlags(0), disableEviction: true, gracePeriodSeconds: 0 };
    const end = await runDrain(gate, { node: 'n1', cordoned: true, flags, skipped: [], blocking: [], evict: pods }, { operation: 'op', signal: new AbortController().signal, retryMs: 50, concurrency: 2, onProgress: () => undefined });
    expect(end.message).toBe('n1 drained: 1 pod deleted, 0 skipped; it stays cordoned');
    expect(sent[0]).toMatchObject({ method: 'DELETE', path: '/api/v1/namespaces/cart/pods/web-1', query: { gracePeriodSeconds: 0 } });
    expect(sent.some((x) => x.path.endsWith('/eviction'))).toBe(false);
    expect(records().map((r) => [r.action, r.options])).toEqual([['delete', '--ignore-daemonsets --grace-period=0 --timeout=0s --disable-eviction']]);
  });
});

describe('port-forward choices', () => {
  it("a pod's declared TCP ports, with their container", () => {
    expect(podPortChoices({ spec: { containers: [{ name: 'api', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }, { name: 'envoy', ports: [{ containerPort: 15001 }] }] } })).toEqual([
      { podPort: 8080, label: 'http, container api' },
      { podPort: 15001, label: 'container envoy' },
    ]);
  });

  it("a Service: the first ready pod of its EndpointSlices, each Service port mapped by name to the pod's port", () => {
    const svc = { spec: { ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'metrics', port: 9090, targetPort: 9090 }] } };
    const slices = [{ ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }], endpoints: [{ conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'web-1' } }, { conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'web-2' } }] }];
    expect(servicePortChoices(svc, slices)).toEqual({ pod: 'web-2', choices: [{ podPort: 8080, label: 'service port 80 (http) -> pod port 8080' }, { podPort: 9090, label: 'service port 9090 (metrics) -> pod port 9090' }] });
    expect(servicePortChoices(svc, [{ endpoints: [{ conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'web-1' } }] }])).toEqual({ choices: [] });
  });
});

describe('a dialog taller than the screen', () => {
  it('keeps its head and its prompt, and counts what is left out', () => {
    const l = (text: string) => ({ text, tone: 'normal' as const });
    const lines = [l('title'), ...Array.from({ length: 20 }, (_, i) => l(`pod ${i}`)), l(''), l('type ctx'), l('confirm:')];
    const out = fitDialog(lines, 10, 40).map((x) => x.text.trim());
    expect(out).toEqual(['title', 'pod 0', 'pod 1', 'pod 2', 'pod 3', 'pod 4', '… 15 more lines', '', 'type ctx', 'confirm:']);
  });
});
