import { describe, expect, it } from 'vitest';
import { mapNodeRow, mapResourceRow } from '../../../src/platform/kube/rowMappers.js';
import type { ResourceRow } from '../../../src/platform/kube/rows.js';
import { columnIndexOf, type TableColumnDefinition } from '../../../src/platform/kube/tableTypes.js';
import { groupEvents, warningsFirst } from '../../../src/platform/stores/eventGroups.js';
import { listScope } from '../../../src/ui/keys/listKeys.js';
import { computeModel } from '../../../src/ui/views/tableModel.js';
import { nodesTable, type NodeListRow } from '../../../src/ui/views/lists/nodesView.js';
import { kindTitle, resourcesTable } from '../../../src/ui/views/lists/resourcesView.js';
import { visibleColumns } from '../../../src/ui/widgets/VirtualTable.js';

// The generic kinds table (the server's columns), node rows from their objects, events grouped.

const col = (name: string, priority = 0, type = 'string', format = ''): TableColumnDefinition => ({ name, type, priority, format });
const DEPLOYMENT: TableColumnDefinition[] = [col('Name', 0, 'string', 'name'), col('Ready'), col('Up-to-date'), col('Available'), col('Age'), col('Containers', 1), col('Images', 1), col('Selector', 1)];
const meta = (name: string, created = '2026-01-01T00:00:00Z') => ({ name, namespace: 'cart', uid: `uid-${name}`, resourceVersion: '1', creationTimestamp: created });

