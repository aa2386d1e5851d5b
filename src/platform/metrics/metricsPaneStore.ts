import { setMaxListeners } from 'node:events';
import { sanitize } from '../text/sanitize.js';
import { backoffDelayMs } from './backoff.js';
import type { ChartData } from './chartQuery.js';
import type { MetricsError } from './metricsSource.js';
import type { MetricsTarget } from './metricsTarget.js';
import { checkPromql, type PromqlProblem } from './promqlCheck.js';
import { gridTimes } from './seriesAlign.js';
import { rangeWindow, type RangeQueryWindow } from './stepSizing.js';
import { DEFAULT_RANGE, TIME_RANGES, type TimeRange } from './timeRanges.js';
import type { Unit } from './units.js';

export type { ChartData, ChartSeriesData } from './chartQuery.js';

// The state behind the metrics pane: which target and range, the charts' last data, and
// the refresh loop. The pane only reads snapshots and calls methods; all fetching happens
// in the store's ChartsFetcher (one context's Prometheus, or a fleet's: contextCharts.ts,
// fleetCharts.ts), abortable (closing the pane or changing range cancels what is in flight),
// with a timeout per request and exponential backoff while Prometheus is down. A failed
// refresh keeps the last data (the pane greys it and shows its age).

/** A cluster of a fleet's charts: where its series come from, and what is wrong there. */
export interface ClusterMetrics {
  /** Its short name (dc1), the legend's name for its series. */
  label: string;
  /** Something is wrong (no Prometheus configured, not answering): its series are missing. */
  problem?: string;
  /** Worth knowing, not wrong (the application does not run there). */
  note?: string;
}

export interface MetricsPaneSnapshot {
  target?: MetricsTarget;
  range: TimeRange;
  /** The grid of the data shown. */
  window?: RangeQueryWindow;
  times: number[];
  charts: ChartData[];
  loading: boolean;
  /** Epoch ms of the data shown; undefined until the first success. */
  dataAt?: number;
  /** The last refresh failed: one line naming the URL; data shown (if any) is from dataAt. */
  error?: string;
  retryAt?: number;
  endpoint?: string;
  /** Why nothing can be fetched at all (no Prometheus configured for this context). */
  unavailable?: string;
  /** A `:promql` query that did not parse. */
  promqlProblem?: PromqlProblem & { query: string };
  /** Unix seconds the cursor is on; undefined = live (values shown are the newest). */
  cursorTime?: number;
  /** Pods charted for an application (its current pods plus those seen since opening). */
  podCount?: number;
  /** Charts over a fleet: each cluster, in the fleet's order. */
  clusters?: ClusterMetrics[];
  warnings: string[];
  /** Unix seconds of the target's rollouts and scale changes over the window (the charts mark them). */
  markers?: number[];
}

/** The times (unix seconds) of the rollouts and scale changes of a target over [from, to] (unix seconds). */
export type ChangeMarkers = (target: MetricsTarget, fromSeconds: number, toSeconds: number, signal: AbortSignal) => Promise<number[]>;

/** What every refresh needs to know before it asks. */
export interface ChartsSettings {
  refreshMs: number;
  /** Steps below the scrape interval only repeat samples. */
  minStepSeconds: number;
  /** Shown on the status line: where the charts come from. */
  endpoint?: string;
}

/** What one refresh brought. */
export interface ChartsFetch {
  charts: ChartData[];
  warnings: string[];
  /** Nothing answered: the last charts stay (greyed) and the pane retries with backoff. */
  failure?: MetricsError;
  podCount?: number;
  clusters?: ClusterMetrics[];
}

/** Where the charts come from and how their queries are written. */
export interface ChartsFetcher<S extends ChartsSettings = ChartsSettings> {
  /** Looked up before each refresh: a reason instead when nothing can be fetched at all. */
  settings(): S | { problem: string };
  /**
   * A new target is opened: what the last one remembered (an application's pods) is dropped.
   * A fleet's answers its clusters, shown before the first answer.
   */
  reset(target: MetricsTarget): ClusterMetrics[] | void;
  fetch(target: MetricsTarget, window: RangeQueryWindow, settings: S, signal: AbortSignal): Promise<ChartsFetch>;
}

/** Bounds the listeners one refresh's abort signal may have (queries in flight at once). */
const QUERIES_IN_FLIGHT = 500;

export class MetricsPaneStore<S extends ChartsSettings = ChartsSettings> {
  private listeners = new Set<() => void>();
  private snap: MetricsPaneSnapshot = { range: DEFAULT_RANGE, times: [], charts: [], loading: false, warnings: [] };
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private failures = 0;
  private plotCells = 60;
  private readonly now: () => number;
  /** Where the change markers come from (the context's timeline readers); none: no markers. */
  markers: ChangeMarkers | undefined;

  constructor(
    private readonly fetcher: ChartsFetcher<S>,
    opts: { now?: () => number } = {},
  ) {
    this.now = opts.now ?? Date.now;
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  private set(patch: Partial<MetricsPaneSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const l of [...this.listeners]) l();
  }

  /** Opens a target (same target again: keeps data and just refreshes). */
  open(target: MetricsTarget, plotCells?: number): void {
    if (plotCells) this.plotCells = plotCells;
    const same = JSON.stringify(this.snap.target) === JSON.stringify(target);
    this.cancel();
    if (!same) {
      const clusters = this.fetcher.reset(target) ?? undefined;
      this.failures = 0;
      this.set({ target, podCount: undefined, times: [], charts: [], dataAt: undefined, error: undefined, window: undefined, cursorTime: undefined, promqlProblem: undefined, clusters, warnings: [] });
    }
    if (target.level === 'promql') {
      const check = checkPromql(target.query);
      if (!check.ok) {
        this.set({ promqlProblem: { ...check.problem, query: target.query }, loading: false });
        return;
      }
    }
    // A moment's delay lets the pane report its chart width first (one fetch, not two).
    this.set({ loading: true });
    this.schedule(10);
  }

