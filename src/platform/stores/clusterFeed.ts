import type { ReadSession } from '../kube/kubeSession.js';
import { watchTable, type WatchTableOptions } from '../kube/tableWatch.js';
import { deploymentWatch, hpaWatch, namespaceWatch, nodeWatch, statefulSetWatch, type ResourceWatch } from '../kube/rowMappers.js';
import { podListWatch } from '../kube/podProto.js';
import type { RowSink, WatchHandle, WatchSpec, WatchStatus } from '../kube/watchTypes.js';
import type { ClusterStore, ResourceName } from './clusterStore.js';
import { RowTablePartition, type RowTable } from './rowTable.js';

// Starts the watches that keep a ClusterStore live. One cluster-wide list+watch per
// resource: the Systems view needs every pod's counters, and one stream is cheaper for
// the API server than one per namespace. Where the user may not list a resource
// cluster-wide (403), the feed falls back to one watch per system, so the systems the
// user may see still work and the forbidden ones are named.

export interface FeedScope {
  /** Only this system (the user may lack cluster-wide rights, or asked for one system). */
  namespace?: string;
  /** A label selector sent to the server (the `/-l` filter). */
  labelSelector?: string;
  /** Which resources to watch; default all. */
  resources?: ResourceName[];
}

export function startClusterFeed(session: ReadSession, store: ClusterStore, scope: FeedScope = {}): WatchHandle {
  const { namespace, labelSelector } = scope;
  const wanted = new Set<ResourceName>(scope.resources ?? ['namespaces', 'deployments', 'statefulsets', 'hpas', 'pods']);
  const handles: WatchHandle[] = [];
  const specOf = (w: ResourceWatch<unknown>, extra: Partial<WatchSpec>): WatchSpec => ({
    ...w.spec,
    ...extra,
    ...(namespace ? { namespace } : {}),
    ...(labelSelector ? { labelSelector } : {}),
  });
  const start = <R extends { uid: string }>(name: ResourceName, w: ResourceWatch<R>, table: RowTable<R>, extra: Partial<WatchSpec> = {}) => {
    if (!wanted.has(name)) return;
    const spec = specOf(w as ResourceWatch<unknown>, extra);
    if (name === 'namespaces' || namespace) handles.push(watchTable(session, spec, w.map, table, listOptions(w)));
    else handles.push(watchWithFallback(session, store, spec, w, table));
  };
  if (!namespace) start('namespaces', namespaceWatch, store.namespaces);
  start('deployments', deploymentWatch, store.deployments);
  start('statefulsets', statefulSetWatch, store.statefulSets);
  start('hpas', hpaWatch, store.hpas);
  start('pods', podListWatch, store.pods, { pageSize: 1000, parallelNamespaces: 6 });
  // Zones of the pods' nodes (the cluster feed only, not a `/-l` view feed); a 403 leaves them unknown.
  if (!scope.resources && !labelSelector) handles.push(watchTable(session, nodeWatch.spec, nodeWatch.map, store.nodes));
  if (namespace && wanted.has('namespaces')) {
    store.namespaces.listPage(
      [{ uid: `ns:${namespace}`, name: namespace, displayName: namespace, phase: 'Active', createdAt: 0, resourceVersion: '' }],
      1,
      true,
    );
    store.namespaces.status({ kind: 'live' });
  }
  return { stop: () => handles.forEach((h) => h.stop()) };
}

/** How `w` is listed: in protobuf where it can be, its pages read off the console's thread where they are many. */
function listOptions<R>(w: ResourceWatch<R>): WatchTableOptions<R> {
  return { protobufList: w.protobufList, offThread: w.offThread };
}

function watchWithFallback<R extends { uid: string }>(
  session: ReadSession,
  store: ClusterStore,
  spec: WatchSpec,
  w: ResourceWatch<R>,
  table: RowTable<R>,
): WatchHandle {
  let stopped = false;
  let partitioned: PartitionedWatch<R> | undefined;
  const sink: RowSink<R> = {
    listPage: (rows, gen, done, progress) => table.listPage(rows, gen, done, progress),
    upsert: (row) => table.upsert(row),
    remove: (uid) => table.remove(uid),
    status: (status) => {
      if (status.kind === 'forbidden' && !partitioned && !stopped) {
        // Stop the cluster-wide watch outside its own callback, then go per system.
        queueMicrotask(() => {
          if (stopped || partitioned) return;
          clusterWide.stop();
          partitioned = new PartitionedWatch(session, store, spec, w, table);
        });
      }
      table.status(status);
    },
  };
  const clusterWide = watchTable(session, spec, w.map, sink, listOptions(w));
  return {
    stop: () => {
      stopped = true;
      clusterWide.stop();
      partitioned?.stop();
    },
  };
}

/** One watch per known system, following systems as they are created and deleted. */
class PartitionedWatch<R extends { uid: string }> {
  private readonly parts = new Map<string, { handle: WatchHandle; part: RowTablePartition<R> }>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly session: ReadSession,
    private readonly store: ClusterStore,
    private readonly spec: WatchSpec,
    private readonly w: ResourceWatch<R>,
    private readonly table: RowTable<R>,
  ) {
    this.unsubscribe = store.subscribe(() => this.sync());
    this.sync();
  }

  private sync(): void {
    const names = new Set([...this.store.namespaces.rows.values()].map((n) => n.name));
    for (const ns of names) {
      if (this.parts.has(ns)) continue;
      const part = new RowTablePartition<R>(this.table, (s) => this.partStatus(ns, s));
      this.parts.set(ns, { part, handle: watchTable(this.session, { ...this.spec, namespace: ns }, this.w.map, part, listOptions(this.w)) });
    }
    for (const [ns, p] of this.parts) {
      if (names.has(ns)) continue;
      p.handle.stop();
      p.part.drop();
      this.parts.delete(ns);
      this.table.forbidden.delete(ns);
    }
    this.partStatus();
  }

  private partStatus(ns?: string, s?: WatchStatus): void {
    if (ns && s) {
      if (s.kind === 'forbidden') this.table.forbidden.set(ns, s.message);
      else this.table.forbidden.delete(ns);
    }
    const statuses = [...this.parts.values()].map((p) => p.part.watchStatus);
    const down = statuses.find((x) => x.kind === 'reconnecting');
    const failed = statuses.find((x) => x.kind === 'failed');
    const listing = statuses.some((x) => x.kind === 'listing');
    const combined: WatchStatus = failed ?? down ?? (listing ? { kind: 'listing' } : { kind: 'live' });
    if (JSON.stringify(combined) !== JSON.stringify(this.table.watchStatus)) this.table.status(combined);
  }

  stop(): void {
    this.unsubscribe();
    for (const p of this.parts.values()) {
      p.handle.stop();
      this.table.partProgress.delete(p.part);
    }
    this.parts.clear();
  }
}
