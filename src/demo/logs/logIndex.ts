import { containerSeed, DEFAULT_GENERATOR, forEachLine, hash32, lineMessage, type GeneratorOptions, type Level, type QuickCount } from './lineGenerator.js';
import type { DemoLogPod, DemoPodView } from './podView.js';

// The documents of the demo's Elasticsearch, as a function rather than a store: a line is
// (container run, slot, index in its millisecond), generated on demand by lineGenerator.ts
// for the containers and the time window a search asks about. Nothing is materialised per
// namespace, so memory does not grow with the number of pods or the retention, and a
// search costs what its scope and window hold (esSearch.ts reads newest-first in growing
// windows and stops when the page is full).
//
// Each document becomes searchable a little after its timestamp (like a shipper plus the
// index refresh), and a few much later: late arrivals the console's tail must still place.
// Pods that leave the cluster keep their history for the retention, like a real log store.

export interface LogIndexOptions {
  /** How much history is kept (default 1 h). */
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

/** One run of one container: the unit lines are generated for. */
export interface LogStream {
  pod: DemoLogPod;
  container: string;
  /** The running container, or the one before the last restart. */
  run: 'cur' | 'prev';
  /** [start, end) of the run; end is +Infinity while it runs. */
  life: readonly [number, number];
  /** Base of the `_shard_doc` values of this run's lines (stable, unique per run). */
  shardBase: number;
  /** The generator's seed for the container. */
  seed: number;
}

/** A line with its identity, time and level; the text is built only when a search needs it. */
export interface LineHead {
  stream: LogStream;
  ts: number;
  /** Slot and index in the millisecond, as lineGenerator.ts numbers them. */
  k: number;
  j: number;
  /** Lower case, as the shipper indexes it. */
  level: string;
  inBurst: boolean;
  /** The demo's `_shard_doc`: unique per document, constant for the process's life (one shard). */
  shardDoc: number;
  message?: string;
}

const LEVELS: Record<Level, string> = { ERROR: 'error', WARN: 'warn', INFO: 'info', DEBUG: 'debug' };
const DAY_MS = 86_400_000;

export function indexNameFor(prefix: string, ts: number): string {
  return prefix + new Date(ts).toISOString().slice(0, 10).replace(/-/g, '.');
}

/** The UTC day number an index name of this prefix stands for, if it is one. */
export function dayOfIndex(prefix: string, name: string): number | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = /^(\d{4})\.(\d{2})\.(\d{2})$/.exec(name.slice(prefix.length));
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : undefined;
}

/** 45 bits from a run's key, times 8 (up to 6 lines share a millisecond): below 2^53. */
function shardBaseOf(key: string): number {
  return (hash32(key) * 8192 + (hash32(`${key}#`) & 8191)) * 8;
}

interface NamespaceStreams {
  /** The pod list these streams were built from (the pod view rebuilds it at most once a second). */
  source: readonly DemoLogPod[];
  streams: LogStream[];
}

/** Whether two snapshots of a pod have the same container runs. */
function sameRuns(a: DemoLogPod, b: DemoLogPod): boolean {
  return a.runningSince === b.runningSince && a.lastStartedAt === b.lastStartedAt && a.lastTerminatedAt === b.lastTerminatedAt && a.containers.length === b.containers.length && a.nodeName === b.nodeName && a.podIP === b.podIP;
}

export class LogIndex {
  readonly options: LogIndexOptions;
  private readonly built = new Map<string, NamespaceStreams>();
  /** Pods seen in the previous look at a namespace, by uid. */
  private readonly seen = new Map<string, Map<string, DemoLogPod>>();
  /** Pods that left, with the moment they were missed; kept for the retention. */
  private readonly departed = new Map<string, Map<string, { pod: DemoLogPod; goneAt: number }>>();
  /** The runs built for each pod, reused while the pod's runs are unchanged (by uid). */
  private readonly runs = new Map<string, { pod: DemoLogPod; goneAt: number; streams: LogStream[] }>();

  constructor(
    private readonly pods: DemoPodView,
    options: Partial<LogIndexOptions> = {},
  ) {
    this.options = { ...DEFAULT_LOG_INDEX, ...options };
  }

  now(): number {
    return this.options.now();
  }

  /** The oldest timestamp still held. */
  retainedFrom(): number {
    return this.now() - this.options.retentionMs;
  }

  /** Index names that exist now (one per day of the retention). */
  indices(): string[] {
    const now = this.now();
    const names = new Set<string>();
    for (let t = now - this.options.retentionMs; t <= now; t += 3_600_000) names.add(indexNameFor(this.options.indexPrefix, t));
    names.add(indexNameFor(this.options.indexPrefix, now));
    return [...names];
  }

