import type { ReadSession } from './kubeSession.js';
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

/** A Kubernetes Event, compacted for the detail view. Times are epoch ms (0 when unknown). */
export type EventRow = {
  uid: string;
  /** Normal or Warning. */
  type: string;
  reason: string;
  message: string;
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The reporting component (kubelet, default-scheduler, ...) and host when given. */
  source: string;
};

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

interface EventJson {
  metadata?: { uid?: string; creationTimestamp?: string };
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

/** Events about one object, newest first, at most `limit`. */
export async function listEvents(
  session: ReadSession,
  namespace: string,
  involved: InvolvedObject,
  signal?: AbortSignal,
  limit = 50,
): Promise<EventRow[]> {
  const selector = [`involvedObject.kind=${involved.kind}`, `involvedObject.name=${involved.name}`];
  if (involved.uid) selector.push(`involvedObject.uid=${involved.uid}`);
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`;
  const rows: EventRow[] = [];
  let cont: string | undefined;
  do {
    const page = await session.getJson<EventList>(
      path,
      { fieldSelector: selector.join(','), limit: EVENT_PAGE, continue: cont },
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

function compactEvent(e: EventJson): EventRow {
  const created = e.metadata?.creationTimestamp;
  const component = e.source?.component || e.reportingComponent || '';
  const host = e.source?.host || '';
  return {
    uid: e.metadata?.uid ?? '',
    type: e.type ?? '',
    reason: (e.reason ?? '').replace(CONTROL, ''),
    message: (e.message ?? '').replace(CONTROL, '').trim(),
    count: e.series?.count ?? e.count ?? 1,
    firstSeen: time(e.firstTimestamp, e.eventTime, created),
    lastSeen: time(e.series?.lastObservedTime, e.lastTimestamp, e.eventTime, created),
    source: host ? `${component}, ${host}` : component,
  };
}
