import { sanitize } from '../text/sanitize.js';
import { MetricsError, type MetricsSource } from './metricsSource.js';
import type { Labels } from './promTypes.js';
import { alignMatrix } from './seriesAlign.js';
import { foldSeries, type FoldedSeries } from './seriesFold.js';
import type { RangeQueryWindow } from './stepSizing.js';
import type { Unit } from './units.js';
import { glyphs } from '../../terminal/glyphs.js';

// One chart of the metrics pane from its queries: each query is sent to its source (a
// context's Prometheus, or a fleet's), its series put on the grid, named, and the chart says
// "no data" or why a query was rejected. Shared by a context's charts and a fleet's: what
// differs is only which queries go where and how a series is named.

export interface ChartSeriesData {
  label: string;
  values: Float64Array;
  reference?: boolean;
  /** The cluster of a fleet chart's series (its index in the fleet): its colour on every chart. */
  group?: number;
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

export interface ChartQuery {
  source: MetricsSource;
  query: string;
  reference?: boolean;
  /** Series beyond this many are summed into "other" (reference lines are never folded). */
  maxSeries?: number;
  /**
   * Names a series; undefined leaves it out. Series the query answered under one name get their
   * labels after it (less `sameLabel`, which they share by construction).
   */
  name(labels: Labels): { label: string; group?: number } | undefined;
  sameLabel?: string;
  /** Who answers it (a cluster of a fleet): a failure to reach it is reported against it. */
  who?: number;
}

/** What a refresh learns beyond the charts: warnings, and who answered or could not be reached. */
export interface ChartRunLog {
  warnings: Set<string>;
  answered(who: number | undefined): void;
  unreachable(err: MetricsError, who: number | undefined): void;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: Unit;
  noDataHint: string;
}

/**
 * Runs a chart's queries at once and assembles the chart: series in the queries' order (data
 * before reference lines, so colours stay the same from one refresh to the next). `errors`:
 * queries that could not even be written (a bad template), shown as the chart's error.
 */
export async function runChart(spec: ChartSpec, queries: readonly ChartQuery[], window: RangeQueryWindow, signal: AbortSignal, log: ChartRunLog, errors: string[] = []): Promise<ChartData> {
  const answers = await Promise.all(
    queries.map(async (q): Promise<ChartSeriesData[]> => {
      try {
        const answer = await q.source.queryRange(q.query, window, signal);
        log.answered(q.who);
        for (const w of answer.warnings) log.warnings.add(sanitize(w, { maxLength: 200 }));
        let aligned: FoldedSeries[] = alignMatrix(answer.data, window.start, window.step, window.points);
        if (!q.reference && q.maxSeries) aligned = foldSeries(aligned, q.maxSeries);
        const named = aligned.map((s) => ({ s, named: s.other ? { label: `other (${s.count})` } : q.name(s.labels) }));
        const uses = new Map<string, number>();
        for (const { named: n } of named) if (n) uses.set(n.label, (uses.get(n.label) ?? 0) + 1);
        return named.flatMap(({ s, named: n }) => {
          if (!n) return [];
          const label = uses.get(n.label)! > 1 ? `${n.label} ${formatLabels(s.labels, q.sameLabel)}` : n.label;
          return [{ label: sanitize(label, { maxLength: 60 }), values: s.values, reference: q.reference, group: n.group }];
        });
      } catch (err) {
        if (!(err instanceof MetricsError)) throw err;
        if (err.kind === 'aborted') return [];
        if (err.permanent || err.kind === 'prometheus') errors.push(sanitize(err.message, { maxLength: 300 }));
        else log.unreachable(err, q.who);
        return [];
      }
    }),
  );
  const series = answers.flat();
  series.sort((a, b) => Number(!!a.reference) - Number(!!b.reference));
  const hasData = series.some((s) => !s.reference && s.values.some(Number.isFinite));
  return { id: spec.id, title: spec.title, unit: spec.unit, series, noData: hasData ? undefined : `no data ${glyphs.dash} ${spec.noDataHint}`, error: errors[0] };
}

/** `name{k="v",...}` of a free query's series (less the label `without`). */
export function formatLabels(labels: Readonly<Record<string, string>>, without?: string): string {
  const entries = Object.entries(labels).filter(([k]) => k !== '__name__' && k !== without);
  const name = labels.__name__ ?? '';
  if (!entries.length) return name || 'value';
  return `${name}{${entries.map(([k, v]) => `${k}="${v}"`).join(',')}}`;
}
