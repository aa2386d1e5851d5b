import { CoalescingNotifier } from '../stores/coalescingNotifier.js';
import { blankLogs, LogsView } from './logsView.js';
import { writeLogs } from './logExport.js';
import type { LogLine } from './logLine.js';
import { DEFAULT_RING_LIMITS, type RingLimits } from './logRing.js';
import { describeRange, rangeReachesNow, type LogQuery } from './logQuery.js';
import { describeScope, scopeKey, type LogScope } from './logScope.js';
import type { ClusterLogsState, LinesEvent, LogsSnapshot, LogsStore } from './logsStore.js';
import type { Histogram } from './logSource.js';
import { highlightTerms } from './queryLine.js';

// One logs pane over every cluster of a fleet (#12): an application's or a system's lines from
// each cluster's own logs store (its Elasticsearch, else its Kubernetes log API fallback, each
// with its own cursor, dedup, fallback and errors), merged by time into one bounded ring, each
// line tagged with its cluster. A query (search, level, range) goes to every cluster; paging,
// pausing, matches, bars and toggles work on the merged ring. A cluster that fails says so in
// `clusters` (the pane's source line) and never holds up the others.

/** What the logs pane drives: a context's logs store, or a fleet's merged one. */
export type LogsPaneStore = Pick<
  LogsStore,
  | 'subscribe'
  | 'getSnapshot'
  | 'search'
  | 'cancel'
  | 'clearBar'
  | 'leaveJump'
  | 'togglePause'
  | 'resume'
  | 'scrollTo'
  | 'currentTop'
  | 'nextMatch'
  | 'cycleLevels'
  | 'cycleRange'
  | 'selectBar'
  | 'jumpToBar'
  | 'toggle'
  | 'write'
  | 'togglePrevious'
  | 'retry'
  | 'histogramBuckets'
>;

/** A cluster of the fleet as this store needs it (a ContextRuntime is one). */
export interface FleetLogsMember {
  readonly contextName: string;
  readonly logs: LogsStore;
}

interface Member {
  label: string;
  store: LogsStore;
  unsubscribe: () => void;
  /** Lines of this cluster held in the merged ring. */
  held: number;
}

/** Each cluster's store holds its share of the merged pane's limits (memory stays bounded as for one cluster). */
function share(limits: RingLimits, n: number): RingLimits {
  return { maxLines: Math.max(500, Math.ceil(limits.maxLines / n)), maxBytes: Math.max(1 << 20, Math.ceil(limits.maxBytes / n)) };
}

/** The clusters' strips added up, on the grid of the first one that has bars. */
export function sumHistograms(all: ReadonlyArray<Histogram | undefined>): Histogram | undefined {
  const present = all.filter((h): h is Histogram => !!h && h.buckets.length > 0);
  if (present.length === 0) return all.find((h) => h);
  const base = present[0];
  const buckets = base.buckets.map((b) => ({ ...b }));
  const first = buckets[0].start;
  for (const h of present.slice(1)) {
    for (const b of h.buckets) {
      const target = buckets[Math.floor((b.start - first) / base.intervalMs)];
      if (!target) continue;
      target.count += b.count;
      target.errors += b.errors;
    }
  }
  return { from: base.from, to: base.to, intervalMs: base.intervalMs, buckets };
}

export class FleetLogsStore extends LogsView {
  private readonly notifier = new CoalescingNotifier(100);
  protected snap: LogsSnapshot;
  private members: Member[] = [];
  private buckets = 60;

  constructor(private readonly fleet: () => readonly FleetLogsMember[]) {
    super();
    this.snap = this.blank(DEFAULT_RING_LIMITS);
  }

  protected runQuery(query: LogQuery, line?: string): void {
    this.run(query, line);
  }

  /** Each cluster pages back in its own source; their older lines merge in as they come. */
  protected loadOlder(): void {
    for (const m of this.members) if (!m.store.getSnapshot().exhausted) m.store.older();
  }

  subscribe = (l: () => void) => this.notifier.subscribe(l);
  getSnapshot = (): LogsSnapshot => this.snap;

  get histogramBuckets(): number {
    return this.buckets;
  }

  set histogramBuckets(n: number) {
    this.buckets = n;
    for (const m of this.members) m.store.histogramBuckets = n;
  }

  private blank(limits: RingLimits): LogsSnapshot {
    return { ...blankLogs(this.snap ? this.snap.version + 1 : 0, limits, this.snap?.toggles), clusters: [] };
  }


