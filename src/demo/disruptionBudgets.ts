// PodDisruptionBudgets (policy/v1) for a few applications of the demo: one per system for its first API
// Deployment with two or more replicas (minAvailable: half, rounded up) and one per replicated StatefulSet
// (maxUnavailable: 1), as platform teams typically set them. Their status follows the workloads' ready pods.
import { randomUUID } from 'node:crypto';
import type { Cluster } from './cluster.js';
import { metadataJson, type Json } from './objectJson.js';
import type { ResourceKind } from './resourceKinds.js';
import { objectKey, type StoredObject } from './store.js';
import type { ColumnDefinition, PrintedRow } from './tablePrinters.js';
import { ageSince } from './duration.js';
import { errors } from './apiErrors.js';

export interface PdbRecord extends StoredObject {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly minAvailable?: number;
  readonly maxUnavailable?: number;
  /** The workload it protects (demo bookkeeping for the status; not served); none for one created through the API. */
  readonly workload?: { readonly kind: 'Deployment' | 'StatefulSet'; readonly name: string };
  readonly status: { expectedPods: number; currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number };
}

export function pdbJson(p: PdbRecord): Json {
  const spec: Json = { selector: { matchLabels: { ...p.matchLabels } } };
  if (p.minAvailable !== undefined) spec.minAvailable = p.minAvailable;
  if (p.maxUnavailable !== undefined) spec.maxUnavailable = p.maxUnavailable;
  return { metadata: metadataJson(p.meta), spec, status: { observedGeneration: 1, ...p.status } };
}

const DOC = 'PodDisruptionBudget limits the voluntary disruptions (evictions) of the pods it selects.';
export const PDB_COLUMNS: ColumnDefinition[] = [
  { name: 'Name', type: 'string', format: 'name', description: 'Name must be unique within a namespace.', priority: 0 },
  { name: 'Min Available', type: 'string', format: '', description: DOC, priority: 0 },
  { name: 'Max Unavailable', type: 'string', format: '', description: DOC, priority: 0 },
  { name: 'Allowed Disruptions', type: 'integer', format: '', description: DOC, priority: 0 },
  { name: 'Age', type: 'string', format: '', description: 'CreationTimestamp is a timestamp representing the server time when this object was created.', priority: 0 },
];

// Printers walk loosely typed Kubernetes JSON.
 
export function printPdb(p: Record<string, any>, now: number): PrintedRow {
  const created = p.metadata?.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : undefined;
  return { cells: [p.metadata?.name ?? '', p.spec?.minAvailable !== undefined ? String(p.spec.minAvailable) : 'N/A', p.spec?.maxUnavailable !== undefined ? String(p.spec.maxUnavailable) : 'N/A', p.status?.disruptionsAllowed ?? 0, ageSince(created, now)] };
}

export const pdbKind: ResourceKind<PdbRecord> = {
  resource: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  kind: 'PodDisruptionBudget',
  listKind: 'PodDisruptionBudgetList',
  group: 'policy',
  version: 'v1',
  namespaced: true,
  shortNames: ['pdb'],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status'],
  toJson: pdbJson,
  fields: { 'metadata.name': (o) => o.meta.name, 'metadata.namespace': (o) => o.meta.namespace },
  emptyObject: () => ({ metadata: { resourceVersion: '', creationTimestamp: null }, spec: {}, status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 } }),
};

function statusFor(p: Pick<PdbRecord, 'minAvailable' | 'maxUnavailable'>, expected: number, healthy: number): PdbRecord['status'] {
  const desiredHealthy = p.minAvailable !== undefined ? p.minAvailable : Math.max(0, expected - (p.maxUnavailable ?? 0));
  return { expectedPods: expected, currentHealthy: healthy, desiredHealthy, disruptionsAllowed: Math.max(0, healthy - desiredHealthy) };
}

/** Loads the budgets as part of the start-up baseline (call after the controller's bootstrap). */
export function loadDisruptionBudgets(cluster: Cluster): void {
  const byNamespace = new Map<string, string>();
  const deployments = [...cluster.deployments.store.values()].sort((a, b) => a.meta.name.localeCompare(b.meta.name));
  const add = (kind: 'Deployment' | 'StatefulSet', w: { meta: { namespace: string; name: string; created: number }; replicas: number; status: { ready: number } }, spec: { minAvailable?: number; maxUnavailable?: number }) => {
    cluster.pdbs.store.load({
      meta: { name: `${w.meta.name}-pdb`, namespace: w.meta.namespace, uid: randomUUID(), rv: 0, created: w.meta.created + 86_400_000, labels: { 'app.kubernetes.io/name': w.meta.name, 'app.kubernetes.io/managed-by': 'Helm' } },
      matchLabels: { 'app.kubernetes.io/name': w.meta.name },
      ...spec,
      workload: { kind, name: w.meta.name },
      status: statusFor(spec, w.replicas, w.status.ready),
    });
  };
  for (const d of deployments) {
    if (byNamespace.has(d.meta.namespace) || !d.meta.name.endsWith('-api') || d.replicas < 2) continue;
    byNamespace.set(d.meta.namespace, d.meta.name);
    add('Deployment', d, { minAvailable: Math.ceil(d.replicas / 2) });
  }
  for (const s of cluster.statefulSets.store.values()) if (s.replicas >= 2) add('StatefulSet', s, { maxUnavailable: 1 });
}

