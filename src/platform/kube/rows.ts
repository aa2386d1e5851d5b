// Compact rows: the columns the console shows plus the few fields actions need.
// Never full Kubernetes objects (100,000 pods must fit in a few tens of MB).

export type WorkloadKind = 'Deployment' | 'StatefulSet';

export interface NamespaceRow {
  uid: string;
  name: string;
  /** From the label or annotation `warroom.io/display-name` (falls back to the name). */
  displayName: string;
  phase: string;
  createdAt: number; // epoch ms
  resourceVersion: string;
}

export interface WorkloadRow {
  uid: string;
  kind: WorkloadKind;
  namespace: string;
  name: string;
  desired: number;
  ready: number;
  available: number;
  upToDate: number;
  images: string;
  /** Fingerprint of the pod template (podTemplate.ts): the fleet tells template drift by it; '' or absent when unknown. */
  template?: string;
  /** It has a deletionTimestamp: Terminating (a Foreground delete waits for its dependents); absent otherwise. */
  deleting?: true;
  createdAt: number;
  resourceVersion: string;
}

export interface PodRow {
  uid: string;
  namespace: string;
  name: string;
  ready: number;
  total: number;
  /** The printer's status: Running, Pending, ContainerCreating, CrashLoopBackOff, Terminating, ... */
  status: string;
  restarts: number;
  createdAt: number;
  node: string;
  ip: string;
  /** Key of the owning application (`Deployment/name` or `StatefulSet/name`), '' for bare pods. */
  appKey: string;
  /**
   * The context whose store holds the row ('' until a store takes it): the fleet's pods list
   * lists the rows themselves, where a wrapper naming the cluster was ~7 MB at 150,000 pods.
   */
  cluster: string;
  // No resourceVersion: nothing reads a pod's, and one string per pod is ~30 bytes x 150,000.
}

export interface HpaRow {
  uid: string;
  namespace: string;
  name: string;
  /** `Deployment/name` as in the HPA's Reference column. */
  targetKey: string;
  min: number;
  max: number;
  current: number;
  /** The printer's Targets cell, e.g. `cpu: 45%/80%` (optional: added with the Table mappers). */
  targets?: string;
  resourceVersion: string;
}

export function appKey(kind: WorkloadKind, name: string): string {
  return `${kind}/${name}`;
}

/**
 * A ReplicaSet or ReplicationController, listed only while the ReplicaSets view is open so
 * that one can be scaled directly (issue 7).
 */
export interface ReplicaSetRow {
  uid: string;
  kind: 'ReplicaSet' | 'ReplicationController';
  namespace: string;
  name: string;
  /** The controlling owner as `Kind/name` (e.g. `Deployment/checkout`), '' when none. */
  owner: string;
  desired: number;
  current: number;
  ready: number;
  createdAt: number;
  resourceVersion: string;
}

/** A node: the zone its pods run in (the fleet's ZONE column) and what the Nodes view shows. */
export interface NodeRow {
  uid: string;
  name: string;
  /** `topology.kubernetes.io/zone` (or the older failure-domain label); '' when unlabelled. */
  zone: string;
  resourceVersion: string;
  /** The printer's Status: `Ready`, `NotReady`, `Unknown`, `Ready,SchedulingDisabled`. */
  status: string;
  /** The printer's Roles: `control-plane`, `worker`, '' for none. */
  roles: string;
  /** Kubelet version. */
  version: string;
  createdAt: number;
  /** From the node object (0 / [] when the watch did not carry it): allocatable pods, cores and bytes. */
  podCapacity: number;
  cpuAllocatable: number;
  memoryAllocatable: number;
  /** `key=value:Effect`, as kubectl describe lists them. */
  taints: string[];
  /** Conditions that signal trouble: a pressure condition True, NetworkUnavailable True (Ready is in `status`). */
  pressure: string[];
  internalIP: string;
}

/**
 * A row of any kind, as the API server printed it: the Table's cells as text, in the server's
 * column order, never the object. The Age cell is not kept (it goes stale; `createdAt` says it).
 */
export interface ResourceRow {
  uid: string;
  /** '' for a cluster-scoped object. */
  namespace: string;
  name: string;
  cells: string[];
  createdAt: number;
  resourceVersion: string;
  /** It has a deletionTimestamp: Terminating (a Foreground delete waits for its dependents); absent otherwise. */
  deleting?: true;
}

/** An Event (core/v1), compacted: for the Events view, a describe's events and the pod detail. Times are epoch ms (0 when unknown). */
export interface EventRow {
  uid: string;
  namespace: string;
  /** The Event object's own name. */
  name: string;
  /** Normal or Warning. */
  type: string;
  reason: string;
  message: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The reporting component (kubelet, default-scheduler, ...) and host when given. */
  source: string;
  involved: { kind: string; name: string; namespace: string; uid: string; fieldPath: string; apiVersion: string };
}
