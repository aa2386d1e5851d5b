import type { PromMatrixSample } from './promTypes.js';

// Puts the samples Prometheus returned onto the query's grid: one slot per step from start
// to end, NaN where a series has no sample (scrape gaps, pods that did not exist yet).
// Charts then draw slot i at the same x for every series.

export interface AlignedSeries {
  labels: Readonly<Record<string, string>>;
  /** Length = grid points; NaN = no sample. */
  values: Float64Array;
}

export function gridTimes(start: number, step: number, points: number): number[] {
  return Array.from({ length: points }, (_, i) => start + i * step);
}

export function alignMatrix(result: readonly PromMatrixSample[], start: number, step: number, points: number): AlignedSeries[] {
  return result.map((s) => {
    const values = new Float64Array(points).fill(NaN);
    for (const [t, raw] of s.values) {
      // Timestamps are step-aligned in Prometheus answers; rounding absorbs float noise
      // and the odd compatible server that returns millisecond jitter.
      const i = Math.round((t - start) / step);
      if (i >= 0 && i < points) values[i] = parseSampleValue(raw);
    }
    return { labels: s.metric, values };
  });
}

/** "NaN", "+Inf", "-Inf" and decimal strings, as Prometheus encodes sample values. */
export function parseSampleValue(raw: string): number {
  switch (raw) {
    case '+Inf':
    case 'Inf':
      return Infinity;
    case '-Inf':
      return -Infinity;
    default:
      return Number(raw);
  }
}
