import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { drainSkipReason, readEvictionAnswer, runDrain, selectorMatches, type DrainPlan, type PodJson } from '../../../src/platform/actions/nodeDrain.js';
import type { KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { podPortChoices, servicePortChoices } from '../../../src/platform/stores/portForwardDialogStore.js';
import { fitDialog } from '../../../src/ui/views/nodeActionLines.js';
import { scratchDir } from '../../support/scratchDir.js';

const pod = (over: Partial<PodJson['metadata']> = {}, spec: PodJson['spec'] = {}, phase = 'Running'): PodJson => ({
  metadata: { name: 'p', namespace: 'ns', ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', controller: true }], ...over },
  spec,
  status: { phase },
});

describe('which pods a drain skips, as kubectl drain --ignore-daemonsets does', () => {
  it('names mirror pods, DaemonSet pods, emptyDir data and pods without a controller; evicts the rest', () => {
    expect(drainSkipReason(pod())).toBeUndefined();
    expect(drainSkipReason(pod({ annotations: { 'kubernetes.io/config.mirror': 'abc' } }))).toMatch(/^mirror pod/);
    expect(drainSkipReason(pod({ ownerReferences: [{ kind: 'DaemonSet', name: 'node-exporter', controller: true }] }))).toMatch(/^DaemonSet pod \(node-exporter\)/);
    expect(drainSkipReason(pod({}, { volumes: [{ name: 'cache', emptyDir: {} }, { name: 'cfg' }] }))).toMatch(/emptyDir cache would be lost/);
    expect(drainSkipReason(pod({ ownerReferences: [] }))).toMatch(/^no controller/);
    // A finished pod goes, whatever it had: its disruption is over.
    expect(drainSkipReason(pod({ ownerReferences: [] }, { volumes: [{ name: 'x', emptyDir: {} }] }, 'Succeeded'))).toBeUndefined();
  });

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
    const plan: DrainPlan = { node: 'n1', cordoned: false, skipped: [], evict: [{ namespace: 'db', name: 'db-0', uid: 'u', owner: 'StatefulSet/db', verdict: 'blocked' }] };
    const seen: string[] = [];
    const end = await runDrain(gate, plan, { operation: 'op', signal: new AbortController().signal, timeoutMs: 400, retryMs: 50, concurrency: 2, onProgress: (p) => seen.push(`${p.phase}:${p.pods[0].state}`) });
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
