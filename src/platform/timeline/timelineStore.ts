import { describeError } from '../errors.js';
import { sanitize } from '../text/sanitize.js';
import type { ContextTimeline } from './contextTimeline.js';
import { DEFAULT_TIMELINE_RANGE, SourceNotConfigured, TIMELINE_RANGES, timelineRange, type TimelineEntry, type TimelineScope } from './timelineEntry.js';

// The timeline (`T`, `:timeline`): every source of every cluster of the view read in parallel,
// their entries merged newest first. Each source says how it went in one line (loading, how many
// entries, not configured, failed) and one that fails or is not set up leaves the others shown.
// In a fleet each entry carries its cluster. Outside React: the pane draws the snapshot.

export interface SourceState {
  name: string;
  cluster?: string;
  /** partial: read, but some of it could not be (`detail` says what). */
  state: 'loading' | 'ok' | 'partial' | 'off' | 'error';
  /** Where it read (`Prometheus ALERTS (http://…)`), or why it is off or failed. */
  detail?: string;
  count: number;
}

export interface TimelineSnapshot {
  scope: TimelineScope;
  range: string;
  from: number;
  to: number;
  entries: TimelineEntry[];
  sources: SourceState[];
  cursor: number;
  /** Several clusters: each entry is tagged with its cluster. */
  fleet: boolean;
  /** How a cluster (context) is shown: the fleet's short names (`dc1`), as its columns show them. */
  label(context: string): string;
  version: number;
}

export interface TimelineStoreDeps {
  now?: () => number;
}

export class TimelineStore {
  private listeners = new Set<() => void>();
  private snap: TimelineSnapshot | undefined;
  private abort: AbortController | undefined;
  private members: readonly ContextTimeline[] = [];

  constructor(private readonly deps: TimelineStoreDeps = {}) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  private set(patch: Partial<TimelineSnapshot>): void {
    if (!this.snap) return;
    this.snap = { ...this.snap, ...patch, version: this.snap.version + 1 };
    for (const l of [...this.listeners]) l();
  }

  /**
   * Opens the timeline of a scope over the clusters given (one, or a fleet's). The same scope
   * opened again within two minutes (Esc back from an entry) keeps its entries and cursor.
   */
  open(scope: TimelineScope, members: readonly ContextTimeline[], range = DEFAULT_TIMELINE_RANGE, labels?: ReadonlyMap<string, string>): void {
    const s = this.snap;
    const now = (this.deps.now ?? Date.now)();
    if (s && scopeKey(s.scope) === scopeKey(scope) && sameMembers(this.members, members) && now - s.to < 120_000) return;
    this.close();
    this.members = members;
    this.snap = { scope, range: timelineRange(range) ? range : DEFAULT_TIMELINE_RANGE, from: 0, to: 0, entries: [], sources: [], cursor: 0, fleet: members.length > 1, label: (c) => labels?.get(c) ?? c, version: 0 };
    void this.load();
  }

  close(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.snap = undefined;
  }

  /** The next range (15m, 1h, 6h, 24h, 7d, then 15m again), read again. */
  cycleRange(): void {
    const s = this.snap;
    if (!s) return;
    const i = TIMELINE_RANGES.findIndex((r) => r.label === s.range);
    this.setRange(TIMELINE_RANGES[(i + 1) % TIMELINE_RANGES.length].label);
  }

  setRange(label: string): void {
    if (!this.snap || !timelineRange(label)) return;
    this.snap = { ...this.snap, range: label };
    void this.load();
  }

  move(delta: number): void {
    const s = this.snap;
    if (!s) return;
    this.set({ cursor: Math.max(0, Math.min(s.entries.length - 1, s.cursor + delta)) });
  }

  get selected(): TimelineEntry | undefined {
    return this.snap?.entries[this.snap.cursor];
  }

  /** Reads every source again (`r`). */
  async load(): Promise<void> {
    const s = this.snap;
    if (!s) return;
    this.abort?.abort();
    const ac = new AbortController();
    this.abort = ac;
    const to = (this.deps.now ?? Date.now)();
    const from = to - (timelineRange(s.range)?.ms ?? 3_600_000);
    const q = { scope: s.scope, from, to };
    const fleet = s.fleet;
    const runs = this.members.flatMap((m) => m.sources(q, ac.signal).map((src) => ({ src, cluster: fleet ? m.context : undefined })));
    const selectedKey = this.selected && entryKey(this.selected);
    this.set({ from, to, entries: [], cursor: 0, sources: runs.map(({ src, cluster }) => ({ name: src.name, cluster, state: 'loading', count: 0 })) });
    let entries: TimelineEntry[] = [];
    await Promise.all(
      runs.map(async ({ src, cluster }, i) => {
        let state: SourceState;
        try {
          const got = await src.read();
          if (ac.signal.aborted) return;
          const tagged = cluster ? got.entries.map((e) => ({ ...e, cluster })) : got.entries;
          entries = mergeNewestFirst(entries, tagged);
          state = { name: src.name, cluster, state: got.problem ? 'partial' : 'ok', detail: got.problem ?? got.source, count: got.entries.length };
        } catch (err) {
          if (ac.signal.aborted) return;
          state = { name: src.name, cluster, state: err instanceof SourceNotConfigured ? 'off' : 'error', detail: sanitize(describeError(err), { maxLength: 300 }), count: 0 };
        }
        const cur = this.snap;
        if (!cur || this.abort !== ac) return;
        const sources = cur.sources.slice();
        sources[i] = state;
        // The cursor stays on the entry it was on while the others arrive.
        const keep = cur.entries[cur.cursor];
        const key = keep ? entryKey(keep) : selectedKey;
        const cursor = Math.max(0, key ? entries.findIndex((e) => entryKey(e) === key) : 0);
        this.set({ entries, sources, cursor });
      }),
    );
  }
}

function scopeKey(s: TimelineScope): string {
  return `${s.namespace}|${s.app ? `${s.app.kind}/${s.app.name}` : ''}|${s.pod ?? ''}`;
}

function sameMembers(a: readonly ContextTimeline[], b: readonly ContextTimeline[]): boolean {
  return a.length === b.length && a.every((m, i) => m === b[i]);
}

function entryKey(e: TimelineEntry): string {
  return `${e.cluster ?? ''}|${e.time}|${e.kind}|${e.text}`;
}

/** Both newest first: one list, newest first (a stable merge). */
export function mergeNewestFirst(a: readonly TimelineEntry[], b: readonly TimelineEntry[]): TimelineEntry[] {
  return [...a, ...b].sort((x, y) => y.time - x.time);
}
