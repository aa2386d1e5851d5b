import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeSession } from '../../../src/platform/kube/kubeSession.js';
import { getPod, listEvents } from '../../../src/platform/kube/objects.js';
import { KubeApiError } from '../../../src/platform/kube/kubeErrors.js';
import { sendJson, startFakeApiServer, status, tempDir, writeKubeconfig } from './fakeApiServer.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function ev(i: number, last: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'Event',
    apiVersion: 'v1',
    metadata: { name: `web-1.${i}`, namespace: 'shop', uid: `e-${i}`, creationTimestamp: last },
    involvedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'pod-uid' },
    reason: 'BackOff',
    message: `Back-off restarting failed container app #${i}`,
    source: { component: 'kubelet', host: 'node-a' },
    firstTimestamp: '2026-08-01T09:00:00Z',
    lastTimestamp: last,
    count: i,
    type: 'Warning',
    ...extra,
  };
}

async function session(handler: Parameters<typeof startFakeApiServer>[0]) {
  const server = await startFakeApiServer(handler);
  const s = loadKubeSession({ env: { KUBECONFIG: writeKubeconfig(tempDir(), [{ name: 'lab', server: server.url }]) } });
  cleanups.push(() => server.close(), () => s.close());
  return { server, s };
}

describe('pod detail reads', () => {
  it('getPod returns the full object; a missing pod is a 404 KubeApiError', async () => {
    const { s } = await session((_req, res, url) => {
      if (url.pathname === '/api/v1/namespaces/shop/pods/web-1') {
        return sendJson(res, 200, { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web-1', namespace: 'shop', uid: 'u' }, spec: { nodeName: 'node-a' } });
      }
      sendJson(res, 404, status(404, 'NotFound', 'pods "gone" not found'));
    });
    expect((await getPod(s, 'shop', 'web-1')).spec).toEqual({ nodeName: 'node-a' });
    const err = await getPod(s, 'shop', 'gone').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(404);
  });

  it('listEvents selects by involved object, pages, sorts newest first, caps the count and strips control bytes', async () => {
    const all = Array.from({ length: 70 }, (_, i) => ev(i, new Date(Date.UTC(2026, 7, 1, 10, 0, (i * 37) % 70)).toISOString()));
    all.push(ev(99, '2026-08-01T09:00:00Z', { lastTimestamp: null, eventTime: '2026-08-01T12:00:00.000000Z', message: 'evil \u001b]52;c;aGk=\u0007 text' }));
    const { server, s } = await session((_req, res, url) => {
      const from = Number(url.searchParams.get('continue') ?? '0');
      const limit = Number(url.searchParams.get('limit'));
      const next = from + limit;
      sendJson(res, 200, {
        kind: 'EventList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '7', ...(next < all.length ? { continue: String(next) } : {}) },
        items: all.slice(from, next),
      });
    });
    const rows = await listEvents(s, 'shop', { kind: 'Pod', name: 'web-1', uid: 'pod-uid' });
    expect(server.requests[0].url.pathname).toBe('/api/v1/namespaces/shop/events');
    expect(server.requests[0].url.searchParams.get('fieldSelector')).toBe(
      'involvedObject.kind=Pod,involvedObject.name=web-1,involvedObject.uid=pod-uid',
    );
    expect(rows).toHaveLength(50);
    expect(rows[0]).toMatchObject({ uid: 'e-99', type: 'Warning', message: 'evil ]52;c;aGk= text', lastSeen: Date.parse('2026-08-01T12:00:00Z') });
    for (let i = 1; i < rows.length; i++) expect(rows[i - 1].lastSeen).toBeGreaterThanOrEqual(rows[i].lastSeen);
    expect(rows[1]).toMatchObject({ reason: 'BackOff', source: 'kubelet, node-a' });
  });
});
