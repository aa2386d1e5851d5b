import { sanitize } from '../text/sanitize.js';
import { backoffDelayMs } from './backoff.js';
import { MetricsError, type MetricsSource } from './metricsSource.js';
import { breakdownLabel, targetSelector, type MetricsTarget } from './metricsTarget.js';
import { checkPromql, type PromqlProblem } from './promqlCheck.js';
import { chartsWithOverrides, renderLegend, renderTemplate, type ChartTemplate } from './queryTemplates.js';
import { alignMatrix, gridTimes, type AlignedSeries } from './seriesAlign.js';
import { foldSeries } from './seriesFold.js';
import { promDuration, rangeWindow, rateWindowSeconds, type RangeQueryWindow } from './stepSizing.js';
import { DEFAULT_RANGE, type TimeRange } from './timeRanges.js';
import type { Unit } from './units.js';

// The state behind the metrics pane: which target and range, the charts' last data, and
// the refresh loop. The pane only reads snapshots and calls methods; all fetching happens
// here, abortable (closing the pane or changing range cancels what is in flight), with a
// timeout per request and exponential backoff while Prometheus is down. A failed refresh
// keeps the last data (the pane greys it and shows its age).

export interface ChartSeriesData {
  label: string;
  values: Float64Array;
  reference?: boolean;
}

export interface ChartData {
  id: string;
  title: string;
  unit: Unit;
  series: ChartSeriesData[];
  /** Set when no line of the chart has a sample: drawn instead of an empty frame. */
  noData?: string;
  /** A query of this chart was rejected (bad template, unsupported function). */
  error?: string;
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
  warnings: string[];
}

export interface MetricsPaneDeps {
  /** The source for the current context, or a reason why there is none. */
  source(): { source: MetricsSource; refreshMs: number; rateWindowSeconds: number; scrapeIntervalSeconds: number; queries?: Record<string, Record<string, string>> } | { problem: string };
  /** Current pods of an application (owner chain), for app targets. */
  appPods?(namespace: string, appKey: string): string[];
  now?: () => number;
  /** Series per chart before the rest are summed into "other". */
  maxSeries?: number;
}

const MAX_REMEMBERED_PODS = 500;

export class MetricsPaneStore {
  private listeners = new Set<() => void>();
  private snap: MetricsPaneSnapshot = { range: DEFAULT_RANGE, times: [], charts: [], loading: false, warnings: [] };
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private failures = 0;
  private plotCells = 60;
  /** Pods seen for an app target since it was opened: replaced pods keep their history. */
  private seenPods = new Set<string>();
  private readonly now: () => number;

  constructor(private readonly deps: MetricsPaneDeps) {
    this.now = deps.now ?? Date.now;
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
      this.seenPods = new Set(target.level === 'app' ? target.pods : []);
      this.failures = 0;
      this.set({ target, podCount: undefined, times: [], charts: [], dataAt: undefined, error: undefined, window: undefined, cursorTime: undefined, promqlProblem: undefined, warnings: [] });
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
    this.set({ target: undefined, charts: [], times: [], loading: false, error: undefined, dataAt: undefined, cursorTime: undefined });
  }

