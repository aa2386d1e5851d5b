import { compactEvent, type EventJson } from './objects.js';
import { parseQuantity } from './quantity.js';
import { templateFingerprint } from './podTemplate.js';
import { appKey, type EventRow, type HpaRow, type NamespaceRow, type NodeRow, type PodRow, type ReplicaSetRow, type ResourceRow, type WorkloadRow } from './rows.js';
import { sanitize } from '../text/sanitize.js';
import type { ColumnIndex, ObjectMeta, RowMapper } from './tableTypes.js';
import type { WatchSpec } from './watchTypes.js';
import type { WatchTableOptions } from './tableWatch.js';

// Server-side Table rows -> compact rows. Cells are looked up by column name (the printer's
// column order differs between Kubernetes versions); everything else comes from the row's
// PartialObjectMetadata. Only what the views show and the actions need is kept.

export interface ResourceWatch<Row> {
  readonly spec: WatchSpec;
  readonly map: RowMapper<Row>;
  /** Lists in protobuf straight into rows (see WatchTableOptions.protobufList). */
  readonly protobufList?: WatchTableOptions<Row>['protobufList'];
  /** Its list pages are read in the list decoder's worker (see WatchTableOptions.offThread). */
  readonly offThread?: WatchTableOptions<Row>['offThread'];
}

export const DISPLAY_NAME_KEY = 'warroom.io/display-name';

function cell(cells: readonly unknown[], columns: ColumnIndex, name: string): unknown {
  const i = columns.get(name);
  return i === undefined ? undefined : cells[i];
}

/**
 * A cell as display text. The printer writes `<none>` / `<unset>` / `<unknown>` for absent
 * values. Cells are untrusted (a status reason or an image is whatever the cluster says):
 * control sequences are removed here, once, so no row can drive the terminal.
 */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  const s = sanitize(String(value));
  return s.startsWith('<') && s.endsWith('>') ? '' : s;
}

/** 3, "3", "3 (2m ago)" -> 3; anything unreadable -> fallback. */
function count(value: unknown, fallback = 0): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : fallback;
  if (typeof value === 'string') {
    const m = /^\s*(-?\d+)/.exec(value);
    if (m) return Number(m[1]);
  }
  return fallback;
}

/** "2/3" -> [2, 3]. */
function ratio(value: unknown): [number, number] {
  if (typeof value === 'string') {
    const m = /^\s*(\d+)\s*\/\s*(\d+)/.exec(value);
    if (m) return [Number(m[1]), Number(m[2])];
  }
  return [0, 0];
}

function createdAt(meta: ObjectMeta): number {
  const t = meta.creationTimestamp ? Date.parse(meta.creationTimestamp) : NaN;
  return Number.isFinite(t) ? t : 0;
}

// Namespaces, node names and statuses repeat across 100,000 rows; share one string each.
const interned = new Map<string, string>();
function intern(s: string): string {
  const known = interned.get(s);
  if (known !== undefined) return known;
  if (interned.size >= 20_000) interned.clear();
  interned.set(s, s);
  return s;
}

export const mapNamespaceRow: RowMapper<NamespaceRow> = (cells, columns, meta) => {
  const name = meta.name || text(cell(cells, columns, 'Name'));
  // An annotation is free text: sanitised like a cell.
  const displayName = sanitize(meta.annotations?.[DISPLAY_NAME_KEY] || meta.labels?.[DISPLAY_NAME_KEY] || name, { maxLength: 80 });
  return {
    uid: meta.uid,
    name,
    displayName,
    phase: intern(text(cell(cells, columns, 'Status'))),
    createdAt: createdAt(meta),
    resourceVersion: meta.resourceVersion ?? '',
  };
};

/** The workload's pod template fingerprint, when the row came with its object. */
function templateOf(object: unknown): string {
  const spec = (object as { spec?: { template?: unknown } } | undefined)?.spec;
  return spec ? templateFingerprint(spec.template) : '';
}

