import { CoalescingNotifier } from '../stores/coalescingNotifier.js';
import { blankLogs, LogsView } from './logsView.js';
import { logLinesDropped, logLinesIngested } from '../../self/selfMetrics.js';
import { ingestRecord } from './ingest.js';
import { writeLogs } from './logExport.js';
import type { LogLine, RawLogRecord } from './logLine.js';
import { DEFAULT_RING_LIMITS, LogRing, type RingLimits } from './logRing.js';
import { describeRange, rangeBounds, rangeReachesNow, type LogQuery, type TimeRange } from './logQuery.js';
import { describeScope, scopeKey, type LogScope } from './logScope.js';
import { isAbort, LogSourceError, type Histogram, type LogErrorKind, type LogSession, type LogSource, type LogSourceInfo } from './logSource.js';
import { highlightTerms } from './queryLine.js';

// The state of the logs pane, outside React: which source, the lines held (a bounded ring),
// follow or paused, the query, the histogram, the search position and the display toggles.
// It does all the fetching (abortable); the pane only reads snapshots and calls methods.
// Line arrivals notify at most 10 times a second; user actions notify at once.

export type JsonMode = 'raw' | 'pretty' | 'kv';

export interface LogsToggles {
  wrap: boolean;
  timestamps: boolean;
  json: JsonMode;
  tags: boolean;
}

export interface LogsSnapshot {
  version: number;
  scope?: LogScope;
  source?: LogSourceInfo;
  /** Why this source: e.g. no Elasticsearch configured, or Elasticsearch failed. */
  sourceWhy?: string;
  query: LogQuery;
  /** A query runs (the pane shows a spinner; Esc cancels). */
  busy: boolean;
  loadingOlder: boolean;
  /** One line: the last problem (a rejected query keeps the previous results). */
  error?: string;
  notice?: string;
  following: boolean;
  /** Absolute position of the first line shown while paused. */
  top: number;
  /** Lines that arrived while paused. */
  waiting: number;
  /** Lines dropped from memory (ring limits) since opening; and while paused past the view. */
  droppedOld: number;
  droppedUnseen: number;
  exhausted: boolean;
  ring: LogRing;
  histogram?: Histogram;
  /** Epoch ms of the scope's rollouts and scale changes over the strip's range (marked on it). */
  markers?: number[];
  /** Selected histogram bar (index), when the user is choosing one. */
  bar?: number;
  /** After Enter on a bar: the query to go back to with Esc (the range the user was in). */
  jumpedFrom?: LogQuery;
  /** The last `/` line that was not applied (unreadable, rejected by the source, cancelled), and why. */
  rejected?: { line: string; reason: string };
  /** Highlight terms of the current search. */
  terms: string[];
  /** Absolute position of the current match (n/N). */
  match?: number;
  toggles: LogsToggles;
  previous: boolean;
  limits: RingLimits;
  /** A fleet's merged logs: each cluster's source and state (the pane's source line). */
  clusters?: ClusterLogsState[];
}

/** Per cluster, in a fleet's merged logs: where its lines come from, or why none do. */
export interface ClusterLogsState {
  /** Short label (`dc1`), as the lines' cluster tag. */
  label: string;
  source?: LogSourceInfo;
  sourceWhy?: string;
  error?: string;
  busy: boolean;
  /** Lines of this cluster held in the merged ring. */
  lines: number;
}

/** How a fleet's merged logs open one cluster's store (see fleetLogsStore.ts). */
export interface OpenOptions {
  /** The cluster label each line gets. */
  cluster?: string;
  /** The ring limits of this store from the configured ones (its share of the merged pane's). */
  limits?: (configured: RingLimits) => RingLimits;
}

/** What a store tells about its lines: a new result (replacing this store's lines), arrivals, older history. */
export interface LinesEvent {
  kind: 'reset' | 'append' | 'prepend';
  lines: readonly LogLine[];
}

export interface SourceChoice {
  primary?: LogSource;
  fallback: LogSource;
  /** Shown when the fallback is used from the start (no Elasticsearch for this context...). */
  why?: string;
  limits: RingLimits;
}

