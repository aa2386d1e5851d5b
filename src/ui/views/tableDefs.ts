import type { NamespaceRow, PodRow, ReplicaSetRow, WorkloadRow } from '../../platform/kube/rows.js';
import { appKey } from '../../platform/kube/rows.js';
import type { ClusterStore, PodCounters, SystemCounters } from '../../platform/stores/clusterStore.js';
import { formatAge } from '../format.js';
import { sparkline } from '../widgets/sparkline.js';
import { byNumber, byString, type Column, type TableDef, type Tone } from './tableModel.js';

// The columns of the Systems, Applications and Pods views.

export interface SystemRow {
  ns: NamespaceRow;
  counters: SystemCounters;
}

/** CPU and memory samples of a row (by its key), when Prometheus answers for this context. */
export type SparkLookup = (key: string) => { cpu: ArrayLike<number>; memory: ArrayLike<number>; scale: { cpu: number; memory: number } } | undefined;

/** CPU and MEM sparkline columns; dropped first when the terminal is narrow. */
function sparkColumns<R>(key: (r: R) => string, spark: SparkLookup | undefined, width: number): Column<R>[] {
  if (!spark) return [];
  const cell = (d: ReturnType<SparkLookup>, which: 'cpu' | 'memory') =>
    d ? sparkline(d[which], width, { lo: 0, hi: d.scale[which] || 1 }) : '';
  return [
    { id: 'cpu', title: 'CPU', width, minTerminalWidth: 100, text: (r) => cell(spark(key(r)), 'cpu') },
    { id: 'mem', title: 'MEM', width, minTerminalWidth: 100, text: (r) => cell(spark(key(r)), 'memory') },
  ];
}

export interface AppRow {
  w: WorkloadRow;
  counters: PodCounters;
  hpa: boolean;
}

export function systemRows(store: ClusterStore, source: ClusterStore = store): SystemRow[] {
  return Array.from(source.namespaces.rows.values(), (ns) => ({ ns, counters: store.systemCounters(ns.name) }));
}

export function appRows(store: ClusterStore, namespace: string | undefined, source: ClusterStore = store): AppRow[] {
  const out: AppRow[] = [];
  for (const table of [source.deployments, source.statefulSets]) {
    for (const w of table.rows.values()) {
      if (namespace && w.namespace !== namespace) continue;
      const key = appKey(w.kind, w.name);
      out.push({ w, counters: store.appCounters(w.namespace, key), hpa: store.hasHpa(w.namespace, key) });
    }
  }
  return out;
}

export const systemsTable: TableDef<SystemRow> = {
  key: (r) => r.ns.uid,
  defaultSort: 'name',
  tone: (r) => (r.counters.pods - r.counters.ready > 0 ? 'warn' : r.ns.phase === 'Terminating' ? 'dim' : 'normal'),
  filterText: (r) => r.ns.name,
  columns: [
    { id: 'name', title: 'SYSTEM', width: 'flex', sortKey: 'N', text: (r) => r.ns.displayName, compare: byString((r) => r.ns.displayName) },
    { id: 'ns', title: 'NAMESPACE', width: 18, text: (r) => r.ns.name, minTerminalWidth: 90 },
    { id: 'apps', title: 'APPS', width: 5, align: 'right', sortKey: 'P', text: (r) => String(r.counters.apps), compare: byNumber((r) => r.counters.apps) },
    { id: 'pods', title: 'PODS', width: 13, align: 'right', sortKey: 'O', text: (r) => `${r.counters.ready}/${r.counters.pods}`, compare: byNumber((r) => r.counters.pods) },
    { id: 'notready', title: 'NOT READY', width: 9, align: 'right', sortKey: 'Y', text: (r) => String(r.counters.pods - r.counters.ready), compare: byNumber((r) => r.counters.pods - r.counters.ready) },
    { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', text: (r) => String(r.counters.restarts), compare: byNumber((r) => r.counters.restarts) },
    { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.ns.createdAt, now), compare: byNumber((r) => -r.ns.createdAt) },
  ],
};

function workloadTone(r: AppRow): Tone {
  if (r.w.desired > 0 && r.w.ready === 0) return 'error';
  if (r.w.ready < r.w.desired || r.w.upToDate < r.w.desired) return 'warn';
  return 'normal';
}

export function appsTable(showSystem: boolean, spark?: SparkLookup, sparkWidth = 8): TableDef<AppRow> {
  return {
  key: (r) => r.w.uid,
  defaultSort: 'name',
  tone: workloadTone,
  columns: [
    { id: 'name', title: 'APPLICATION', width: 'flex', sortKey: 'N', text: (r) => r.w.name, compare: byString((r) => r.w.name) },
    ...(showSystem ? [{ id: 'system', title: 'SYSTEM', width: 14, sortKey: 'M', text: (r: AppRow) => r.w.namespace }] : []),
    { id: 'kind', title: 'KIND', width: 6, sortKey: 'K', text: (r) => (r.w.kind === 'Deployment' ? 'deploy' : 'sts') },
    { id: 'hpa', title: 'HPA', width: 3, text: (r) => (r.hpa ? 'HPA' : '') },
    { id: 'desired', title: 'DESIRED', width: 7, align: 'right', sortKey: 'D', text: (r) => String(r.w.desired), compare: byNumber((r) => r.w.desired) },
    { id: 'ready', title: 'READY', width: 5, align: 'right', sortKey: 'Y', text: (r) => String(r.w.ready), compare: byNumber((r) => r.w.ready - r.w.desired) },
    { id: 'available', title: 'AVAIL', width: 5, align: 'right', text: (r) => String(r.w.available) },
    { id: 'uptodate', title: 'UP-TO-DATE', width: 10, align: 'right', text: (r) => String(r.w.upToDate) },
    { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', text: (r) => String(r.counters.restarts), compare: byNumber((r) => r.counters.restarts) },
    ...sparkColumns<AppRow>((r) => r.w.uid, spark, sparkWidth),
    { id: 'images', title: 'IMAGES', width: 28, text: (r) => r.w.images, minTerminalWidth: 110 },
    { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.w.createdAt, now), compare: byNumber((r) => -r.w.createdAt) },
  ],
  };
}

