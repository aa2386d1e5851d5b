import type { ApiResource } from '../kube/discovery.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { objectPath, type KubeObject, type ObjectRef } from '../kube/objects.js';
import { describeError } from '../errors.js';
import { sanitize } from '../text/sanitize.js';
import { glyphs } from '../../terminal/glyphs.js';
import type { ActionGate } from './actionGate.js';
import { runBounded } from './boundedPool.js';
import { responseError } from './scaleClient.js';

// Delete (Ctrl-D) and kill (Ctrl-K) of any object, as kubectl does them: DELETE with the
// cascade chosen, kubectl's --cascade as the propagationPolicy — Background (the default: the
// object goes, the garbage collector removes what it owns), Foreground (the object stays,
// Terminating, until what it owns is gone) or Orphan (only the object goes; what it owned stays,
// no longer owned) —; a kill is a pod's DELETE with gracePeriodSeconds=0. The preview asks the API server: a
// SelfSubjectAccessReview for `delete`, the same DELETE with dryRun=All, and what else goes —
// the objects that name it in their ownerReferences, followed down (a Deployment's ReplicaSets
// and their pods, a Job's pods), or for a namespace everything in it, counted per kind. The
// deletion carries the previewed uid as a precondition (a pod recreated under the same name in
// between is not deleted) and is then followed until the object is gone; one that lingers names
// its finalizers.

export type DeleteMode = 'delete' | 'kill';

/** kubectl delete --cascade, as the DELETE's propagationPolicy. */
export type Cascade = 'Background' | 'Foreground' | 'Orphan';
export const CASCADES: readonly Cascade[] = ['Background', 'Foreground', 'Orphan'];

/** Kinds whose controllers own other objects: a delete of one offers the cascade even before its preview found what it owns. */
const OWNER_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicationController']);

/**
 * Whether the cascade means anything for the object: not for a pod (it owns nothing), nor for a
 * namespace (the namespace controller deletes everything in it, in the background, whatever the
 * policy), nor for a kill.
 */
export function cascadeApplies(mode: DeleteMode, ref: Pick<ObjectRef, 'group' | 'kind'>, dependents: readonly DependentGroup[] = []): boolean {
  if (mode !== 'delete' || (!ref.group && (ref.kind === 'Pod' || ref.kind === 'Namespace'))) return false;
  return OWNER_KINDS.has(ref.kind) || dependents.length > 0;
}

/** One object to delete and the cluster it is in. */
export interface DeleteTarget {
  ref: ObjectRef;
  context: string;
}

/** Objects of one kind that go with it. */
export interface DependentGroup {
  kind: string;
  count: number;
  /** A few names, for the preview. */
  names: string[];
}

export interface DeletePreview {
  target: DeleteTarget;
  ok: boolean;
  /** Why it will not be deleted (forbidden, refused by the dry-run, gone already). */
  reason?: string;
  uid?: string;
  /** Owned objects (or a namespace's contents) that go with it, by kind. */
  dependents: DependentGroup[];
  /** Of those, the ones it owns itself (not through another): what an Orphan delete leaves without an owner. */
  direct: DependentGroup[];
  /** The propagationPolicy the dry-run was asked with, and the deletion is sent with. */
  cascade: Cascade;
  /** Kinds whose dependents or contents could not be read (forbidden, failed), named in the preview. */
  unread: string[];
}

/** What a delete needs of the target's cluster. */
export interface DeleteCluster {
  gate: ActionGate;
  /** Discovery's resources (read once; a namespace's contents are counted over them). */
  resources(): Promise<readonly ApiResource[]>;
}

/** The kinds a controller owns objects of: where dependents are looked for (as kubectl's garbage collector finds them by ownerReferences). */
export const OWNED_KINDS: ReadonlyArray<Pick<ApiResource, 'group' | 'version' | 'resource' | 'kind'>> = [
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet' },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod' },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job' },
  { group: 'apps', version: 'v1', resource: 'controllerrevisions', kind: 'ControllerRevision' },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices', kind: 'EndpointSlice' },
];

