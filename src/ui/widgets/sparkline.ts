import { glyphs } from '../../terminal/glyphs.js';

// A sparkline for a table cell: one block character per column (▁▂▃▄▅▆▇█, or `.:-=+*#@` in
// ASCII), newest on the right, blank where there is no sample. More samples than columns are
// bucketed by their maximum, so a short spike stays visible.

export interface SparklineOptions {
  /** Fixed scale (e.g. 0..limit); default: the finite values' own min/max, with 0 included. */
  lo?: number;
  hi?: number;
}

export function sparkline(values: ArrayLike<number>, width: number, opts: SparklineOptions = {}): string {
  if (width <= 0) return '';
  const cols = bucket(values, width);
  let lo = opts.lo ?? Infinity;
  let hi = opts.hi ?? -Infinity;
  if (opts.lo === undefined || opts.hi === undefined) {
    for (const v of cols) {
      if (!Number.isFinite(v)) continue;
      if (opts.lo === undefined) lo = Math.min(lo, v);
      if (opts.hi === undefined) hi = Math.max(hi, v);
    }
    if (opts.lo === undefined) lo = Math.min(lo, 0);
  }
  const levels = glyphs.levels;
  let out = '';
  for (const v of cols) {
    if (!Number.isFinite(v)) {
      out += ' ';
      continue;
    }
    // A flat non-zero line sits mid-height; an all-zero line on the floor.
    const frac = hi > lo ? (Math.min(Math.max(v, lo), hi) / 2 - lo / 2) / (hi / 2 - lo / 2) : v === 0 ? 0 : 0.5;
    out += levels[Math.round(frac * (levels.length - 1))];
  }
  return out.padStart(width, ' ');
}

/** At most `width` columns: each the max finite value of its bucket (NaN when none). */
function bucket(values: ArrayLike<number>, width: number): number[] {
  const n = values.length;
  if (n <= width) return Array.from(values);
  const out: number[] = [];
  for (let c = 0; c < width; c++) {
    const from = Math.floor((c * n) / width);
    const to = Math.floor(((c + 1) * n) / width);
    let m = NaN;
    for (let i = from; i < to; i++) {
      const v = values[i];
      if (Number.isFinite(v) && !(v <= m)) m = v;
    }
    out.push(m);
  }
  return out;
}
