// Server-side Table output: the columns warroom shows, and row metadata (includeObject=Metadata by default).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, TABLE_ACCEPT, type Json } from '../kubeHttp.js';
import { externalTarget, startKubeTarget, type KubeTarget } from '../target.js';

let target: KubeTarget;
beforeAll(async () => {
  target = await startKubeTarget();
});
afterAll(async () => {
  await target?.stop();
});

// Names, types and priorities as pkg/printers/internalversion/printers.go (Kubernetes v1.34) defines them.
const COLUMNS: Record<string, [string, string, number][]> = {
  '/api/v1/pods': [
    ['Name', 'string', 0],
    ['Ready', 'string', 0],
    ['Status', 'string', 0],
    ['Restarts', 'string', 0],
    ['Age', 'string', 0],
    ['IP', 'string', 1],
    ['Node', 'string', 1],
    ['Nominated Node', 'string', 1],
    ['Readiness Gates', 'string', 1],
  ],
  '/apis/apps/v1/deployments': [
    ['Name', 'string', 0],
    ['Ready', 'string', 0],
    ['Up-to-date', 'string', 0],
    ['Available', 'string', 0],
    ['Age', 'string', 0],
    ['Containers', 'string', 1],
    ['Images', 'string', 1],
    ['Selector', 'string', 1],
  ],
  '/apis/apps/v1/statefulsets': [
    ['Name', 'string', 0],
    ['Ready', 'string', 0],
    ['Age', 'string', 0],
    ['Containers', 'string', 1],
    ['Images', 'string', 1],
  ],
  '/api/v1/namespaces': [
    ['Name', 'string', 0],
    ['Status', 'string', 0],
    ['Age', 'string', 0],
  ],
};

async function table(path: string, accept = TABLE_ACCEPT): Promise<Json> {
  const r = await target.admin.request(path, { accept });
  expect(r.status, r.text).toBe(200);
  return json(r);
}

describe('server-side Table', () => {
  for (const [path, columns] of Object.entries(COLUMNS)) {
    it(`${path}: column definitions and rows with PartialObjectMetadata`, async () => {
      const t = await table(`${path}?limit=200`);
      expect(t.kind).toBe('Table');
      expect(t.apiVersion).toBe('meta.k8s.io/v1');
      expect(t.metadata.resourceVersion).toMatch(/^\d+$/);
      expect(t.columnDefinitions.map((c: Json) => [c.name, c.type, c.priority])).toEqual(columns);
      expect(t.columnDefinitions[0].format).toBe('name');
      expect(t.rows.length).toBeGreaterThan(0);
      for (const row of t.rows) {
        expect(row.cells).toHaveLength(columns.length);
        expect(row.object.kind).toBe('PartialObjectMetadata');
        expect(row.object.apiVersion).toBe('meta.k8s.io/v1');
        const m = row.object.metadata;
        expect(m.name).toBe(row.cells[0]);
        expect(m.uid).toMatch(/^[0-9a-f-]{36}$/);
        expect(m.resourceVersion).toMatch(/^\d+$/);
        expect(typeof m.creationTimestamp).toBe('string');
      }
    });
  }

  it('pod rows carry labels and controller ownerReferences, and printer-style cells', async () => {
    const t = await table('/api/v1/pods?limit=500');
    const owned = t.rows.filter((r: Json) => (r.object.metadata.ownerReferences ?? []).some((o: Json) => o.controller === true));
    expect(owned.length).toBeGreaterThan(0);
    for (const r of owned) {
      const owner = r.object.metadata.ownerReferences.find((o: Json) => o.controller);
      expect(owner).toMatchObject({ apiVersion: expect.any(String), kind: expect.any(String), name: expect.any(String), uid: expect.any(String) });
      expect(Object.keys(r.object.metadata.labels ?? {}).length).toBeGreaterThan(0);
    }
    for (const r of t.rows) {
      const [, ready, status, restarts, age] = r.cells;
      expect(ready).toMatch(/^\d+\/\d+$/);
      expect(typeof status).toBe('string');
      expect(restarts).toMatch(/^\d+( \(\S+ ago\))?$/);
      expect(age).toMatch(/^(\d+[smhdy])+$|^<unknown>$/);
    }
  });

  it('includeObject=None leaves the object out; includeObject=Object embeds the full object', async () => {
    const none = await table('/api/v1/namespaces?includeObject=None');
    expect(none.rows.length).toBeGreaterThan(0);
    for (const r of none.rows) expect(r.object ?? null).toBeNull();
    const full = await table('/api/v1/namespaces?includeObject=Object');
    expect(full.rows.length).toBeGreaterThan(0);
    for (const r of full.rows) {
      expect(r.object.kind).toBe('Namespace');
      expect(r.object.status.phase).toBeTruthy();
    }
  });

  it('a single object can be fetched as a one-row Table', async () => {
    const list = json(await target.admin.request('/api/v1/namespaces'));
    const name = list.items[0].metadata.name;
    const t = await table(`/api/v1/namespaces/${name}`);
    expect(t.kind).toBe('Table');
    expect(t.rows).toHaveLength(1);
    expect(t.rows[0].cells[0]).toBe(name);
  });

  it('without the Table media type, lists are typed lists and objects are full objects', async () => {
    const list = json(await target.admin.request('/apis/apps/v1/deployments?limit=2'));
    expect(list.kind).toBe('DeploymentList');
    expect(list.apiVersion).toBe('apps/v1');
    const d = list.items[0];
    const one = json(await target.admin.request(`/apis/apps/v1/namespaces/${d.metadata.namespace}/deployments/${d.metadata.name}`));
    expect(one.kind).toBe('Deployment');
    expect(one.apiVersion).toBe('apps/v1');
    expect(one.spec.replicas).toBeTypeOf('number');
    expect(one.metadata.uid).toBe(d.metadata.uid);
  });

  it('a missing object is a 404 Status', async () => {
    const r = await target.admin.request('/api/v1/namespaces/kube-system/pods/warroom-no-such-pod');
    expect(r.status).toBe(404);
    expect(json(r)).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'pods "warroom-no-such-pod" not found' });
  });

  it.skipIf(externalTarget)('demo: pod Status cells show the real printer reasons', async () => {
    const t = await table('/api/v1/pods');
    const statuses = new Set(t.rows.map((r: Json) => r.cells[2]));
    for (const s of ['Running', 'Pending', 'ContainerCreating', 'CrashLoopBackOff', 'Completed', 'Error', 'ImagePullBackOff']) expect(statuses).toContain(s);
    const crash = t.rows.find((r: Json) => r.cells[2] === 'CrashLoopBackOff');
    expect(crash.cells[3]).toMatch(/^\d+ \(\S+ ago\)$/);
    const completed = t.rows.find((r: Json) => r.cells[2] === 'Completed');
    expect(completed.conditions).toEqual([{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  });
});
