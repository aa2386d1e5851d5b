// Watches: events for a pod the test creates and deletes, Table watches, bookmarks, and 410 for a too-old version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, TABLE_ACCEPT, type Json, type WatchStream } from '../kubeHttp.js';
import { startKubeTarget, testNamespaceName, type KubeTarget } from '../target.js';

let target: KubeTarget;
let namespace: string;
const streams: WatchStream[] = [];

function podManifest(name: string): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { 'app.kubernetes.io/name': 'warroom-contract', 'warroom.io/test': name } },
    spec: {
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: '10m', memory: '16Mi' } } }],
      // kwok nodes are tainted; tolerating the taint lets the lab schedule the pod.
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      terminationGracePeriodSeconds: 5,
    },
  };
}

async function createPod(name: string): Promise<Json> {
  const r = await target.admin.request(`/api/v1/namespaces/${namespace}/pods`, { method: 'POST', body: podManifest(name) });
  expect(r.status, r.text).toBe(201);
  return json(r);
}

async function listRv(path: string): Promise<string> {
  const r = await target.admin.request(path);
  expect(r.status, r.text).toBe(200);
  return json(r).metadata.resourceVersion;
}

async function watch(path: string, accept?: string): Promise<WatchStream> {
  const s = await target.admin.watch(path, accept);
  streams.push(s);
  return s;
}

beforeAll(async () => {
  target = await startKubeTarget();
  namespace = testNamespaceName('warroom-contract');
  const r = await target.admin.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  expect(r.status, r.text).toBe(201);
});

afterAll(async () => {
  for (const s of streams) s.close();
  if (target) {
    // Pods first (a real cluster would also remove them with the namespace), then the namespace.
    const pods = await target.admin.request(`/api/v1/namespaces/${namespace}/pods`);
    if (pods.status === 200) {
      for (const p of json(pods).items) await target.admin.request(`/api/v1/namespaces/${namespace}/pods/${p.metadata.name}?gracePeriodSeconds=0`, { method: 'DELETE' });
    }
    await target.admin.request(`/api/v1/namespaces/${namespace}`, { method: 'DELETE' });
    await target.stop();
  }
});

