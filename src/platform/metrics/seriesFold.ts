import type { AlignedSeries } from './seriesAlign.js';

// A chart shows at most a handful of lines; a system with 300 pods would otherwise be a
// solid block. Keep the top N by their latest value (the ones that matter now) and sum the
// rest into one "other" line.

export interface FoldedSeries extends AlignedSeries {
  /** True for the summed "other" line. */
  other?: boolean;
  /** How many series were summed into "other". */
  count?: number;
}

/** The newest finite value of a series (NaN when it has none). */
export function lastValue(values: ArrayLike<number>): number {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return NaN;
}

export function foldSeries(series: readonly AlignedSeries[], maxSeries = 8): FoldedSeries[] {
  if (series.length <= maxSeries) return series.slice();
  const ranked = series
    .map((s, i) => ({ s, i, last: lastValue(s.values) }))
    .sort((a, b) => rank(b.last) - rank(a.last) || a.i - b.i);
  const keep = ranked.slice(0, maxSeries - 1).map((r) => r.s);
  const rest = ranked.slice(maxSeries - 1).map((r) => r.s);
  const points = series[0].values.length;
  const sum = new Float64Array(points).fill(NaN);
  for (const s of rest) {
    for (let i = 0; i < points; i++) {
      const v = s.values[i];
      // A point of "other" exists when any folded series has a sample there.
      if (Number.isFinite(v)) sum[i] = (Number.isFinite(sum[i]) ? sum[i] : 0) + v;
    }
  }
  return [...keep, { labels: { __other__: String(rest.length) }, values: sum, other: true, count: rest.length }];
}

function rank(v: number): number {
  return Number.isFinite(v) ? v : -Infinity;
}
