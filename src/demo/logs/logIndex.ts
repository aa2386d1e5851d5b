import { DEFAULT_GENERATOR, generateLines, hash32, type GeneratorOptions } from './lineGenerator.js';
import type { DemoLogPod, DemoPodView } from './podView.js';

// The documents of the demo's Elasticsearch: generated per system (namespace) the first
// time it is searched, then kept up to date on each search, and dropped after the retention.
// Each document becomes searchable a little after its timestamp (like a shipper plus the
// index refresh), and a few much later: late arrivals the console's tail must still place.

export interface StoredDoc {
  /** Order of indexing; the demo's `_shard_doc` (one shard). */
  seq: number;
  id: string;
  index: string;
  ts: number;
  visibleAt: number;
  namespace: string;
  pod: DemoLogPod;
  container: string;
  level: string;
  message: string;
}

export interface LogIndexOptions {
  /** How much history is kept and backfilled (default 1 h). */
  retentionMs: number;
  indexPrefix: string;
  generator: GeneratorOptions;
  /** Usual delay between a line's timestamp and it being searchable. */
  ingestDelayMs: number;
  now: () => number;
}

export const DEFAULT_LOG_INDEX: LogIndexOptions = {
  retentionMs: 60 * 60_000,
  indexPrefix: 'warroom-logs-',
  generator: DEFAULT_GENERATOR,
  ingestDelayMs: 400,
  now: () => Date.now(),
};

interface NamespaceDocs {
  docs: StoredDoc[];
  generatedUntil: number;
  /** Containers already backfilled, by `uid/container` (pods that appear later get their history too). */
  known: Set<string>;
}

export function indexNameFor(prefix: string, ts: number): string {
  return prefix + new Date(ts).toISOString().slice(0, 10).replace(/-/g, '.');
}

export class LogIndex {
  private readonly byNs = new Map<string, NamespaceDocs>();
  private seq = 0;
  readonly options: LogIndexOptions;

  constructor(
    private readonly pods: DemoPodView,
    options: Partial<LogIndexOptions> = {},
  ) {
    this.options = { ...DEFAULT_LOG_INDEX, ...options };
  }

  /** Index names that exist now (one per day of the retention). */
  indices(): string[] {
    const now = this.options.now();
    const names = new Set<string>();
    for (let t = now - this.options.retentionMs; t <= now; t += 3_600_000) names.add(indexNameFor(this.options.indexPrefix, t));
    names.add(indexNameFor(this.options.indexPrefix, now));
    return [...names];
  }

  namespaces(): string[] {
    return this.pods.namespaces();
  }

  /** The documents of one namespace, oldest first, generated up to now. */
  docs(namespace: string): StoredDoc[] {
    const now = this.options.now();
    let ns = this.byNs.get(namespace);
    if (!ns) {
      ns = { docs: [], generatedUntil: now - this.options.retentionMs, known: new Set() };
      this.byNs.set(namespace, ns);
    }
    this.generate(namespace, ns, now);
    return ns.docs;
  }

  private generate(namespace: string, ns: NamespaceDocs, now: number): void {
    const from = ns.generatedUntil;
    if (now <= from) return;
    const start = now - this.options.retentionMs;
    const fresh: Omit<StoredDoc, 'seq'>[] = [];
    for (const pod of this.pods.podsIn(namespace)) {
      for (const container of pod.containers) {
        const key = `${pod.uid}/${container}`;
        // A container seen for the first time gets its whole retained history.
        const lo = ns.known.has(key) ? from : start;
        ns.known.add(key);
        for (const l of generateLines(pod, container, lo, now, this.options.generator)) fresh.push(this.doc(pod, container, l.ts, l.seq, l.level, l.message, 'cur'));
        if (lo === start && container === pod.containers[0] && pod.lastStartedAt !== undefined && pod.lastTerminatedAt !== undefined) {
          for (const l of generateLines(pod, container, lo, now, this.options.generator, [pod.lastStartedAt, pod.lastTerminatedAt])) fresh.push(this.doc(pod, container, l.ts, l.seq, l.level, l.message, 'prev'));
        }
      }
    }
    fresh.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const added = fresh.map((d) => ({ ...d, seq: ++this.seq }));
    const docs = ns.docs;
    if (docs.length === 0 || added.length === 0 || docs[docs.length - 1].ts <= added[0].ts) {
      for (const d of added) docs.push(d);
    } else {
      // Backfilled history of a newly seen container lands in the middle: one linear merge
      // (inserting doc by doc would be quadratic in a big system).
      ns.docs = mergeByTime(docs, added);
    }
    ns.generatedUntil = now;
    const drop = lowerBound(ns.docs, start);
    if (drop > 0) ns.docs.splice(0, drop);
  }

  private doc(pod: DemoLogPod, container: string, ts: number, seq: number, level: string, message: string, run: string): Omit<StoredDoc, 'seq'> {
    const id = `${pod.uid.slice(0, 8)}-${container}-${run}-${ts.toString(36)}-${seq}`;
    const h = hash32(id);
    // Most lines are searchable within ~0.4 s; one in 25 takes 2-4 s (a slow shipper).
    const lateness = h % 25 === 0 ? 2000 + (h % 2000) : this.options.ingestDelayMs + (h % 300);
    return { id, index: indexNameFor(this.options.indexPrefix, ts), ts, visibleAt: ts + lateness, namespace: pod.namespace, pod, container, level: level.toLowerCase(), message };
  }
}

/** First index whose ts is >= t. */
export function lowerBound(docs: readonly StoredDoc[], t: number): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid].ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges two lists sorted by time; on equal times the older list's documents come first. */
function mergeByTime(a: StoredDoc[], b: StoredDoc[]): StoredDoc[] {
  const out: StoredDoc[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) out[k++] = b[j].ts < a[i].ts ? b[j++] : a[i++];
  while (i < a.length) out[k++] = a[i++];
  while (j < b.length) out[k++] = b[j++];
  return out;
}
