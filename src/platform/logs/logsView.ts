import { DEFAULT_QUERY, LEVEL_FILTER_ORDER, RANGE_PRESETS, TimeRangeError, type LogQuery } from './logQuery.js';
import { applyQueryLine } from './queryLine.js';
import { LogRing, type RingLimits } from './logRing.js';
import type { JsonMode, LogsSnapshot, LogsToggles } from './logsStore.js';

// What a logs pane does with the lines it holds, the same for one cluster's logs (LogsStore)
// and a fleet's merged logs (FleetLogsStore): scrolling, n/N over the search terms, the
// histogram's bar, the display toggles. The stores differ in where lines come from (pause,
// resume and loading older lines), which they implement.

/** A pane with no lines yet: following, the default query, an empty ring of these limits. */
export function blankLogs(version: number, limits: RingLimits, toggles: LogsToggles = { wrap: false, timestamps: true, json: 'raw', tags: true }): LogsSnapshot {
  return {
    version,
    query: DEFAULT_QUERY,
    busy: false,
    loadingOlder: false,
    following: true,
    top: 0,
    waiting: 0,
    droppedOld: 0,
    droppedUnseen: 0,
    exhausted: false,
    ring: new LogRing(limits),
    terms: [],
    toggles,
    previous: false,
    limits,
  };
}

export abstract class LogsView {
  protected abstract snap: LogsSnapshot;
  protected abstract set(patch: Partial<LogsSnapshot>, now?: boolean): void;
  /** Older lines than the oldest held (paging back in the sources). */
  protected abstract loadOlder(): void | Promise<void>;
  /** Reads the lines of `query` (from the `/` line `line`, when it came from one). */
  protected abstract runQuery(query: LogQuery, line?: string): void;
  abstract pause(): void;
  abstract resume(): void;

  /** The `/` line: query_string text with @range / @level directives. */
  search(line: string): void {
    let query: LogQuery;
    try {
      query = applyQueryLine(this.snap.query, line);
    } catch (err) {
      if (err instanceof TimeRangeError) return this.set({ error: err.message, rejected: { line, reason: err.message } });
      throw err;
    }
    this.runQuery(query, line);
  }

  cycleLevels(): void {
    const i = LEVEL_FILTER_ORDER.indexOf(this.snap.query.levels);
    this.runQuery({ ...this.snap.query, levels: LEVEL_FILTER_ORDER[(i + 1) % LEVEL_FILTER_ORDER.length] });
  }

  cycleRange(): void {
    const r = this.snap.query.range;
    const i = r.kind === 'relative' ? RANGE_PRESETS.findIndex((p) => p.ms === r.ms) : -1;
    this.runQuery({ ...this.snap.query, range: { kind: 'relative', ms: RANGE_PRESETS[(i + 1) % RANGE_PRESETS.length].ms } });
  }

  togglePause(): void {
    if (this.snap.following) this.pause();
    else this.resume();
  }

  /** Where the top of the view is now (following: the last screen). */
  currentTop(height: number): number {
    const ring = this.snap.ring;
    return this.snap.following ? Math.max(ring.first, ring.end - height) : this.snap.top;
  }

  /** n / N: the next line (after the top) holding a search term. */
  nextMatch(dir: 1 | -1, height: number): void {
    const terms = this.snap.terms;
    if (!terms.length) return this.set({ notice: 'no search terms to jump to; search with / first' });
    const lower = terms.map((t) => t.toLowerCase());
    const ring = this.snap.ring;
    const from = this.snap.match ?? this.currentTop(height) + (dir > 0 ? -1 : height);
    for (let p = from + dir; p >= ring.first && p < ring.end; p += dir) {
      const text = ring.at(p)!.plain.toLowerCase();
      if (lower.some((t) => text.includes(t))) {
        if (this.snap.following) this.pause();
        const top = Math.max(ring.first, p - Math.floor(height / 3));
        return this.set({ match: p, top, notice: undefined });
      }
    }
    this.set({ notice: `no ${dir > 0 ? 'later' : 'earlier'} match in the ${ring.length} lines held` });
  }

  selectBar(delta: number): void {
    const h = this.snap.histogram;
    if (!h || !h.buckets.length) return;
    const cur = this.snap.bar ?? h.buckets.length - 1;
    this.set({ bar: Math.max(0, Math.min(h.buckets.length - 1, cur + delta)) });
  }

  clearBar(): boolean {
    if (this.snap.bar === undefined) return false;
    this.set({ bar: undefined });
    return true;
  }

  toggle(what: keyof LogsToggles): void {
    const t = this.snap.toggles;
    const next = what === 'json' ? { ...t, json: (t.json === 'raw' ? 'pretty' : t.json === 'pretty' ? 'kv' : 'raw') as JsonMode } : { ...t, [what]: !t[what] };
    this.set({ toggles: next });
  }

  /** Moves the top of a paused view to an absolute position; near the start, loads older lines. */
  scrollTo(pos: number, height: number): void {
    const ring = this.snap.ring;
    if (this.snap.following) this.pause();
    const max = Math.max(ring.first, ring.end - height);
    const top = Math.max(ring.first, Math.min(max, pos));
    this.set({ top });
    if (top - ring.first < height && !this.snap.exhausted) void this.loadOlder();
  }
}
