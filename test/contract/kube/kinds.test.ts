// Any kind as server-side Table rows, as warroom's generic kinds view lists and watches them: the printer's
// columns per kind (Kubernetes 1.34's pkg/printers/internalversion/printers.go, and the apiextensions default
// table for CRDs), row metadata, paging with continue tokens, a watch of a kind with Table events, and nodes and
// events with their whole objects (includeObject=Object), which the Nodes and Events views read.
// Runs against the demo platform in `npm test` and the lab's real apiserver in `npm run test:e2e`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, TABLE_ACCEPT, type Json, type WatchStream } from '../kubeHttp.js';
import { startKubeTarget, testNamespaceName, type KubeTarget } from '../target.js';

let target: KubeTarget;
let namespace: string;
const streams: WatchStream[] = [];

// [name, type, priority] per kind. `rows`: the target certainly has some (the others may have none).
const KINDS: Record<string, { columns: [string, string, number][]; rows: boolean }> = {
  '/api/v1/services': {
    rows: true,
    columns: [['Name', 'string', 0], ['Type', 'string', 0], ['Cluster-IP', 'string', 0], ['External-IP', 'string', 0], ['Port(s)', 'string', 0], ['Age', 'string', 0], ['Selector', 'string', 1]],
  },
  '/api/v1/endpoints': { rows: true, columns: [['Name', 'string', 0], ['Endpoints', 'string', 0], ['Age', 'string', 0]] },
  '/apis/discovery.k8s.io/v1/endpointslices': {
    rows: true,
    columns: [['Name', 'string', 0], ['AddressType', 'string', 0], ['Ports', 'string', 0], ['Endpoints', 'string', 0], ['Age', 'string', 0]],
  },
  '/api/v1/configmaps': { rows: true, columns: [['Name', 'string', 0], ['Data', 'string', 0], ['Age', 'string', 0]] },
  '/api/v1/nodes': {
    rows: true,
    columns: [['Name', 'string', 0], ['Status', 'string', 0], ['Roles', 'string', 0], ['Age', 'string', 0], ['Version', 'string', 0], ['Internal-IP', 'string', 1], ['External-IP', 'string', 1], ['OS-Image', 'string', 1], ['Kernel-Version', 'string', 1], ['Container-Runtime', 'string', 1]],
  },
  '/api/v1/events': {
    rows: false,
    columns: [['Last Seen', 'string', 0], ['Type', 'string', 0], ['Reason', 'string', 0], ['Object', 'string', 0], ['Subobject', 'string', 1], ['Source', 'string', 1], ['Message', 'string', 0], ['First Seen', 'string', 1], ['Count', 'string', 1], ['Name', 'string', 1]],
  },
  '/apis/batch/v1/jobs': {
    rows: false,
    columns: [['Name', 'string', 0], ['Status', 'string', 0], ['Completions', 'string', 0], ['Duration', 'string', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
  },
  '/apis/batch/v1/cronjobs': {
    rows: false,
    columns: [['Name', 'string', 0], ['Schedule', 'string', 0], ['Timezone', 'string', 0], ['Suspend', 'boolean', 0], ['Active', 'integer', 0], ['Last Schedule', 'string', 0], ['Age', 'string', 0], ['Containers', 'string', 1], ['Images', 'string', 1], ['Selector', 'string', 1]],
  },
  '/apis/networking.k8s.io/v1/ingresses': {
    rows: false,
    columns: [['Name', 'string', 0], ['Class', 'string', 0], ['Hosts', 'string', 0], ['Address', 'string', 0], ['Ports', 'string', 0], ['Age', 'string', 0]],
  },
  // Both seeds have StatefulSets, so ControllerRevisions (the StatefulSet controller's, the demo's).
  '/apis/apps/v1/controllerrevisions': { rows: true, columns: [['Name', 'string', 0], ['Controller', 'string', 0], ['Revision', 'string', 0], ['Age', 'string', 0]] },
  // Both targets hold the promotions CRD (the demo's, and the lab's seed) and one promotion at least.
  '/apis/apiextensions.k8s.io/v1/customresourcedefinitions': { rows: true, columns: [['Name', 'string', 0], ['Created At', 'date', 0]] },
  '/apis/shop.example/v1/promotions': { rows: true, columns: [['Name', 'string', 0], ['Phase', 'string', 0], ['Window', 'string', 0], ['Peak', 'integer', 0], ['Age', 'date', 0]] },
};

async function table(path: string): Promise<Json> {
  const r = await target.admin.request(path, { accept: TABLE_ACCEPT });
  expect(r.status, r.text.slice(0, 300)).toBe(200);
  return json(r);
}

beforeAll(async () => {
  target = await startKubeTarget();
  namespace = testNamespaceName('warroom-kinds');
  const r = await target.admin.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  expect(r.status, r.text).toBe(201);
});
afterAll(async () => {
  for (const s of streams) s.close();
  if (target) {
    await target.admin.request(`/api/v1/namespaces/${namespace}`, { method: 'DELETE' });
    await target.stop();
  }
});

describe('any kind as Table rows', () => {
  for (const [path, { columns, rows }] of Object.entries(KINDS)) {
    it(`${path}: the printer's columns${rows ? ', rows with their metadata' : ''}`, async () => {
      const t = await table(`${path}?limit=100`);
      expect(t.kind).toBe('Table');
      expect(t.columnDefinitions.map((c: Json) => [c.name, c.type, c.priority ?? 0])).toEqual(columns);
      const nameAt = t.columnDefinitions.findIndex((c: Json) => c.format === 'name');
      expect(nameAt).toBeGreaterThanOrEqual(0);
      if (rows) expect(t.rows.length).toBeGreaterThan(0);
      // An empty list's Table may carry `rows: null` (the apiextensions server's, for no CRDs).
      for (const row of t.rows ?? []) {
        expect(row.cells).toHaveLength(columns.length);
        expect(row.object.kind).toBe('PartialObjectMetadata');
        expect(row.object.metadata.name).toBe(row.cells[nameAt]);
        expect(row.object.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
      }
    });
  }

  it('a kind pages with continue tokens like pods do: every object once, in order', async () => {
    const all = (await table('/api/v1/configmaps')).rows.map((r: Json) => `${r.object.metadata.namespace}/${r.object.metadata.name}`);
    expect(all.length).toBeGreaterThan(2);
    const paged: string[] = [];
    let cont = '';
    for (let i = 0; i < 100; i++) {
      const t = await table(`/api/v1/configmaps?limit=2${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      expect(t.rows.length).toBeLessThanOrEqual(2);
      paged.push(...t.rows.map((r: Json) => `${r.object.metadata.namespace}/${r.object.metadata.name}`));
      cont = t.metadata.continue ?? '';
      if (!cont) break;
    }
    // The store may hold a few more or fewer by now (a controller writes configmaps): compare the ones both saw.
    expect(new Set(paged).size).toBe(paged.length);
    expect(paged.filter((n) => all.includes(n)).length).toBeGreaterThanOrEqual(Math.min(all.length, paged.length) - 2);
  });

  it('a watch of a kind sends Table rows: a ConfigMap created and deleted in a test system', async () => {
    const base = `/api/v1/namespaces/${namespace}/configmaps`;
    const rv = (await table(base)).metadata.resourceVersion;
    const w = await target.admin.watch(`${base}?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=60`, TABLE_ACCEPT);
    streams.push(w);
    expect(w.status).toBe(200);
    const created = await target.admin.request(base, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'warroom-kinds' }, data: { a: '1', b: '2' } } });
    expect(created.status, created.text).toBe(201);
    const added = await w.waitFor((e) => e.type === 'ADDED' && e.object.rows?.[0]?.object?.metadata?.name === 'warroom-kinds', target.eventTimeoutMs, 'the ConfigMap ADDED');
    expect(added.object.kind).toBe('Table');
    const row = added.object.rows[0];
    expect(row.cells[0]).toBe('warroom-kinds');
    expect(row.cells[1]).toBe(2);
    expect(row.object.kind).toBe('PartialObjectMetadata');
    const deleted = await target.admin.request(`${base}/warroom-kinds`, { method: 'DELETE' });
    expect(deleted.status, deleted.text).toBe(200);
    const gone = await w.waitFor((e) => e.type === 'DELETED' && e.object.rows?.[0]?.object?.metadata?.name === 'warroom-kinds', target.eventTimeoutMs, 'the ConfigMap DELETED');
    expect(gone.object.kind).toBe('Table');
  });

  it('includeObject=Object gives nodes with allocatable and conditions, and events with their timestamps and involved object', async () => {
    const nodes = await table('/api/v1/nodes?includeObject=Object');
    expect(nodes.rows.length).toBeGreaterThan(0);
    for (const r of nodes.rows) {
      expect(r.object.kind).toBe('Node');
      // A quantity: 110 on a kubelet's node, 1M on a kwok node.
      expect(r.object.status.allocatable.pods).toMatch(/^\d+[kMG]?$/);
      expect(r.object.status.conditions.some((c: Json) => c.type === 'Ready')).toBe(true);
      expect(r.cells[1]).toMatch(/^(Ready|NotReady|Unknown)(,SchedulingDisabled)?$/);
    }
    const events = await table('/api/v1/events?includeObject=Object&limit=50');
    for (const r of events.rows) {
      expect(r.object.kind).toBe('Event');
      expect(r.object.involvedObject.kind).toBeTruthy();
      expect(r.object.lastTimestamp ?? r.object.eventTime ?? r.object.series?.lastObservedTime).toBeTruthy();
    }
  });

  it('an object\'s events are selected by involvedObject kind, name and uid', async () => {
    const events = (await table('/api/v1/events?includeObject=Object&limit=200')).rows.map((r: Json) => r.object) as Json[];
    const one = events.find((e) => e.involvedObject.uid && e.involvedObject.namespace);
    if (!one) return; // a quiet target with no event about a namespaced object: nothing to select
    const io = one.involvedObject;
    const sel = encodeURIComponent(`involvedObject.kind=${io.kind},involvedObject.name=${io.name},involvedObject.uid=${io.uid}`);
    const got = (await table(`/api/v1/namespaces/${io.namespace}/events?includeObject=Object&fieldSelector=${sel}`)).rows.map((r: Json) => r.object) as Json[];
    expect(got.length).toBeGreaterThan(0);
    for (const e of got) expect([e.involvedObject.kind, e.involvedObject.name, e.involvedObject.uid]).toEqual([io.kind, io.name, io.uid]);
  });
});
