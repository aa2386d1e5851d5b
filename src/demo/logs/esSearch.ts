import { EsHttpError, esErrors } from './esErrors.js';
import { lowerBound, type LogIndex, type StoredDoc } from './logIndex.js';
import { matchQueryString, parseQueryString, QueryStringSyntaxError } from './queryString.js';

// Runs the subset of the _search API warroom uses against the demo's documents: bool,
// term, terms, range, regexp, prefix, exists, match_all, query_string; sort on the
// timestamp with `_shard_doc` (PIT only) as tiebreaker; search_after; size; _source
// filtering; date_histogram with filter sub-aggregations. Anything else is refused the way
// Elasticsearch refuses it, so the contract suite catches a console that drifts.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MAX_RESULT_WINDOW = 10_000;

/** The Filebeat/ECS document of a stored line. */
export function ecsSource(d: StoredDoc): Obj {
  const p = d.pod;
  const k8s: Obj = {
    namespace: d.namespace,
    pod: { name: p.name, uid: p.uid, ...(p.podIP ? { ip: p.podIP } : {}) },
    container: { name: d.container },
    ...(p.nodeName ? { node: { name: p.nodeName } } : {}),
    labels: Object.fromEntries(Object.entries(p.labels ?? {}).map(([k, v]) => [k.replace(/[./]/g, '_'), v])),
  };
  if (p.deployment) k8s.deployment = { name: p.deployment };
  if (p.replicaSet) k8s.replicaset = { name: p.replicaSet };
  if (p.statefulSet) k8s.statefulset = { name: p.statefulSet };
  return {
    '@timestamp': new Date(d.ts).toISOString(),
    message: d.message,
    log: { level: d.level },
    stream: 'stdout',
    ecs: { version: '8.11.0' },
    kubernetes: k8s,
  };
}

/** Keyword value of a field, as a term query sees it. */
function fieldOf(d: StoredDoc, field: string): string | undefined {
  switch (field) {
    case '@timestamp':
      return String(d.ts);
    case 'message':
      return d.message;
    case 'log.level':
      return d.level;
    case 'kubernetes.namespace':
      return d.namespace;
    case 'kubernetes.pod.name':
      return d.pod.name;
    case 'kubernetes.pod.uid':
      return d.pod.uid;
    case 'kubernetes.container.name':
      return d.container;
    case 'kubernetes.node.name':
      return d.pod.nodeName;
    case 'kubernetes.deployment.name':
      return d.pod.deployment;
    case 'kubernetes.replicaset.name':
      return d.pod.replicaSet;
    case 'kubernetes.statefulset.name':
      return d.pod.statefulSet;
    case 'stream':
      return 'stdout';
    case '_index':
      return d.index;
    case '_id':
      return d.id;
  }
  if (field.startsWith('kubernetes.labels.')) return d.pod.labels?.[field.slice('kubernetes.labels.'.length)];
  return undefined;
}

function parseTime(v: unknown, format: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (/^\d+$/.test(v) && (format === 'epoch_millis' || format === undefined)) return Number(v);
    if (v === 'now') return Date.now();
    const t = Date.parse(v);
    if (Number.isFinite(t)) return t;
  }
  throw esErrors.parsing(`failed to parse date field [${String(v)}] with format [${String(format ?? 'strict_date_optional_time||epoch_millis')}]`);
}

/** Lucene regexp (anchored) to a JS RegExp for the subset of syntax names need. */
function luceneRegexp(value: string): RegExp {
  try {
    return new RegExp(`^(?:${value})$`, 'u');
  } catch {
    throw esErrors.badRequest(`invalid regular expression [${value}]`);
  }
}

type Pred = (d: StoredDoc) => boolean;

interface Compiled {
  /** Namespaces the query is limited to (from a term filter), for candidate selection. */
  namespaces?: Set<string>;
  from?: number;
  to?: number;
}

