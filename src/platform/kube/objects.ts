import type { ReadSession } from './kubeSession.js';
import type { EventRow } from './rows.js';
import type { ObjectMeta } from './tableTypes.js';

// On-demand reads for detail views: a whole object when the user opens it, never kept in tables.

export type KubeObject = {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta & Record<string, unknown>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [field: string]: unknown;
};

export type { EventRow };

/** Which object: enough to GET it (group, version, plural), show it (kind) and find its events (uid). */
export interface ObjectRef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural: deployments. */
  resource: string;
  kind: string;
  /** Undefined for a cluster-scoped object (a node, a namespace). */
  namespace?: string;
  name: string;
  uid?: string;
}

/** `/apis/apps/v1/namespaces/cart/deployments/cart-api`. */
export function objectPath(ref: ObjectRef): string {
  const gv = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  const ns = ref.namespace ? `/namespaces/${encodeURIComponent(ref.namespace)}` : '';
  return `${gv}${ns}/${ref.resource}/${encodeURIComponent(ref.name)}`;
}

/** The whole object, read when the user opens it (YAML, describe). */
export function getObject(session: ReadSession, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject> {
  return session.getJson<KubeObject>(objectPath(ref), undefined, signal);
}

export interface InvolvedObject {
  kind: string;
  name: string;
  uid?: string;
}

export function getPod(session: ReadSession, namespace: string, name: string, signal?: AbortSignal): Promise<KubeObject> {
  return session.getJson<KubeObject>(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
    undefined,
    signal,
  );
}

export interface EventJson {
  metadata?: { uid?: string; name?: string; namespace?: string; creationTimestamp?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string; apiVersion?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
}

interface EventList {
  metadata?: { continue?: string };
  items?: EventJson[];
}

const EVENT_PAGE = 500;
/** Pathological objects (a crash-looping pod for weeks) can have thousands; stop reading there. */
const EVENT_READ_CAP = 5_000;

/** The field selector of an object's events (kubectl describe's): its kind, name and, when known, uid. */
export function involvedSelector(involved: InvolvedObject): string {
  const selector = [`involvedObject.kind=${involved.kind}`, `involvedObject.name=${involved.name}`];
  if (involved.uid) selector.push(`involvedObject.uid=${involved.uid}`);
  return selector.join(',');
}

/**
 * Events about one object, newest first, at most `limit`. `namespace` '' reads every namespace's
 * (the events of a node or another cluster-scoped object are recorded in `default` or anywhere).
 */
export async function listEvents(
  session: ReadSession,
  namespace: string,
  involved: InvolvedObject,
  signal?: AbortSignal,
  limit = 50,
): Promise<EventRow[]> {
  const fieldSelector = involvedSelector(involved);
  const path = namespace ? `/api/v1/namespaces/${encodeURIComponent(namespace)}/events` : '/api/v1/events';
  const rows: EventRow[] = [];
  let cont: string | undefined;
  do {
    const page = await session.getJson<EventList>(
      path,
      { fieldSelector, limit: EVENT_PAGE, continue: cont },
      signal,
    );
    for (const e of page.items ?? []) rows.push(compactEvent(e));
    cont = page.metadata?.continue || undefined;
  } while (cont && rows.length < EVENT_READ_CAP);
  rows.sort((a, b) => b.lastSeen - a.lastSeen);
  return rows.slice(0, limit);
}

function time(...candidates: Array<string | null | undefined>): number {
  for (const c of candidates) {
    if (!c) continue;
    const t = Date.parse(c);
    if (Number.isFinite(t)) return t;
  }
  return 0;
}

// Event text comes from anything that can write events: no terminal control sequences.
 
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** An Event as the compact row the views show (text cleaned of control sequences, the message capped). */
export function compactEvent(e: EventJson): EventRow {
  const created = e.metadata?.creationTimestamp;
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || '';
  const io = e.involvedObject ?? {};
  // One line each: a message's line breaks become spaces.
  const clean = (v: string | undefined, max = 200) => (v ?? '').replace(CONTROL, '').replace(/[\n\t]+/g, ' ').slice(0, max);
  return {
    uid: e.metadata?.uid ?? '',
    namespace: clean(e.metadata?.namespace),
    name: clean(e.metadata?.name),
    involved: { kind: clean(io.kind), name: clean(io.name), namespace: clean(io.namespace), uid: clean(io.uid), fieldPath: clean(io.fieldPath), apiVersion: clean(io.apiVersion) },
    type: clean(e.type),
    reason: clean(e.reason),
    message: clean(e.message, 1000).trim(),
    count: e.series?.count ?? e.count ?? 1,
    firstSeen: time(e.firstTimestamp, e.eventTime, created),
    lastSeen: time(e.series?.lastObservedTime, e.lastTimestamp, e.eventTime, created),
    source: host ? `${component}, ${host}` : component,
  };
}