  protected set(patch: Partial<LogsSnapshot>, now = true): void {
    this.snap = { ...this.snap, ...patch, version: this.snap.version + 1 };
    if (now) this.notifier.flushNow();
    else this.notifier.changed();
  }

  /**
   * Opens the scope in every cluster (`labels`: the clusters' short names, in the fleet's
   * order, the lines' tags). The same scope again keeps what is there.
   */
  open(scope: LogScope, labels: readonly string[]): void {
    if (this.snap.scope && scopeKey(this.snap.scope) === scopeKey(scope) && this.members.length > 0) return;
    this.close();
    const fleet = this.fleet();
    let configured: RingLimits | undefined;
    this.members = fleet.map((c, i) => ({ label: labels[i] ?? c.contextName, store: c.logs, unsubscribe: () => {}, held: 0 }));
    for (const m of this.members) {
      m.store.histogramBuckets = this.buckets;
      m.store.onLines((e) => this.take(m, e));
      m.store.open(scope, { cluster: m.label, limits: (l) => share((configured ??= l), fleet.length) });
    }
    this.snap = { ...this.blank(configured ?? DEFAULT_RING_LIMITS), scope };
    for (const m of this.members) m.unsubscribe = m.store.subscribe(() => this.refresh(false));
    this.refresh(true);
  }

  /** Closes every cluster's session: no cluster keeps following. */
  close(): void {
    for (const m of this.members) {
      m.unsubscribe();
      m.store.onLines(undefined);
      m.store.close();
    }
    this.members = [];
    this.snap = this.blank(this.snap.limits);
  }

  dispose(): void {
    this.close();
    this.notifier.dispose();
  }

  /** A cluster's lines into the merged ring: merged by time, never a re-sort of the ring. */
  private take(m: Member, e: LinesEvent): void {
    const s = this.snap;
    const ring = s.ring;
    let top = s.top;
    let droppedUnseen = s.droppedUnseen;
    let waiting = s.waiting;
    let droppedOld = s.droppedOld;
    if (e.kind === 'reset') {
      // A new result of this cluster replaces its lines (the others keep theirs until theirs comes).
      if (m.held > 0) ring.remove((l) => l.cluster === m.label);
      m.held = 0;
      top = Math.min(Math.max(top, ring.first), ring.end);
    }
    const { dropped, before } = ring.merge(e.lines, e.kind === 'prepend' ? 'back' : 'front', top);
    this.recount(m, e.lines, dropped);
    if (!s.following) {
      top += before;
      if (e.kind === 'append') waiting += e.lines.length;
      if (top < ring.first) {
        droppedUnseen += ring.first - top;
        top = ring.first;
      }
    }
    if (e.kind !== 'prepend') droppedOld += dropped;
    const clusters = s.clusters?.map((c) => ({ ...c, lines: this.members.find((x) => x.label === c.label)?.held ?? c.lines }));
    this.set({ top, waiting, droppedUnseen, droppedOld, clusters }, false);
  }

  /** Keeps each cluster's count of held lines (lines dropped may be any cluster's). */
  private recount(m: Member, added: readonly LogLine[], dropped: number): void {
    m.held += added.length;
    if (dropped === 0) return;
    const counts = new Map<string, number>();
    for (const l of this.snap.ring.lines()) counts.set(l.cluster ?? '', (counts.get(l.cluster ?? '') ?? 0) + 1);
    for (const x of this.members) x.held = counts.get(x.label) ?? 0;
  }

  /** The clusters' states into the merged snapshot: busy, exhausted, the strip, each source. */
  private refresh(now: boolean): void {
    const snaps = this.members.map((m) => m.store.getSnapshot());
    const clusters: ClusterLogsState[] = this.members.map((m, i) => ({
      label: m.label,
      source: snaps[i].source,
      sourceWhy: snaps[i].sourceWhy,
      error: snaps[i].error,
      busy: snaps[i].busy,
      lines: m.held,
    }));
    const failing = snaps.filter((s) => s.error);
    const rejected = snaps.find((s) => s.rejected)?.rejected;
    this.set(
      {
        clusters,
        busy: snaps.some((s) => s.busy),
        loadingOlder: snaps.some((s) => s.loadingOlder),
        exhausted: snaps.length > 0 && snaps.every((s) => s.exhausted || !!s.error),
        histogram: sumHistograms(snaps.map((s) => s.histogram)),
        // A change in any cluster marks the strip.
        markers: snaps.some((s) => s.markers?.length) ? snaps.flatMap((s) => s.markers ?? []) : undefined,
        // Every cluster failing is the pane's problem; one failing is its source line's.
        error: snaps.length > 0 && failing.length === snaps.length ? (rejected?.reason ?? failing[0].error) : undefined,
        rejected,
      },
      now,
    );
  }

