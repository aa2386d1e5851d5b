import type { FieldMapping } from './fieldMapping.js';
import { sourceFields } from './fieldMapping.js';
import type { LevelFilter, LogQuery } from './logQuery.js';
import type { LogScope } from './logScope.js';

// The Elasticsearch requests warroom sends, built as data. Nothing here concatenates user
// text into a query: the search box goes only into query_string's `query`, names go only
// into term / regexp values (regexp metacharacters escaped). The contract suite
// (test/contract/logs) runs exactly these bodies against the demo store and a real cluster.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type EsQuery = { [key: string]: Json };
export type SortValues = Array<string | number | null>;

export interface SearchBody {
  size: number;
  sort?: Json[];
  query: EsQuery;
  _source?: string[];
  track_total_hits?: boolean;
  search_after?: SortValues;
  pit?: { id: string; keep_alive: string };
  aggs?: EsQuery;
}

/** The one place a level filter becomes index values: keyword fields hold whatever case the shipper wrote. */
const LEVEL_VALUES = {
  error: ['error', 'ERROR', 'Error', 'err', 'ERR', 'fatal', 'FATAL', 'Fatal', 'critical', 'CRITICAL', 'crit', 'panic', 'PANIC', 'severe', 'SEVERE'],
  warn: ['warn', 'WARN', 'Warn', 'warning', 'WARNING', 'Warning'],
  debug: ['debug', 'DEBUG', 'Debug', 'trace', 'TRACE', 'Trace'],
};