const PAGE = 500;
const HISTOGRAM_REFRESH_MS = 10_000;
/**
 * Failures that last until someone changes something (credentials, certificate, index pattern, URL): a source that
 * was following moves to the Kubernetes log API on these only. Any other (unreachable, a timeout, a 5xx while
 * Elasticsearch restarts and recovers its shards) passes with time: it keeps its lines and retries.
 */
const LASTING: ReadonlySet<LogErrorKind> = new Set(['auth', 'tls', 'index', 'not-elasticsearch']);
/** Time one slice of arriving lines may take before the event loop gets a turn (keys, frames). */
const INGEST_SLICE_MS = 4;
/** Records ingested between two looks at the clock. */
const INGEST_CHECK_EVERY = 64;

interface Inbox {
  /** The session the records came from: records of a replaced one are dropped. */
  life: AbortController | undefined;
  records: RawLogRecord[];
  next: number;
}

/** Why a load was started: a `/` line typed, a bar jump (the query Esc goes back to). */
interface LoadVia {
  line?: string;
  jumpedFrom?: LogQuery;
}

function rejection(via: LoadVia, reason: string): Pick<LogsSnapshot, 'rejected'> | undefined {
  return via.line === undefined ? undefined : { rejected: { line: via.line, reason } };
}

function sameRange(a: TimeRange, b: TimeRange): boolean {
  return a.kind === 'relative' ? b.kind === 'relative' && a.ms === b.ms : b.kind === 'absolute' && a.from === b.from && a.to === b.to;
}

function sameQuery(a: LogQuery, b: LogQuery): boolean {
  return a.text === b.text && a.levels === b.levels && sameRange(a.range, b.range);
}

function backNotice(back: LogQuery): string {
  return `Esc: back to ${describeRange(back.range)}`;
}

export class LogsStore extends LogsView {
  private readonly notifier = new CoalescingNotifier(100);
  protected snap: LogsSnapshot;
  private choice: SourceChoice | undefined;
  private source: LogSource | undefined;
  private session: LogSession | undefined;
  /** Aborts the session's follow loop and all its requests. */
  private life: AbortController | undefined;
  /** Aborts the query the user is waiting for (Esc). */
  private pending: AbortController | undefined;
  private histogramTimer: NodeJS.Timeout | undefined;
  private pausedAtEnd = 0;
  private readonly inbox: Inbox[] = [];
  private queued = 0;
  /** Queued records dropped unread because the source ran far ahead of ingest. */
  private skipped = 0;
  private draining = false;
  private cluster: string | undefined;
  private listener: ((e: LinesEvent) => void) | undefined;
  histogramBuckets = 60;
  /** Where the strip's change markers come from (the context's timeline readers); none: no markers. */
  markers: ((scope: LogScope, from: number, to: number, signal: AbortSignal) => Promise<number[]>) | undefined;

  constructor(private readonly choose: () => SourceChoice) {
    super();
    this.snap = this.blank();
  }

  subscribe = (l: () => void) => this.notifier.subscribe(l);
  getSnapshot = (): LogsSnapshot => this.snap;

  private blank(): LogsSnapshot {
    return blankLogs(0, DEFAULT_RING_LIMITS);
  }


  protected set(patch: Partial<LogsSnapshot>, now = true): void {
    this.snap = { ...this.snap, ...patch, version: this.snap.version + 1 };
    if (now) this.notifier.flushNow();
    else this.notifier.changed();
  }

  /** Every line this store takes, as it takes it (a fleet's merged logs; one listener). */
  onLines(listener: ((e: LinesEvent) => void) | undefined): void {
    this.listener = listener;
  }

  private ingest(rec: RawLogRecord): LogLine[] {
    const lines = ingestRecord(rec);
    if (this.cluster !== undefined) for (const l of lines) l.cluster = this.cluster;
    return lines;
  }