const deleting = (meta: ObjectMeta): { deleting?: true } => (meta.deletionTimestamp ? { deleting: true } : {});

export const mapDeploymentRow: RowMapper<WorkloadRow> = (cells, columns, meta, object) => {
  const [ready, desired] = ratio(cell(cells, columns, 'Ready'));
  return {
    uid: meta.uid,
    kind: 'Deployment',
    namespace: intern(meta.namespace ?? ''),
    name: meta.name || text(cell(cells, columns, 'Name')),
    desired,
    ready,
    available: count(cell(cells, columns, 'Available')),
    upToDate: count(cell(cells, columns, 'Up-to-date')),
    images: text(cell(cells, columns, 'Images')),
    template: templateOf(object),
    ...deleting(meta),
    createdAt: createdAt(meta),
    resourceVersion: meta.resourceVersion ?? '',
  };
};

/**
 * The StatefulSet printer has no Available / Up-to-date columns; they mirror Ready so that
 * "fully available" checks treat a StatefulSet like a Deployment.
 */
export const mapStatefulSetRow: RowMapper<WorkloadRow> = (cells, columns, meta, object) => {
  const [ready, desired] = ratio(cell(cells, columns, 'Ready'));
  return {
    uid: meta.uid,
    kind: 'StatefulSet',
    namespace: intern(meta.namespace ?? ''),
    name: meta.name || text(cell(cells, columns, 'Name')),
    desired,
    ready,
    available: ready,
    upToDate: ready,
    images: text(cell(cells, columns, 'Images')),
    template: templateOf(object),
    ...deleting(meta),
    createdAt: createdAt(meta),
    resourceVersion: meta.resourceVersion ?? '',
  };
};

/** `Deployment/<name>` from the owning ReplicaSet, `StatefulSet/<name>`, or '' for other pods. */
export function podAppKey(meta: ObjectMeta): string {
  const owners = meta.ownerReferences;
  if (!owners || owners.length === 0) return '';
  const owner = owners.find((o) => o.controller) ?? owners[0];
  if (owner.kind === 'StatefulSet') return appKey('StatefulSet', owner.name);
  if (owner.kind === 'ReplicaSet') {
    const hash = meta.labels?.['pod-template-hash'];
    if (hash && owner.name.endsWith(`-${hash}`)) {
      return appKey('Deployment', owner.name.slice(0, -(hash.length + 1)));
    }
  }
  return '';
}

export const mapPodRow: RowMapper<PodRow> = (cells, columns, meta) => {
  const [ready, total] = ratio(cell(cells, columns, 'Ready'));
  const status = meta.deletionTimestamp ? 'Terminating' : text(cell(cells, columns, 'Status'));
  return {
    uid: meta.uid,
    namespace: intern(meta.namespace ?? ''),
    name: meta.name || text(cell(cells, columns, 'Name')),
    ready,
    total,
    status: intern(status),
    restarts: count(cell(cells, columns, 'Restarts')),
    createdAt: createdAt(meta),
    node: intern(text(cell(cells, columns, 'Node'))),
    ip: text(cell(cells, columns, 'IP')),
    // Interned: every pod of an application shares the string. Labels are not kept:
    // selectors go to the server, and 100,000 label maps would cost ~50 MB.
    appKey: intern(podAppKey(meta)),
    cluster: '',
  };
};

/**
 * A pod row made on another thread (a copy of every string) as mapPodRow makes it: its repeated
 * strings interned here, and written as one literal in mapPodRow's order, so it takes mapPodRow's
 * compact shape (the copy grew its fields one by one and keeps some out of line).
 */
export function internPodRow(r: PodRow): PodRow {
  return {
    uid: r.uid,
    namespace: intern(r.namespace),
    name: r.name,
    ready: r.ready,
    total: r.total,
    status: intern(r.status),
    restarts: r.restarts,
    createdAt: r.createdAt,
    node: intern(r.node),
    ip: r.ip,
    appKey: intern(r.appKey),
    cluster: '',
  };
}

