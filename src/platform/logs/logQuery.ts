import type { LogLevel } from './logLine.js';

// What the user asked for, as data: free text (Elasticsearch query_string syntax), a level
// filter and a time range. The Elasticsearch request is built from this (esRequests.ts);
// the Kubernetes fallback applies the same filter to lines itself (logMatcher.ts).

export type LevelFilter = 'all' | 'errors' | 'warnings' | 'no-debug';

export const LEVEL_FILTERS: Record<LevelFilter, { label: string; levels: LogLevel[] | undefined }> = {
  all: { label: 'all levels', levels: undefined },
  errors: { label: 'errors only', levels: ['error'] },
  warnings: { label: 'warnings and errors', levels: ['warn', 'error'] },
  'no-debug': { label: 'info and above', levels: ['info', 'warn', 'error', 'unknown'] },
};

export const LEVEL_FILTER_ORDER: LevelFilter[] = ['all', 'warnings', 'errors', 'no-debug'];

export type TimeRange = { kind: 'relative'; ms: number } | { kind: 'absolute'; from: number; to: number };

export interface LogQuery {
  /** query_string text; '' = everything. */
  text: string;
  levels: LevelFilter;
  range: TimeRange;
}

export const DEFAULT_QUERY: LogQuery = { text: '', levels: 'all', range: { kind: 'relative', ms: 15 * 60_000 } };

export const RANGE_PRESETS: Array<{ label: string; ms: number }> = [
  { label: '5m', ms: 5 * 60_000 },
  { label: '15m', ms: 15 * 60_000 },
  { label: '1h', ms: 60 * 60_000 },
  { label: '6h', ms: 6 * 60 * 60_000 },
  { label: '24h', ms: 24 * 60 * 60_000 },
  { label: '7d', ms: 7 * 24 * 60 * 60_000 },
];

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export class TimeRangeError extends Error {}

/**
 * `15m`, `last 15m`, `1h`, `24h`, `2d`, or absolute `2026-08-21T10:00 .. 2026-08-21T11:30`
 * (also `from X to Y`; ISO dates, local time when no zone is given).
 */
export function parseTimeRange(input: string, now = Date.now()): TimeRange {
  const text = input.trim().toLowerCase().replace(/^last\s+/, '');
  const rel = /^(\d+(?:\.\d+)?)\s*([smhdw])$/.exec(text);
  if (rel) {
    const ms = Number(rel[1]) * UNIT_MS[rel[2]];
    if (ms <= 0) throw new TimeRangeError(`time range '${input}' is empty`);
    return { kind: 'relative', ms };
  }
  const abs = /^(?:from\s+)?(\S+(?:[ t]\d\d:\d\d(?::\d\d)?)?)\s*(?:\.\.|to|–|-{2})\s*(\S+(?:[ t]\d\d:\d\d(?::\d\d)?)?|now)$/i.exec(input.trim().replace(/^from\s+/i, ''));
  if (abs) {
    const from = parseInstant(abs[1]);
    const to = abs[2].toLowerCase() === 'now' ? now : parseInstant(abs[2]);
    if (from === undefined) throw new TimeRangeError(`cannot read the start '${abs[1]}'; use e.g. 2026-08-21T10:00`);
    if (to === undefined) throw new TimeRangeError(`cannot read the end '${abs[2]}'; use e.g. 2026-08-21T11:30 or now`);
    if (to <= from) throw new TimeRangeError(`the end of '${input}' is not after its start`);
    return { kind: 'absolute', from, to };
  }
  throw new TimeRangeError(`cannot read the time range '${input}'; use 15m, 1h, 24h, 7d or FROM .. TO (ISO dates)`);
}

function parseInstant(s: string): number | undefined {
  const t = Date.parse(s.replace(' ', 'T'));
  return Number.isFinite(t) ? t : undefined;
}

export function rangeBounds(range: TimeRange, now: number): { from: number; to: number } {
  return range.kind === 'relative' ? { from: now - range.ms, to: now } : { from: range.from, to: range.to };
}

/**
 * An absolute range to the second, in local time like the lines' timestamps (a histogram bar
 * is often 15 s wide: minutes alone showed `10:00 .. 10:00`); the end drops a repeated date.
 */
export function describeRange(range: TimeRange): string {
  if (range.kind === 'absolute') {
    const from = localInstant(range.from);
    const to = localInstant(range.to);
    return `${from} .. ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to}`;
  }
  const preset = RANGE_PRESETS.find((p) => p.ms === range.ms);
  if (preset) return `last ${preset.label}`;
  for (const [u, ms] of Object.entries(UNIT_MS).reverse()) if (range.ms % ms === 0) return `last ${range.ms / ms}${u}`;
  return `last ${Math.round(range.ms / 1000)}s`;
}

function localInstant(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Following only makes sense when the range reaches now. */
export function rangeReachesNow(range: TimeRange): boolean {
  return range.kind === 'relative';
}
