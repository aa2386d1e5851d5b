import { afterEach, describe, expect, it } from 'vitest';
import { parseAggregated, readDiscovery, resolveResource, type ApiResource } from '../../../src/platform/kube/discovery.js';
import { loadKubeSession } from '../../../src/platform/kube/kubeSession.js';
import { DiscoveryStore } from '../../../src/platform/stores/discoveryStore.js';
import { sendJson, startFakeApiServer, tempDir, writeKubeconfig } from './fakeApiServer.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function session(handler: Parameters<typeof startFakeApiServer>[0]) {
  const server = await startFakeApiServer(handler);
  const s = loadKubeSession({ env: { KUBECONFIG: writeKubeconfig(tempDir(), [{ name: 'lab', server: server.url }]) } });
  cleanups.push(() => server.close(), () => s.close());
  return { server, s };
}

const res = (group: string, resource: string, kind: string, extra: Partial<ApiResource> = {}): ApiResource => ({
  group, version: 'v1', resource, singular: kind.toLowerCase(), kind, namespaced: true, shortNames: [], categories: [], verbs: ['get', 'list', 'watch'], ...extra,
});

const RESOURCES: ApiResource[] = [
  res('', 'pods', 'Pod', { shortNames: ['po'] }),
  res('', 'events', 'Event', { shortNames: ['ev'] }),
  res('', 'services', 'Service', { shortNames: ['svc'] }),
  res('apps', 'deployments', 'Deployment', { shortNames: ['deploy'] }),
  res('events.k8s.io', 'events', 'Event', { shortNames: ['ev'] }),
  res('shop.example', 'promotions', 'Promotion', { shortNames: ['promo'] }),
];

