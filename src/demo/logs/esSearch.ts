import { EsHttpError, esErrors } from './esErrors.js';
import { LEVEL_INDEX, type Level, type QuickCount } from './lineGenerator.js';
import { dayOfIndex, type LineHead, type LogIndex, type LogStream } from './logIndex.js';
import { matchQueryString, parseQueryString, QueryStringSyntaxError } from './queryString.js';

// Runs the subset of the _search API warroom uses against the demo's documents: bool,
// term, terms, range, regexp, prefix, exists, match_all, query_string; sort on the
// timestamp with `_shard_doc` as tiebreaker (with or without a PIT, as Elasticsearch 9.5);
// search_after; size; _source filtering; date_histogram with filter sub-aggregations. Anything else is refused the way
// Elasticsearch refuses it, so the contract suite catches a console that drifts.
//
// The documents are generated on demand (logIndex.ts), so a search works in three steps
// that keep its cost to what it returns: the query, evaluated with three values (true,
// false, not known yet), first picks the container runs that can match from their pod's
// fields alone; then lines are generated newest-first (or oldest-first) in growing time
// windows, with time and level known and the text built only for lines the query still
// needs it for; the scan stops once the page is full. Aggregations count every line of
// the window in scope without building a single text unless the query looks at it. A
// search gives the event loop a turn every few milliseconds, and one that would run longer
// than SEARCH_BUDGET_MS answers what it has with `timed_out: true`, as Elasticsearch does
// with a search timeout.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const MAX_RESULT_WINDOW = 10_000;
/** Time one search may take before it answers with what it has (below the console's 10 s default timeout). */
export const SEARCH_BUDGET_MS = 3000;
/** Longest stretch a search keeps the event loop (the demo serves the Kubernetes API too). */
const YIELD_EVERY_MS = 10;

/** The `kubernetes` object of a container run's documents: the same for all its lines. */
const k8sOfStream = new WeakMap<LogStream, Obj>();

function kubernetesFields(stream: LogStream): Obj {
  let k8s = k8sOfStream.get(stream);
  if (k8s) return k8s;
  const p = stream.pod;
  k8s = {
    namespace: p.namespace,
    pod: { name: p.name, uid: p.uid, ...(p.podIP ? { ip: p.podIP } : {}) },
    container: { name: stream.container },
    ...(p.nodeName ? { node: { name: p.nodeName } } : {}),
    labels: Object.fromEntries(Object.entries(p.labels ?? {}).map(([k, v]) => [k.replace(/[./]/g, '_'), v])),
  };
  if (p.deployment) k8s.deployment = { name: p.deployment };
  if (p.replicaSet) k8s.replicaset = { name: p.replicaSet };
  if (p.statefulSet) k8s.statefulset = { name: p.statefulSet };
  k8sOfStream.set(stream, k8s);
  return k8s;
}

/** The Filebeat/ECS document of a line (its `kubernetes` object is shared: read, never changed). */
export function ecsSource(store: LogIndex, h: LineHead): Obj {
  return {
    '@timestamp': new Date(h.ts).toISOString(),
    message: store.message(h),
    log: { level: h.level },
    stream: 'stdout',
    ecs: { version: '8.11.0' },
    kubernetes: kubernetesFields(h.stream),
  };
}

/** What a predicate sees: a container run, and once generated, one of its lines. */
interface Probe {
  stream: LogStream;
  head?: LineHead;
  /** Asking about any line inside the search's window: top-level @timestamp ranges hold. */
  inWindow?: boolean;
}

/** A field whose value depends on what has not been generated yet. */
const UNKNOWN: unique symbol = Symbol('unknown');
type FieldValue = string | undefined | typeof UNKNOWN;