function compile(q: unknown, index: string, hints: Compiled): Pred {
  if (!isObj(q)) throw esErrors.parsing('query malformed, must start with start_object');
  const keys = Object.keys(q);
  if (keys.length !== 1) throw esErrors.parsing(`[${keys[1] ?? 'query'}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const kind = keys[0];
  const body = q[kind];
  switch (kind) {
    case 'match_all':
      return () => true;
    case 'bool': {
      if (!isObj(body)) throw esErrors.parsing('[bool] query malformed');
      const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      const filter = [...list(body.filter), ...list(body.must)].map((x) => compile(x, index, hints));
      const should = list(body.should).map((x) => compile(x, index, {}));
      const mustNot = list(body.must_not).map((x) => compile(x, index, {}));
      const msm = body.minimum_should_match !== undefined ? Number(body.minimum_should_match) : filter.length > 0 ? 0 : 1;
      return (d) => {
        for (const f of filter) if (!f(d)) return false;
        for (const f of mustNot) if (f(d)) return false;
        if (should.length > 0 && msm > 0) {
          let n = 0;
          for (const f of should) if (f(d) && ++n >= msm) return true;
          return false;
        }
        return true;
      };
    }
    case 'term': {
      if (!isObj(body)) throw esErrors.parsing('[term] query malformed');
      const [field, v] = Object.entries(body)[0];
      const value = String(isObj(v) ? v.value : v);
      if (field === 'kubernetes.namespace') (hints.namespaces ??= new Set()).add(value);
      return (d) => fieldOf(d, field) === value;
    }
    case 'terms': {
      if (!isObj(body)) throw esErrors.parsing('[terms] query malformed');
      const [field, v] = Object.entries(body)[0];
      if (!Array.isArray(v)) throw esErrors.parsing(`[terms] query does not support [${field}]`);
      const set = new Set(v.map(String));
      return (d) => {
        const x = fieldOf(d, field);
        return x !== undefined && set.has(x);
      };
    }
    case 'range': {
      if (!isObj(body)) throw esErrors.parsing('[range] query malformed');
      const [field, spec] = Object.entries(body)[0];
      if (!isObj(spec)) throw esErrors.parsing('[range] query malformed');
      if (field !== '@timestamp') return (d) => fieldOf(d, field) !== undefined;
      const gte = spec.gte !== undefined ? parseTime(spec.gte, spec.format) : spec.gt !== undefined ? parseTime(spec.gt, spec.format) + 1 : -Infinity;
      const lte = spec.lte !== undefined ? parseTime(spec.lte, spec.format) : spec.lt !== undefined ? parseTime(spec.lt, spec.format) - 1 : Infinity;
      hints.from = Math.max(hints.from ?? -Infinity, gte);
      hints.to = Math.min(hints.to ?? Infinity, lte);
      return (d) => d.ts >= gte && d.ts <= lte;
    }
    case 'regexp': {
      if (!isObj(body)) throw esErrors.parsing('[regexp] query malformed');
      const [field, v] = Object.entries(body)[0];
      const re = luceneRegexp(String(isObj(v) ? v.value : v));
      return (d) => {
        const x = fieldOf(d, field);
        return x !== undefined && re.test(x);
      };
    }
    case 'prefix': {
      if (!isObj(body)) throw esErrors.parsing('[prefix] query malformed');
      const [field, v] = Object.entries(body)[0];
      const p = String(isObj(v) ? v.value : v);
      return (d) => fieldOf(d, field)?.startsWith(p) ?? false;
    }
    case 'exists': {
      const field = isObj(body) ? String(body.field) : '';
      return (d) => fieldOf(d, field) !== undefined;
    }
    case 'query_string': {
      if (!isObj(body) || typeof body.query !== 'string') throw esErrors.parsing('[query_string] requires query');
      const text = body.query;
      const op = String(body.default_operator ?? 'or').toLowerCase() === 'and' ? 'and' : 'or';
      let tree;
      try {
        tree = parseQueryString(text, op);
      } catch (err) {
        if (err instanceof QueryStringSyntaxError) throw esErrors.queryShard(index, `Failed to parse query [${text}]`, err.message);
        throw err;
      }
      const defaultField = typeof body.default_field === 'string' ? body.default_field : 'message';
      return (d) => matchQueryString(tree, (field) => (field === undefined || field === '*' ? fieldOf(d, defaultField) : fieldOf(d, field)));
    }
    default:
      throw esErrors.parsing(`unknown query [${kind}]`);
  }
}

export interface SortKey {
  field: '@timestamp' | '_shard_doc';
  desc: boolean;
}

function parseSort(sort: unknown, withPit: boolean): SortKey[] {
  const out: SortKey[] = [];
  for (const s of Array.isArray(sort) ? sort : sort === undefined ? [] : [sort]) {
    let field: string;
    let order = 'asc';
    if (typeof s === 'string') field = s;
    else if (isObj(s)) {
      field = Object.keys(s)[0];
      const spec = s[field];
      order = typeof spec === 'string' ? spec : isObj(spec) && typeof spec.order === 'string' ? spec.order : 'asc';
    } else throw esErrors.parsing('malformed sort');
    if (field !== '@timestamp' && field !== '_shard_doc') throw esErrors.badRequest(`demo store sorts only on @timestamp and _shard_doc, not [${field}]`);
    if (field === '_shard_doc' && !withPit) throw esErrors.validation('[_shard_doc] sort field cannot be used without [point in time]');
    out.push({ field, desc: order === 'desc' });
  }
  // A PIT search gets the implicit tiebreaker, as in Elasticsearch 7.12+.
  if (withPit && !out.some((k) => k.field === '_shard_doc')) out.push({ field: '_shard_doc', desc: out[out.length - 1]?.desc ?? false });
  return out;
}

function sortValues(d: StoredDoc, keys: SortKey[]): number[] {
  return keys.map((k) => (k.field === '@timestamp' ? d.ts : d.seq));
}

function compareValues(a: readonly number[], b: readonly number[], keys: SortKey[]): number {
  for (let i = 0; i < keys.length; i++) {
    const c = (a[i] ?? 0) - (b[i] ?? 0);
    if (c !== 0) return keys[i].desc ? -c : c;
  }
  return 0;
}

function filterSource(src: Obj, fields: unknown): Obj {
  if (!Array.isArray(fields)) return src;
  const out: Obj = {};
  for (const f of fields.map(String)) {
    const parts = f.split('.');
    let from: unknown = src;
    for (const p of parts) from = isObj(from) ? from[p] : undefined;
    if (from === undefined) continue;
    let to = out;
    for (const p of parts.slice(0, -1)) to = (to[p] = isObj(to[p]) ? to[p] : {}) as Obj;
    to[parts[parts.length - 1]] = from;
  }
  return out;
}

export interface SearchContext {
  /** Indices the request (or its PIT) covers. */
  indices: string[];
  /** Only documents indexed at or before this time are visible (a PIT's moment, or now). */
  visibleAt: number;
  withPit: boolean;
  pitId?: string;
}

export function runSearch(store: LogIndex, body: Obj, ctx: SearchContext): Obj {
  const started = Date.now();
  const size = body.size === undefined ? 10 : Number(body.size);
  if (!Number.isInteger(size) || size < 0) throw esErrors.badRequest(`[size] parameter cannot be negative, found [${String(body.size)}]`);
  if (size > MAX_RESULT_WINDOW) {
    throw esErrors.badRequest(`Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${size}]. See the scroll api for a more efficient way to request large data sets.`);
  }
  const hints: Compiled = {};
  const pred = body.query === undefined ? () => true : compile(body.query, ctx.indices[0] ?? '', hints);
  const keys = parseSort(body.sort, ctx.withPit);
  const after = body.search_after;
  if (after !== undefined && (!Array.isArray(after) || after.length !== keys.length)) {
    throw esErrors.badRequest(`search_after has ${Array.isArray(after) ? after.length : 0} value(s) but sort has ${keys.length}.`);
  }
  const afterValues = Array.isArray(after) ? after.map((v) => (typeof v === 'string' && !/^-?\d+$/.test(v) ? Date.parse(v) : Number(v))) : undefined;
  const indexSet = new Set(ctx.indices);

  const candidates: StoredDoc[] = [];
  const namespaces = hints.namespaces ? [...hints.namespaces] : store.namespaces();
  for (const ns of namespaces) {
    const docs = store.docs(ns);
    const lo = hints.from !== undefined && Number.isFinite(hints.from) ? lowerBound(docs, hints.from) : 0;
    const hi = hints.to !== undefined && Number.isFinite(hints.to) ? lowerBound(docs, hints.to + 1) : docs.length;
    for (let i = lo; i < hi; i++) {
      const d = docs[i];
      if (d.visibleAt > ctx.visibleAt || !indexSet.has(d.index) || !pred(d)) continue;
      candidates.push(d);
    }
  }
  if (keys.length > 0) candidates.sort((a, b) => compareValues(sortValues(a, keys), sortValues(b, keys), keys));
  let start = 0;
  if (afterValues) {
    while (start < candidates.length && compareValues(sortValues(candidates[start], keys), afterValues, keys) <= 0) start++;
  }
  const page = candidates.slice(start, start + size);
  const trackTotal = body.track_total_hits !== false;
  const hits = {
    ...(trackTotal ? { total: { value: Math.min(candidates.length, 10_000), relation: candidates.length > 10_000 ? 'gte' : 'eq' } } : {}),
    max_score: keys.length > 0 ? null : 1,
    hits: page.map((d) => ({
      _index: d.index,
      _id: d.id,
      _score: keys.length > 0 ? null : 1,
      _source: filterSource(ecsSource(d), body._source),
      ...(keys.length > 0 ? { sort: sortValues(d, keys) } : {}),
    })),
  };
  const out: Obj = {
    ...(ctx.pitId ? { pit_id: ctx.pitId } : {}),
    took: Date.now() - started,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits,
  };
  if (isObj(body.aggs ?? body.aggregations)) out.aggregations = runAggs((body.aggs ?? body.aggregations) as Obj, candidates, ctx.indices[0] ?? '');
  return out;
}

function runAggs(aggs: Obj, docs: StoredDoc[], index: string): Obj {
  const out: Obj = {};
  for (const [name, spec] of Object.entries(aggs)) {
    if (!isObj(spec)) throw esErrors.parsing(`Expected [START_OBJECT] under [${name}]`);
    const sub = isObj(spec.aggs ?? spec.aggregations) ? ((spec.aggs ?? spec.aggregations) as Obj) : undefined;
    if (isObj(spec.date_histogram)) {
      const h = spec.date_histogram;
      const interval = parseInterval(h.fixed_interval);
      const bounds = isObj(h.extended_bounds) ? h.extended_bounds : undefined;
      const counts = new Map<number, StoredDoc[]>();
      for (const d of docs) {
        const k = Math.floor(d.ts / interval) * interval;
        let l = counts.get(k);
        if (!l) counts.set(k, (l = []));
        l.push(d);
      }
      let keys = [...counts.keys()];
      if (Number(h.min_doc_count ?? 1) === 0) {
        const lo = Math.min(...keys, bounds ? Math.floor(parseTime(bounds.min, 'epoch_millis') / interval) * interval : Infinity);
        const hi = Math.max(...keys, bounds ? Math.floor(parseTime(bounds.max, 'epoch_millis') / interval) * interval : -Infinity);
        keys = [];
        if (Number.isFinite(lo) && Number.isFinite(hi)) for (let k = lo; k <= hi; k += interval) keys.push(k);
      }
      keys.sort((a, b) => a - b);
      out[name] = {
        buckets: keys.map((k) => {
          const inBucket = counts.get(k) ?? [];
          return { key_as_string: new Date(k).toISOString(), key: k, doc_count: inBucket.length, ...(sub ? runAggs(sub, inBucket, index) : {}) };
        }),
      };
    } else if (spec.filter !== undefined) {
      const pred = compile(spec.filter, index, {});
      const inside = docs.filter(pred);
      out[name] = { doc_count: inside.length, ...(sub ? runAggs(sub, inside, index) : {}) };
    } else {
      throw esErrors.badRequest(`demo store does not support aggregation [${Object.keys(spec)[0]}]`);
    }
  }
  return out;
}

function parseInterval(v: unknown): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(v));
  if (!m) throw new EsHttpError(400, 'illegal_argument_exception', `failed to parse setting [date_histogram.fixedInterval] with value [${String(v)}] as a time value`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
