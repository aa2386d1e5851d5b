// Pods listed in protobuf (warroom's own reader, src/platform/kube/podProto.ts) against the server's own
// Table printer: the same pods at the same resourceVersion must give the same rows both ways. On a real
// API server the pods include ones whose status this suite writes (init containers, sidecars, crash loops,
// exit codes, signals, scheduling gates, Terminating); the demo refuses protobuf (406) and is listed in
// Tables, which the last test checks through watchTable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeSession, readSessionOf, type KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { KubeApiError } from '../../../src/platform/kube/kubeErrors.js';
import { podListWatch, readPodList } from '../../../src/platform/kube/podProto.js';
import { mapPodRow } from '../../../src/platform/kube/rowMappers.js';
import type { PodRow } from '../../../src/platform/kube/rows.js';
import { TABLE_ACCEPT, columnIndexOf, type Table } from '../../../src/platform/kube/tableTypes.js';
import { watchTable } from '../../../src/platform/kube/tableWatch.js';
import type { RowSink, WatchStatus } from '../../../src/platform/kube/watchTypes.js';
import { json, type Json } from '../kubeHttp.js';
import { externalTarget, startKubeTarget, testNamespaceName, type KubeTarget } from '../target.js';

let target: KubeTarget;
let session: KubeSession;
let namespace: string | undefined;

const GHOST_NODE = 'warroom-contract-ghost'; // no such node: no kubelet (or kwok) rewrites the statuses written here
const HOLD = 'warroom.io/contract-hold';
const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const running = { running: { startedAt: now } };
const terminated = (exitCode: number, extra: Json = {}) => ({ terminated: { exitCode, startedAt: now, finishedAt: now, ...extra } });
const cs = (name: string, state: Json, extra: Json = {}) => ({ name, image: 'registry.example/app:1', imageID: '', ready: false, restartCount: 0, state, ...extra });

/** name -> [spec additions, status]: the printer's cases (kubernetes pkg/printers/internalversion printPod). */
const crafted: Record<string, [Json, Json]> = {
  'crash-loop': [{}, { phase: 'Running', containerStatuses: [cs('app', { waiting: { reason: 'CrashLoopBackOff', message: 'back-off' } }, { restartCount: 7, lastState: terminated(1, { reason: 'Error' }) })] }],
  'init-waiting': [{ initContainers: [{ name: 'migrate', image: 'm:1' }] }, { phase: 'Pending', initContainerStatuses: [cs('migrate', { waiting: { reason: 'ImagePullBackOff' } }, { restartCount: 2 })], containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })] }],
  'init-progress': [{ initContainers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] }, { phase: 'Pending', initContainerStatuses: [cs('a', terminated(0, { reason: 'Completed' })), cs('b', { waiting: { reason: 'PodInitializing' } })], containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })] }],
  'init-failed': [{ initContainers: [{ name: 'a', image: 'a:1' }] }, { phase: 'Pending', initContainerStatuses: [cs('a', terminated(-1))], containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })] }],
  'init-signal': [{ initContainers: [{ name: 'a', image: 'a:1' }] }, { phase: 'Pending', initContainerStatuses: [cs('a', terminated(2, { signal: 15 }))], containerStatuses: [cs('app', { waiting: { reason: 'PodInitializing' } })] }],
  sidecar: [
    { initContainers: [{ name: 'proxy', image: 'p:1', restartPolicy: 'Always' }] },
    { phase: 'Running', conditions: [{ type: 'Initialized', status: 'True' }, { type: 'Ready', status: 'True' }], initContainerStatuses: [cs('proxy', running, { ready: true, started: true, restartCount: 3 })], containerStatuses: [cs('app', running, { ready: true, started: true, restartCount: 1 })] },
  ],
  'exit-code': [{}, { phase: 'Running', containerStatuses: [cs('app', terminated(137))] }],
  'completed-beside-running': [
    { containers: [{ name: 'app', image: 'a:1' }, { name: 'job', image: 'j:1' }] },
    { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }], containerStatuses: [cs('app', running, { ready: true }), cs('job', terminated(0, { reason: 'Completed' }))] },
  ],
  evicted: [{}, { phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }],
  'scheduling-gated': [{}, { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }] }],
  terminating: [{}, { phase: 'Running', containerStatuses: [cs('app', running, { ready: true })] }],
};

