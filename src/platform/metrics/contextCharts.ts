import { sanitize } from '../text/sanitize.js';
import { formatLabels, runChart, type ChartData, type ChartQuery, type ChartRunLog, type ChartSpec } from './chartQuery.js';
import { guessUnit, type ChartsFetch, type ChartsFetcher, type ChartsSettings } from './metricsPaneStore.js';
import { joinSelectors } from './labelEscape.js';
import { MetricsError, type MetricsSource } from './metricsSource.js';
import { breakdownLabel, targetSelector, type MetricsTarget } from './metricsTarget.js';
import { chartsWithOverrides, renderLegend, renderTemplate, type ChartTemplate } from './queryTemplates.js';
import { promDuration, rateWindowSeconds, type RangeQueryWindow } from './stepSizing.js';

// The charts of one context: each chart's lines sent to the context's Prometheus, broken down
// by pod (a system or an application) or by container (a pod), with requests and limits as
// reference lines; or a free `:promql` query.

/** A context's Prometheus as its config gives it, or why there is none. */
export type SourceLookup =
  | {
      source: MetricsSource;
      refreshMs: number;
      rateWindowSeconds: number;
      scrapeIntervalSeconds: number;
      queries?: Record<string, Record<string, string>>;
      /** The context's own label matchers (`cluster="prod-eu"`, its cluster in a shared Prometheus), '' or undefined for none. */
      matchers?: string;
    }
  | { problem: string };

/** Where a context's charts come from, with the series it narrows to (`http://thanos {cluster="prod-eu"}`). */
export function endpointOf(got: Extract<SourceLookup, { source: MetricsSource }>): string {
  return got.matchers ? `${got.source.endpoint} {${got.matchers}}` : got.source.endpoint;
}

/** A target's series in a context: the target's matchers and the context's own (a typed :promql query is the user's). */
export function contextSelector(target: Exclude<MetricsTarget, { level: 'promql' }>, got: Extract<SourceLookup, { source: MetricsSource }>): string {
  return joinSelectors(targetSelector(target), got.matchers ?? '');
}

export interface MetricsPaneDeps {
  /** The source for the current context, or a reason why there is none. */
  source(): SourceLookup;
  /** Current pods of an application (owner chain), for app targets. */
  appPods?(namespace: string, appKey: string): string[];
  now?: () => number;
  /** Series per chart before the rest are summed into "other". */
  maxSeries?: number;
}

const MAX_REMEMBERED_PODS = 500;

/**
 * The pods charted for an application: those it has now plus those seen since it was opened,
 * so a replaced pod keeps its history on the chart.
 */
export class AppPods {
  private seen = new Set<string>();

  reset(target: MetricsTarget): void {
    this.seen = new Set(target.level === 'app' ? target.pods : []);
  }

  /** The target with its pods (for an application); `current` lists the pods it has now. */
  charted(target: MetricsTarget, current: (namespace: string, appKey: string) => string[]): MetricsTarget {
    if (target.level !== 'app') return target;
    for (const p of current(target.namespace, `${target.kind}/${target.name}`)) if (this.seen.size < MAX_REMEMBERED_PODS) this.seen.add(p);
    return { ...target, pods: [...this.seen] };
  }

  get count(): number {
    return this.seen.size;
  }
}

/** The chart of a free query. */
export function promqlSpec(query: string): ChartSpec {
  return { id: 'promql', title: sanitize(query, { maxLength: 100 }), unit: guessUnit(query), noDataHint: 'the query returned no series' };
}

/** The default charts (with the config's overrides) of a target's level. */
export function chartsFor(level: Exclude<MetricsTarget['level'], 'promql'>, queries: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined): ChartTemplate[] {
  return chartsWithOverrides(queries).filter((c) => c.levels.includes(level));
}

/** Collects what a refresh's queries report; `failure` when nothing at all answered. */
export class RunLog implements ChartRunLog {
  readonly warnings = new Set<string>();
  /** Who answered at least once (undefined: the one source of a context). */
  readonly ok = new Set<number | undefined>();
  /** The first failure to reach each source. */
  readonly down = new Map<number | undefined, MetricsError>();

  answered(who: number | undefined): void {
    this.ok.add(who);
  }

  unreachable(err: MetricsError, who: number | undefined): void {
    if (!this.down.has(who)) this.down.set(who, err);
  }

  /** Nothing answered and something could not be reached: the refresh failed. */
  failure(): MetricsError | undefined {
    return this.ok.size === 0 ? this.down.values().next().value : undefined;
  }
}

/** Runs the charts; an unexpected error (a bug, a malformed answer) fails the refresh, said in one line. */
export async function runCharts(run: () => Promise<ChartData[]>, log: RunLog, endpoint: string): Promise<{ charts: ChartData[]; failure?: MetricsError }> {
  try {
    const charts = await run();
    return { charts, failure: log.failure() };
  } catch (err) {
    return { charts: [], failure: err instanceof MetricsError ? err : new MetricsError('shape', String(err), endpoint) };
  }
}

type ContextSettings = ChartsSettings & { got: Extract<SourceLookup, { source: MetricsSource }> };

export class ContextCharts implements ChartsFetcher<ContextSettings> {
  private readonly pods = new AppPods();

  constructor(private readonly deps: MetricsPaneDeps) {}

  settings(): ContextSettings | { problem: string } {
    const got = this.deps.source();
    if ('problem' in got) return got;
    return { got, refreshMs: got.refreshMs, minStepSeconds: Math.min(got.scrapeIntervalSeconds, 60), endpoint: endpointOf(got) };
  }

  reset(target: MetricsTarget): void {
    this.pods.reset(target);
  }

  async fetch(target: MetricsTarget, window: RangeQueryWindow, { got }: ContextSettings, signal: AbortSignal): Promise<ChartsFetch> {
    const { source } = got;
    const rate = promDuration(rateWindowSeconds(window.step, got.rateWindowSeconds, got.scrapeIntervalSeconds));
    const t = this.deps.appPods ? this.pods.charted(target, this.deps.appPods) : target;
    const log = new RunLog();
    const maxSeries = this.deps.maxSeries ?? 8;
    const { charts, failure } = await runCharts(async () => {
      if (t.level === 'promql') {
        const query: ChartQuery = { source, query: t.query, maxSeries, name: (labels) => ({ label: formatLabels(labels) }) };
        return [await runChart(promqlSpec(t.query), [query], window, signal, log)];
      }
      const by = breakdownLabel(t.level);
      const selector = contextSelector(t, got);
      return Promise.all(
        chartsFor(t.level, got.queries).map((tpl) => {
          const errors: string[] = [];
          const queries = tpl.lines.flatMap((line): ChartQuery[] => {
            try {
              const query = renderTemplate(line.query, { selector, rate, by });
              return [{ source, query, reference: line.reference, maxSeries, name: (labels) => ({ label: renderLegend(line.legend, labels, by) }) }];
            } catch (err) {
              errors.push((err as Error).message);
              return [];
            }
          });
          return runChart(tpl, queries, window, signal, log, errors);
        }),
      );
    }, log, source.endpoint);
    return { charts, failure, warnings: [...log.warnings], podCount: t.level === 'app' ? this.pods.count : undefined };
  }
}