const PAGE = 500;
/** A namespace with more objects of one kind than this is not read further for dependents. */
const READ_CAP = 20_000;
const SAMPLE = 3;

type ListJson = { metadata?: { continue?: string; remainingItemCount?: number }; items?: KubeObject[] };

function listPath(r: Pick<ApiResource, 'group' | 'version' | 'resource'>, namespace: string): string {
  const gv = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return `${gv}/namespaces/${encodeURIComponent(namespace)}/${r.resource}`;
}

/** The query of the DELETE: the cascade (Background as kubectl's default), and a kill's grace period of 0. */
export function deleteQuery(mode: DeleteMode, cascade: Cascade = 'Background'): Record<string, string | number> {
  return mode === 'kill' ? { propagationPolicy: 'Background', gracePeriodSeconds: 0 } : { propagationPolicy: cascade };
}

/** One namespace's objects of one owned kind, as read for a preview. */
export interface OwnedList {
  kind: string;
  items: KubeObject[];
  failed: boolean;
}

/** Lists read for one preview, by namespace and kind: marked objects of one namespace share them. */
export type OwnedListCache = Map<string, Promise<OwnedList>>;

async function readOwnedList(session: ReadSession, k: (typeof OWNED_KINDS)[number], namespace: string, signal?: AbortSignal): Promise<OwnedList> {
  const items: KubeObject[] = [];
  let cont: string | undefined;
  try {
    do {
      const page = await session.getJson<ListJson>(listPath(k, namespace), { limit: PAGE, continue: cont }, signal);
      items.push(...(page.items ?? []));
      cont = page.metadata?.continue || undefined;
    } while (cont && items.length < READ_CAP);
    return { kind: k.kind, items, failed: false };
  } catch {
    return { kind: k.kind, items, failed: true };
  }
}

/**
 * The objects in `namespace` owned, directly or through others, by the object `uid`, grouped by
 * kind. Each owned kind is listed once (once per preview with a cache); the ownership graph is
 * followed in memory.
 */
export async function ownedObjects(session: ReadSession, namespace: string, uid: string, served: readonly ApiResource[], signal?: AbortSignal, cache: OwnedListCache = new Map()): Promise<{ groups: DependentGroup[]; direct: DependentGroup[]; unread: string[] }> {
  // Only the kinds the cluster serves (all of them when discovery could not be read).
  const kinds = served.length ? OWNED_KINDS.filter((k) => served.some((r) => r.group === k.group && r.resource === k.resource)) : OWNED_KINDS;
  const lists = await Promise.all(
    kinds.map((k) => {
      const key = `${namespace}|${k.group}/${k.resource}`;
      let list = cache.get(key);
      if (!list) cache.set(key, (list = readOwnedList(session, k, namespace, signal)));
      return list;
    }),
  );
  const unread = lists.filter((l) => l.failed).map((l) => l.kind);
  const owners = new Set([uid]);
  const found = new Map<string, { kind: string; name: string; direct: boolean }>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const list of lists) {
      for (const o of list.items) {
        const id = String(o.metadata.uid ?? '');
        if (!id || owners.has(id)) continue;
        const refs = (o.metadata as { ownerReferences?: Array<{ uid?: string }> }).ownerReferences ?? [];
        if (!refs.some((r) => r.uid !== undefined && owners.has(r.uid))) continue;
        owners.add(id);
        found.set(id, { kind: list.kind, name: sanitize(String(o.metadata.name ?? '')), direct: refs.some((r) => r.uid === uid) });
        grew = true;
      }
    }
  }
  const all = [...found.values()];
  return { groups: groupByKind(all), direct: groupByKind(all.filter((o) => o.direct)), unread };
}

function groupByKind(objects: Array<{ kind: string; name: string }>): DependentGroup[] {
  const by = new Map<string, DependentGroup>();
  for (const o of objects) {
    const g = by.get(o.kind) ?? { kind: o.kind, count: 0, names: [] };
    g.count++;
    if (g.names.length < SAMPLE) g.names.push(o.name);
    by.set(o.kind, g);
  }
  return [...by.values()].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
}