/** Lucene regexp metacharacters (the `regexp` query's syntax). */
export function escapeRegexp(text: string): string {
  return text.replace(/[.?+*|{}[\]()"\\#@&<>~]/g, (c) => `\\${c}`);
}

function term(field: string, value: string): EsQuery {
  return { term: { [field]: value } };
}

/** Which documents belong to the scope. */
export function scopeFilter(scope: LogScope, f: FieldMapping): EsQuery[] {
  const out: EsQuery[] = [term(f.namespace, scope.namespace)];
  switch (scope.kind) {
    case 'system':
      break;
    case 'application': {
      // Pods of an application come and go: match their name shape so history of deleted
      // pods is found too, plus the workload field when the shipper writes one.
      const name = escapeRegexp(scope.app.name);
      const pattern = scope.app.kind === 'Deployment' ? `${name}-[a-z0-9]{1,10}-[a-z0-9]{5}` : `${name}-[0-9]+`;
      const should: EsQuery[] = [{ regexp: { [f.pod]: { value: pattern, flags: 'NONE' } } }];
      const owner = scope.app.kind === 'Deployment' ? f.deployment : f.statefulset;
      if (owner) should.push(term(owner, scope.app.name));
      out.push({ bool: { should, minimum_should_match: 1 } });
      break;
    }
    case 'pod':
      out.push(term(f.pod, scope.pod));
      break;
    case 'container':
      out.push(term(f.pod, scope.pod), term(f.container, scope.container));
      break;
  }
  return out;
}

/** Documents at the given levels; a mapping without a level field matches level words in the message. */
export function levelFilter(levels: LevelFilter, f: FieldMapping): { filter?: EsQuery; mustNot?: EsQuery } {
  if (levels === 'all') return {};
  if (!f.level) {
    const words = levels === 'errors' ? 'ERROR OR FATAL OR CRITICAL OR PANIC' : levels === 'warnings' ? 'ERROR OR FATAL OR CRITICAL OR PANIC OR WARN OR WARNING' : 'DEBUG OR TRACE';
    const q: EsQuery = { query_string: { query: words, default_field: f.message } };
    return levels === 'no-debug' ? { mustNot: q } : { filter: q };
  }
  if (levels === 'no-debug') return { mustNot: { terms: { [f.level]: LEVEL_VALUES.debug } } };
  const values = levels === 'errors' ? LEVEL_VALUES.error : [...LEVEL_VALUES.warn, ...LEVEL_VALUES.error];
  return { filter: { terms: { [f.level]: values } } };
}

/** The user's search text, as query_string. Empty text adds nothing. */
export function textQuery(text: string, f: FieldMapping): EsQuery | undefined {
  if (text.trim() === '') return undefined;
  return {
    query_string: {
      query: text,
      default_field: f.message,
      default_operator: 'AND',
      // A term like `status:abc` against a numeric field must not fail the whole search.
      lenient: true,
    },
  };
}

export function timeRange(f: FieldMapping, bounds: { gte?: number; gt?: number; lte?: number; lt?: number }): EsQuery {
  const r: { [k: string]: Json } = { format: 'epoch_millis' };
  for (const [k, v] of Object.entries(bounds)) if (v !== undefined) r[k] = Math.floor(v);
  return { range: { [f.timestamp]: r } };
}

export interface QueryParts {
  scope: LogScope;
  query: LogQuery;
  fields: FieldMapping;
  /** Term filters every document of the context matches (the context's `filter`: e.g. its cluster in a shared store). */
  filter?: Readonly<Record<string, string>>;
  /** Epoch-ms bounds of the documents wanted. */
  range: { gte?: number; gt?: number; lte?: number; lt?: number };
  /** Leave the level filter out (the histogram counts all lines and errors separately). */
  ignoreLevels?: boolean;
}

export function buildQuery(p: QueryParts): EsQuery {
  const context = Object.entries(p.filter ?? {}).map(([field, value]) => term(field, value));
  const filter: EsQuery[] = [...context, ...scopeFilter(p.scope, p.fields), timeRange(p.fields, p.range)];
  const mustNot: EsQuery[] = [];
  if (!p.ignoreLevels) {
    const lv = levelFilter(p.query.levels, p.fields);
    if (lv.filter) filter.push(lv.filter);
    if (lv.mustNot) mustNot.push(lv.mustNot);
  }
  const text = textQuery(p.query.text, p.fields);
  const bool: { [k: string]: Json } = { filter };
  if (text) bool.must = [text];
  if (mustNot.length) bool.must_not = mustNot;
  return { bool };
}

export const PIT_KEEP_ALIVE = '2m';

/**
 * Tail poll: everything from `range.gte` on, oldest first. Without a PIT the sort is the
 * timestamp alone (a page that is not full holds every match, ties included); when a page
 * comes back full the poll pages on inside a PIT with `_shard_doc` as the tiebreaker.
 */
export function tailSearch(p: QueryParts, size: number, pit?: { id: string; searchAfter?: SortValues }): SearchBody {
  const body: SearchBody = {
    size,
    sort: pit ? [{ [p.fields.timestamp]: { order: 'asc' } }, { _shard_doc: 'asc' }] : [{ [p.fields.timestamp]: { order: 'asc' } }],
    query: buildQuery(p),
    _source: sourceFields(p.fields),
    track_total_hits: false,
  };
  if (pit) {
    body.pit = { id: pit.id, keep_alive: PIT_KEEP_ALIVE };
    if (pit.searchAfter) body.search_after = pit.searchAfter;
  }
  return body;
}

/** Newest first, inside a PIT: the first screen of a search and every older page after it. */
export function historySearch(p: QueryParts, size: number, pitId: string, searchAfter?: SortValues): SearchBody {
  const body: SearchBody = {
    size,
    sort: [{ [p.fields.timestamp]: { order: 'desc' } }, { _shard_doc: 'desc' }],
    query: buildQuery(p),
    _source: sourceFields(p.fields),
    track_total_hits: false,
    pit: { id: pitId, keep_alive: PIT_KEEP_ALIVE },
  };
  if (searchAfter) body.search_after = searchAfter;
  return body;
}

const NICE_INTERVALS_S = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest round interval that fits the range into at most `buckets` bars. */
export function histogramInterval(rangeMs: number, buckets: number): { ms: number; es: string } {
  const want = rangeMs / Math.max(1, buckets) / 1000;
  const s = NICE_INTERVALS_S.find((i) => i >= want) ?? Math.ceil(want / 86400) * 86400;
  const es = s % 86400 === 0 ? `${s / 86400}d` : s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;
  return { ms: s * 1000, es };
}

/** Line counts (and error counts) per interval over the range, for the histogram strip. */
export function histogramSearch(p: QueryParts, from: number, to: number, buckets: number): { body: SearchBody; intervalMs: number } {
  const interval = histogramInterval(to - from, buckets);
  const errors = levelFilter('errors', p.fields).filter!;
  const start = Math.floor(from / interval.ms) * interval.ms;
  return {
    intervalMs: interval.ms,
    body: {
      size: 0,
      track_total_hits: false,
      query: buildQuery({ ...p, range: { gte: from, lte: to }, ignoreLevels: true }),
      aggs: {
        over_time: {
          date_histogram: {
            field: p.fields.timestamp,
            fixed_interval: interval.es,
            min_doc_count: 0,
            extended_bounds: { min: start, max: Math.floor(to) },
          },
          aggs: { errors: { filter: errors } },
        },
      },
    },
  };
}