  namespaces(): string[] {
    const out = new Set(this.pods.namespaces());
    for (const [ns, gone] of this.departed) if (gone.size > 0) out.add(ns);
    return [...out];
  }

  /** The container runs of a namespace with lines in the retention (departed pods included). */
  streams(namespace: string): readonly LogStream[] {
    const source = this.pods.podsIn(namespace);
    const cached = this.built.get(namespace);
    if (cached && cached.source === source) return cached.streams;
    const now = this.now();
    const current = new Map<string, DemoLogPod>();
    for (const p of source) current.set(p.uid, p);
    let gone = this.departed.get(namespace);
    const before = this.seen.get(namespace);
    if (before) {
      for (const [uid, pod] of before) {
        if (current.has(uid)) continue;
        if (!gone) this.departed.set(namespace, (gone = new Map()));
        if (!gone.has(uid)) gone.set(uid, { pod, goneAt: now });
      }
    }
    this.seen.set(namespace, current);
    const streams: LogStream[] = [];
    const add = (pod: DemoLogPod, goneAt: number) => {
      const cached = this.runs.get(pod.uid);
      if (cached && cached.goneAt === goneAt && sameRuns(cached.pod, pod)) {
        for (const s of cached.streams) streams.push(s);
        return;
      }
      const own: LogStream[] = [];
      for (const container of pod.containers) {
        if (pod.runningSince !== undefined && pod.runningSince < goneAt) {
          own.push({ pod, container, run: 'cur', life: [pod.runningSince, goneAt], shardBase: shardBaseOf(`${pod.uid}/${container}/cur`), seed: containerSeed(pod, container) });
        }
      }
      if (pod.lastStartedAt !== undefined && pod.lastTerminatedAt !== undefined && pod.containers.length > 0) {
        const container = pod.containers[0];
        own.push({ pod, container, run: 'prev', life: [pod.lastStartedAt, Math.min(pod.lastTerminatedAt, goneAt)], shardBase: shardBaseOf(`${pod.uid}/${container}/prev`), seed: containerSeed(pod, container) });
      }
      this.runs.set(pod.uid, { pod, goneAt, streams: own });
      for (const s of own) streams.push(s);
    };
    for (const p of source) add(p, Number.POSITIVE_INFINITY);
    if (gone) {
      const horizon = now - this.options.retentionMs;
      for (const [uid, g] of gone) {
        if (g.goneAt < horizon || current.has(uid)) {
          gone.delete(uid);
          this.runs.delete(uid);
        } else add(g.pod, g.goneAt);
      }
    }
    this.built.set(namespace, { source, streams });
    return streams;
  }

  /**
   * Calls `visit` for every line of the run in [from, to), oldest first; `head` is reused
   * between calls unless `fresh`. With `quick`, lines it can count are only counted.
   */
  forEachHead(stream: LogStream, from: number, to: number, visit: (head: LineHead) => void, fresh = false, quick?: QuickCount): void {
    const lo = Math.max(from, stream.life[0]);
    const hi = Math.min(to, stream.life[1]);
    if (!(hi > lo)) return;
    let shared: LineHead | undefined;
    forEachLine(stream.pod, stream.container, lo, hi, this.options.generator, stream.life, (ts, k, j, level, inBurst) => {
      if (fresh || !shared) shared = { stream, ts, k, j, level: LEVELS[level], inBurst, shardDoc: stream.shardBase + j };
      else {
        shared.ts = ts;
        shared.k = k;
        shared.j = j;
        shared.level = LEVELS[level];
        shared.inBurst = inBurst;
        shared.shardDoc = stream.shardBase + j;
        shared.message = undefined;
      }
      visit(shared);
    }, stream.seed, quick);
  }

  message(h: LineHead): string {
    h.message ??= lineMessage(h.stream.pod, h.stream.container, h.ts, h.k, h.j, h.level.toUpperCase() as Level, h.inBurst);
    return h.message;
  }

  id(h: LineHead): string {
    return `${h.stream.pod.uid.slice(0, 8)}-${h.stream.container}-${h.stream.run}-${h.ts.toString(36)}-${h.j}`;
  }

  indexName(ts: number): string {
    return indexNameFor(this.options.indexPrefix, ts);
  }

  /** The latest a line becomes searchable after its timestamp (see `visibleAt`). */
  maxLatenessMs(): number {
    return Math.max(4000, this.options.ingestDelayMs + 300);
  }

  /** When the line became searchable: most within ~0.4 s, one in 25 after 2-4 s (a slow shipper). */
  visibleAt(h: LineHead): number {
    const hash = hash32(this.id(h));
    return h.ts + (hash % 25 === 0 ? 2000 + (hash % 2000) : this.options.ingestDelayMs + (hash % 300));
  }
}