/** Events are not counted among a namespace's contents (they go with it, and there are many). */
const NOT_COUNTED = new Set(['events', 'events.events.k8s.io']);

/**
 * Everything in a namespace, counted per kind: a list with limit=1 of each namespaced kind
 * discovery names, its count the page's items plus metadata.remainingItemCount.
 */
export async function namespaceContents(session: ReadSession, resources: readonly ApiResource[], namespace: string, signal?: AbortSignal): Promise<{ groups: DependentGroup[]; unread: string[] }> {
  const listable = resources.filter((r) => r.namespaced && r.verbs.includes('list') && !NOT_COUNTED.has(r.group ? `${r.resource}.${r.group}` : r.resource));
  const unread: string[] = [];
  const counts = await runBounded(listable, 8, async (r) => {
    try {
      const page = await session.getJson<ListJson>(listPath(r, namespace), { limit: 1 }, signal);
      const items = page.items ?? [];
      return { kind: r.kind, count: items.length + (page.metadata?.remainingItemCount ?? 0), names: items.map((o) => sanitize(String(o.metadata.name ?? ''))) };
    } catch {
      unread.push(r.kind);
      return undefined;
    }
  }, signal);
  const groups = counts.filter((c): c is DependentGroup => c !== undefined && c.count > 0).sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind));
  return { groups, unread };
}

/** The preview of one object: may the user delete it, does the server's dry-run accept it, and what goes with it. */
export async function previewDelete(cluster: DeleteCluster, target: DeleteTarget, mode: DeleteMode, signal?: AbortSignal, lists?: OwnedListCache, cascade: Cascade = 'Background'): Promise<DeletePreview> {
  const { gate } = cluster;
  const { ref } = target;
  const base: DeletePreview = { target, ok: false, dependents: [], direct: [], unread: [], cascade: cascadeApplies(mode, ref) ? cascade : 'Background' };
  const where = ref.namespace ? ` in ${ref.namespace}` : '';
  try {
    const access = await gate.canI({ verb: 'delete', group: ref.group, resource: ref.resource, namespace: ref.namespace ?? '', name: ref.name }, signal);
    if (!access.allowed) return { ...base, reason: `forbidden: user ${gate.session.user} may not delete ${ref.resource}${where}${access.reason ? ` (${sanitize(access.reason)})` : ''}` };
    const live = await gate.session.request('GET', objectPath(ref), { signal, timeoutMs: 30_000 });
    if (live.status === 404) return { ...base, reason: 'gone already' };
    if (live.status !== 200) throw responseError(live, `reading ${ref.kind} ${ref.name}`);
    const uid = String((live.body as KubeObject).metadata?.uid ?? '') || undefined;
    const owned = ref.kind === 'Namespace' && !ref.group
      ? { ...(await namespaceContents(gate.session, await cluster.resources(), ref.name, signal)), direct: [] }
      : ref.namespace && uid
        ? await ownedObjects(gate.session, ref.namespace, uid, await cluster.resources().catch(() => []), signal, lists)
        : { groups: [], direct: [], unread: [] };
    // An object of another kind that owns something (a Service its EndpointSlices) takes the cascade too.
    const sent = cascadeApplies(mode, ref, owned.groups) ? cascade : 'Background';
    const dry = await gate.dryRun((client) => client.request('DELETE', objectPath(ref), { query: deleteQuery(mode, sent), signal, timeoutMs: 30_000 }));
    if (dry.status !== 200 && dry.status !== 202) return { ...base, uid, cascade: sent, reason: sanitize(responseError(dry, 'the server\'s dry-run refused it').message) };
    return { ...base, ok: true, uid, cascade: sent, dependents: owned.groups, direct: owned.direct, unread: owned.unread };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ...base, reason: sanitize(describeError(err)) };
  }
}

const plural = (g: Pick<DependentGroup, 'count' | 'kind'>) => `${g.count} ${g.kind}${g.count === 1 ? '' : 's'}`;

