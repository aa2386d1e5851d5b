import type { ReadSession } from '../kube/kubeSession.js';
import type { TimelineQuery } from './timelineEntry.js';

// The Kubernetes objects the timeline's readers share, read once per timeline load: the
// scope's workloads, their ReplicaSets / ControllerRevisions, the namespace's Events and the
// scope's pods. Each list is one request (its first page: the timeline is about what is recent,
// and a system with more objects than that is read in part, which the entry counts show).

export type Json = Record<string, unknown>;

export const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const ms = (v: unknown): number => Date.parse(str(v)) || 0;

const LIST_LIMIT = 5000;

const ns = (n: string) => encodeURIComponent(n);

export class TimelineReads {
  private memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly session: ReadSession,
    readonly query: TimelineQuery,
    private readonly signal?: AbortSignal,
  ) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = load()));
    return p;
  }

  private list(path: string, query: Record<string, string> = {}): Promise<Json[]> {
    return this.once(`${path}?${JSON.stringify(query)}`, async () => {
      const res = await this.session.getJson<{ items?: Json[] }>(path, { limit: LIST_LIMIT, ...query }, this.signal);
      return res.items ?? [];
    });
  }

  private get(path: string): Promise<Json | undefined> {
    return this.once(path, async () => {
      try {
        return await this.session.getJson<Json>(path, undefined, this.signal);
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw err;
      }
    });
  }

  /** The Deployments and StatefulSets of the scope (a pod's: the one that owns it, through its ReplicaSet). */
  workloads(): Promise<Json[]> {
    return this.once('workloads', async () => {
      const { scope } = this.query;
      const base = `/apis/apps/v1/namespaces/${ns(scope.namespace)}`;
      if (scope.app) {
        const w = await this.get(`${base}/${scope.app.kind === 'Deployment' ? 'deployments' : 'statefulsets'}/${encodeURIComponent(scope.app.name)}`);
        return w ? [{ ...w, kind: scope.app.kind }] : [];
      }
      if (scope.pod) {
        const owner = await this.podOwner();
        return owner ? [owner] : [];
      }
      const [deployments, statefulSets] = await Promise.all([this.list(`${base}/deployments`), this.list(`${base}/statefulsets`)]);
      return [...deployments.map((d) => ({ ...d, kind: 'Deployment' })), ...statefulSets.map((s) => ({ ...s, kind: 'StatefulSet' }))];
    });
  }

  /** The Deployment (through its ReplicaSet) or StatefulSet a pod belongs to. */
  private async podOwner(): Promise<Json | undefined> {
    const { scope } = this.query;
    const base = `/apis/apps/v1/namespaces/${ns(scope.namespace)}`;
    const pod = (await this.pods())[0];
    const controller = (o: Json | undefined) => arr(obj(o?.metadata).ownerReferences).map(obj).find((r) => r.controller === true);
    const ref = controller(pod);
    if (!ref) return undefined;
    if (ref.kind === 'StatefulSet') {
      const s = await this.get(`${base}/statefulsets/${encodeURIComponent(str(ref.name))}`);
      return s && { ...s, kind: 'StatefulSet' };
    }
    if (ref.kind !== 'ReplicaSet') return undefined;
    const rs = await this.get(`${base}/replicasets/${encodeURIComponent(str(ref.name))}`);
    const top = controller(rs);
    if (top?.kind !== 'Deployment') return undefined;
    const d = await this.get(`${base}/deployments/${encodeURIComponent(str(top.name))}`);
    return d && { ...d, kind: 'Deployment' };
  }

  /** The name of the application the scope is about (for a pod: its owner's), if any. */
  async appName(): Promise<{ kind: string; name: string } | undefined> {
    const { scope } = this.query;
    if (scope.app) return scope.app;
    if (!scope.pod) return undefined;
    const w = (await this.workloads())[0];
    return w ? { kind: str(w.kind), name: str(obj(w.metadata).name) } : undefined;
  }

  replicaSets(): Promise<Json[]> {
    return this.list(`/apis/apps/v1/namespaces/${ns(this.query.scope.namespace)}/replicasets`);
  }

  controllerRevisions(): Promise<Json[]> {
    return this.list(`/apis/apps/v1/namespaces/${ns(this.query.scope.namespace)}/controllerrevisions`);
  }

  /** Every Event of the namespace (the readers pick the scope's objects). */
  events(): Promise<Json[]> {
    return this.list(`/api/v1/namespaces/${ns(this.query.scope.namespace)}/events`);
  }

  /** The scope's pods: the pod, the application's (its selector), or the system's. */
  pods(): Promise<Json[]> {
    return this.once('pods', async () => {
      const { scope } = this.query;
      const base = `/api/v1/namespaces/${ns(scope.namespace)}/pods`;
      if (scope.pod) {
        const p = await this.get(`${base}/${encodeURIComponent(scope.pod)}`);
        return p ? [p] : [];
      }
      if (scope.app) {
        const w = (await this.workloads())[0];
        const labels = obj(obj(obj(w?.spec).selector).matchLabels);
        const selector = Object.entries(labels).map(([k, v]) => `${k}=${str(v)}`).join(',');
        return selector ? this.list(base, { labelSelector: selector }) : [];
      }
      return this.list(base);
    });
  }
}

/** An Event's time: its last occurrence. */
export function eventTime(e: Json): number {
  return ms(e.lastTimestamp) || ms(obj(e.series).lastObservedTime) || ms(e.eventTime) || ms(obj(e.metadata).creationTimestamp);
}