describe('a kind listed with the server columns', () => {
  const columns = columnIndexOf(DEPLOYMENT);
  const row = (name: string, ready: string, created?: string) => mapResourceRow([name, ready, 3, 2, '5d', 'app', 'img:1', 'app=x'], columns, meta(name, created))!;

  it('keeps the cells as text (control sequences removed) but not the Age cell, which it computes', () => {
    const r = mapResourceRow(['cart-api', '2/3', 3, 2, '5d', 'app\u001b[2J', 'img:1', 'app=x'], columns, meta('cart-api'))!;
    expect(r.cells).toEqual(['cart-api', '2/3', '3', '2', '', 'app', 'img:1', 'app=x']);
    expect(r.createdAt).toBe(Date.parse('2026-01-01T00:00:00Z'));
  });

  it('shows the priority-0 columns at 80 columns, the wide ones only on a wide terminal, the system when listing all', () => {
    expect(visibleColumns(resourcesTable(DEPLOYMENT, false), 80).map((c) => c.title)).toEqual(['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE']);
    const all = resourcesTable(DEPLOYMENT, true);
    // Listing every system at 80 columns: the last priority-0 column gives way to the names, not the age.
    expect(visibleColumns(all, 80).map((c) => c.title)).toEqual(['NAME', 'SYSTEM', 'READY', 'UP-TO-DATE', 'AGE']);
    expect(visibleColumns(all, 200).map((c) => c.title)).toEqual(['NAME', 'SYSTEM', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
  });

  it('sorts numbers as numbers and by age, and gives no column a letter the list keys use', () => {
    const def = resourcesTable(DEPLOYMENT, false);
    const rows: ResourceRow[] = [row('b', '10/10', '2026-01-03T00:00:00Z'), row('a', '9/10', '2026-01-01T00:00:00Z'), row('c', '2/3', '2026-01-02T00:00:00Z')];
    const by = (column: string) => computeModel({ def, rows, filter: { kind: 'none', value: '' }, sort: { column, descending: false }, now: Date.now() }).map((r) => r.name);
    expect(by('c1')).toEqual(['c', 'a', 'b']);
    expect(by('age')).toEqual(['b', 'c', 'a']);
    const letters = def.columns.map((c) => c.sortKey).filter(Boolean);
    expect(new Set(letters).size).toBe(letters.length);
    const listLetters = listScope.bindings.flatMap((b) => b.keys).filter((k) => /^[A-Z]$/.test(k));
    for (const l of [...listLetters, 'E']) expect(letters).not.toContain(l);
    expect(def.columns.find((c) => c.id === 'age')?.sortKey).toBe('A');
    expect(def.tone(rows[2])).toBe('warn');
  });

  it('names a kind the way the API pluralises it', () => {
    expect(kindTitle({ kind: 'Ingress', resource: 'ingresses' })).toBe('Ingresses');
    expect(kindTitle({ kind: 'CustomResourceDefinition', resource: 'customresourcedefinitions' })).toBe('CustomResourceDefinitions');
    expect(kindTitle({ kind: 'Endpoints', resource: 'endpoints' })).toBe('Endpoints');
  });
});

describe('nodes', () => {
  const NODE = [col('Name', 0, 'string', 'name'), col('Status'), col('Roles'), col('Age'), col('Version')];
  const node = (name: string, status: string, extra: Record<string, unknown> = {}) =>
    mapNodeRow([name, status, 'worker', '3d', 'v1.34.1'], columnIndexOf(NODE), { ...meta(name), namespace: undefined, labels: { 'topology.kubernetes.io/zone': 'eu-central-1a' } }, {
      spec: { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
      status: { allocatable: { cpu: '15500m', memory: '64Gi', pods: '110' }, conditions: [{ type: 'MemoryPressure', status: 'True' }, { type: 'Ready', status: 'True' }] },
      ...extra,
    })!;

  it('reads allocatable, taints and pressure from the node object', () => {
    const n = node('w1', 'Ready');
    expect(n).toMatchObject({ zone: 'eu-central-1a', podCapacity: 110, cpuAllocatable: 15.5, memoryAllocatable: 64 * 1024 ** 3, taints: ['node.kubernetes.io/unreachable:NoExecute'], pressure: ['MemoryPressure'], status: 'Ready', roles: 'worker' });
  });

  it('lists NotReady first, then pressure, then cordoned, then healthy nodes', () => {
    const healthy = { ...node('a-ok', 'Ready'), pressure: [] };
    const rows: NodeListRow[] = [healthy, { ...healthy, name: 'b-cordoned', uid: 'c', status: 'Ready,SchedulingDisabled' }, node('c-pressure', 'Ready'), { ...healthy, name: 'd-lost', uid: 'l', status: 'NotReady' }].map((n) => ({ node: n, pods: 0 }));
    const out = computeModel({ def: nodesTable(false), rows, filter: { kind: 'none', value: '' }, now: Date.now() });
    expect(out.map((r) => r.node.name)).toEqual(['d-lost', 'c-pressure', 'b-cordoned', 'a-ok']);
  });
});

describe('events grouped by object and reason', () => {
  const ev = (uid: string, pod: string, type: string, reason: string, last: number, count = 1) => ({
    uid, namespace: 'cart', name: `${pod}.${uid}`, type, reason, message: `${reason} ${uid}`, count, firstSeen: last - 1000, lastSeen: last, source: 'kubelet',
    involved: { kind: 'Pod', name: pod, namespace: 'cart', uid: `pod-${pod}`, fieldPath: '', apiVersion: 'v1' },
  });

  it('sums the counts of one object and reason, keeps the newest message, Warnings first then newest', () => {
    const groups = groupEvents([ev('1', 'a', 'Warning', 'BackOff', 10_000, 5), ev('2', 'a', 'Warning', 'BackOff', 30_000, 2), ev('3', 'a', 'Normal', 'Pulled', 50_000), ev('4', 'b', 'Warning', 'Failed', 20_000)]);
    const sorted = groups.sort(warningsFirst);
    expect(sorted.map((g) => `${g.object} ${g.reason} ${g.count}`)).toEqual(['pod/a BackOff 7', 'pod/b Failed 1', 'pod/a Pulled 1']);
    expect(sorted[0]).toMatchObject({ message: 'BackOff 2', lastSeen: 30_000, firstSeen: 9_000, latest: { uid: '2' } });
  });
});