const aggregatedApis = {
  kind: 'APIGroupDiscoveryList',
  apiVersion: 'apidiscovery.k8s.io/v2',
  metadata: {},
  items: [
    {
      metadata: { name: 'apps' },
      versions: [{ version: 'v1', freshness: 'Current', resources: [{ resource: 'deployments', responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' }, scope: 'Namespaced', singularResource: 'deployment', verbs: ['list', 'watch', 'get'], shortNames: ['deploy'], categories: ['all'], subresources: [{ subresource: 'scale', verbs: ['get'] }] }] }],
    },
    {
      metadata: { name: 'autoscaling' },
      versions: [
        { version: 'v2', resources: [{ resource: 'horizontalpodautoscalers', responseKind: { kind: 'HorizontalPodAutoscaler' }, scope: 'Namespaced', singularResource: 'horizontalpodautoscaler', verbs: ['list', 'watch'], shortNames: ['hpa'] }] },
        { version: 'v1', resources: [{ resource: 'horizontalpodautoscalers', responseKind: { kind: 'HorizontalPodAutoscaler' }, scope: 'Namespaced', singularResource: 'horizontalpodautoscaler', verbs: ['list', 'watch'], shortNames: ['hpa'] }] },
      ],
    },
  ],
};

describe('resolving a word to a kind', () => {
  it('by plural, singular, short name or kind, in any case', () => {
    for (const word of ['deployments', 'deployment', 'deploy', 'Deployment', 'DEPLOY']) expect(resolveResource(RESOURCES, word)?.resource, word).toBe('deployments');
    expect(resolveResource(RESOURCES, 'promo')?.group).toBe('shop.example');
    expect(resolveResource(RESOURCES, 'frobnicate')).toBeUndefined();
  });

  it('the core group wins a name two groups share; a group-qualified name picks the other', () => {
    expect(resolveResource(RESOURCES, 'events')?.group).toBe('');
    expect(resolveResource(RESOURCES, 'ev')?.group).toBe('');
    expect(resolveResource(RESOURCES, 'events.events.k8s.io')?.group).toBe('events.k8s.io');
    expect(resolveResource(RESOURCES, 'deploy.apps')?.resource).toBe('deployments');
    expect(resolveResource(RESOURCES, 'deploy.batch')).toBeUndefined();
  });
});

describe('reading discovery', () => {
  it('keeps each resource once, in the preferred (first) version, without subresources', () => {
    const out = parseAggregated(aggregatedApis);
    expect(out.map((r) => `${r.group}/${r.version}/${r.resource}`)).toEqual(['apps/v1/deployments', 'autoscaling/v2/horizontalpodautoscalers']);
    expect(out[0]).toMatchObject({ kind: 'Deployment', namespaced: true, singular: 'deployment', shortNames: ['deploy'], categories: ['all'] });
  });

  it('asks for aggregated discovery on /api and /apis and reads it in two requests', async () => {
    const core = { kind: 'APIGroupDiscoveryList', items: [{ metadata: {}, versions: [{ version: 'v1', resources: [{ resource: 'pods', responseKind: { kind: 'Pod' }, scope: 'Namespaced', singularResource: 'pod', verbs: ['list', 'watch'], shortNames: ['po'] }] }] }] };
    const { server, s } = await session((_req, r, url) => sendJson(r, 200, url.pathname === '/api' ? core : aggregatedApis));
    const d = await readDiscovery(s);
    expect(d.how).toBe('aggregated');
    expect(d.resources.map((r) => r.resource)).toEqual(['pods', 'deployments', 'horizontalpodautoscalers']);
    expect(d.resources[0].group).toBe('');
    expect(server.requests.map((r) => r.url.pathname).sort()).toEqual(['/api', '/apis']);
    expect(String(server.requests[0].headers.accept)).toMatch(/^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList,/);
  });

  it('falls back to the legacy documents (preferred versions), naming a group that does not answer', async () => {
    const { s } = await session((_req, r, url) => {
      if (url.pathname === '/api') return sendJson(r, 200, { kind: 'APIVersions', versions: ['v1'] });
      if (url.pathname === '/apis') return sendJson(r, 200, { kind: 'APIGroupList', groups: [{ name: 'apps', preferredVersion: { version: 'v1' }, versions: [{ version: 'v1' }] }, { name: 'metrics.k8s.io', preferredVersion: { version: 'v1beta1' } }] });
      if (url.pathname === '/api/v1') return sendJson(r, 200, { kind: 'APIResourceList', resources: [{ name: 'pods', singularName: 'pod', namespaced: true, kind: 'Pod', verbs: ['list', 'watch'], shortNames: ['po'] }, { name: 'pods/log', namespaced: true, kind: 'Pod', verbs: ['get'] }] });
      if (url.pathname === '/apis/apps/v1') return sendJson(r, 200, { kind: 'APIResourceList', resources: [{ name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['list', 'watch'], shortNames: ['deploy'] }] });
      sendJson(r, 503, { kind: 'Status', code: 503, message: 'the server is currently unable to handle the request' });
    });
    const d = await readDiscovery(s);
    expect(d.how).toBe('legacy');
    expect(d.resources.map((r) => `${r.group}/${r.resource}`)).toEqual(['/pods', 'apps/deployments']);
    expect(d.failedGroups).toEqual(['metrics.k8s.io/v1beta1']);
  });

  it('the store reads again when a word is unknown (a CRD installed since), not for every word', async () => {
    let crdInstalled = false;
    const { server, s } = await session((_req, r, url) => {
      if (url.pathname === '/api') return sendJson(r, 200, { kind: 'APIGroupDiscoveryList', items: [] });
      const items = crdInstalled ? [{ metadata: { name: 'shop.example' }, versions: [{ version: 'v1', resources: [{ resource: 'promotions', responseKind: { kind: 'Promotion' }, scope: 'Namespaced', singularResource: 'promotion', verbs: ['list', 'watch'], shortNames: ['promo'] }] }] }] : [];
      sendJson(r, 200, { kind: 'APIGroupDiscoveryList', items });
    });
    let now = 1_000_000;
    const store = new DiscoveryStore(() => s, () => now);
    cleanups.push(() => store.dispose());
    await store.load();
    expect(store.resolve('promo')).toBeUndefined();
    crdInstalled = true;
    now += 10_000;
    expect((await store.lookup('promo'))?.resource).toBe('promotions');
    const reads = server.requests.length;
    // A typo right after: discovery was just read, so it is not read again.
    expect(await store.lookup('promos-typo')).toBeUndefined();
    expect(server.requests.length).toBe(reads);
  });
});