/** One line of what goes with it: "2 ReplicaSets, 14 Pods". */
export function dependentsLine(groups: readonly DependentGroup[]): string {
  return groups.map(plural).join(', ');
}

/**
 * What an Orphan delete leaves behind, from the preview: the objects it owns itself lose their
 * owner, and what they own stays theirs. "ReplicaSet web-7d9f and its 3 Pods", "2 ReplicaSets
 * (web-7d9f, web-5c4b) and their 3 Pods", "3 Pods (db-0, db-1, db-2), 1 ControllerRevision".
 */
export function orphansLine(p: Pick<DeletePreview, 'dependents' | 'direct'>): string {
  const direct = p.direct.map((g) => (g.count === 1 ? `${g.kind} ${g.names[0] ?? ''}`.trim() : `${plural(g)} (${g.names.join(', ')}${g.count > g.names.length ? `, ${glyphs.ellipsis}` : ''})`));
  const below = p.dependents
    .map((g) => ({ ...g, count: g.count - (p.direct.find((d) => d.kind === g.kind)?.count ?? 0) }))
    .filter((g) => g.count > 0);
  const many = p.direct.reduce((n, g) => n + g.count, 0) > 1;
  return `${direct.join(', ')}${below.length ? ` and ${many ? 'their' : 'its'} ${dependentsLine(below)}` : ''}`;
}

/** Sends the DELETE through the gate (audited), with the previewed uid as a precondition. */
export async function applyDelete(gate: ActionGate, preview: DeletePreview, mode: DeleteMode, operation?: string): Promise<void> {
  const { ref } = preview.target;
  const what = dependentsLine(preview.dependents);
  const query = deleteQuery(mode, preview.cascade);
  const deleted = !what ? 'deleted' : preview.cascade === 'Orphan' ? `deleted, orphaning ${orphansLine(preview)}` : `deleted with ${what}`;
  await gate.perform({
    action: mode,
    target: { namespace: ref.namespace ?? '', kind: ref.kind, name: ref.name, apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version, uid: preview.uid },
    to: mode === 'kill' ? 'killed (grace period 0)' : 'deleted',
    options: Object.entries(query).map(([k, v]) => `${k}=${v}`).join(' '),
    dryRun: 'accepted',
    operation,
    eventMessage: `${mode === 'kill' ? 'killed (grace period 0)' : `${deleted} (cascade ${preview.cascade})`} by ${gate.session.user} with warroom`,
    run: async (client) => {
      const res = await client.request('DELETE', objectPath(ref), {
        query,
        body: { kind: 'DeleteOptions', apiVersion: 'v1', ...(preview.uid ? { preconditions: { uid: preview.uid } } : {}) },
        timeoutMs: 30_000,
      });
      if (res.status !== 200 && res.status !== 202) throw responseError(res, `deleting ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
    },
  });
}

export type DeletionState =
  | { kind: 'gone' }
  | { kind: 'terminating'; since: number; finalizers: string[] };

/** One look at a deleted object: gone (404, or another object under its name), or still there and why. */
export async function deletionState(session: ReadSession, ref: ObjectRef, uid: string | undefined, signal?: AbortSignal): Promise<DeletionState> {
  const res = await session.request('GET', objectPath(ref), { signal, timeoutMs: 15_000 });
  if (res.status === 404) return { kind: 'gone' };
  if (res.status !== 200) throw responseError(res, `reading ${ref.kind} ${ref.name}`);
  const o = res.body as KubeObject;
  if (uid && o.metadata?.uid && o.metadata.uid !== uid) return { kind: 'gone' };
  const meta = o.metadata as { deletionTimestamp?: string; finalizers?: string[] };
  const spec = (o.spec ?? {}) as { finalizers?: string[] };
  const finalizers = [...(meta.finalizers ?? []), ...(ref.kind === 'Namespace' ? (spec.finalizers ?? []) : [])].map((f) => sanitize(f));
  return { kind: 'terminating', since: meta.deletionTimestamp ? Date.parse(meta.deletionTimestamp) : Date.now(), finalizers };
}