  /** Opens logs for a scope (same scope: keeps what is there). */
  open(scope: LogScope, opts: OpenOptions = {}): void {
    if (this.snap.scope && scopeKey(this.snap.scope) === scopeKey(scope) && this.session && this.cluster === opts.cluster) return;
    this.close();
    this.cluster = opts.cluster;
    let choice: SourceChoice;
    try {
      choice = this.choose();
    } catch (err) {
      // A broken config file: say so, and still show logs from the Kubernetes API.
      const e = err as Error & { fallback?: LogSource };
      this.set({ ...this.blank(), scope, error: e.message });
      return;
    }
    this.choice = choice;
    const limits = opts.limits ? opts.limits(choice.limits) : choice.limits;
    const ring = new LogRing(limits);
    this.snap = { ...this.blank(), scope, ring, limits, toggles: this.snap.toggles };
    this.use(choice.primary ?? choice.fallback, choice.primary ? undefined : choice.why);
  }

  close(): void {
    this.stopSession();
    this.source?.dispose();
    this.source = undefined;
    this.choice?.primary?.dispose();
    this.choice?.fallback.dispose();
    this.choice = undefined;
    this.cluster = undefined;
    this.snap = { ...this.blank(), toggles: this.snap.toggles };
  }

  dispose(): void {
    this.close();
    this.notifier.dispose();
  }

  private stopSession(): void {
    this.life?.abort();
    this.pending?.abort();
    this.life = undefined;
    this.pending = undefined;
    this.session?.close();
    this.session = undefined;
    if (this.histogramTimer) clearInterval(this.histogramTimer);
    this.histogramTimer = undefined;
  }

  private use(source: LogSource, why: string | undefined, query = this.snap.query, via: LoadVia = {}): void {
    this.source = source;
    this.set({ source: source.info, sourceWhy: why });
    void this.load(query, true, via);
  }

  /** Runs a query: the newest page, then following. A failure keeps what was shown. */
  private async load(query: LogQuery, fresh: boolean, via: LoadVia = {}): Promise<void> {
    const scope = this.snap.scope;
    const source = this.source;
    if (!scope || !source) return;
    // A search or level change inside a bar's range stays a jump: Esc still goes back to the
    // range before it, with the new search.
    const jumped = this.snap.jumpedFrom;
    const jumpedFrom = via.jumpedFrom ?? (jumped && sameRange(query.range, this.snap.query.range) ? { ...jumped, text: query.text, levels: query.levels } : undefined);
    const life = new AbortController();
    const pending = new AbortController();
    const signal = AbortSignal.any([life.signal, pending.signal]);
    const session = source.open({ scope, query, pageSize: PAGE, previous: this.snap.previous });
    this.pending?.abort();
    this.pending = pending;
    this.set({ busy: true, error: fresh ? undefined : this.snap.error, notice: undefined });
    let page;
    try {
      page = await session.initial(signal);
    } catch (err) {
      session.close();
      // A newer query took over: it owns the spinner, the error line and the outcome.
      if (this.pending !== pending) return;
      this.pending = undefined;
      if (pending.signal.aborted || life.signal.aborted) {
        if (!life.signal.aborted) this.set({ busy: false, notice: 'search cancelled; showing the previous results', ...rejection(via, 'search cancelled') });
        return;
      }
      const e = err instanceof LogSourceError ? err : new LogSourceError(String((err as Error)?.message ?? err), 'other', false);
      if (e.fallback && source === this.choice?.primary) {
        // The same query, from the Kubernetes API: the search is applied there, not dropped.
        this.set({ busy: false, error: e.message });
        this.stopSession();
        this.use(this.choice.fallback, `Elasticsearch failed: ${e.message}`, query, via);
        return;
      }
      this.set({ busy: false, error: e.message, ...rejection(via, e.message) });
      return;
    }
    if (this.pending !== pending) {
      session.close();
      return;
    }
    // The query worked: it replaces the previous one and its session.
    this.stopSession();
    this.life = life;
    this.session = session;
    const ring = this.snap.ring;
    ring.clear();
    const first = page.records.flatMap((r) => this.ingest(r));
    ring.append(first);
    this.listener?.({ kind: 'reset', lines: first });
    this.set({
      query,
      busy: false,
      error: undefined,
      following: rangeReachesNow(query.range),
      top: ring.first,
      waiting: 0,
      droppedOld: 0,
      droppedUnseen: 0,
      exhausted: page.exhausted,
      terms: highlightTerms(query.text),
      match: undefined,
      bar: undefined,
      histogram: undefined,
      jumpedFrom,
      ...(jumpedFrom ? { notice: backNotice(jumpedFrom) } : {}),
      // A search that worked replaces any rejected one; other loads leave the mark where it is.
      ...(via.line !== undefined ? { rejected: undefined } : {}),
    });
    session.follow(
      {
        lines: (records) => this.arrive(records),
        error: (e) => {
          // Elasticsearch away for a while (a restart, a network cut, overload): the lines stay and the session keeps
          // polling from its cursor, so when it answers again nothing is lost or shown twice.
          if (e.fallback && LASTING.has(e.kind) && source === this.choice?.primary) {
            this.stopSession();
            this.use(this.choice.fallback, `Elasticsearch failed while following: ${e.message}`);
          } else this.set({ error: e.fallback ? `${e.message} (retrying; lines kept)` : e.message }, false);
        },
        recovered: () => this.set({ error: undefined }, false),
      },
      life.signal,
    );
    void this.refreshHistogram();
    this.histogramTimer = setInterval(() => void this.refreshHistogram(), HISTOGRAM_REFRESH_MS);
    this.histogramTimer.unref?.();
  }

