import { describe, expect, it } from 'vitest';
import {
  deploymentWatch,
  hpaWatch,
  namespaceWatch,
  podWatch,
  statefulSetWatch,
} from '../../../src/platform/kube/rowMappers.js';
import { columnIndexOf, type ObjectMeta, type RowMapper, type Table } from '../../../src/platform/kube/tableTypes.js';
import {
  DEPLOYMENT_COLUMNS,
  HPA_COLUMNS,
  NAMESPACE_COLUMNS,
  POD_COLUMNS,
  STATEFULSET_COLUMNS,
  podRow,
  table,
} from './tableFixtures.js';

function mapTable<Row>(t: Record<string, unknown>, map: RowMapper<Row>): Row[] {
  const tbl = t as unknown as Table;
  const columns = columnIndexOf(tbl.columnDefinitions ?? []);
  return (tbl.rows ?? []).map((r) => map(r.cells, columns, r.object!.metadata as ObjectMeta)).filter((r): r is Row => r !== null);
}

describe('pod rows', () => {
  const t = table(POD_COLUMNS, [
    podRow('web-7d4b9c8f6d-x2x9k', {
      ready: '1/2',
      status: 'CrashLoopBackOff',
      restarts: '3 (2m ago)',
      ip: '10.244.1.17',
      node: 'node-a',
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6d' },
      owner: { kind: 'ReplicaSet', name: 'web-7d4b9c8f6d' },
      rv: '4711',
    }),
    podRow('db-0', { owner: { kind: 'StatefulSet', name: 'db' }, labels: { app: 'db' } }),
    podRow('debug', { status: 'Pending', ip: '<none>', node: '<none>', ready: '0/1' }),
    podRow('web-7d4b9c8f6d-abcde', {
      status: 'Terminating',
      labels: { 'pod-template-hash': '7d4b9c8f6d' },
      owner: { kind: 'ReplicaSet', name: 'web-7d4b9c8f6d' },
      deletionTimestamp: '2026-08-02T10:00:00Z',
    }),
    podRow('job-x', { status: 'Running', owner: { kind: 'Job', name: 'job' } }),
  ]);
  const rows = mapTable(t, podWatch.map);

  it('reads ready/total, status, restarts with "(2m ago)", node and ip', () => {
    expect(rows[0]).toEqual({
      uid: 'uid-web-7d4b9c8f6d-x2x9k',
      namespace: 'shop',
      name: 'web-7d4b9c8f6d-x2x9k',
      ready: 1,
      total: 2,
      status: 'CrashLoopBackOff',
      restarts: 3,
      createdAt: Date.parse('2026-08-01T10:00:00Z'),
      node: 'node-a',
      ip: '10.244.1.17',
      appKey: 'Deployment/web',
      cluster: '', // a store names it when it takes the row
    });
  });

  it('derives the application from the owner: ReplicaSet -> Deployment, StatefulSet, none', () => {
    expect(rows.map((r) => r.appKey)).toEqual(['Deployment/web', 'StatefulSet/db', '', 'Deployment/web', '']);
  });

  it('shows <none> as empty and a pod being deleted as Terminating', () => {
    expect(rows[2]).toMatchObject({ ip: '', node: '', status: 'Pending', ready: 0, total: 1 });
    expect(rows[3].status).toBe('Terminating');
  });

  it('reads a deletionTimestamp as Terminating even if the status cell says otherwise', () => {
    const t2 = table(POD_COLUMNS, [podRow('p', { status: 'Running', deletionTimestamp: '2026-08-02T10:00:00Z' })]);
    expect(mapTable(t2, podWatch.map)[0].status).toBe('Terminating');
  });

  it('maps by column name, not position (another server version orders columns differently)', () => {
    const order = [2, 0, 6, 1, 3, 5, 4, 8, 7];
    const shuffled = table(
      order.map((i) => POD_COLUMNS[i]),
      [podRow('web-7d4b9c8f6d-x2x9k', { ready: '1/2', status: 'CrashLoopBackOff', restarts: '3 (2m ago)', labels: { 'pod-template-hash': '7d4b9c8f6d' }, owner: { kind: 'ReplicaSet', name: 'web-7d4b9c8f6d' } })].map(
        (r) => ({ ...r, cells: order.map((i) => r.cells[i]) }),
      ),
    );
    expect(mapTable(shuffled, podWatch.map)[0]).toMatchObject({
      ready: 1,
      total: 2,
      status: 'CrashLoopBackOff',
      restarts: 3,
      node: 'node-a',
      ip: '10.244.1.17',
    });
  });

  it('accepts a numeric restarts cell', () => {
    const t2 = table(POD_COLUMNS, [{ ...podRow('p'), cells: ['p', '1/1', 'Running', 7, '1m', '10.0.0.1', 'n', '<none>', '<none>'] }]);
    expect(mapTable(t2, podWatch.map)[0].restarts).toBe(7);
  });
});

