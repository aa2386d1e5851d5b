// API discovery as warroom reads it to resolve `:KIND`: aggregated discovery (apidiscovery.k8s.io/v2, GA in
// Kubernetes 1.30) on /api and /apis, the legacy documents it falls back to, and the names kubectl users type.
// Runs against the demo platform in `npm test` and the lab's real apiserver in `npm run test:e2e`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGGREGATED_DISCOVERY_ACCEPT, parseAggregated, parseLegacy, resolveResource, type ApiResource } from '../../../src/platform/kube/discovery.js';
import { json, type Json } from '../kubeHttp.js';
import { startKubeTarget, type KubeTarget } from '../target.js';

let target: KubeTarget;
let resources: ApiResource[];

async function get(path: string, accept = 'application/json'): Promise<{ doc: Json; contentType: string }> {
  const r = await target.admin.request(path, { accept });
  expect(r.status, r.text.slice(0, 300)).toBe(200);
  return { doc: json(r), contentType: String(r.headers['content-type'] ?? '') };
}

beforeAll(async () => {
  target = await startKubeTarget();
  const [core, groups] = await Promise.all([get('/api', AGGREGATED_DISCOVERY_ACCEPT), get('/apis', AGGREGATED_DISCOVERY_ACCEPT)]);
  resources = parseAggregated(groups.doc, parseAggregated(core.doc));
});
afterAll(async () => {
  await target?.stop();
});

describe('aggregated discovery', () => {
  it('/api and /apis answer an APIGroupDiscoveryList when asked for one, with that media type', async () => {
    for (const path of ['/api', '/apis']) {
      const { doc, contentType } = await get(path, AGGREGATED_DISCOVERY_ACCEPT);
      expect(doc.kind, path).toBe('APIGroupDiscoveryList');
      expect(doc.apiVersion).toBe('apidiscovery.k8s.io/v2');
      expect(contentType).toMatch(/as=APIGroupDiscoveryList/);
      for (const group of doc.items) {
        for (const v of group.versions) {
          expect(v.version).toMatch(/^v\d/);
          for (const r of v.resources) {
            expect(r.resource).not.toContain('/');
            expect(['Namespaced', 'Cluster']).toContain(r.scope);
            expect(r.responseKind.kind).toBeTruthy();
            expect(Array.isArray(r.verbs)).toBe(true);
          }
        }
      }
    }
    const core = (await get('/api', AGGREGATED_DISCOVERY_ACCEPT)).doc;
    // The core group has no name.
    expect(core.items).toHaveLength(1);
    expect(core.items[0].metadata?.name ?? '').toBe('');
  });

  it('subresources are nested under their resource (pods/log, deployments/scale), not listed as resources', () => {
    expect(resources.some((r) => r.resource.includes('/'))).toBe(false);
  });

  it('resolves the names kubectl users type to the kinds the console lists', () => {
    const expected: Record<string, [string, string, boolean]> = {
      po: ['', 'pods', true],
      deploy: ['apps', 'deployments', true],
      sts: ['apps', 'statefulsets', true],
      rs: ['apps', 'replicasets', true],
      svc: ['', 'services', true],
      cm: ['', 'configmaps', true],
      no: ['', 'nodes', false],
      ns: ['', 'namespaces', false],
      ev: ['', 'events', true],
      ep: ['', 'endpoints', true],
      hpa: ['autoscaling', 'horizontalpodautoscalers', true],
      pdb: ['policy', 'poddisruptionbudgets', true],
      jobs: ['batch', 'jobs', true],
      cj: ['batch', 'cronjobs', true],
      ing: ['networking.k8s.io', 'ingresses', true],
      endpointslices: ['discovery.k8s.io', 'endpointslices', true],
      crd: ['apiextensions.k8s.io', 'customresourcedefinitions', false],
      Deployment: ['apps', 'deployments', true],
      deployment: ['apps', 'deployments', true],
    };
    for (const [word, [group, resource, namespaced]] of Object.entries(expected)) {
      const r = resolveResource(resources, word);
      expect(r, word).toBeDefined();
      expect([r!.group, r!.resource, r!.namespaced], word).toEqual([group, resource, namespaced]);
      expect(r!.verbs, word).toEqual(expect.arrayContaining(['list', 'watch']));
    }
    // The preferred version first: autoscaling/v2, not v1.
    expect(resolveResource(resources, 'hpa')!.version).toBe('v2');
  });

  it('the legacy documents (the fallback for an older server) say the same about a group', async () => {
    const list = (await get('/apis')).doc;
    expect(list.kind).toBe('APIGroupList');
    expect(list.groups.find((g: Json) => g.name === 'apps').preferredVersion.version).toBe('v1');
    const apps = (await get('/apis/apps/v1')).doc;
    expect(apps.kind).toBe('APIResourceList');
    expect(apps.resources.map((r: Json) => r.name)).toEqual(expect.arrayContaining(['deployments', 'deployments/scale', 'controllerrevisions']));
    const legacy = parseLegacy('apps', 'v1', apps);
    const aggregated = resources.filter((r) => r.group === 'apps');
    for (const r of legacy) {
      const same = aggregated.find((a) => a.resource === r.resource);
      expect(same, r.resource).toBeDefined();
      expect({ kind: r.kind, namespaced: r.namespaced, shortNames: r.shortNames }).toEqual({ kind: same!.kind, namespaced: same!.namespaced, shortNames: same!.shortNames });
    }
  });

  it('a CustomResourceDefinition (promotions: in the demo and in the lab seed) is discovered with its short name', () => {
    const promo = resolveResource(resources, 'promo');
    expect(promo).toMatchObject({ group: 'shop.example', resource: 'promotions', kind: 'Promotion', namespaced: true });
  });
});