describe('watch', () => {
  it('from a list resourceVersion sees ADDED, MODIFIED and DELETED for a pod', async () => {
    const rv = await listRv(`/api/v1/namespaces/${namespace}/pods`);
    const w = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=120`);
    expect(w.status).toBe(200);
    expect(w.contentType).toContain('application/json');
    const name = 'contract-watch-a';
    const created = await createPod(name);
    expect(created.kind).toBe('Pod');
    expect(created.metadata.namespace).toBe(namespace);
    const of = (type: string) => (e: Json) => e.type === type && e.object.metadata.name === name;
    const added = await w.waitFor(of('ADDED'), target.eventTimeoutMs, 'ADDED');
    expect(added.object.kind).toBe('Pod');
    expect(added.object.apiVersion).toBe('v1');
    expect(Number(added.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    // Scheduling (or failing to schedule) updates the pod's status.
    await w.waitFor(of('MODIFIED'), target.eventTimeoutMs, 'MODIFIED');

    const del = await target.admin.request(`/api/v1/namespaces/${namespace}/pods/${name}`, { method: 'DELETE' });
    expect(del.status, del.text).toBe(200);
    const deleted = await w.waitFor(of('DELETED'), target.eventTimeoutMs, 'DELETED');
    expect(deleted.object.metadata.uid).toBe(created.metadata.uid);
    // Events arrive in resourceVersion order.
    const rvs = w.events.filter((e) => e.type !== 'BOOKMARK').map((e) => Number(e.object.metadata.resourceVersion));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    w.close();
  });

  it('a cluster-wide watch from the first page of a paged list replays what changed in any namespace since (per-namespace lists rely on it)', async () => {
    // The console lists a long pod list's first page cluster-wide, the rest per namespace, then
    // watches all namespaces from that first page's version.
    const first = await target.admin.request('/api/v1/pods?limit=5', { accept: TABLE_ACCEPT });
    expect(first.status, first.text).toBe(200);
    const page = json(first);
    expect(page.metadata.continue).toBeTruthy();
    const rv = page.metadata.resourceVersion;
    const name = 'contract-watch-replay';
    const created = await createPod(name);
    const del = await target.admin.request(`/api/v1/namespaces/${namespace}/pods/${name}?gracePeriodSeconds=0`, { method: 'DELETE' });
    expect(del.status, del.text).toBe(200);
    const w = await watch(`/api/v1/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&includeObject=Metadata&timeoutSeconds=120`, TABLE_ACCEPT);
    expect(w.status).toBe(200);
    const of = (type: string) => (e: Json) => e.type === type && e.object.rows?.[0]?.object?.metadata?.uid === created.metadata.uid;
    await w.waitFor(of('ADDED'), target.eventTimeoutMs, 'ADDED replayed');
    await w.waitFor(of('DELETED'), target.eventTimeoutMs, 'DELETED replayed');
    expect(w.events.some((e) => e.type === 'ERROR')).toBe(false);
    w.close();
  });

  it('a Table watch sends column definitions with the first event only, and rows with metadata', async () => {
    const rv = await listRv(`/api/v1/namespaces/${namespace}/pods`);
    const w = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=120`, TABLE_ACCEPT);
    expect(w.status).toBe(200);
    const name = 'contract-watch-table';
    await createPod(name);
    const of = (type: string) => (e: Json) => e.type === type && e.object.rows?.[0]?.object?.metadata?.name === name;
    await w.waitFor(of('ADDED'), target.eventTimeoutMs, 'ADDED');
    await w.waitFor(of('MODIFIED'), target.eventTimeoutMs, 'MODIFIED');
    const [first, ...rest] = w.events;
    expect(first.object.kind).toBe('Table');
    expect(first.object.columnDefinitions.map((c: Json) => c.name)).toContain('Status');
    for (const e of rest) expect(e.object.columnDefinitions ?? []).toEqual([]);
    for (const e of w.events.filter((x) => x.type !== 'BOOKMARK')) {
      const row = e.object.rows[0];
      expect(e.object.rows).toHaveLength(1);
      expect(row.cells).toHaveLength(first.object.columnDefinitions.length);
      expect(row.object.kind).toBe('PartialObjectMetadata');
      expect(row.object.metadata.uid).toBeTruthy();
      expect(e.object.metadata.resourceVersion).toBe(row.object.metadata.resourceVersion);
    }
    await target.admin.request(`/api/v1/namespaces/${namespace}/pods/${name}?gracePeriodSeconds=0`, { method: 'DELETE' });
    await w.waitFor(of('DELETED'), target.eventTimeoutMs, 'DELETED');
    w.close();
  });

  it('sends BOOKMARK events when allowWatchBookmarks=true (the apiserver sends one 2 s before the watch deadline)', async () => {
    const rv = await listRv(`/api/v1/namespaces/${namespace}/pods`);
    const w = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=10`);
    const t = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=10`, TABLE_ACCEPT);
    // A bookmark only goes out once the server's resourceVersion moved past the watch's start; make sure it does.
    await createPod('contract-bookmark');
    const bookmark = await w.waitFor((e) => e.type === 'BOOKMARK', target.bookmarkTimeoutMs, 'BOOKMARK');
    expect(bookmark.object.kind).toBe('Pod');
    expect(Number(bookmark.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    const tableBookmark = await t.waitFor((e) => e.type === 'BOOKMARK', target.bookmarkTimeoutMs, 'Table BOOKMARK');
    expect(tableBookmark.object.kind).toBe('Table');
    expect(Number(tableBookmark.object.metadata.resourceVersion)).toBeGreaterThan(Number(rv));
    // The watch ends at timeoutSeconds.
    await w.waitForEnd(target.bookmarkTimeoutMs);
  });

  it('a watch from a too-old resourceVersion gets 200 and then an ERROR event with a 410 Expired Status; a fresh list works', async () => {
    const w = await watch('/api/v1/pods?watch=1&resourceVersion=1&timeoutSeconds=30');
    expect(w.status).toBe(200);
    const error = await w.waitFor((e) => e.type === 'ERROR', target.eventTimeoutMs, 'ERROR');
    expect(error.object).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect(error.object.message).toMatch(/^too old resource version: 1 \(\d+\)$/);
    await w.waitForEnd(target.eventTimeoutMs);
    const fresh = await target.admin.request('/api/v1/pods?limit=10');
    expect(fresh.status).toBe(200);
    const rv = json(fresh).metadata.resourceVersion;
    const again = await watch(`/api/v1/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=2`);
    expect(again.status).toBe(200);
    await again.waitForEnd(target.eventTimeoutMs);
    expect(again.events.filter((e) => e.type === 'ERROR')).toEqual([]);
  });

  it('a watch without resourceVersion starts with ADDED for every existing object', async () => {
    await createPod('contract-initial');
    const w = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&timeoutSeconds=5`);
    const added = await w.waitFor((e) => e.type === 'ADDED' && e.object.metadata.name === 'contract-initial', target.eventTimeoutMs, 'initial ADDED');
    expect(added.object.metadata.namespace).toBe(namespace);
  });

  it('label and field selectors filter a watch', async () => {
    const rv = await listRv(`/api/v1/namespaces/${namespace}/pods`);
    const w = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=60&labelSelector=${encodeURIComponent('warroom.io/test=contract-selected')}`);
    const f = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=60&fieldSelector=${encodeURIComponent('metadata.name=contract-selected')}`);
    await createPod('contract-unselected');
    await createPod('contract-selected');
    await w.waitFor((e) => e.type === 'ADDED' && e.object.metadata.name === 'contract-selected', target.eventTimeoutMs, 'ADDED by label');
    await f.waitFor((e) => e.type === 'ADDED' && e.object.metadata.name === 'contract-selected', target.eventTimeoutMs, 'ADDED by field');
    for (const s of [w, f]) expect(s.events.filter((e) => e.type !== 'BOOKMARK' && e.object.metadata.name !== 'contract-selected')).toEqual([]);
  });

  it('deleting a running pod is graceful: deletionTimestamp first (Status "Terminating"), then gone', async () => {
    const name = 'contract-graceful';
    const rv = await listRv(`/api/v1/namespaces/${namespace}/pods`);
    const w = await watch(`/api/v1/namespaces/${namespace}/pods?watch=1&resourceVersion=${rv}&timeoutSeconds=120`, TABLE_ACCEPT);
    await createPod(name);
    const mine = (e: Json) => e.object.rows?.[0]?.object?.metadata?.name === name;
    await w.waitFor((e) => e.type === 'MODIFIED' && mine(e) && e.object.rows[0].cells[6] !== '<none>', target.eventTimeoutMs, 'pod scheduled');
    const del = await target.admin.request(`/api/v1/namespaces/${namespace}/pods/${name}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    const terminating = await w.waitFor((e) => e.type === 'MODIFIED' && mine(e) && !!e.object.rows[0].object.metadata.deletionTimestamp, target.eventTimeoutMs, 'deletionTimestamp');
    expect(terminating.object.rows[0].cells[2]).toBe('Terminating');
    await w.waitFor((e) => e.type === 'DELETED' && mine(e), target.eventTimeoutMs, 'DELETED');
  });
});