  /**
   * Lines arrive in batches of up to thousands (a poll, a stream chunk). Sanitising and
   * appending them is split into slices of about INGEST_SLICE_MS, each its own macrotask,
   * so a keystroke waiting behind a big batch is handled after one slice, not the batch.
   */
  private arrive(records: RawLogRecord[]): void {
    if (records.length === 0) return;
    this.inbox.push({ life: this.life, records, next: 0 });
    this.queued += records.length;
    // A source far ahead of ingest: the oldest queued lines would be dropped by the ring anyway.
    while (this.queued > this.snap.limits.maxLines * 2 && this.inbox.length > 1) {
      const gone = this.inbox.shift()!;
      const n = gone.records.length - gone.next;
      this.queued -= n;
      this.skipped += n;
    }
    if (!this.draining) {
      this.draining = true;
      setImmediate(this.drain);
    }
  }

  private readonly drain = (): void => {
    const started = performance.now();
    const lines: LogLine[] = [];
    while (this.inbox.length > 0) {
      const batch = this.inbox[0];
      if (batch.life !== this.life || !this.life) {
        // Lines of a session that has been replaced (new query, fallback): not for this ring.
        this.queued -= batch.records.length - batch.next;
        this.inbox.shift();
        continue;
      }
      const end = Math.min(batch.records.length, batch.next + INGEST_CHECK_EVERY);
      for (let i = batch.next; i < end; i++) for (const l of this.ingest(batch.records[i])) lines.push(l);
      this.queued -= end - batch.next;
      batch.next = end;
      if (batch.next >= batch.records.length) this.inbox.shift();
      if (performance.now() - started >= INGEST_SLICE_MS) break;
    }
    if (lines.length > 0) this.take(lines);
    if (this.inbox.length > 0) setImmediate(this.drain);
    else this.draining = false;
  };

  private take(lines: LogLine[]): void {
    const ring = this.snap.ring;
    const skipped = this.skipped;
    const dropped = ring.append(lines) + skipped;
    this.skipped = 0;
    this.listener?.({ kind: 'append', lines });
    logLinesIngested.inc({ source: this.snap.source?.kind ?? 'unknown' }, lines.length);
    if (dropped > skipped) logLinesDropped.inc({ reason: 'buffer limit' }, dropped - skipped);
    if (skipped > 0) logLinesDropped.inc({ reason: 'ingest behind' }, skipped);
    const s = this.snap;
    let top = s.top;
    let droppedUnseen = s.droppedUnseen;
    if (!s.following && top < ring.first) {
      droppedUnseen += ring.first - top;
      top = ring.first;
    }
    const histogram = this.session && !this.session.histogram ? this.countLocally(lines) : s.histogram;
    this.set({ droppedOld: s.droppedOld + dropped, waiting: s.following ? 0 : ring.end - this.pausedAtEnd, top, droppedUnseen, histogram }, false);
  }