/** Keyword value of a field, as a term query sees it. */
function fieldOf(store: LogIndex, p: Probe, field: string): FieldValue {
  const pod = p.stream.pod;
  const h = p.head;
  switch (field) {
    case '@timestamp':
      return h ? String(h.ts) : UNKNOWN;
    case 'message':
      return h?.message ?? UNKNOWN;
    case 'log.level':
      return h ? h.level : UNKNOWN;
    case 'kubernetes.namespace':
      return pod.namespace;
    case 'kubernetes.pod.name':
      return pod.name;
    case 'kubernetes.pod.uid':
      return pod.uid;
    case 'kubernetes.container.name':
      return p.stream.container;
    case 'kubernetes.node.name':
      return pod.nodeName;
    case 'kubernetes.deployment.name':
      return pod.deployment;
    case 'kubernetes.replicaset.name':
      return pod.replicaSet;
    case 'kubernetes.statefulset.name':
      return pod.statefulSet;
    case 'stream':
      return 'stdout';
    case '_index':
      return h ? store.indexName(h.ts) : UNKNOWN;
    case '_id':
      return h ? store.id(h) : UNKNOWN;
  }
  if (field.startsWith('kubernetes.labels.')) return pod.labels?.[field.slice('kubernetes.labels.'.length)];
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

/** false, true, or not known until the line (or its text) is generated. */
type Tri = 0 | 1 | 2;
type Pred = (p: Probe) => Tri;

interface Compiled {
  /** The search's own hints (top-level filter context), not a should / must_not scratch. */
  top?: boolean;
  /** Namespaces the query is limited to (from a term filter), for candidate selection. */
  namespaces?: Set<string>;
  from?: number;
  to?: number;
}

const truth = (b: boolean): Tri => (b ? 1 : 0);

/** Fields of a line rather than of its container run: not known before the line is generated. */
const LINE_FIELDS = new Set(['@timestamp', 'message', 'log.level', '_index', '_id']);

/**
 * A query that looks only at the pod and container gives the same answer for every line of
 * a run; lines are visited run by run, so remembering the last run's answer spares
 * re-evaluating (say) the application's pod-name regexp for each line.
 */
function perRun(pred: Pred): Pred {
  let last: LogStream | undefined;
  let answer: Tri = 2;
  return (p) => {
    if (p.stream !== last) {
      last = p.stream;
      answer = pred(p);
    }
    return answer;
  };
}

function compile(store: LogIndex, q: unknown, index: string, hints: Compiled): Pred {
  const [pred, runOnly] = compileNode(store, q, index, hints);
  return runOnly ? perRun(pred) : pred;
}

/** The predicate, and whether it reads only fields of the container run. */
function compileNode(store: LogIndex, q: unknown, index: string, hints: Compiled): [Pred, boolean] {
  const onRun = (name: string) => !LINE_FIELDS.has(name);
  if (!isObj(q)) throw esErrors.parsing('query malformed, must start with start_object');
  const keys = Object.keys(q);
  if (keys.length !== 1) throw esErrors.parsing(`[${keys[1] ?? 'query'}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  const kind = keys[0];
  const body = q[kind];
  const field = (p: Probe, name: string) => fieldOf(store, p, name);
  switch (kind) {
    case 'match_all':
      return [() => 1, true];
    case 'bool': {
      if (!isObj(body)) throw esErrors.parsing('[bool] query malformed');
      const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      const parts = [...list(body.filter), ...list(body.must)].map((x) => compileNode(store, x, index, hints));
      const shouldParts = list(body.should).map((x) => compileNode(store, x, index, {}));
      const mustNotParts = list(body.must_not).map((x) => compileNode(store, x, index, {}));
      const all = [...parts, ...shouldParts, ...mustNotParts];
      const runOnly = all.every(([, r]) => r);
      // Children that read only the run are memoised per run when the whole is not.
      const wrap = ([f, r]: [Pred, boolean]) => (r && !runOnly ? perRun(f) : f);
      const filter = parts.map(wrap);
      const should = shouldParts.map(wrap);
      const mustNot = mustNotParts.map(wrap);
      const msm = body.minimum_should_match !== undefined ? Number(body.minimum_should_match) : filter.length > 0 ? 0 : 1;
      return [(p) => {
        let open = false;
        for (const f of filter) {
          const r = f(p);
          if (r === 0) return 0;
          if (r === 2) open = true;
        }
        for (const f of mustNot) {
          const r = f(p);
          if (r === 1) return 0;
          if (r === 2) open = true;
        }
        if (should.length > 0 && msm > 0) {
          let yes = 0;
          let maybe = 0;
          for (const f of should) {
            const r = f(p);
            if (r === 1) yes++;
            else if (r === 2) maybe++;
          }
          if (yes + maybe < msm) return 0;
          if (yes < msm) open = true;
        }
        return open ? 2 : 1;
      }, runOnly];
    }
    case 'term': {
      if (!isObj(body)) throw esErrors.parsing('[term] query malformed');
      const [name, v] = Object.entries(body)[0];
      const value = String(isObj(v) ? v.value : v);
      if (name === 'kubernetes.namespace') (hints.namespaces ??= new Set()).add(value);
      return [(p) => {
        const x = field(p, name);
        return x === UNKNOWN ? 2 : truth(x === value);
      }, onRun(name)];
    }
    case 'terms': {
      if (!isObj(body)) throw esErrors.parsing('[terms] query malformed');
      const [name, v] = Object.entries(body)[0];
      if (!Array.isArray(v)) throw esErrors.parsing(`[terms] query does not support [${name}]`);
      const set = new Set(v.map(String));
      return [(p) => {
        const x = field(p, name);
        return x === UNKNOWN ? 2 : truth(x !== undefined && set.has(x));
      }, onRun(name)];
    }
    case 'range': {
      if (!isObj(body)) throw esErrors.parsing('[range] query malformed');
      const [name, spec] = Object.entries(body)[0];
      if (!isObj(spec)) throw esErrors.parsing('[range] query malformed');
      if (name !== '@timestamp') {
        return [(p) => {
          const x = field(p, name);
          return x === UNKNOWN ? 2 : truth(x !== undefined);
        }, onRun(name)];
      }
      const gte = spec.gte !== undefined ? parseTime(spec.gte, spec.format) : spec.gt !== undefined ? parseTime(spec.gt, spec.format) + 1 : -Infinity;
      const lte = spec.lte !== undefined ? parseTime(spec.lte, spec.format) : spec.lt !== undefined ? parseTime(spec.lt, spec.format) - 1 : Infinity;
      hints.from = Math.max(hints.from ?? -Infinity, gte);
      hints.to = Math.min(hints.to ?? Infinity, lte);
      // A top-level range is what the scan's window enforces (hints.from / hints.to).
      const enforced = hints.top === true;
      return [(p) => (p.head ? truth(p.head.ts >= gte && p.head.ts <= lte) : enforced && p.inWindow ? 1 : 2), false];
    }
    case 'regexp': {
      if (!isObj(body)) throw esErrors.parsing('[regexp] query malformed');
      const [name, v] = Object.entries(body)[0];
      const re = luceneRegexp(String(isObj(v) ? v.value : v));
      return [(p) => {
        const x = field(p, name);
        return x === UNKNOWN ? 2 : truth(x !== undefined && re.test(x));
      }, onRun(name)];
    }
    case 'prefix': {
      if (!isObj(body)) throw esErrors.parsing('[prefix] query malformed');
      const [name, v] = Object.entries(body)[0];
      const prefix = String(isObj(v) ? v.value : v);
      return [(p) => {
        const x = field(p, name);
        return x === UNKNOWN ? 2 : truth(x?.startsWith(prefix) ?? false);
      }, onRun(name)];
    }
    case 'exists': {
      const name = isObj(body) ? String(body.field) : '';
      return [(p) => {
        const x = field(p, name);
        return x === UNKNOWN ? 2 : truth(x !== undefined);
      }, onRun(name)];
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
      return [(p) => {
        let open = false;
        const matched = matchQueryString(tree, (name) => {
          const x = field(p, name === undefined || name === '*' ? defaultField : name);
          if (x !== UNKNOWN) return x;
          open = true;
          return undefined;
        });
        return open ? 2 : truth(matched);
      }, false];
    }
    default:
      throw esErrors.parsing(`unknown query [${kind}]`);
  }
}

/**
 * Whether, for the lines inside the search's window, the query depends on nothing but the
 * container run: then a run that matches has all its lines match, and no line needs to be
 * looked at (the common case: scope filters plus the time range).
 */
function windowOnly(q: unknown, top: boolean): boolean {
  if (!isObj(q)) return false;
  const kind = Object.keys(q)[0];
  const body = q[kind];
  const onRun = (name: unknown) => typeof name === 'string' && !LINE_FIELDS.has(name);
  const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  switch (kind) {
    case 'match_all':
      return true;
    case 'bool':
      if (!isObj(body)) return false;
      return [...list(body.filter), ...list(body.must)].every((x) => windowOnly(x, top)) && [...list(body.should), ...list(body.must_not)].every((x) => windowOnly(x, false));
    case 'range': {
      if (!isObj(body)) return false;
      const name = Object.keys(body)[0];
      return name === '@timestamp' ? top : onRun(name);
    }
    case 'term':
    case 'terms':
    case 'regexp':
    case 'prefix':
      return isObj(body) && onRun(Object.keys(body)[0]);
    case 'exists':
      return isObj(body) && onRun(body.field);
    default:
      return false;
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
    // Elasticsearch 9.5 accepts `_shard_doc` without a point in time too (measured in the
    // lab; earlier versions refused it). Its values then hold for the current view only.
    out.push({ field, desc: order === 'desc' });
  }
  // A PIT search gets the implicit tiebreaker, as in Elasticsearch 7.12+.
  if (withPit && out.length > 0 && !out.some((k) => k.field === '_shard_doc')) out.push({ field: '_shard_doc', desc: out[out.length - 1].desc });
  return out;
}

function sortValues(h: LineHead, keys: SortKey[]): number[] {
  return keys.map((k) => (k.field === '@timestamp' ? h.ts : h.shardDoc));
}

function compareValues(a: readonly number[], b: readonly number[], keys: SortKey[]): number {
  for (let i = 0; i < keys.length; i++) {
    const c = (a[i] ?? 0) - (b[i] ?? 0);
    if (c !== 0) return keys[i].desc ? -c : c;
  }
  return 0;
}

function compareHeads(a: LineHead, b: LineHead, keys: SortKey[]): number {
  for (const k of keys) {
    const c = k.field === '@timestamp' ? a.ts - b.ts : a.shardDoc - b.shardDoc;
    if (c !== 0) return k.desc ? -c : c;
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

/** The lines a search may see, and the clock it must answer by. */
class Scan {
  readonly streams: LogStream[] = [];
  /** Runs all of whose lines in the window match (only visibility and the index remain to check). */
  private readonly whole = new Set<LogStream>();
  /** Every day of the window has an index in the search: no per-line index check. */
  private readonly allDays: boolean;
  /** Inclusive bounds of the timestamps that can match. */
  readonly lo: number;
  readonly hi: number;
  timedOut = false;
  private readonly days: Set<number>;
  /** Lines after this may not be searchable yet (each is checked); those before all are. */
  readonly lateFrom: number;

  constructor(
    readonly store: LogIndex,
    private readonly pred: Pred,
    query: unknown,
    hints: Compiled,
    private readonly ctx: SearchContext,
    private readonly deadline: number,
  ) {
    this.days = new Set(ctx.indices.map((i) => dayOfIndex(store.options.indexPrefix, i)).filter((d): d is number => d !== undefined));
    this.lo = Math.max(hints.from ?? -Infinity, store.retainedFrom());
    // Nothing is searchable before its timestamp.
    this.hi = Math.min(hints.to ?? Infinity, ctx.visibleAt);
    this.lateFrom = ctx.visibleAt - store.maxLatenessMs();
    let allDays = true;
    if (this.hi >= this.lo) for (let d = Math.floor(this.lo / 86_400_000); d <= Math.floor(this.hi / 86_400_000); d++) allDays &&= this.days.has(d);
    this.allDays = allDays;
    const lineFree = query === undefined || windowOnly(query, true);
    const namespaces = hints.namespaces ? [...hints.namespaces] : store.namespaces();
    for (const ns of namespaces) {
      for (const s of store.streams(ns)) {
        const r = pred({ stream: s, inWindow: lineFree });
        if (r === 0) continue;
        this.streams.push(s);
        if (lineFree && r === 1) this.whole.add(s);
      }
    }
  }

  expired(): boolean {
    if (!this.timedOut && Date.now() > this.deadline) this.timedOut = true;
    return this.timedOut;
  }

  /** Whether a generated line is in an index searched and already searchable. */
  private visible(h: LineHead): boolean {
    if (!this.allDays && !this.days.has(Math.floor(h.ts / 86_400_000))) return false;
    return !(h.ts > this.lateFrom && this.store.visibleAt(h) > this.ctx.visibleAt);
  }

  /** Whether a generated line is a hit: in an index searched, visible, and matching. */
  private matches(h: LineHead, probe: Probe): boolean {
    if (!this.visible(h)) return false;
    // One probe per run, reused for its lines: predicates are synchronous and keep no reference.
    probe.head = h;
    let r = this.pred(probe);
    if (r === 2) {
      this.store.message(h);
      r = this.pred(probe);
    }
    return r === 1;
  }

  /**
   * Every matching line in [from, to] (inclusive ms); the head passed in is reused between
   * calls unless `fresh`. Gives the event loop a turn every YIELD_EVERY_MS: the demo's
   * Kubernetes API and other searches are served by the same process.
   */
  async each(from: number, to: number, visit: (h: LineHead) => void, fresh = false, quick?: QuickCount): Promise<void> {
    let slice = Date.now();
    for (const s of this.streams) {
      if (this.expired()) return;
      if (Date.now() - slice >= YIELD_EVERY_MS) {
        await new Promise((r) => setImmediate(r));
        slice = Date.now();
      }
      const whole = this.whole.has(s);
      const probe: Probe = { stream: s };
      // Counting without visiting needs every line of the run to match and to be in an index.
      this.store.forEachHead(s, from, to + 1, (h) => {
        if (whole ? this.visible(h) : this.matches(h, probe)) visit(h);
      }, fresh, whole && this.allDays ? quick : undefined);
    }
  }
}

/**
 * The first `want` hits in sort order after `after` (all of them when `keys` do not lead
 * with the timestamp), plus how many hits there are up to `countUpTo`.
 */
async function collect(scan: Scan, keys: SortKey[], after: number[] | undefined, want: number, countUpTo: number): Promise<{ page: LineHead[]; total: number }> {
  const page: LineHead[] = [];
  let total = 0;
  if (!(scan.hi >= scan.lo)) return { page, total };
  const isAfter = (h: LineHead) => !after || compareValues(sortValues(h, keys), after, keys) > 0;
  if (keys.length === 0 || keys[0].field !== '@timestamp') {
    const all: LineHead[] = [];
    await scan.each(scan.lo, scan.hi, (h) => all.push(h), true);
    if (keys.length > 0) all.sort((a, b) => compareHeads(a, b, keys));
    for (const h of all) if (isAfter(h)) page.push(h);
    return { page: page.slice(0, want), total: all.length };
  }
  const desc = keys[0].desc;
  let lo = scan.lo;
  let hi = scan.hi;
  // Without a total to count, search_after bounds the window: older (or newer) lines only.
  if (after && countUpTo === 0 && typeof after[0] === 'number' && Number.isFinite(after[0])) {
    if (desc) hi = Math.min(hi, after[0]);
    else lo = Math.max(lo, after[0]);
  }
  // The first window holds about a quarter of the lines wanted at the quiet rate (an error
  // burst is fifteen times denser, and generating lines past the page is the main waste);
  // later windows double, so a sparse query still reaches back in few steps.
  const perMs = Math.max(1, scan.streams.length) / scan.store.options.generator.periodMs;
  let span = Math.min(60_000, Math.max(100, Math.ceil((0.25 * Math.max(want, 1)) / perMs)));
  while (lo <= hi && !scan.expired()) {
    const from = desc ? Math.max(lo, hi - span + 1) : lo;
    const to = desc ? hi : Math.min(hi, lo + span - 1);
    const window: LineHead[] = [];
    await scan.each(from, to, (h) => window.push(h), true);
    window.sort((a, b) => compareHeads(a, b, keys));
    total += window.length;
    for (const h of window) if (page.length < want && isAfter(h)) page.push(h);
    if (page.length >= want && total >= countUpTo) break;
    if (desc) hi = from - 1;
    else lo = to + 1;
    span *= 2;
  }
  return { page, total };
}

export async function runSearch(store: LogIndex, body: Obj, ctx: SearchContext): Promise<Obj> {
  const started = Date.now();
  const size = body.size === undefined ? 10 : Number(body.size);
  if (!Number.isInteger(size) || size < 0) throw esErrors.badRequest(`[size] parameter cannot be negative, found [${String(body.size)}]`);
  if (size > MAX_RESULT_WINDOW) {
    throw esErrors.badRequest(`Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${size}]. See the scroll api for a more efficient way to request large data sets.`);
  }
  const hints: Compiled = { top: true };
  const pred: Pred = body.query === undefined ? () => 1 : compile(store, body.query, ctx.indices[0] ?? '', hints);
  const keys = parseSort(body.sort, ctx.withPit);
  const after = body.search_after;
  if (after !== undefined && (!Array.isArray(after) || after.length !== keys.length)) {
    throw esErrors.badRequest(`search_after has ${Array.isArray(after) ? after.length : 0} value(s) but sort has ${keys.length}.`);
  }
  const afterValues = Array.isArray(after) ? after.map((v) => (typeof v === 'string' && !/^-?\d+$/.test(v) ? Date.parse(v) : Number(v))) : undefined;
  const aggSpec = body.aggs ?? body.aggregations;

  const scan = new Scan(store, pred, body.query, hints, ctx, started + SEARCH_BUDGET_MS);
  const trackTotal = body.track_total_hits !== false;
  // Elasticsearch counts exactly up to 10,000 by default and says "gte" beyond.
  const { page, total } = size > 0 || trackTotal ? await collect(scan, keys, afterValues, size, trackTotal ? MAX_RESULT_WINDOW + 1 : 0) : { page: [], total: 0 };
  const hits = {
    ...(trackTotal ? { total: { value: Math.min(total, MAX_RESULT_WINDOW), relation: total > MAX_RESULT_WINDOW ? 'gte' : 'eq' } } : {}),
    max_score: keys.length > 0 ? null : 1,
    hits: page.map((h) => ({
      _index: store.indexName(h.ts),
      _id: store.id(h),
      _score: keys.length > 0 ? null : 1,
      _source: filterSource(ecsSource(store, h), body._source),
      ...(keys.length > 0 ? { sort: sortValues(h, keys) } : {}),
    })),
  };
  let aggregations: Obj | undefined;
  if (isObj(aggSpec)) aggregations = await quickHistogram(store, scan, aggSpec);
  if (isObj(aggSpec) && !aggregations) {
    const root = buildAggs(store, aggSpec, ctx.indices[0] ?? '');
    await scan.each(scan.lo, scan.hi, (h) => {
      for (const a of root) a.add(h);
    });
    aggregations = Object.fromEntries(root.map((a) => [a.name, a.result()]));
  }
  return {
    ...(ctx.pitId ? { pit_id: ctx.pitId } : {}),
    took: Date.now() - started,
    timed_out: scan.timedOut,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits,
    ...(aggregations ? { aggregations } : {}),
  };
}

/** Whether a query reads nothing but the level (so its answer is a set of levels). */
function levelOnly(q: unknown): boolean {
  if (!isObj(q)) return false;
  const kind = Object.keys(q)[0];
  const body = q[kind];
  const list = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  if (kind === 'match_all') return true;
  if (kind === 'bool') return isObj(body) && ['filter', 'must', 'should', 'must_not'].every((k) => list(body[k]).every(levelOnly));
  if (kind === 'exists') return isObj(body) && body.field === 'log.level';
  if (kind === 'term' || kind === 'terms' || kind === 'prefix' || kind === 'regexp') return isObj(body) && Object.keys(body).length === 1 && Object.keys(body)[0] === 'log.level';
  return false;
}

const LEVEL_NAMES: Level[] = ['ERROR', 'WARN', 'INFO', 'DEBUG'];
/** LEVEL_INDEX by the lower-case level a line head carries (no string made per line). */
const LOWER_LEVEL_INDEX: Record<string, number> = Object.fromEntries(LEVEL_NAMES.map((l) => [l.toLowerCase(), LEVEL_INDEX[l]]));

/**
 * The histogram the console asks for (a date_histogram, optionally with filters on the
 * level), counted per level and bucket: quiet lines are counted by the generator without
 * being visited (lineGenerator.ts, QuickCount), the rest one by one. Gives exactly what
 * the streaming aggregations give; undefined for any other aggregation.
 */
async function quickHistogram(store: LogIndex, scan: Scan, aggs: Obj): Promise<Obj | undefined> {
  const names = Object.keys(aggs);
  if (names.length !== 1) return undefined;
  const name = names[0];
  const spec = aggs[name];
  if (!isObj(spec) || !isObj(spec.date_histogram) || Object.keys(spec).some((k) => k !== 'date_histogram' && k !== 'aggs' && k !== 'aggregations')) return undefined;
  const h = spec.date_histogram;
  if (h.field !== '@timestamp') return undefined;
  const sub = (spec.aggs ?? spec.aggregations ?? {}) as unknown;
  if (!isObj(sub)) return undefined;
  const filters: Array<{ name: string; levels: boolean[] }> = [];
  for (const [subName, subSpec] of Object.entries(sub)) {
    if (!isObj(subSpec) || Object.keys(subSpec).length !== 1 || !levelOnly(subSpec.filter)) return undefined;
    const pred = compile(store, subSpec.filter, '', {});
    // The filter reads only the level: ask it once per level, about any run.
    const levels = LEVEL_NAMES.map((l) => scan.streams.length > 0 && pred({ stream: scan.streams[0], head: { stream: scan.streams[0], ts: 0, k: 0, j: 0, level: l.toLowerCase(), inBurst: false, shardDoc: 0 } }) === 1);
    filters.push({ name: subName, levels });
  }
  const interval = parseInterval(h.fixed_interval);
  const bounds = isObj(h.extended_bounds) ? h.extended_bounds : undefined;
  const minDocCount = Number(h.min_doc_count ?? 1);
  const counted = scan.hi >= scan.lo;
  const origin = counted ? Math.floor(scan.lo / interval) * interval : 0;
  const n = counted ? Math.floor(scan.hi / interval) - Math.floor(scan.lo / interval) + 1 : 0;
  const byLevel = new Float64Array(n * 4);
  if (counted) {
    const quick: QuickCount = { origin, interval, until: scan.lateFrom, byLevel };
    await scan.each(scan.lo, scan.hi, (d) => {
      byLevel[Math.floor((d.ts - origin) / interval) * 4 + LOWER_LEVEL_INDEX[d.level]]++;
    }, false, quick);
  }
  const total = (i: number) => byLevel[i * 4] + byLevel[i * 4 + 1] + byLevel[i * 4 + 2] + byLevel[i * 4 + 3];
  let keys: number[] = [];
  for (let i = 0; i < n; i++) if (total(i) > 0) keys.push(origin + i * interval);
  if (minDocCount === 0) {
    let lo = bounds ? Math.floor(parseTime(bounds.min, 'epoch_millis') / interval) * interval : Infinity;
    let hi = bounds ? Math.floor(parseTime(bounds.max, 'epoch_millis') / interval) * interval : -Infinity;
    if (keys.length) {
      lo = Math.min(lo, keys[0]);
      hi = Math.max(hi, keys[keys.length - 1]);
    }
    keys = [];
    if (Number.isFinite(lo) && Number.isFinite(hi)) for (let k = lo; k <= hi; k += interval) keys.push(k);
  }
  return {
    [name]: {
      buckets: keys.map((k) => {
        const i = (k - origin) / interval;
        const inside = i >= 0 && i < n;
        const subs = Object.fromEntries(filters.map((f) => [f.name, { doc_count: inside ? f.levels.reduce((c, yes, l) => c + (yes ? byLevel[i * 4 + l] : 0), 0) : 0 }]));
        return { key_as_string: new Date(k).toISOString(), key: k, doc_count: inside ? total(i) : 0, ...subs };
      }),
    },
  };
}

/** A streaming aggregation: fed every hit once, then asked for its result. */
interface Agg {
  name: string;
  add(h: LineHead): void;
  result(): Obj;
}

function buildAggs(store: LogIndex, aggs: Obj, index: string): Agg[] {
  const out: Agg[] = [];
  for (const [name, spec] of Object.entries(aggs)) {
    if (!isObj(spec)) throw esErrors.parsing(`Expected [START_OBJECT] under [${name}]`);
    const sub = isObj(spec.aggs ?? spec.aggregations) ? ((spec.aggs ?? spec.aggregations) as Obj) : undefined;
    const children = () => (sub ? buildAggs(store, sub, index) : []);
    const childResults = (c: Agg[]) => Object.fromEntries(c.map((a) => [a.name, a.result()]));
    if (isObj(spec.date_histogram)) {
      const h = spec.date_histogram;
      const interval = parseInterval(h.fixed_interval);
      const bounds = isObj(h.extended_bounds) ? h.extended_bounds : undefined;
      const minDocCount = Number(h.min_doc_count ?? 1);
      const buckets = new Map<number, { count: number; subs: Agg[] }>();
      children(); // parse the sub-aggregations now, so a malformed one fails the request even with no hits
      out.push({
        name,
        add(d) {
          const k = Math.floor(d.ts / interval) * interval;
          let b = buckets.get(k);
          if (!b) buckets.set(k, (b = { count: 0, subs: children() }));
          b.count++;
          for (const s of b.subs) s.add(d);
        },
        result() {
          let keys = [...buckets.keys()];
          if (minDocCount === 0) {
            let lo = bounds ? Math.floor(parseTime(bounds.min, 'epoch_millis') / interval) * interval : Infinity;
            let hi = bounds ? Math.floor(parseTime(bounds.max, 'epoch_millis') / interval) * interval : -Infinity;
            for (const k of keys) {
              lo = Math.min(lo, k);
              hi = Math.max(hi, k);
            }
            keys = [];
            if (Number.isFinite(lo) && Number.isFinite(hi)) for (let k = lo; k <= hi; k += interval) keys.push(k);
          }
          keys.sort((a, b) => a - b);
          return {
            buckets: keys.map((k) => {
              const b = buckets.get(k);
              return { key_as_string: new Date(k).toISOString(), key: k, doc_count: b?.count ?? 0, ...childResults(b?.subs ?? children()) };
            }),
          };
        },
      });
    } else if (spec.filter !== undefined) {
      const pred = compile(store, spec.filter, index, {});
      const subs = children();
      let count = 0;
      // Reused for every line, as in Scan.matches.
      let probe: Probe | undefined;
      out.push({
        name,
        add(d) {
          probe ??= { stream: d.stream };
          probe.stream = d.stream;
          probe.head = d;
          let r = pred(probe);
          if (r === 2) {
            store.message(d);
            r = pred(probe);
          }
          if (r !== 1) return;
          count++;
          for (const s of subs) s.add(d);
        },
        result: () => ({ doc_count: count, ...childResults(subs) }),
      });
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