describe('workload rows', () => {
  it('deployment: desired from the Ready "r/d" cell, up-to-date, available, images', () => {
    const t = table(DEPLOYMENT_COLUMNS, [
      {
        cells: ['web', '2/3', 3, 2, '12d', 'web,sidecar', 'registry.local/web:1.4.2,registry.local/envoy:1.30', 'app=web'],
        meta: { name: 'web', namespace: 'shop', uid: 'd-1', resourceVersion: '99' },
      },
    ]);
    expect(mapTable(t, deploymentWatch.map)).toEqual([
      {
        uid: 'd-1',
        kind: 'Deployment',
        namespace: 'shop',
        name: 'web',
        desired: 3,
        ready: 2,
        available: 2,
        upToDate: 3,
        images: 'registry.local/web:1.4.2,registry.local/envoy:1.30',
        template: '',
        createdAt: Date.parse('2026-08-01T10:00:00Z'),
        resourceVersion: '99',
      },
    ]);
  });

  it('a workload row that came with its object carries its pod template fingerprint; two templates differing in a limit differ', () => {
    const cells = ['web', '2/3', 3, 2, '12d', 'web', 'registry.local/web:1.4.2', 'app=web'];
    const columns = columnIndexOf(DEPLOYMENT_COLUMNS);
    const meta = { name: 'web', namespace: 'shop', uid: 'd-1', resourceVersion: '99' };
    const withMemory = (memory: string) => ({ metadata: meta, spec: { template: { spec: { containers: [{ name: 'web', image: 'registry.local/web:1.4.2', resources: { limits: { memory } } }] } } } });
    const a = deploymentWatch.map(cells, columns, meta, withMemory('256Mi') as never)!;
    expect(a).toMatchObject({ desired: 3, ready: 2, images: 'registry.local/web:1.4.2' });
    expect(a.template).toMatch(/^[0-9a-f]{12}$/);
    expect(deploymentWatch.map(cells, columns, meta, withMemory('256Mi') as never)!.template).toBe(a.template);
    expect(deploymentWatch.map(cells, columns, meta, withMemory('512Mi') as never)!.template).not.toBe(a.template);
    expect(deploymentWatch.spec.includeObject).toBe('Object');
  });

  it('statefulset: desired from Ready, scaled to zero reads 0/0', () => {
    const t = table(STATEFULSET_COLUMNS, [
      { cells: ['db', '1/3', '3d', 'postgres', 'postgres:16'], meta: { name: 'db', namespace: 'shop', uid: 's-1' } },
      { cells: ['cache', '0/0', '3d', 'redis', 'redis:7'], meta: { name: 'cache', namespace: 'shop', uid: 's-2' } },
    ]);
    const rows = mapTable(t, statefulSetWatch.map);
    expect(rows[0]).toMatchObject({ kind: 'StatefulSet', name: 'db', desired: 3, ready: 1, images: 'postgres:16' });
    expect(rows[1]).toMatchObject({ desired: 0, ready: 0 });
  });
});

describe('namespace rows', () => {
  it('takes the display name from the annotation or label, else the name', () => {
    const t = table(NAMESPACE_COLUMNS, [
      { cells: ['shop', 'Active', '30d'], meta: { name: 'shop', uid: 'n-1', annotations: { 'warroom.io/display-name': 'Web Shop' } } },
      { cells: ['billing', 'Active', '30d'], meta: { name: 'billing', uid: 'n-2', labels: { 'warroom.io/display-name': 'Billing' } } },
      { cells: ['old', 'Terminating', '90d'], meta: { name: 'old', uid: 'n-3' } },
    ]);
    expect(mapTable(t, namespaceWatch.map).map((r) => [r.name, r.displayName, r.phase])).toEqual([
      ['shop', 'Web Shop', 'Active'],
      ['billing', 'Billing', 'Active'],
      ['old', 'old', 'Terminating'],
    ]);
  });
});

describe('untrusted text in rows', () => {
  it('strips control sequences from a display name and from cells, so a row cannot drive the terminal', () => {
    const t = table(NAMESPACE_COLUMNS, [
      { cells: ['evil', 'Active\x1b[2J', '1d'], meta: { name: 'evil', uid: 'n-9', annotations: { 'warroom.io/display-name': 'Shop\x1b]52;c;cHduZWQ=\x07\x1b[1;1H!' } } },
    ]);
    const [row] = mapTable(t, namespaceWatch.map);
    expect(row.displayName).toBe('Shop!');
    expect(row.phase).toBe('Active');
  });
});

describe('hpa rows', () => {
  it('reads reference, min (unset -> 1), max, current replicas and targets', () => {
    const t = table(HPA_COLUMNS, [
      { cells: ['web', 'Deployment/web', 'cpu: 45%/80%', '2', 10, 3, '7d'], meta: { name: 'web', namespace: 'shop', uid: 'h-1', resourceVersion: '5' } },
      { cells: ['api', 'Deployment/api', '<unknown>/80%', '<unset>', 5, 1, '7d'], meta: { name: 'api', namespace: 'shop', uid: 'h-2' } },
    ]);
    const rows = mapTable(t, hpaWatch.map);
    expect(rows[0]).toEqual({
      uid: 'h-1',
      namespace: 'shop',
      name: 'web',
      targetKey: 'Deployment/web',
      min: 2,
      max: 10,
      current: 3,
      targets: 'cpu: 45%/80%',
      resourceVersion: '5',
    });
    expect(rows[1]).toMatchObject({ min: 1, max: 5, current: 1 });
  });
});

describe('ready-made specs', () => {
  it('point at the right API paths', () => {
    expect([podWatch, deploymentWatch, statefulSetWatch, namespaceWatch, hpaWatch].map((w) => `${w.spec.groupVersionPath}/${w.spec.resource}`)).toEqual([
      '/api/v1/pods',
      '/apis/apps/v1/deployments',
      '/apis/apps/v1/statefulsets',
      '/api/v1/namespaces',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
    ]);
  });
});
