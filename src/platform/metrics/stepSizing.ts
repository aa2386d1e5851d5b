// How many points to ask Prometheus for: about two per chart cell (one per braille dot
// column), on "nice" step boundaries so a refresh asks for the same grid (Prometheus and
// the caches in front of it, Thanos/Mimir query-frontends, align on it), and never more
// than the 11,000 points per series Prometheus accepts.

/** Prometheus rejects `query_range` with more points than this per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

const NICE_STEPS_S = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

export interface RangeQueryWindow {
  /** Unix seconds, aligned to `step`. */
  start: number;
  end: number;
  step: number;
  /** Number of samples per series the grid holds: (end - start) / step + 1. */
  points: number;
}

/** Smallest nice step >= `seconds`. */
export function niceStep(seconds: number): number {
  for (const s of NICE_STEPS_S) if (s >= seconds) return s;
  return Math.ceil(seconds / 86400) * 86400;
}

export interface StepOptions {
  /** Steps below the scrape interval only repeat samples. Default 5 s. */
  minStepSeconds?: number;
  /** Dots per cell horizontally; braille has 2. */
  pointsPerCell?: number;
}

/**
 * The query grid for a chart `plotCells` wide showing the last `rangeSeconds` before `nowMs`.
 * `end` is the last step boundary at or before now, so the newest point is complete.
 */
export function rangeWindow(rangeSeconds: number, plotCells: number, nowMs: number, opts: StepOptions = {}): RangeQueryWindow {
  const cells = Math.max(1, Math.floor(plotCells));
  const wanted = rangeSeconds / (cells * (opts.pointsPerCell ?? 2));
  const cap = Math.ceil(rangeSeconds / (MAX_POINTS_PER_SERIES - 1));
  const step = niceStep(Math.max(wanted, opts.minStepSeconds ?? 5, cap, 1));
  const end = Math.floor(nowMs / 1000 / step) * step;
  const intervals = Math.max(1, Math.ceil(rangeSeconds / step));
  return { start: end - intervals * step, end, step, points: intervals + 1 };
}

/**
 * The window for `rate()` at this step: at least the configured window, and wide enough that
 * consecutive points overlap (step plus one scrape interval), else samples fall between points.
 */
export function rateWindowSeconds(step: number, baseSeconds: number, scrapeIntervalSeconds: number): number {
  return Math.max(baseSeconds, step + scrapeIntervalSeconds);
}

/** A PromQL duration literal for whole seconds: 60 -> "1m", 90 -> "90s", 3600 -> "1h". */
export function promDuration(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s % 86400 === 0) return `${s / 86400}d`;
  if (s % 3600 === 0) return `${s / 3600}h`;
  if (s % 60 === 0) return `${s / 60}m`;
  return `${s}s`;
}