beforeAll(async () => {
  target = await startKubeTarget();
  session = loadKubeSession({ env: { KUBECONFIG: target.kubeconfig.path }, context: target.kubeconfig.context });
  if (target.isDemo) return;
  namespace = testNamespaceName('warroom-proto');
  const send = async (method: string, path: string, body: Json, contentType?: string) => {
    const r = await target.admin.request(path, { method, body, contentType });
    expect(r.status, `${method} ${path}: ${r.text}`).toBeLessThan(300);
    return json(r);
  };
  await send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  for (const [name, [spec, status]] of Object.entries(crafted)) {
    const podSpec = { nodeName: GHOST_NODE, containers: [{ name: 'app', image: 'registry.example/app:1' }], ...spec };
    await send('POST', `/api/v1/namespaces/${namespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, finalizers: [HOLD] }, spec: podSpec });
    await send('PATCH', `/api/v1/namespaces/${namespace}/pods/${name}/status`, { status: { podIP: '10.9.0.7', podIPs: [{ ip: '10.9.0.7' }], ...status } }, 'application/merge-patch+json');
  }
  await send('DELETE', `/api/v1/namespaces/${namespace}/pods/terminating`, undefined);
}, 120_000);

afterAll(async () => {
  if (namespace) {
    for (const name of Object.keys(crafted)) {
      await target.admin.request(`/api/v1/namespaces/${namespace}/pods/${name}`, { method: 'PATCH', body: { metadata: { finalizers: null } }, contentType: 'application/merge-patch+json' }).catch(() => undefined);
    }
    await target.admin.request(`/api/v1/namespaces/${namespace}`, { method: 'DELETE' }).catch(() => undefined);
  }
  session?.close();
  await target?.stop();
});

const byUid = (rows: PodRow[]) => [...rows].sort((a, b) => a.uid.localeCompare(b.uid));

/** Every pod (or the namespace's) as the Table path maps them, and the list's resourceVersion. */
async function tableRows(path: string): Promise<{ rows: PodRow[]; rv: string }> {
  const rows: PodRow[] = [];
  let cont: string | undefined;
  let rv = '';
  do {
    const t = await session.getJson<Table>(path, { includeObject: 'Metadata', limit: 500, continue: cont }, undefined, TABLE_ACCEPT);
    const columns = columnIndexOf(t.columnDefinitions ?? []);
    for (const r of t.rows ?? []) {
      const row = mapPodRow(r.cells, columns, r.object!.metadata!);
      if (row) rows.push(row);
    }
    rv ||= t.metadata?.resourceVersion ?? '';
    cont = t.metadata?.continue || undefined;
  } while (cont);
  return { rows, rv };
}

/** The same pods in protobuf, read by warroom's reader, at exactly `rv`. */
async function protobufRows(path: string, rv: string): Promise<PodRow[]> {
  const rows: PodRow[] = [];
  let cont: string | undefined;
  do {
    const q = cont ? { limit: 500, continue: cont } : { limit: 500, resourceVersion: rv, resourceVersionMatch: 'Exact' };
    const page = readPodList(await session.getProtobuf(path, q));
    rows.push(...page.rows);
    cont = page.continue || undefined;
  } while (cont);
  return rows;
}

describe('pods in protobuf', () => {
  it('the server answers a PodList in protobuf, or (the demo) refuses with 406', async () => {
    const attempt = session.getProtobuf('/api/v1/pods', { limit: 5 });
    if (target.isDemo) {
      await expect(attempt).rejects.toBeInstanceOf(KubeApiError);
      await expect(attempt).rejects.toMatchObject({ status: 406 });
      return;
    }
    const page = readPodList(await attempt);
    expect(page.rows).toHaveLength(5);
    expect(page.continue).not.toBe('');
    expect(Number(page.resourceVersion)).toBeGreaterThan(0);
  });

  it.skipIf(!externalTarget)('pods whose status covers the printer rules: the same rows as the server-side Table', async () => {
    const path = `/api/v1/namespaces/${namespace}/pods`;
    const { rows, rv } = await tableRows(path);
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(crafted).sort());
    const statuses = Object.fromEntries(rows.map((r) => [r.name, `${r.ready}/${r.total} ${r.status} ${r.restarts}`]));
    // What the server printed, as a reader of this test would check it against kubectl get pods.
    expect(statuses).toMatchObject({ 'crash-loop': '0/1 CrashLoopBackOff 7', sidecar: '2/2 Running 4', 'init-failed': '0/1 Init:ExitCode:-1 0', terminating: '1/1 Terminating 0' });
    expect(byUid(await protobufRows(path, rv))).toEqual(byUid(rows));
  });

  it.skipIf(!externalTarget)('every pod of the cluster: the same rows from protobuf as from the Table, at the same resourceVersion', async () => {
    const { rows, rv } = await tableRows('/api/v1/pods');
    expect(rows.length).toBeGreaterThan(Object.keys(crafted).length);
    expect(byUid(await protobufRows('/api/v1/pods', rv))).toEqual(byUid(rows));
  });

  it('watchTable lists the same pods with protobuf as without (on the demo: through the 406 fallback)', async () => {
    const listed = async (protobuf: boolean): Promise<{ rows: PodRow[]; statuses: WatchStatus['kind'][] }> => {
      const rows = new Map<string, PodRow>();
      const statuses: WatchStatus['kind'][] = [];
      let done!: () => void;
      const finished = new Promise<void>((r) => (done = r));
      const sink: RowSink<PodRow> = {
        listPage: (page, _gen, last) => {
          for (const r of page) rows.set(r.uid, r);
          if (last) done();
        },
        upsert: () => undefined,
        remove: () => undefined,
        status: (s) => statuses.push(s.kind),
      };
      // The crafted pods on a real server; on the demo, the namespace of its first pod.
      const ns = namespace ?? (await session.getJson<Table>('/api/v1/pods', { limit: 1 }, undefined, TABLE_ACCEPT)).rows![0].object!.metadata!.namespace!;
      const h = watchTable(readSessionOf(session), { ...podListWatch.spec, namespace: ns, pageSize: 4 }, podListWatch.map, sink, protobuf ? { protobufList: podListWatch.protobufList } : {});
      try {
        await finished;
      } finally {
        h.stop();
      }
      return { rows: byUid([...rows.values()]), statuses };
    };
    const withProtobuf = await listed(true);
    const tables = await listed(false);
    expect(withProtobuf.rows.length).toBeGreaterThan(4);
    expect(withProtobuf.rows).toEqual(tables.rows);
    expect(withProtobuf.statuses).toEqual(['listing']);
  });
});
