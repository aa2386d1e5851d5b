import { describe, expect, it } from 'vitest';
import type { PodRow, WorkloadRow } from '../../../src/platform/kube/rows.js';
import { ClusterStore } from '../../../src/platform/stores/clusterStore.js';
import { fleetAppRows, fleetSystemRows, type FleetCluster } from '../../../src/platform/stores/fleetQueries.js';
import { stableJson, templateFingerprint } from '../../../src/platform/kube/podTemplate.js';

// The fleet's questions over several clusters' stores.

let uid = 0;
function cluster(name: string, spec: { systems: string[]; apps?: Array<Partial<WorkloadRow> & { namespace: string; name: string }>; pods?: Array<Partial<PodRow> & { namespace: string }> }, down = false): FleetCluster {
  const store = new ClusterStore();
  store.namespaces.listPage(spec.systems.map((n) => ({ uid: `${name}-ns-${n}`, name: n, displayName: n, phase: 'Active', createdAt: 0, resourceVersion: '1' })), 1, true);
  store.deployments.listPage((spec.apps ?? []).map((a) => ({ uid: `u${uid++}`, kind: 'Deployment' as const, desired: 2, ready: 2, available: 2, upToDate: 2, images: 'app:1', createdAt: 0, resourceVersion: '1', ...a })), 1, true);
  store.pods.listPage((spec.pods ?? []).map((p) => ({ uid: `p${uid++}`, name: `pod${uid}`, ready: 1, total: 1, status: 'Running', restarts: 0, createdAt: 0, node: '', ip: '', appKey: '', cluster: '', ...p })), 1, true);
  return { name, store, down };
}

describe('fleet queries', () => {
  it('sums a system over the clusters that answer and says why a cluster has no numbers', () => {
    const dc1 = cluster('dc1', { systems: ['cart', 'payment'], pods: [{ namespace: 'cart' }, { namespace: 'cart', ready: 0 }] });
    const dc2 = cluster('dc2', { systems: ['cart'], pods: [{ namespace: 'cart' }] });
    const dc3 = cluster('dc3', { systems: ['cart'], pods: [{ namespace: 'cart' }] }, true);
    const rows = fleetSystemRows([dc1, dc2, dc3]);
    const cart = rows.find((r) => r.name === 'cart')!;
    expect(cart.total).toMatchObject({ pods: 3, ready: 2 });
    expect(cart.clusters.map((c) => c.presence)).toEqual(['here', 'here', 'down']);
    expect(rows.find((r) => r.name === 'payment')!.clusters.map((c) => c.presence)).toEqual(['here', 'absent', 'down']);
  });

  it('a system forbidden in one cluster is marked forbidden there, not zero', () => {
    const dc1 = cluster('dc1', { systems: ['cart'] });
    dc1.store.pods.forbidden.set('cart', 'pods is forbidden');
    expect(fleetSystemRows([dc1])[0].clusters[0].presence).toBe('forbidden');
  });

  it('marks image drift, replica drift without an HPA, and an application missing from a cluster that has the system', () => {
    const dc1 = cluster('dc1', { systems: ['cart'], apps: [{ namespace: 'cart', name: 'api' }, { namespace: 'cart', name: 'worker', desired: 4 }, { namespace: 'cart', name: 'web' }, { namespace: 'cart', name: 'wish' }] });
    const dc2 = cluster('dc2', { systems: ['cart'], apps: [{ namespace: 'cart', name: 'api', images: 'app:2' }, { namespace: 'cart', name: 'worker', desired: 2 }, { namespace: 'cart', name: 'web' }] });
    const rows = new Map(fleetAppRows([dc1, dc2], 'cart').map((r) => [r.name, r]));
    expect(rows.get('api')!.drift).toEqual({ images: true, template: false, replicas: false, missing: false });
    expect(rows.get('worker')!.drift).toEqual({ images: false, template: false, replicas: true, missing: false });
    expect(rows.get('web')!.drift).toEqual({ images: false, template: false, replicas: false, missing: false });
    expect(rows.get('wish')!.drift).toEqual({ images: false, template: false, replicas: false, missing: true });
    expect(rows.get('worker')!).toMatchObject({ desired: 6, ready: 4 });
    expect(rows.get('wish')!.clusters.map((c) => c.presence)).toEqual(['here', 'absent']);
  });

  it('marks template drift where the images agree but the pod templates differ; a cluster without a fingerprint is not compared', () => {
    const template = (memory: string, image = 'app:1') => templateFingerprint({ spec: { containers: [{ name: 'c', image, resources: { limits: { memory } } }] } });
    const dc1 = cluster('dc1', { systems: ['cart'], apps: [{ namespace: 'cart', name: 'api', template: template('256Mi') }, { namespace: 'cart', name: 'web', template: template('256Mi') }, { namespace: 'cart', name: 'img', template: template('256Mi') }] });
    const dc2 = cluster('dc2', { systems: ['cart'], apps: [{ namespace: 'cart', name: 'api', template: template('512Mi') }, { namespace: 'cart', name: 'web', template: '' }, { namespace: 'cart', name: 'img', images: 'app:2', template: template('256Mi', 'app:2') }] });
    const rows = new Map(fleetAppRows([dc1, dc2], 'cart').map((r) => [r.name, r]));
    expect(rows.get('api')!.drift).toMatchObject({ images: false, template: true });
    expect(rows.get('web')!.drift.template).toBe(false);
    // Different images: I says it, T is not added.
    expect(rows.get('img')!.drift).toMatchObject({ images: true, template: false });
  });

  it('a template fingerprint ignores the ReplicaSet hash label, key order and the restart stamp, not a changed field', () => {
    const a = { metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-01T00:00:00Z' } }, spec: { containers: [{ name: 'c', image: 'i:1' }] } };
    const b = { spec: { containers: [{ image: 'i:1', name: 'c' }] }, metadata: { labels: { app: 'x' } } };
    expect(templateFingerprint(a)).toBe(templateFingerprint({ ...b, metadata: { ...b.metadata, annotations: {} } }));
    expect(templateFingerprint(a)).not.toBe(templateFingerprint({ ...b, spec: { containers: [{ name: 'c', image: 'i:1', env: [{ name: 'A', value: '1' }] }] } }));
    expect(templateFingerprint(undefined)).toBe('');
    // The canonical text is JSON with sorted keys, as JSON.stringify of a sorted copy would write it.
    const nested = { b: [1, { d: 'x', c: null }, 'y'], a: { z: true, y: 2.5 }, e: '"q"' };
    expect(stableJson(nested)).toBe(JSON.stringify({ a: { y: 2.5, z: true }, b: [1, { c: null, d: 'x' }, 'y'], e: '"q"' }));
  });

  it('a cluster that is down does not count as missing the application', () => {
    const dc1 = cluster('dc1', { systems: ['cart'], apps: [{ namespace: 'cart', name: 'api' }] });
    const dc2 = cluster('dc2', { systems: ['cart'] }, true);
    expect(fleetAppRows([dc1, dc2], undefined)[0].drift.missing).toBe(false);
  });
});