/**
 * A budget's health counted from the pods it selects now (ready and not terminating ones are
 * healthy), as the disruption controller counts it and the eviction decides with it.
 */
export function budgetHealth(cluster: Cluster, p: PdbRecord): PdbRecord['status'] {
  let expected = 0;
  let healthy = 0;
  for (const [, pod] of cluster.pods.store.scan(`${p.meta.namespace}/`, '')) {
    if (pod.stage === 'Succeeded' || pod.stage === 'Failed' || !Object.keys(p.matchLabels).every((k) => pod.meta.labels?.[k] === p.matchLabels[k])) continue;
    expected++;
    if (pod.stage === 'Running' && pod.ready && pod.meta.deletionTs === undefined) healthy++;
  }
  if (p.workload) {
    const key = objectKey(p.meta.namespace, p.workload.name);
    const w = p.workload.kind === 'Deployment' ? cluster.deployments.store.get(key) : cluster.statefulSets.store.get(key);
    if (w) expected = w.replicas;
  }
  return statusFor(p, expected, healthy);
}

/** POST poddisruptionbudgets: name, spec.selector.matchLabels, minAvailable or maxUnavailable (integers). */
export function createDisruptionBudget(cluster: Cluster, namespace: string, name: string, body: Record<string, unknown>, dryRun: boolean): PdbRecord {
  const meta = (body.metadata ?? {}) as { labels?: Record<string, string> };
  const spec = (body.spec ?? {}) as { selector?: { matchLabels?: Record<string, string> }; minAvailable?: unknown; maxUnavailable?: unknown };
  const invalid = (field: string, message: string) => errors.invalid('PodDisruptionBudget', 'policy', name, [{ field, reason: 'FieldValueInvalid', message }]);
  if (!name) throw errors.invalid('PodDisruptionBudget', 'policy', '', [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]);
  if (cluster.pdbs.store.has(objectKey(namespace, name))) throw errors.alreadyExists('poddisruptionbudgets', 'policy', name);
  const int = (v: unknown) => (v === undefined ? undefined : typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);
  const minAvailable = int(spec.minAvailable);
  const maxUnavailable = int(spec.maxUnavailable);
  if (minAvailable === null) throw invalid('spec.minAvailable', 'Invalid value: the warroom demo platform takes a whole number');
  if (maxUnavailable === null) throw invalid('spec.maxUnavailable', 'Invalid value: the warroom demo platform takes a whole number');
  if (minAvailable !== undefined && maxUnavailable !== undefined) throw invalid('spec', 'Invalid value: minAvailable and maxUnavailable cannot be both set');
  const record: PdbRecord = {
    meta: { name, namespace, uid: randomUUID(), rv: 0, created: Date.now(), labels: meta.labels, generation: 1 },
    matchLabels: { ...(spec.selector?.matchLabels ?? {}) },
    ...(minAvailable !== undefined ? { minAvailable } : {}),
    ...(maxUnavailable !== undefined ? { maxUnavailable } : {}),
    status: { expectedPods: 0, currentHealthy: 0, desiredHealthy: 0, disruptionsAllowed: 0 },
  };
  const withStatus = { ...record, status: budgetHealth(cluster, record) };
  return dryRun ? withStatus : cluster.pdbs.store.create(withStatus);
}

/** Keeps each budget's status in step with its pods (called about once a second). */
export function refreshDisruptionBudgets(cluster: Cluster): void {
  for (const p of [...cluster.pdbs.store.values()]) {
    // The seeded budgets follow their workload's counts (cheap at 100,000 pods); one created through the API counts its pods.
    const w = p.workload && (p.workload.kind === 'Deployment' ? cluster.deployments.store : cluster.statefulSets.store).get(objectKey(p.meta.namespace, p.workload.name));
    if (p.workload && !w) continue;
    const status = w ? statusFor(p, w.replicas, w.status.ready) : budgetHealth(cluster, p);
    const s = p.status;
    if (s.expectedPods === status.expectedPods && s.currentHealthy === status.currentHealthy && s.desiredHealthy === status.desiredHealthy) continue;
    cluster.pdbs.store.update(objectKey(p.meta.namespace, p.meta.name), (cur) => ({ ...cur, status }));
  }
}
