import { describe, expect, it } from 'vitest';
import type { ObjectDetail } from '../../../src/platform/stores/objectDetailStore.js';
import { describeLines, yamlLines } from '../../../src/ui/views/objectLines.js';

// The YAML and describe panes' text, from any object: managed fields hidden, Secrets never shown, conditions and events.

const now = Date.parse('2026-08-01T12:00:00Z');

function detail(object: Record<string, unknown>, extra: Partial<ObjectDetail> = {}): ObjectDetail {
  const meta = object.metadata as { name: string; namespace?: string };
  return { ref: { group: 'apps', version: 'v1', resource: 'deployments', kind: String(object.kind), namespace: meta.namespace, name: meta.name }, state: 'ready', object: object as ObjectDetail['object'], events: [], ...extra };
}

const deployment = {
  kind: 'Deployment',
  apiVersion: 'apps/v1',
  metadata: {
    name: 'cart-api', namespace: 'cart', uid: 'u1', creationTimestamp: '2026-07-30T12:00:00Z',
    labels: { app: 'cart-api' },
    ownerReferences: [{ kind: 'Rollout', name: 'cart', controller: true }],
    managedFields: [{ manager: 'helm', operation: 'Update' }],
  },
  spec: { replicas: 3, selector: { matchLabels: { app: 'cart-api' } }, strategy: { type: 'RollingUpdate' }, template: { spec: { containers: [{ name: 'app', image: 'cart:1.2', ports: [{ containerPort: 8080 }], resources: { requests: { cpu: '250m' } } }] } } },
  status: {
    replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2, unavailableReplicas: 1,
    conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.\u001b]0;owned\u0007', lastTransitionTime: '2026-08-01T11:55:00Z' }],
  },
};

const texts = (lines: Array<{ text: string }>) => lines.map((l) => l.text).join('\n');

describe('YAML', () => {
  it('hides metadata.managedFields and says so; m shows them', () => {
    const hidden = texts(yamlLines(detail(deployment), { managedFields: false }, now));
    expect(hidden).toMatch(/managedFields hidden \(1 entries\): m shows them/);
    expect(hidden).not.toMatch(/manager: helm/);
    expect(hidden).toMatch(/^kind: Deployment$/m);
    expect(texts(yamlLines(detail(deployment), { managedFields: true }, now))).toMatch(/manager: helm/);
  });

  it("never shows a Secret's values", () => {
    const secret = { kind: 'Secret', apiVersion: 'v1', metadata: { name: 'db', namespace: 'cart' }, type: 'Opaque', data: { password: Buffer.from('hunter2').toString('base64') } };
    const text = texts(yamlLines(detail(secret), { managedFields: false }, now)) + texts(describeLines(detail(secret), now));
    expect(text).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(text).toMatch(/password: "?<hidden: 7 bytes>"?/);
    expect(text).toMatch(/^ {2}password: +<hidden: 7 bytes>$/m);
  });

  it('says what it is doing while loading, and when the object is gone', () => {
    expect(texts(yamlLines({ ...detail(deployment), state: 'loading', object: undefined }, { managedFields: false }, now))).toMatch(/^loading deployment cart\/cart-api/);
    expect(texts(describeLines({ ...detail(deployment), state: 'gone', object: undefined }, now))).toMatch(/no longer exists/);
  });
});

describe('describe', () => {
  it('metadata, replicas, the pod template, conditions (sanitised, failing ones marked) and events with their counts', () => {
    const lines = describeLines(detail(deployment, { events: [{ uid: 'e', namespace: 'cart', name: 'x', type: 'Warning', reason: 'FailedCreate', message: 'quota exceeded', count: 4, firstSeen: now - 3_600_000, lastSeen: now - 300_000, source: 'replicaset-controller', involved: { kind: 'Deployment', name: 'cart-api', namespace: 'cart', uid: 'u1', fieldPath: '', apiVersion: 'apps/v1' } }] }), now);
    const text = texts(lines);
    expect(text).toMatch(/^Name: +cart-api$/m);
    expect(text).toMatch(/^Kind: +Deployment \(apps\/v1\)$/m);
    expect(text).toMatch(/^Controlled By: +Rollout\/cart \(controller\)$/m);
    expect(text).toMatch(/Replicas: +3 desired \| 3 updated \| 3 total \| 2 available \| 2 ready \| 1 unavailable/);
    expect(text).toMatch(/Image: +cart:1\.2/);
    expect(text).toMatch(/Requests: +cpu=250m/);
    const condition = lines.find((l) => l.text.includes('MinimumReplicasUnavailable'))!;
    expect(condition.style).toBe('warn');
    expect(condition.text).not.toContain('\u001b');
    expect(text).toMatch(/Warning +FailedCreate +5m \(x4 over 60m\) +replicaset-controller +quota exceeded/);
  });

  it("a node: taints, capacity and allocatable, its conditions; a kind it does not know: its spec and status", () => {
    const node = { kind: 'Node', apiVersion: 'v1', metadata: { name: 'w1' }, spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }, status: { capacity: { cpu: '16', pods: '110' }, allocatable: { cpu: '15500m', pods: '110' }, conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }, { type: 'DiskPressure', status: 'False' }], nodeInfo: { kubeletVersion: 'v1.34.1' } } };
    const lines = describeLines({ ...detail(node), ref: { group: '', version: 'v1', resource: 'nodes', kind: 'Node', name: 'w1' } }, now);
    const text = texts(lines);
    expect(text).toMatch(/Taints: +node\.kubernetes\.io\/unreachable:NoExecute/);
    expect(text).toMatch(/cpu +16 +15500m/);
    expect(lines.find((l) => /^\s+Ready\s+Unknown/.test(l.text))?.style).toBe('warn');
    expect(lines.find((l) => /^\s+DiskPressure\s+False/.test(l.text))?.style).toBeUndefined();
    const promo = { kind: 'Promotion', apiVersion: 'shop.example/v1', metadata: { name: 'black-friday', namespace: 'trade' }, spec: { window: 'Fri', peakFactor: 3, systems: ['trade'] }, status: { phase: 'Scheduled' } };
    const generic = texts(describeLines({ ...detail(promo), ref: { group: 'shop.example', version: 'v1', resource: 'promotions', kind: 'Promotion', namespace: 'trade', name: 'black-friday' } }, now));
    expect(generic).toMatch(/^ {2}peakFactor: 3$/m);
    expect(generic).toMatch(/^ {2}systems\[0\]: trade$/m);
    expect(generic).toMatch(/^ {2}phase: Scheduled$/m);
  });
});
