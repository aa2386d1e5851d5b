import type { HpaRow, NamespaceRow, NodeRow, PodRow, WorkloadRow } from '../kube/rows.js';
import type { WatchStatus } from '../kube/watchTypes.js';
import { CoalescingNotifier } from './coalescingNotifier.js';
import { RowTable } from './rowTable.js';

// The live picture of one cluster: compact rows per resource plus aggregates kept
// incrementally (a pod event adjusts its system's and application's counters; nothing
// rescans 100,000 pods). Views read it through selectors; it notifies at most 10 times a second.

export interface PodCounters {
  pods: number;
  ready: number;
  restarts: number;
}

export interface SystemCounters extends PodCounters {
  apps: number;
}

export type ResourceName = 'namespaces' | 'deployments' | 'statefulsets' | 'pods' | 'hpas';

const emptyCounters = (): PodCounters => ({ pods: 0, ready: 0, restarts: 0 });

/** Adds `p` to (sign 1) or takes it from (-1) the set of pods under `key`; an emptied set goes. */
function indexPod(map: Map<string, Set<PodRow>>, key: string, p: PodRow, sign: 1 | -1): void {
  let m = map.get(key);
  if (sign > 0) {
    if (!m) map.set(key, (m = new Set()));
    m.add(p);
  } else if (m) {
    m.delete(p);
    if (m.size === 0) map.delete(key);
  }
}

/** Counts `p` in (or out of) the counters under `key`; counters of no pods go. */
function countPodIn(map: Map<string, PodCounters>, key: string, p: PodRow, sign: 1 | -1): void {
  let c = map.get(key);
  if (!c) map.set(key, (c = emptyCounters()));
  c.pods += sign;
  c.restarts += sign * p.restarts;
  if (isPodReady(p)) c.ready += sign;
  if (c.pods === 0) map.delete(key);
}

export function isPodReady(p: PodRow): boolean {
  return p.total > 0 && p.ready === p.total && p.status !== 'Terminating';
}

export function appCounterKey(namespace: string, appKey: string): string {
  return `${namespace}\n${appKey}`;
}

export class ClusterStore {
  /** `cluster`: the context whose rows these are, written on each pod row it takes. */
  constructor(readonly cluster = '') {}

  private readonly notifier = new CoalescingNotifier(100);
  /** Replaced on every notification, so useSyncExternalStore sees a new snapshot. */
  private snapshot = { version: 0 };

  readonly podsBySystem = new Map<string, PodCounters>();
  readonly podsByApp = new Map<string, PodCounters>();
  readonly appsBySystem = new Map<string, number>();
  readonly hpaTargets = new Map<string, number>();
  /**
   * Pods indexed by system and by application, so a view never scans every pod. Sets of the rows
   * `pods` holds (a Set's entry is two words, a Map's three: ~5 MB less at 150,000 pods).
   */
  readonly podsInSystem = new Map<string, Set<PodRow>>();
  readonly podsInApp = new Map<string, Set<PodRow>>();
  /** Pods by the node they run on (the Nodes view's pod counts, Enter on a node). */
  readonly podsOnNode = new Map<string, Set<PodRow>>();

  readonly namespaces = new RowTable<NamespaceRow>(() => this.changed(), () => this.changed());
  readonly deployments = new RowTable<WorkloadRow>((a, b) => this.workloadChanged(a, b), () => this.changed());
  readonly statefulSets = new RowTable<WorkloadRow>((a, b) => this.workloadChanged(a, b), () => this.changed());
  readonly pods = new RowTable<PodRow>((a, b) => this.podChanged(a, b), () => this.changed());
  readonly hpas = new RowTable<HpaRow>((a, b) => this.hpaChanged(a, b), () => this.changed());
  /**
   * Nodes, for the zone of each pod. Not one of `tables`: many users may not list nodes, and
   * that must not read as a problem of the cluster; zones are then unknown.
   */
  readonly nodes = new RowTable<NodeRow>(() => this.nodeChanged(), () => this.nodeChanged());

  readonly tables: { namespaces: RowTable<NamespaceRow>; deployments: RowTable<WorkloadRow>; statefulsets: RowTable<WorkloadRow>; pods: RowTable<PodRow>; hpas: RowTable<HpaRow> } = {
    namespaces: this.namespaces,
    deployments: this.deployments,
    statefulsets: this.statefulSets,
    pods: this.pods,
    hpas: this.hpas,
  };

  private readonly podListeners = new Set<(previous: PodRow | undefined, next: PodRow | undefined) => void>();

  subscribe = (listener: () => void) => this.notifier.subscribe(listener);

  /** Every pod change as it happens (before the coalesced notification), for incremental indexes. */
  onPodChange(listener: (previous: PodRow | undefined, next: PodRow | undefined) => void): () => void {
    this.podListeners.add(listener);
    return () => this.podListeners.delete(listener);
  }
  getSnapshot = () => this.snapshot;