  setRange(range: TimeRange): void {
    if (range.label === this.snap.range.label) return;
    this.set({ range, cursorTime: undefined });
    this.refreshNow();
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

  private charts(target: MetricsTarget, queries?: Record<string, Record<string, string>>): ChartTemplate[] {
    if (target.level === 'promql') {
      return [{ id: 'promql', title: sanitize(target.query, { maxLength: 100 }), unit: guessUnit(target.query), levels: [], lines: [{ id: 'q', legend: '', query: target.query }], noDataHint: 'the query returned no series' }];
    }
    return chartsWithOverrides(queries).filter((c) => c.levels.includes(target.level as 'system' | 'app' | 'pod'));
  }

  private async refresh(): Promise<void> {
    const target = this.snap.target;
    if (!target) return;
    const got = this.deps.source();
    if ('problem' in got) {
      this.set({ unavailable: got.problem, loading: false });
      return;
    }
    const { source } = got;
    const abort = (this.abort = new AbortController());
    const window = rangeWindow(this.snap.range.seconds, this.plotCells, this.now(), { minStepSeconds: Math.min(got.scrapeIntervalSeconds, 60) });
    const rate = promDuration(rateWindowSeconds(window.step, got.rateWindowSeconds, got.scrapeIntervalSeconds));
    let t = target;
    if (t.level === 'app' && this.deps.appPods) {
      for (const p of this.deps.appPods(t.namespace, `${t.kind}/${t.name}`)) if (this.seenPods.size < MAX_REMEMBERED_PODS) this.seenPods.add(p);
      t = { ...t, pods: [...this.seenPods] };
      this.set({ podCount: this.seenPods.size });
    }
    const by = t.level === 'promql' ? '' : breakdownLabel(t.level);
    const selector = t.level === 'promql' ? '' : targetSelector(t);
    this.set({ loading: true, unavailable: undefined, endpoint: source.endpoint });

    const templates = this.charts(t, got.queries);
    const warnings = new Set<string>();
    let transportFailure: MetricsError | undefined;
    let anyOk = false;
    const charts = await Promise.all(
      templates.map(async (tpl): Promise<ChartData> => {
        const series: ChartSeriesData[] = [];
        const errors: string[] = [];
        await Promise.all(
          tpl.lines.map(async (line) => {
            let query: string;
            try {
              query = t.level === 'promql' ? line.query : renderTemplate(line.query, { selector, rate, by });
            } catch (err) {
              errors.push((err as Error).message);
              return;
            }
            try {
              const answer = await source.queryRange(query, window, abort.signal);
              anyOk = true;
              for (const w of answer.warnings) warnings.add(sanitize(w, { maxLength: 200 }));
              let aligned: AlignedSeries[] = alignMatrix(answer.data, window.start, window.step, window.points);
              if (!line.reference) aligned = foldSeries(aligned, this.deps.maxSeries ?? 8);
              for (const s of aligned) {
                const other = (s as { other?: boolean; count?: number }).other;
                const label = other
                  ? `other (${(s as { count?: number }).count})`
                  : t.level === 'promql'
                    ? formatLabels(s.labels)
                    : renderLegend(line.legend, s.labels, by);
                series.push({ label: sanitize(label, { maxLength: 60 }), values: s.values, reference: line.reference });
              }
            } catch (err) {
              if (!(err instanceof MetricsError)) throw err;
              if (err.kind === 'aborted') return;
              if (err.permanent || err.kind === 'prometheus') errors.push(sanitize(err.message, { maxLength: 300 }));
              else transportFailure ??= err;
            }
          }),
        );
        // Data lines first in their query order; references after, so colours stay stable.
        series.sort((a, b) => Number(!!a.reference) - Number(!!b.reference));
        const hasData = series.some((s) => !s.reference && s.values.some(Number.isFinite));
        return {
          id: tpl.id,
          title: tpl.title,
          unit: tpl.unit,
          series,
          noData: hasData ? undefined : `no data — ${tpl.noDataHint}`,
          error: errors.length ? errors[0] : undefined,
        };
      }),
    ).catch((err: unknown) => {
      transportFailure = err instanceof MetricsError ? err : new MetricsError('shape', String(err), source.endpoint);
      return [] as ChartData[];
    });
    if (abort.signal.aborted || this.snap.target !== target) return;

    if (transportFailure && !anyOk) {
      this.failures++;
      const delay = backoffDelayMs(this.failures);
      this.set({ loading: false, error: sanitize(transportFailure.message, { maxLength: 300 }), retryAt: this.now() + delay });
      this.schedule(delay);
      return;
    }
    this.failures = 0;
    this.set({
      loading: false,
      charts,
      window,
      times: gridTimes(window.start, window.step, window.points),
      dataAt: this.now(),
      error: undefined,
      retryAt: undefined,
      warnings: [...warnings],
    });
    this.schedule(got.refreshMs);
  }
}

function formatLabels(labels: Readonly<Record<string, string>>): string {
  const entries = Object.entries(labels).filter(([k]) => k !== '__name__');
  const name = labels.__name__ ?? '';
  if (!entries.length) return name || 'value';
  return `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
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