  private async refreshHistogram(): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (!session.histogram) return this.localHistogram();
    try {
      const signal = this.life?.signal ?? new AbortController().signal;
      const h = await session.histogram(this.histogramBuckets, signal);
      const scope = this.snap.scope;
      // Read after the counts, for the same range; a failure leaves the strip unmarked.
      const markers = scope && this.markers ? await this.markers(scope, h.from, h.to, signal).catch(() => undefined) : undefined;
      if (session === this.session) this.set({ histogram: h, markers }, false);
    } catch {
      // The strip is a bonus: a failed count leaves the old one.
    }
  }

  /**
   * Without Elasticsearch the strip counts the lines that arrived in the range. Counted
   * once per line as it arrives: the buckets slide with the clock, and only a new query or
   * older history prepended counts the lines held again (a full count walks the ring,
   * 50,000 lines, which at every batch kept the event loop busy while following).
   */
  private localHistogram(full = false): void {
    this.set({ histogram: this.countLocally([], full) }, false);
  }

  private countLocally(lines: readonly LogLine[], full = false): Histogram {
    const { from, to } = rangeBounds(this.snap.query.range, Date.now());
    const n = this.histogramBuckets;
    const intervalMs = Math.max(1000, Math.ceil((to - from) / n / 1000) * 1000);
    const start = Math.floor(from / intervalMs) * intervalMs;
    const prev = this.snap.histogram;
    let buckets: Histogram['buckets'];
    if (full || !prev || prev.intervalMs !== intervalMs || prev.buckets.length === 0) {
      buckets = Array.from({ length: Math.ceil((to - start) / intervalMs) }, (_, i) => ({ start: start + i * intervalMs, count: 0, errors: 0 }));
      lines = this.snap.ring.lines();
    } else {
      // Slide: drop buckets before the range, add empty ones up to now.
      buckets = prev.buckets.filter((b) => b.start >= start).map((b) => ({ ...b }));
      let next = buckets.length ? buckets[buckets.length - 1].start + intervalMs : start;
      for (; next < to; next += intervalMs) buckets.push({ start: next, count: 0, errors: 0 });
    }
    const first = buckets.length ? buckets[0].start : start;
    for (const l of lines) {
      if (l.cont) continue;
      const b = buckets[Math.floor((l.ts - first) / intervalMs)];
      if (!b) continue;
      b.count++;
      if (l.level === 'error') b.errors++;
    }
    return { from, to, intervalMs, buckets };
  }

  // ------------------------------------------------------------------ user actions

  /** Esc: cancel a running query. Returns false when nothing ran. */
  cancel(): boolean {
    if (!this.pending || !this.snap.busy) return false;
    this.pending.abort();
    return true;
  }

  /** Runs a query made elsewhere (a fleet's merged logs send the same one to every cluster). */
  apply(query: LogQuery, line?: string): void {
    void this.load(query, false, { line });
  }

  /** Older history, as scrolling up near the oldest line does. */
  older(): void {
    void this.loadOlder();
  }

  togglePrevious(): void {
    this.setPrevious(!this.snap.previous);
  }

  /**
   * The previous (crashed) container's lines, or the running one's again. They come from the
   * Kubernetes log API (`previous=true`): a log store has no notion of a container's earlier run.
   */
  setPrevious(on: boolean): void {
    if (this.snap.previous === on) return;
    this.set({ previous: on });
    const choice = this.choice;
    if (!choice) return;
    this.stopSession();
    if (on) this.use(choice.fallback, choice.primary ? 'previous container: read from the Kubernetes log API' : choice.why);
    else this.use(choice.primary ?? choice.fallback, choice.primary ? undefined : choice.why);
  }

  /** Try Elasticsearch again after a fallback (r). */
  retry(): void {
    if (!this.choice) return;
    this.stopSession();
    this.use(this.choice.primary ?? this.choice.fallback, this.choice.primary ? undefined : this.choice.why);
  }

  pause(): void {
    if (!this.snap.following) return;
    this.pausedAtEnd = this.snap.ring.end;
    this.set({ following: false, waiting: 0 });
  }

  /** G / End: back to the newest line, following again. */
  resume(): void {
    if (!rangeReachesNow(this.snap.query.range)) return this.set({ top: Math.max(this.snap.ring.first, this.snap.ring.end - 1) });
    // History loaded over the limits pushed the newest lines out: read the tail again.
    if (this.snap.ring.droppedNew > 0) return void this.load(this.snap.query, false);
    this.set({ following: true, waiting: 0, droppedUnseen: 0, bar: undefined, jumpedFrom: undefined, notice: this.snap.jumpedFrom ? undefined : this.snap.notice });
  }




  protected runQuery(query: LogQuery, line?: string): void {
    void this.load(query, false, line === undefined ? {} : { line });
  }

  protected async loadOlder(): Promise<void> {
    const session = this.session;
    if (!session || this.snap.loadingOlder || this.snap.exhausted) return;
    this.set({ loadingOlder: true }, false);
    try {
      const page = await session.older(this.life?.signal ?? new AbortController().signal);
      if (session !== this.session) return;
      const older = page.records.flatMap((r) => this.ingest(r));
      this.snap.ring.prepend(older);
      this.listener?.({ kind: 'prepend', lines: older });
      this.set({ loadingOlder: false, exhausted: page.exhausted });
      if (!session.histogram) this.localHistogram(true);
    } catch (err) {
      if (isAbort(err)) return;
      this.set({ loadingOlder: false, error: (err as Error).message });
    }
  }



  /** Enter on a bar: scroll to it when its lines are held, else narrow the range to it. */
  jumpToBar(height: number): void {
    const h = this.snap.histogram;
    const i = this.snap.bar;
    if (!h || i === undefined) return;
    const b = h.buckets[i];
    const ring = this.snap.ring;
    const oldest = ring.oldest;
    // A second jump from a bar's range still goes back to where the first one started.
    const back = this.snap.jumpedFrom ?? this.snap.query;
    if (oldest && b.start >= oldest.ts) {
      let p = ring.first;
      while (p < ring.end && ring.at(p)!.ts < b.start) p++;
      this.scrollTo(p, height);
      this.set({ bar: undefined, match: undefined, jumpedFrom: back, notice: backNotice(back) });
      return;
    }
    void this.load({ ...this.snap.query, range: { kind: 'absolute', from: b.start, to: b.start + h.intervalMs } }, false, { jumpedFrom: back });
  }


  /**
   * Esc after a bar jump: back to the range the user was in (following again when it reaches
   * now), not out of the pane. Returns false when no jump is there to leave.
   */
  leaveJump(): boolean {
    const back = this.snap.jumpedFrom;
    if (!back) return false;
    if (sameQuery(back, this.snap.query)) this.resumeAt(back);
    else void this.load(back, false);
    return true;
  }

  private resumeAt(query: LogQuery): void {
    this.set({ jumpedFrom: undefined, notice: undefined });
    if (rangeReachesNow(query.range)) this.resume();
  }


  /** `w`: the lines held to a file; the notice names the path. */
  write(dir?: string): void {
    const scope = this.snap.scope;
    if (!scope) return;
    try {
      const { path, lines } = writeLogs(this.snap.ring, scope, dir);
      this.set({ notice: `wrote ${lines} lines to ${path}` });
    } catch (err) {
      this.set({ notice: `cannot write the logs: ${(err as Error).message}` });
    }
  }

  say(notice: string): void {
    this.set({ notice });
  }

  scopeLabel(): string {
    return this.snap.scope ? describeScope(this.snap.scope) : '';
  }
}