const errorStatuses = /BackOff|Err|Error|Failed|OOMKilled|Evicted|Unknown|Invalid/;

export function podTone(p: PodRow): Tone {
  if (p.status === 'Terminating' || p.status === 'Completed' || p.status === 'Succeeded') return 'dim';
  if (errorStatuses.test(p.status)) return 'error';
  if (p.status !== 'Running' || p.ready < p.total) return 'warn';
  return 'normal';
}

export function podsTable(showApp: boolean, spark?: SparkLookup, sparkWidth = 8): TableDef<PodRow> {
  return {
    key: (p) => p.uid,
    defaultSort: 'name',
    tone: podTone,
    filterText: (p) => p.appKey,
    columns: [
      { id: 'name', title: 'POD', width: 'flex', sortKey: 'N', text: (p) => p.name, compare: byString((p) => p.name) },
      ...(showApp ? [{ id: 'app', sortKey: 'P', title: 'APPLICATION', width: 18, minTerminalWidth: 80, text: (p: PodRow) => p.appKey.replace(/^[^/]*\//, '') }] : []),
      { id: 'ready', title: 'READY', width: 5, align: 'right', sortKey: 'Y', text: (p) => `${p.ready}/${p.total}`, compare: byNumber((p) => p.ready - p.total) },
      { id: 'status', title: 'STATUS', width: 16, sortKey: 'S', text: (p) => p.status, compare: byString((p) => p.status) },
      { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', text: (p) => String(p.restarts), compare: byNumber((p) => p.restarts) },
      { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (p, now) => formatAge(p.createdAt, now), compare: byNumber((p) => -p.createdAt) },
      ...sparkColumns<PodRow>((p) => p.uid, spark, sparkWidth),
      { id: 'node', title: 'NODE', width: 16, sortKey: 'O', text: (p) => p.node || '<none>', compare: byString((p) => p.node), minTerminalWidth: 100 },
      { id: 'ip', title: 'IP', width: 15, sortKey: 'I', text: (p) => p.ip || '<none>', minTerminalWidth: 120 },
    ],
  };
}

/** `Deployment/checkout` -> `deploy/checkout`: the short kind names kubectl users know. */
function shortOwner(owner: string): string {
  if (!owner) return '-';
  const slash = owner.indexOf('/');
  const kind = owner.slice(0, slash);
  const short = kind === 'Deployment' ? 'deploy' : kind === 'StatefulSet' ? 'sts' : kind.toLowerCase();
  return `${short}${owner.slice(slash)}`;
}

function replicaSetTone(r: ReplicaSetRow): Tone {
  if (r.desired === 0 && r.current === 0) return 'dim'; // an old ReplicaSet a Deployment keeps for rollback
  if (r.desired > 0 && r.ready === 0) return 'error';
  if (r.ready < r.desired || r.current !== r.desired) return 'warn';
  return 'normal';
}

export function replicaSetsTable(showSystem: boolean): TableDef<ReplicaSetRow> {
  return {
    key: (r) => r.uid,
    defaultSort: 'name',
    tone: replicaSetTone,
    filterText: (r) => r.owner,
    columns: [
      { id: 'name', title: 'NAME', width: 'flex', sortKey: 'N', text: (r) => r.name, compare: byString((r) => r.name) },
      ...(showSystem ? [{ id: 'system', title: 'SYSTEM', width: 14, sortKey: 'M', text: (r: ReplicaSetRow) => r.namespace }] : []),
      { id: 'kind', title: 'KIND', width: 4, sortKey: 'K', text: (r) => (r.kind === 'ReplicaSet' ? 'rs' : 'rc') },
      { id: 'owner', title: 'OWNER', width: 24, sortKey: 'O', text: (r) => shortOwner(r.owner), compare: byString((r) => r.owner) },
      { id: 'desired', title: 'DESIRED', width: 7, align: 'right', sortKey: 'D', text: (r) => String(r.desired), compare: byNumber((r) => r.desired) },
      { id: 'current', title: 'CURRENT', width: 7, align: 'right', text: (r) => String(r.current) },
      { id: 'ready', title: 'READY', width: 5, align: 'right', sortKey: 'Y', text: (r) => String(r.ready), compare: byNumber((r) => r.ready - r.desired) },
      { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.createdAt, now), compare: byNumber((r) => -r.createdAt) },
    ],
  };
}