  close(): void {
    this.cancel();
    this.set({ target: undefined, charts: [], times: [], loading: false, error: undefined, dataAt: undefined, cursorTime: undefined, clusters: undefined });
  }

  setRange(range: TimeRange): void {
    if (range.label === this.snap.range.label) return;
    this.set({ range, cursorTime: undefined });
    this.refreshNow();
  }

  /**
   * The charts at a moment (Enter on a timeline entry): the shortest range that reaches back to
   * it, the cursor on it.
   */
  focusTime(atMs: number): void {
    const back = (this.now() - atMs) / 1000;
    const range = TIME_RANGES.find((r) => r.seconds >= back * 1.1) ?? TIME_RANGES[TIME_RANGES.length - 1];
    if (range.label !== this.snap.range.label) this.setRange(range);
    this.set({ cursorTime: Math.floor(atMs / 1000) });
  }

  /** The chart width changed (terminal resize): the step follows it. */
  setPlotCells(cells: number): void {
    if (Math.abs(cells - this.plotCells) < 2) return;
    this.plotCells = cells;
    // Before the first answer the scheduled fetch will use the new width anyway.
    if (this.snap.target && this.snap.dataAt !== undefined) this.refreshNow();
  }

  refreshNow(): void {
    if (!this.snap.target || this.snap.promqlProblem) return;
    this.cancel();
    this.failures = 0;
    void this.refresh();
  }

  /** Moves the cursor `by` samples (negative = back in time); from live it starts at the newest. */
  moveCursor(by: number): void {
    const times = this.snap.times;
    if (!times.length) return;
    const current = this.snap.cursorTime === undefined ? times.length - 1 : this.cursorIndex();
    const next = Math.max(0, Math.min(times.length - 1, current + (this.snap.cursorTime === undefined && by < 0 ? 0 : by)));
    this.set({ cursorTime: times[next] });
  }

  clearCursor(): void {
    if (this.snap.cursorTime !== undefined) this.set({ cursorTime: undefined });
  }

  /** The sample index under the cursor (nearest slot), or undefined when live. */
  cursorIndex(): number {
    const { cursorTime, times } = this.snap;
    if (cursorTime === undefined || !times.length) return -1;
    const step = times.length > 1 ? times[1] - times[0] : 1;
    return Math.max(0, Math.min(times.length - 1, Math.round((cursorTime - times[0]) / step)));
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.abort = undefined;
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref?.();
  }

  private async refresh(): Promise<void> {
    const target = this.snap.target;
    if (!target) return;
    const settings = this.fetcher.settings();
    if ('problem' in settings) {
      this.set({ unavailable: settings.problem, loading: false });
      return;
    }
    const abort = (this.abort = new AbortController());
    // Every query of a refresh (a dozen per context; a fleet's times its clusters) listens on
    // this one signal: past Node's default of 10 it would print a leak warning over the screen.
    setMaxListeners(QUERIES_IN_FLIGHT, abort.signal);
    const window = rangeWindow(this.snap.range.seconds, this.plotCells, this.now(), { minStepSeconds: settings.minStepSeconds });
    this.set({ loading: true, unavailable: undefined, endpoint: settings.endpoint });
    // The markers are read beside the charts, cheaply (two lists and the namespace's events); a
    // failure leaves the charts unmarked rather than failing them.
    const marks = this.markers && target.level !== 'promql' ? this.markers(target, window.start, window.start + window.step * (window.points - 1), abort.signal).catch(() => undefined) : Promise.resolve(undefined);
    const [got, markers] = await Promise.all([this.fetcher.fetch(target, window, settings, abort.signal), marks]);
    if (abort.signal.aborted || this.snap.target !== target) return;

    // A cluster's problem may quote its server (a malformed answer), as the error does.
    const clusters = got.clusters?.map((c) => ({ ...c, problem: c.problem === undefined ? undefined : sanitize(c.problem, { maxLength: 300 }) }));
    const known = { podCount: got.podCount, clusters };
    if (got.failure) {
      this.failures++;
      const delay = backoffDelayMs(this.failures);
      this.set({ ...known, loading: false, error: sanitize(got.failure.message, { maxLength: 300 }), retryAt: this.now() + delay });
      this.schedule(delay);
      return;
    }
    this.failures = 0;
    this.set({
      ...known,
      loading: false,
      charts: got.charts,
      window,
      times: gridTimes(window.start, window.step, window.points),
      dataAt: this.now(),
      error: undefined,
      retryAt: undefined,
      warnings: got.warnings,
      markers,
    });
    this.schedule(settings.refreshMs);
  }
}

/** A unit for a free query, from the metric names in it. */
export function guessUnit(query: string): Unit {
  if (/histogram_quantile|_duration_seconds|_latency_seconds/.test(query)) return 'seconds';
  if (/_cpu_usage_seconds_total|_cpu_seconds_total/.test(query)) return 'cores';
  if (/_bytes_total/.test(query)) return 'bytesPerSecond';
  if (/_bytes/.test(query)) return 'bytes';
  if (/_requests_total/.test(query) && /rate\(/.test(query)) return 'requestsPerSecond';
  return 'count';
}