  // ------------------------------------------------------------------ user actions

  /** The same query to every cluster (each keeps its result, or its previous one if it rejects it). */
  private run(query: LogQuery, line?: string, jumpedFrom?: LogQuery): void {
    const ring = this.snap.ring;
    // A cluster not answering cannot give the new result: its old lines would pass for matches.
    for (const m of this.members) {
      if (!m.store.getSnapshot().error || m.held === 0) continue;
      ring.remove((l) => l.cluster === m.label);
      m.held = 0;
    }
    this.set({
      query,
      terms: highlightTerms(query.text),
      following: rangeReachesNow(query.range),
      top: ring.first,
      waiting: 0,
      droppedUnseen: 0,
      match: undefined,
      bar: undefined,
      jumpedFrom,
      notice: jumpedFrom ? `Esc: back to ${describeRange(jumpedFrom.range)}` : undefined,
      ...(line !== undefined ? { rejected: undefined } : {}),
    });
    for (const m of this.members) m.store.apply(query, line);
  }

  cancel(): boolean {
    return this.members.map((m) => m.store.cancel()).some(Boolean);
  }

  togglePrevious(): void {
    this.set({ previous: !this.snap.previous });
    for (const m of this.members) m.store.togglePrevious();
  }

  /** `r`: every cluster tries its Elasticsearch (and a cluster that did not answer, again). */
  retry(): void {
    for (const m of this.members) m.store.retry();
  }

  pause(): void {
    if (!this.snap.following) return;
    this.set({ following: false, waiting: 0, top: Math.max(this.snap.ring.first, this.snap.ring.end - 1) });
  }

  resume(): void {
    const ring = this.snap.ring;
    if (!rangeReachesNow(this.snap.query.range)) return this.set({ top: Math.max(ring.first, ring.end - 1) });
    // Older history loaded over the limits pushed the newest lines out: read the tails again.
    if (ring.droppedNew > 0) return this.run(this.snap.query);
    this.set({ following: true, waiting: 0, droppedUnseen: 0, bar: undefined, jumpedFrom: undefined, notice: this.snap.jumpedFrom ? undefined : this.snap.notice });
  }






  jumpToBar(height: number): void {
    const h = this.snap.histogram;
    const i = this.snap.bar;
    if (!h || i === undefined) return;
    const b = h.buckets[i];
    const ring = this.snap.ring;
    const back = this.snap.jumpedFrom ?? this.snap.query;
    const oldest = ring.oldest;
    if (oldest && b.start >= oldest.ts) {
      let p = ring.first;
      while (p < ring.end && ring.at(p)!.ts < b.start) p++;
      this.scrollTo(p, height);
      this.set({ bar: undefined, match: undefined, jumpedFrom: back, notice: `Esc: back to ${describeRange(back.range)}` });
      return;
    }
    this.run({ ...this.snap.query, range: { kind: 'absolute', from: b.start, to: b.start + h.intervalMs } }, undefined, back);
  }


  leaveJump(): boolean {
    const back = this.snap.jumpedFrom;
    if (!back) return false;
    const q = this.snap.query;
    if (q.text === back.text && q.levels === back.levels && JSON.stringify(q.range) === JSON.stringify(back.range)) {
      this.set({ jumpedFrom: undefined, notice: undefined });
      if (rangeReachesNow(back.range)) this.resume();
    } else this.run(back);
    return true;
  }


  /** `w`: the merged lines to a file, each with its cluster. */
  write(dir?: string): void {
    const scope = this.snap.scope;
    if (!scope) return;
    try {
      const { path, lines } = writeLogs(this.snap.ring, scope, dir, 'fleet');
      this.set({ notice: `wrote ${lines} lines to ${path}` });
    } catch (err) {
      this.set({ notice: `cannot write the logs: ${(err as Error).message}` });
    }
  }

  scopeLabel(): string {
    return this.snap.scope ? `${describeScope(this.snap.scope)} in every cluster` : '';
  }
}