export const mapHpaRow: RowMapper<HpaRow> = (cells, columns, meta) => ({
  uid: meta.uid,
  namespace: intern(meta.namespace ?? ''),
  name: meta.name || text(cell(cells, columns, 'Name')),
  targetKey: text(cell(cells, columns, 'Reference')),
  // MinPods is `<unset>` when spec.minReplicas is omitted; the API default is 1.
  min: count(cell(cells, columns, 'MinPods'), 1),
  max: count(cell(cells, columns, 'MaxPods')),
  current: count(cell(cells, columns, 'Replicas')),
  targets: text(cell(cells, columns, 'Targets')),
  resourceVersion: meta.resourceVersion ?? '',
});

/** `Kind/name` of the controlling owner (the one that will undo a direct scale), '' when none. */
function controllerOwner(meta: ObjectMeta): string {
  const owners = meta.ownerReferences;
  if (!owners || owners.length === 0) return '';
  const owner = owners.find((o) => o.controller) ?? owners[0];
  return `${owner.kind}/${owner.name}`;
}

/** ReplicaSets and ReplicationControllers print the same columns: Desired, Current, Ready. */
function replicaSetMapper(kind: ReplicaSetRow['kind']): RowMapper<ReplicaSetRow> {
  return (cells, columns, meta) => ({
    uid: meta.uid,
    kind,
    namespace: intern(meta.namespace ?? ''),
    name: meta.name || text(cell(cells, columns, 'Name')),
    owner: controllerOwner(meta),
    desired: count(cell(cells, columns, 'Desired')),
    current: count(cell(cells, columns, 'Current')),
    ready: count(cell(cells, columns, 'Ready')),
    createdAt: createdAt(meta),
    resourceVersion: meta.resourceVersion ?? '',
  });
}

export const mapReplicaSetRow = replicaSetMapper('ReplicaSet');
export const mapReplicationControllerRow = replicaSetMapper('ReplicationController');

export const namespaceWatch: ResourceWatch<NamespaceRow> = {
  spec: { groupVersionPath: '/api/v1', resource: 'namespaces' },
  map: mapNamespaceRow,
};

// Workloads come with their object: the fleet compares their pod templates (a few thousand
// objects, unlike pods).
export const deploymentWatch: ResourceWatch<WorkloadRow> = {
  spec: { groupVersionPath: '/apis/apps/v1', resource: 'deployments', includeObject: 'Object' },
  map: mapDeploymentRow,
};

export const statefulSetWatch: ResourceWatch<WorkloadRow> = {
  spec: { groupVersionPath: '/apis/apps/v1', resource: 'statefulsets', includeObject: 'Object' },
  map: mapStatefulSetRow,
};

export const ZONE_LABELS = ['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone'];

type Loose = Record<string, unknown>;
const loose = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Loose) : {});

/** `key=value:Effect` of each taint, as kubectl describe writes them. */
function taintsOf(spec: Loose): string[] {
  const taints = Array.isArray(spec.taints) ? (spec.taints as Loose[]) : [];
  return taints.map((t) => sanitize(`${String(t.key ?? '')}${t.value ? `=${String(t.value)}` : ''}:${String(t.effect ?? '')}`, { maxLength: 120 }));
}

