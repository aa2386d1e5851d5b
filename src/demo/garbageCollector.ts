// DELETE of any object the demo serves, with what the real API server and its garbage collector do
// around it: `propagationPolicy` Background (the object goes now, its dependents — objects whose
// ownerReferences name its uid — follow), Orphan (the dependents stay, their ownerReference to it
// removed) and Foreground (the object stays with deletionTimestamp and the foregroundDeletion
// finalizer until its dependents are gone). Pods are deleted gracefully by the controller (its
// kubelet), `gracePeriodSeconds=0` at once. Nodes are not deleted (the demo's scheduler keeps them).
import { ApiError } from './apiErrors.js';
import type { Cluster, Served } from './cluster.js';
import type { Controller } from './controller.js';
import type { OwnerRef, StoredObject } from './store.js';

export type Propagation = 'Background' | 'Foreground' | 'Orphan';
export const FOREGROUND_FINALIZER = 'foregroundDeletion';

export interface DeleteRequest {
  policy: Propagation;
  /** gracePeriodSeconds for pods (undefined: the pod's own). */
  grace?: number;
}

interface Dependent {
  served: Served<StoredObject>;
  key: string;
  obj: StoredObject;
}

/** How often a foreground deletion checks whether the dependents are gone. */
const FOREGROUND_POLL_MS = 200;
/** Background deletion: dependents follow shortly after, as the garbage collector's queue does. */
const BACKGROUND_DELAY_MS = 150;

export class GarbageCollector {
  constructor(
    private readonly cluster: Cluster,
    private readonly controller: Controller,
  ) {}

  /** The objects whose ownerReferences name `owner`, in its namespace (every namespace for a cluster-scoped owner). */
  dependentsOf(owner: StoredObject): Dependent[] {
    const out: Dependent[] = [];
    const prefix = owner.meta.namespace ? `${owner.meta.namespace}/` : '';
    for (const served of this.cluster.all()) {
      if (!served.kind.namespaced) continue;
      for (const [key, obj] of served.store.scan(prefix, '')) {
        if (obj.meta.owners?.some((o) => o.uid === owner.meta.uid)) out.push({ served, key, obj });
      }
    }
    return out;
  }

  /** Refuses what the demo does not delete; call before a dry-run answers too. */
  check(served: Served<StoredObject>, name: string): void {
    if (served.kind.resource === 'nodes') throw new ApiError(405, 'MethodNotAllowed', `the warroom demo platform does not delete nodes (${name})`, { kind: 'nodes', name });
  }

  /** Deletes the object at `key`; returns it as it is after the request (Terminating) or undefined when it is gone. */
  delete(served: Served<StoredObject>, key: string, req: DeleteRequest): StoredObject | undefined {
    const obj = served.store.get(key);
    if (!obj) return undefined;
    const resource = served.kind.resource;
    if (resource === 'pods') return this.controller.deletePod(key, req.grace !== undefined && req.grace < 0 ? 0 : req.grace);
    if (resource === 'namespaces') return this.controller.deleteNamespace(key);
    // A finalizer of someone else's (a controller that cleans up outside): the object stays,
    // Terminating, until its finalizers are removed (objectEdit.ts removes it then).
    if (obj.meta.finalizers?.some((f) => f !== FOREGROUND_FINALIZER)) {
      return obj.meta.deletionTs !== undefined ? obj : served.store.update(key, (cur) => ({ ...cur, meta: { ...cur.meta, deletionTs: Date.now(), deletionGrace: 0 } }));
    }
    if (req.policy === 'Orphan') {
      for (const d of this.dependentsOf(obj)) d.served.store.update(d.key, (cur) => ({ ...cur, meta: { ...cur.meta, owners: cur.meta.owners?.filter((o) => o.uid !== obj.meta.uid) } }));
      served.store.remove(key);
      return undefined;
    }
    if (req.policy === 'Foreground') return this.foreground(served, key, obj);
    if (resource === 'deployments') {
      this.controller.deleteDeployment(key);
      return undefined;
    }
    served.store.remove(key);
    this.later(BACKGROUND_DELAY_MS, () => this.deleteDependents(obj));
    return undefined;
  }

  private deleteDependents(owner: StoredObject): void {
    for (const d of this.dependentsOf(owner)) this.delete(d.served, d.key, { policy: 'Background' });
  }

  private foreground(served: Served<StoredObject>, key: string, obj: StoredObject): StoredObject | undefined {
    const marked = served.store.update(key, (cur) => ({
      ...cur,
      meta: { ...cur.meta, deletionTs: cur.meta.deletionTs ?? Date.now(), deletionGrace: 0, finalizers: [...new Set([...(cur.meta.finalizers ?? []), FOREGROUND_FINALIZER])] },
    }));
    for (const d of this.dependentsOf(obj)) this.delete(d.served, d.key, { policy: 'Foreground' });
    const uid = obj.meta.uid;
    const finish = () => {
      const cur = served.store.get(key);
      if (!cur || cur.meta.uid !== uid) return;
      if (this.dependentsOf(cur).length > 0) return this.later(FOREGROUND_POLL_MS, finish);
      served.store.remove(key);
    };
    this.later(FOREGROUND_POLL_MS, finish);
    return marked;
  }

  private later(ms: number, run: () => void): void {
    setTimeout(run, ms).unref();
  }
}

/** `propagationPolicy` from the query or the DeleteOptions body; kubectl's default is Background. */
export function propagationOf(query: string | null, body: unknown): Propagation {
  const fromBody = body && typeof body === 'object' ? (body as Record<string, unknown>).propagationPolicy : undefined;
  const value = query ?? (typeof fromBody === 'string' ? fromBody : undefined) ?? 'Background';
  if (value === 'Background' || value === 'Foreground' || value === 'Orphan') return value;
  throw new ApiError(400, 'BadRequest', `propagationPolicy: Unsupported value: "${value}": supported values: "Foreground", "Background", "Orphan"`, {});
}

/** metadata.finalizers as sent (strings only); undefined when there are none. */
export function finalizersOf(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value.filter((f): f is string => typeof f === 'string' && f !== '') : [];
  return list.length > 0 ? list : undefined;
}

/** metadata.ownerReferences as sent on a create: the well-formed ones (apiVersion, kind, name, uid), as the API server validates them. */
export function ownersOf(value: unknown): OwnerRef[] | undefined {
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const owners = (Array.isArray(value) ? value : []).flatMap((raw): OwnerRef[] => {
    const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const [apiVersion, kind, name, uid] = [str(o.apiVersion), str(o.kind), str(o.name), str(o.uid)];
    if (!apiVersion || !kind || !name || !uid) return [];
    return [{ apiVersion, kind, name, uid, ...(o.controller === true ? { controller: true } : {}), ...(o.blockOwnerDeletion === true ? { blockOwnerDeletion: true } : {}) }];
  });
  return owners.length > 0 ? owners : undefined;
}