  /** The zone of a node ('' when unknown: not listed, not labelled, or nodes forbidden). */
  zoneOf(nodeName: string): string {
    if (!nodeName) return '';
    if (this.nodeZones.version !== this.nodeChanges) {
      this.nodeZones = { version: this.nodeChanges, byName: new Map([...this.nodes.rows.values()].map((n) => [n.name, n.zone])) };
    }
    return this.nodeZones.byName.get(nodeName) ?? '';
  }

  private nodeChanges = 0;
  private nodeZones: { version: number; byName: Map<string, string> } = { version: -1, byName: new Map() };

  systemCounters(namespace: string): SystemCounters {
    const c = this.podsBySystem.get(namespace) ?? emptyCounters();
    return { ...c, apps: this.appsBySystem.get(namespace) ?? 0 };
  }

  appCounters(namespace: string, appKey: string): PodCounters {
    return this.podsByApp.get(appCounterKey(namespace, appKey)) ?? emptyCounters();
  }

  /**
   * The server's reason when the user may not list `resource` in `namespace` (the counts of
   * that system are unknown, not zero); undefined when they may, or it is not known yet.
   */
  forbiddenIn(resource: 'pods' | 'deployments' | 'statefulsets', namespace: string): string | undefined {
    const table = this.tables[resource];
    const status = table.watchStatus;
    return table.forbidden.get(namespace) ?? (status.kind === 'forbidden' ? status.message : undefined);
  }

  hasHpa(namespace: string, appKey: string): boolean {
    return (this.hpaTargets.get(appCounterKey(namespace, appKey)) ?? 0) > 0;
  }

  /** The statuses of all watches, for the header's connection state. */
  statuses(): Array<[ResourceName, WatchStatus]> {
    return (Object.keys(this.tables) as ResourceName[]).map((k) => [k, this.tables[k].watchStatus]);
  }

  /**
   * True once the API server has answered any watch (a list, a 403, a failure it reported).
   * Before that the console is still connecting: nothing shown says anything about the cluster.
   */
  answered(): boolean {
    return Object.values(this.tables).some((t) => t.synced || t.watchStatus.kind === 'live' || t.watchStatus.kind === 'forbidden' || t.watchStatus.kind === 'failed');
  }

  private nodeChanged(): void {
    this.nodeChanges++;
    this.changed();
  }

  clear(): void {
    for (const name of Object.keys(this.tables) as ResourceName[]) this.tables[name].clear();
    this.nodes.clear();
    this.notifyNow();
  }

  /** Rows a view reads beside this store changed (a view's own feed): re-render at the next tick, with the rest. */
  touch(): void {
    this.changed();
  }

  /** For changes the user caused: render at once instead of at the next tick. */
  notifyNow(): void {
    this.snapshot = { version: this.snapshot.version + 1 };
    this.notifier.flushNow();
  }

  dispose(): void {
    this.notifier.dispose();
  }

  private changed(): void {
    this.snapshot = { version: this.snapshot.version + 1 };
    this.notifier.changed();
  }

  private podChanged(previous: PodRow | undefined, next: PodRow | undefined): void {
    // Before anyone sees it: the row is this cluster's.
    if (next) next.cluster = this.cluster;
    if (previous) this.countPod(previous, -1);
    if (next) this.countPod(next, +1);
    for (const l of this.podListeners) l(previous, next);
    this.changed();
  }

  private countPod(p: PodRow, sign: 1 | -1): void {
    // `p` is the very row `pods` holds (RowTable hands over the stored previous), so it is found by identity.
    const app = p.appKey ? appCounterKey(p.namespace, p.appKey) : '';
    indexPod(this.podsInSystem, p.namespace, p, sign);
    if (app) indexPod(this.podsInApp, app, p, sign);
    if (p.node) indexPod(this.podsOnNode, p.node, p, sign);
    countPodIn(this.podsBySystem, p.namespace, p, sign);
    if (app) countPodIn(this.podsByApp, app, p, sign);
  }

  private workloadChanged(previous: WorkloadRow | undefined, next: WorkloadRow | undefined): void {
    const bump = (ns: string, d: number) => {
      const n = (this.appsBySystem.get(ns) ?? 0) + d;
      if (n === 0) this.appsBySystem.delete(ns);
      else this.appsBySystem.set(ns, n);
    };
    if (previous) bump(previous.namespace, -1);
    if (next) bump(next.namespace, +1);
    this.changed();
  }

  private hpaChanged(previous: HpaRow | undefined, next: HpaRow | undefined): void {
    const bump = (h: HpaRow, d: number) => {
      const key = appCounterKey(h.namespace, h.targetKey);
      const n = (this.hpaTargets.get(key) ?? 0) + d;
      if (n === 0) this.hpaTargets.delete(key);
      else this.hpaTargets.set(key, n);
    };
    if (previous) bump(previous, -1);
    if (next) bump(next, +1);
    this.changed();
  }
}