export const mapNodeRow: RowMapper<NodeRow> = (cells, columns, meta, object) => {
  const status = loose(object?.status);
  const allocatable = loose(status.allocatable ?? status.capacity);
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Loose[]) : [];
  const addresses = Array.isArray(status.addresses) ? (status.addresses as Loose[]) : [];
  return {
    uid: meta.uid,
    name: meta.name || text(cell(cells, columns, 'Name')),
    zone: intern(sanitize(ZONE_LABELS.map((l) => meta.labels?.[l]).find(Boolean) ?? '', { maxLength: 63 })),
    resourceVersion: meta.resourceVersion ?? '',
    status: intern(text(cell(cells, columns, 'Status'))),
    roles: intern(text(cell(cells, columns, 'Roles'))),
    version: intern(text(cell(cells, columns, 'Version'))),
    createdAt: createdAt(meta),
    podCapacity: parseQuantity(allocatable.pods) ?? 0,
    cpuAllocatable: parseQuantity(allocatable.cpu) ?? 0,
    memoryAllocatable: parseQuantity(allocatable.memory) ?? 0,
    taints: taintsOf(loose(object?.spec)),
    pressure: conditions.filter((c) => c.type !== 'Ready' && c.status === 'True').map((c) => intern(sanitize(String(c.type), { maxLength: 40 }))),
    internalIP: text(addresses.find((a) => a.type === 'InternalIP')?.address ?? cell(cells, columns, 'Internal-IP')),
  };
};

/** Nodes for their zones (the cluster-wide feed): the metadata's labels are enough. */
export const nodeWatch: ResourceWatch<NodeRow> = {
  spec: { groupVersionPath: '/api/v1', resource: 'nodes' },
  map: mapNodeRow,
};

/** Nodes with their whole objects, while the Nodes view is open: allocatable, taints and conditions are not in the printer's cells. */
export const nodeDetailWatch: ResourceWatch<NodeRow> = {
  spec: { ...nodeWatch.spec, includeObject: 'Object' },
  map: mapNodeRow,
};

/**
 * A cell as the text a generic view shows. Not interned: a kind's cells are mostly its own
 * (names, IPs), and the shared intern table is for the values 100,000 pods repeat.
 */
function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return sanitize(typeof value === 'object' ? JSON.stringify(value) : String(value), { maxLength: 300 });
}

/** Any kind's Table row as its cells; the Age cell is left out (the row's createdAt says it, without going stale). */
export const mapResourceRow: RowMapper<ResourceRow> = (cells, columns, meta) => {
  const age = columns.get('Age');
  return {
    uid: meta.uid,
    namespace: intern(meta.namespace ?? ''),
    name: meta.name || text(cells[0]),
    cells: cells.map((c, i) => (i === age ? '' : cellText(c))),
    createdAt: createdAt(meta),
    resourceVersion: meta.resourceVersion ?? '',
    ...deleting(meta),
  };
};

/** Events with their whole objects (the cells' "Last Seen" is a relative time; the object has the timestamps). */
export const mapEventRow: RowMapper<EventRow> = (_cells, _columns, meta, object) => {
  if (!object) return null;
  const e = compactEvent(object as EventJson);
  e.uid = meta.uid;
  e.namespace = intern(e.namespace);
  e.type = intern(e.type);
  e.reason = intern(e.reason);
  return e;
};

export const eventWatch: ResourceWatch<EventRow> = {
  spec: { groupVersionPath: '/api/v1', resource: 'events', includeObject: 'Object' },
  map: mapEventRow,
};

export const podWatch: ResourceWatch<PodRow> = {
  spec: { groupVersionPath: '/api/v1', resource: 'pods' },
  map: mapPodRow,
};

export const hpaWatch: ResourceWatch<HpaRow> = {
  spec: { groupVersionPath: '/apis/autoscaling/v2', resource: 'horizontalpodautoscalers' },
  map: mapHpaRow,
};

export const replicaSetWatch: ResourceWatch<ReplicaSetRow> = {
  spec: { groupVersionPath: '/apis/apps/v1', resource: 'replicasets' },
  map: mapReplicaSetRow,
};

export const replicationControllerWatch: ResourceWatch<ReplicaSetRow> = {
  spec: { groupVersionPath: '/api/v1', resource: 'replicationcontrollers' },
  map: mapReplicationControllerRow,
};
