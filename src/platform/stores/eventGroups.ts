import type { EventRow } from '../kube/rows.js';

// Events as an on-call engineer reads them: one line per object and reason (a pod's hundred
// BackOff events are one line with their count), Warnings first, newest first.

export interface EventGroupRow {
  /** The object and the reason: `uid|Warning|BackOff`. */
  key: string;
  type: string;
  reason: string;
  /** `pod/cart-api-7d9f-x2k4q`, as kubectl prints the involved object. */
  object: string;
  /** The involved object's system ('' for a cluster-scoped object). */
  namespace: string;
  involved: EventRow['involved'];
  /** Occurrences, summed over the group's Event objects. */
  count: number;
  firstSeen: number;
  lastSeen: number;
  /** The newest event's message and source. */
  message: string;
  source: string;
  /** The newest Event object of the group (its YAML, its description). */
  latest: Pick<EventRow, 'uid' | 'name' | 'namespace'>;
}

export function groupEvents(events: Iterable<EventRow>): EventGroupRow[] {
  const groups = new Map<string, EventGroupRow>();
  for (const e of events) {
    const io = e.involved;
    const who = io.uid || `${io.kind}/${io.namespace}/${io.name}`;
    const key = `${who}|${e.type}|${e.reason}`;
    const g = groups.get(key);
    const seen = e.lastSeen || e.firstSeen;
    if (!g) {
      groups.set(key, {
        key,
        type: e.type,
        reason: e.reason,
        object: `${io.kind.toLowerCase()}/${io.name}`,
        namespace: io.namespace || e.namespace,
        involved: io,
        count: e.count,
        firstSeen: e.firstSeen || seen,
        lastSeen: seen,
        message: e.message,
        source: e.source,
        latest: { uid: e.uid, name: e.name, namespace: e.namespace },
      });
      continue;
    }
    g.count += e.count;
    if (e.firstSeen && (!g.firstSeen || e.firstSeen < g.firstSeen)) g.firstSeen = e.firstSeen;
    if (seen >= g.lastSeen) {
      g.lastSeen = seen;
      g.message = e.message;
      g.source = e.source;
      g.latest = { uid: e.uid, name: e.name, namespace: e.namespace };
    }
  }
  return [...groups.values()];
}

/** Warnings before everything else, then the newest first: the default order of the Events view. */
export function warningsFirst(a: EventGroupRow, b: EventGroupRow): number {
  const wa = a.type === 'Warning' ? 0 : 1;
  const wb = b.type === 'Warning' ? 0 : 1;
  return wa - wb || b.lastSeen - a.lastSeen;
}
