// The demo's kinds beyond the spine: Services whose Endpoints and EndpointSlices follow the pods, Jobs owning the
// run-to-completion pods, a CRD and its objects, a NotReady node, aggregated discovery of all of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';
import { objectKey } from '../../../src/demo/store.js';
import { ManualClock } from '../../support/manualClock.js';

let platform: RunningPlatform;
const clock = new ManualClock();

// Kubernetes JSON is walked loosely in assertions.
type Json = any;

async function get(url: string, accept = 'application/json'): Promise<Json> {
  const r = await fetch(platform.url + url, { headers: { Authorization: `Bearer ${platform.tokens.admin}`, Accept: accept } });
  expect(r.status, url).toBe(200);
  return r.json();
}

beforeAll(async () => {
  platform = await startPlatform({ pods: 300, seed: 7, churn: false, now: () => clock.now() });
});
afterAll(async () => {
  await platform?.close();
});

describe('Services and their endpoints', () => {
  it('a Service lists its ready pods as addresses, in Endpoints and in EndpointSlices', async () => {
    const svc = await get('/api/v1/namespaces/cart/services/cart-api');
    expect(svc.spec.selector['app.kubernetes.io/name']).toBe('cart-api');
    const pods = (await get('/api/v1/namespaces/cart/pods?labelSelector=app.kubernetes.io/name=cart-api')).items as Json[];
    const readyIps = pods.filter((p) => p.status.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True')).map((p) => p.status.podIP).sort();
    expect(readyIps.length).toBeGreaterThan(0);
    const ep = await get('/api/v1/namespaces/cart/endpoints/cart-api');
    expect(ep.subsets[0].addresses.map((a: Json) => a.ip).sort()).toEqual(readyIps);
    expect(ep.subsets[0].addresses[0].targetRef).toMatchObject({ kind: 'Pod', namespace: 'cart' });
    const slices = (await get('/apis/discovery.k8s.io/v1/namespaces/cart/endpointslices?labelSelector=kubernetes.io/service-name=cart-api')).items as Json[];
    const sliced = slices.flatMap((s) => s.endpoints.filter((e: Json) => e.conditions.ready).map((e: Json) => e.addresses[0])).sort();
    expect(sliced).toEqual(readyIps);
  });

  it('a deleted pod leaves the Endpoints within a refresh', async () => {
    const ep = await get('/api/v1/namespaces/cart/endpoints/cart-api');
    const victim = ep.subsets[0].addresses[0].targetRef.name as string;
    platform.controller.deletePod(objectKey('cart', victim), 0);
    // The endpoints controller works on its own tick (about a second).
    const names = async () => {
      const after = await get('/api/v1/namespaces/cart/endpoints/cart-api');
      return [...(after.subsets?.[0]?.addresses ?? []), ...(after.subsets?.[0]?.notReadyAddresses ?? [])].map((a: Json) => a.targetRef.name as string);
    };
    for (let i = 0; i < 50 && (await names()).includes(victim); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await names()).not.toContain(victim);
  });

  it('a Service that selects no pod has Endpoints without subsets and prints <none>', async () => {
    const ep = await get('/api/v1/namespaces/search/endpoints/legacy-search');
    expect(ep.subsets).toBeUndefined();
    const table = await get('/api/v1/namespaces/search/endpoints?fieldSelector=metadata.name=legacy-search', 'application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(table.rows[0].cells[1]).toBe('<none>');
  });
});

describe('Jobs, a CRD, nodes', () => {
  it('every pod owned by a Job has that Job, with the outcome of its pod', async () => {
    const jobs = (await get('/apis/batch/v1/jobs')).items as Json[];
    const pods = (await get('/api/v1/pods')).items as Json[];
    const owned = pods.filter((p) => p.metadata.ownerReferences?.[0]?.kind === 'Job');
    expect(owned.length).toBeGreaterThan(0);
    for (const p of owned) {
      const job = jobs.find((j) => j.metadata.uid === p.metadata.ownerReferences[0].uid);
      expect(job, p.metadata.name).toBeDefined();
      const type = p.status.phase === 'Succeeded' ? 'Complete' : 'Failed';
      expect(job.status.conditions.some((c: Json) => c.type === type && c.status === 'True')).toBe(true);
    }
  });

  it('serves a CRD and its objects with the additional printer columns', async () => {
    const crd = await get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/promotions.shop.example');
    expect(crd.spec.names).toMatchObject({ plural: 'promotions', kind: 'Promotion', shortNames: ['promo'] });
    const table = await get('/apis/shop.example/v1/namespaces/trade/promotions', 'application/json;as=Table;v=v1;g=meta.k8s.io');
    expect(table.columnDefinitions.map((c: Json) => c.name)).toEqual(['Name', 'Phase', 'Window', 'Peak', 'Age']);
    expect(table.rows.map((r: Json) => r.cells[0])).toContain('black-friday');
  });

  it('one worker is NotReady (conditions Unknown, tainted unreachable) and takes no new pods', async () => {
    const nodes = (await get('/api/v1/nodes')).items as Json[];
    const lost = nodes.filter((n) => n.status.conditions.find((c: Json) => c.type === 'Ready').status !== 'True');
    expect(lost).toHaveLength(1);
    expect(lost[0].spec.taints.map((t: Json) => `${t.key}:${t.effect}`)).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const created = platform.controller.createStandalonePod({ name: 'placement-probe', namespace: 'cart', template: [...platform.cluster.pods.store.values()][0].template });
    for (let i = 0; i < 30; i++) {
      clock.advance(1000);
      platform.controller.tick();
    }
    const placed = platform.cluster.pods.store.get(objectKey('cart', created.meta.name));
    expect(placed?.nodeName).toBeTruthy();
    expect(placed?.nodeName).not.toBe(lost[0].metadata.name);
  });
});

describe('aggregated discovery', () => {
  it('/apis answers an APIGroupDiscoveryList with every group the demo serves, the CRD group included', async () => {
    const doc = await get('/apis', 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json');
    expect(doc.kind).toBe('APIGroupDiscoveryList');
    const groups = (doc.items as Json[]).map((i) => i.metadata.name);
    expect(groups).toEqual(expect.arrayContaining(['apps', 'batch', 'networking.k8s.io', 'discovery.k8s.io', 'apiextensions.k8s.io', 'shop.example']));
    const shop = (doc.items as Json[]).find((i) => i.metadata.name === 'shop.example');
    expect(shop.versions[0].resources[0]).toMatchObject({ resource: 'promotions', scope: 'Namespaced', singularResource: 'promotion', shortNames: ['promo'], responseKind: { group: 'shop.example', version: 'v1', kind: 'Promotion' } });
    const legacy = await get('/apis');
    expect(legacy.kind).toBe('APIGroupList');
  });
});
