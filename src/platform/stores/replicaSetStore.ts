import type { ReadSession } from '../kube/kubeSession.js';
import { replicaSetWatch, replicationControllerWatch, type ResourceWatch } from '../kube/rowMappers.js';
import type { ReplicaSetRow } from '../kube/rows.js';
import { watchTable } from '../kube/tableWatch.js';
import type { ListProgress, RowSink, WatchHandle, WatchStatus } from '../kube/watchTypes.js';
import type { ListFeed } from './listState.js';

// The rows of the ReplicaSets view: a list+watch of ReplicaSets and one of
// ReplicationControllers, only while that view is open (they are not part of the main feed:
// a Deployment keeps up to ten old ReplicaSets, and nothing else in the console needs them).

type Resource = 'replicasets' | 'replicationcontrollers';

interface Part {
  rows: Map<string, ReplicaSetRow>;
  /** Generation each row was last listed in, to drop rows a relist no longer has. */
  seen: Map<string, number>;
  status: WatchStatus;
  /** A complete list has arrived. */
  synced: boolean;
  /** How far the list under way has got. */
  progress?: ListProgress;
}

export class ReplicaSetStore {
  private readonly parts: Record<Resource, Part> = {
    replicasets: { rows: new Map(), seen: new Map(), status: { kind: 'listing' }, synced: false },
    replicationcontrollers: { rows: new Map(), seen: new Map(), status: { kind: 'listing' }, synced: false },
  };
  private readonly listeners = new Set<() => void>();
  private readonly handles: WatchHandle[] = [];
  /** Grows on every change, so a view can tell when to recompute. */
  version = 0;

  constructor(session: ReadSession, namespace: string | undefined, labelSelector: string | undefined) {
    const start = (resource: Resource, w: ResourceWatch<ReplicaSetRow>) =>
      this.handles.push(watchTable(session, { ...w.spec, namespace, labelSelector }, w.map, this.sink(resource)));
    start('replicasets', replicaSetWatch);
    start('replicationcontrollers', replicationControllerWatch);
  }

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  rows(): ReplicaSetRow[] {
    return [...this.parts.replicasets.rows.values(), ...this.parts.replicationcontrollers.rows.values()];
  }

  /** Both lists as the view's list state reads them (a cluster without ReplicationControllers has none to load). */
  feeds(): ListFeed[] {
    return Object.entries(this.parts)
      .filter(([, part]) => !(part.status.kind === 'failed' && part.status.code === 404))
      .map(([resource, part]) => ({
        resource,
        status: part.status,
        synced: part.synced || part.status.kind === 'live',
        ...(part.status.kind === 'forbidden' ? { forbidden: { reason: part.status.message } } : {}),
        ...(part.progress ? { progress: { received: part.progress.received, ...(part.progress.remaining !== undefined ? { expected: part.progress.received + part.progress.remaining } : {}) } } : {}),
      }));
  }

  /** What went wrong with either watch, for the view's problem line; undefined when fine. */
  problem(): string | undefined {
    for (const [resource, part] of Object.entries(this.parts)) {
      const st = part.status;
      // A cluster that does not serve ReplicationControllers (404) simply has none to show.
      if (st.kind === 'failed' && st.code === 404) continue;
      if (st.kind === 'failed' || st.kind === 'forbidden') return `${resource}: ${st.message}`;
      if (st.kind === 'reconnecting') return `${resource}: reconnecting (${st.reason})`;
    }
    return undefined;
  }

  stop(): void {
    for (const h of this.handles) h.stop();
    this.handles.length = 0;
    this.listeners.clear();
  }

  private changed(): void {
    this.version += 1;
    for (const l of [...this.listeners]) l();
  }

  private sink(resource: Resource): RowSink<ReplicaSetRow> {
    const part = this.parts[resource];
    return {
      listPage: (rows, generation, done, progress) => {
        part.progress = done ? undefined : progress;
        if (done) part.synced = true;
        for (const r of rows) {
          part.rows.set(r.uid, r);
          part.seen.set(r.uid, generation);
        }
        if (done) {
          for (const [uid, g] of part.seen) {
            if (g < generation) {
              part.seen.delete(uid);
              part.rows.delete(uid);
            }
          }
        }
        this.changed();
      },
      upsert: (row) => {
        part.rows.set(row.uid, row);
        part.seen.set(row.uid, part.seen.get(row.uid) ?? 0);
        this.changed();
      },
      remove: (uid) => {
        part.rows.delete(uid);
        part.seen.delete(uid);
        this.changed();
      },
      status: (status) => {
        part.status = status;
        this.changed();
      },
    };
  }
}
