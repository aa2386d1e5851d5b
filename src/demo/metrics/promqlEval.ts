import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import { counterIncrease, isKnownMetric, podSeries, SCRAPE_SECONDS, TrafficModel, type Labels, type SynthSeries } from './syntheticSeries.js';
import type { DemoMetricsWorld } from './metricsWorld.js';

// Evaluates the PromQL warroom sends over the demo's synthetic series, walking the parse
// tree of Prometheus's own grammar (@prometheus-io/lezer-promql). Every value is computed
// for all points of the query grid at once (like Prometheus's range evaluation).
//
// Supported (SUPPORTED_PROMQL below, also served at /api/v1/demo/supported):
//   selectors with =, !=, =~, !~ and a metric name; range selectors inside range functions;
//   rate, irate, increase, delta, avg/min/max/sum/count/last_over_time; histogram_quantile;
//   label_replace; abs, ceil, floor, round, sqrt, exp, ln, clamp, clamp_min, clamp_max;
//   vector, scalar, time; sort, sort_desc; sum, avg, min, max, count, topk, bottomk with
//   by/without; + - * / % ^ and comparisons (with bool) between scalars and vectors;
//   vector matching one-to-one with on/ignoring; and, or, unless; parentheses; unary minus.
// Not supported (answered with a Prometheus-style bad_data error): offset, @, subqueries,
// group_left/group_right, other functions and aggregations, selectors without a metric name.

export const SUPPORTED_PROMQL =
  'selectors (=, !=, =~, !~; metric name required), range selectors in rate/irate/increase/delta/*_over_time, histogram_quantile, label_replace, abs/ceil/floor/round/sqrt/exp/ln/clamp*, vector/scalar/time, sort*, sum/avg/min/max/count/topk/bottomk by|without, arithmetic and comparison operators (bool), one-to-one on/ignoring matching, and/or/unless. Not: offset, @, subqueries, group_left/right.';

export class PromqlError extends Error {
  constructor(
    message: string,
    readonly errorType: 'bad_data' | 'execution' = 'bad_data',
  ) {
    super(message);
  }
}

export interface Grid {
  /** Unix seconds of each evaluation point. */
  times: Float64Array;
}

export interface VectorSeries {
  labels: Labels;
  values: Float64Array;
}

export type Value = { type: 'vector'; series: VectorSeries[] } | { type: 'scalar'; values: Float64Array } | { type: 'string'; value: string };

/** Bounds the work one query may cause (a 100,000-pod demo must not stall on `{__name__=~".+"}`). */
const MAX_SERIES = 200_000;

interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  re?: RegExp;
}

export class DemoPromql {
  private readonly model: TrafficModel;

  constructor(
    private readonly world: DemoMetricsWorld,
    /** Prometheus' own ALERTS series (alertname, alertstate, the alert's labels) over [from, to], unix seconds. */
    private readonly alertSeries?: (from: number, to: number) => SynthSeries[],
  ) {
    this.model = new TrafficModel(world);
  }

  evaluate(query: string, grid: Grid): Value {
    const tree = parser.parse(query);
    let syntax: PromqlError | undefined;
    tree.iterate({
      enter: (n) => {
        if (syntax) return false;
        if (n.type.isError) {
          syntax = new PromqlError(n.from >= query.trimEnd().length ? `1:${n.from + 1}: parse error: unexpected end of input` : `1:${n.from + 1}: parse error: unexpected character: '${query[n.from]}'`);
        }
        return undefined;
      },
    });
    if (syntax) throw syntax;
    const root = tree.topNode.firstChild;
    if (!root) throw new PromqlError('parse error: empty query');
    return new Evaluation(query, grid, this).eval(root);
  }

  /** Series of the selector alive at some point of [from, to]. */
  select(matchers: Matcher[], from: number, to: number): SynthSeries[] {
    const name = matchers.find((m) => m.name === '__name__' && m.op === '=')?.value;
    if (!name) throw new PromqlError('the demo Prometheus needs a metric name in every selector (e.g. up{...})');
    if (name === 'ALERTS') return (this.alertSeries?.(from, to) ?? []).filter((s) => matchers.every((m) => matches(m, s.labels[m.name] ?? '')));
    if (!isKnownMetric(name)) return [];
    const ns = matchers.find((m) => m.name === 'namespace' && m.op === '=')?.value;
    const podEq = matchers.find((m) => m.name === 'pod' && m.op === '=')?.value;
    const out: SynthSeries[] = [];
    for (const p of this.world.pods(ns)) {
      if (podEq !== undefined && p.name !== podEq) continue;
      for (const s of podSeries(name, p, this.model)) {
        if (s.end < from || s.start > to) continue;
        if (matchers.every((m) => matches(m, s.labels[m.name] ?? ''))) out.push(s);
      }
      if (out.length > MAX_SERIES) throw new PromqlError(`query selects more than ${MAX_SERIES} series`, 'execution');
    }
    return out;
  }

  /** For /api/v1/series: label sets of the series matching any selector. */
  series(selectors: string[], from: number, to: number): Labels[] {
    const seen = new Map<string, Labels>();
    for (const sel of selectors) {
      const tree = parser.parse(sel);
      const node = tree.topNode.firstChild;
      if (!node || node.type.name !== 'VectorSelector' || hasError(tree.topNode)) throw new PromqlError(`1:1: parse error: invalid series selector ${JSON.stringify(sel)}`);
      for (const s of this.select(selectorMatchers(sel, node), from, to)) seen.set(JSON.stringify(s.labels), s.labels);
    }
    return [...seen.values()];
  }
}

function hasError(node: SyntaxNode): boolean {
  let found = false;
  node.toTree().iterate({ enter: (n) => void (n.type.isError && (found = true)) });
  return found;
}

function matches(m: Matcher, v: string): boolean {
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return m.re!.test(v);
    case '!~':
      return !m.re!.test(v);
  }
}

/** A PromQL string literal's value (Go escapes; raw `backtick` strings as they are). */
function stringValue(text: string): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  const body = text.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|[abfnrtv\\'"])/g, (_, e: string) => {
    if (e[0] === 'x' || e[0] === 'u') return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' } as Record<string, string>)[e] ?? e;
  });
}

function selectorMatchers(q: string, node: SyntaxNode): Matcher[] {
  const out: Matcher[] = [];
  const ident = node.getChild('Identifier');
  if (ident) out.push({ name: '__name__', op: '=', value: q.slice(ident.from, ident.to) });
  const list = node.getChild('LabelMatchers');
  for (let m = list?.firstChild ?? null; m; m = m.nextSibling) {
    if (m.type.name === 'QuotedLabelMatcher' || m.type.name === 'QuotedLabelName') throw new PromqlError('quoted (UTF-8) label names are not supported by the demo Prometheus');
    if (m.type.name !== 'UnquotedLabelMatcher') continue;
    const name = m.getChild('LabelName')!;
    const op = m.getChild('MatchOp')!;
    const str = m.getChild('StringLiteral')!;
    const value = stringValue(q.slice(str.from, str.to));
    const opText = q.slice(op.from, op.to) as Matcher['op'];
    let re: RegExp | undefined;
    if (opText === '=~' || opText === '!~') {
      try {
        re = new RegExp(`^(?:${value})$`, 's');
      } catch (err) {
        throw new PromqlError(`invalid regular expression ${JSON.stringify(value)}: ${(err as Error).message}`);
      }
    }
    out.push({ name: q.slice(name.from, name.to), op: opText, value, re });
  }
  return out;
}

export function parseDuration(text: string): number {
  let total = 0;
  let rest = text;
  const units: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  while (rest) {
    const m = /^(\d+)(ms|s|m|h|d|w|y)/.exec(rest);
    if (!m) throw new PromqlError(`bad duration ${JSON.stringify(text)}`);
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return total;
}

const RANGE_FNS = new Set(['rate', 'irate', 'increase', 'delta', 'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time']);
const MATH_FNS: Record<string, (v: number) => number> = { abs: Math.abs, ceil: Math.ceil, floor: Math.floor, round: Math.round, sqrt: Math.sqrt, exp: Math.exp, ln: Math.log };

function dropName(l: Labels): Labels {
  const { __name__: _, ...rest } = l;
  return rest;
}

function signature(l: Labels, on: string[] | undefined, ignoring: string[]): string {
  const keys = Object.keys(l)
    .filter((k) => k !== '__name__' && (on ? on.includes(k) : !ignoring.includes(k)))
    .sort();
  return keys.map((k) => `${k}\u0000${l[k]}`).join('\u0001');
}

class Evaluation {
  private readonly n: number;

  constructor(
    private readonly q: string,
    private readonly grid: Grid,
    private readonly engine: DemoPromql,
  ) {
    this.n = grid.times.length;
  }

  private text(node: SyntaxNode): string {
    return this.q.slice(node.from, node.to);
  }

  private unsupported(node: SyntaxNode, what: string): never {
    throw new PromqlError(`1:${node.from + 1}: ${what} is not supported by the demo Prometheus (supported: ${SUPPORTED_PROMQL})`);
  }

  private full(v: number): Float64Array {
    return new Float64Array(this.n).fill(v);
  }

  eval(node: SyntaxNode): Value {
    switch (node.type.name) {
      case 'ParenExpr':
        return this.eval(node.firstChild!);
      case 'NumberDurationLiteral': {
        const t = this.text(node);
        const v = /^[0-9.]+(e[+-]?\d+)?$/i.test(t) || /^0x/i.test(t) || /^(inf|nan)$/i.test(t) ? Number(t.replace(/^inf$/i, 'Infinity')) : parseDuration(t);
        return { type: 'scalar', values: this.full(v) };
      }
      case 'StringLiteral':
        return { type: 'string', value: stringValue(this.text(node)) };
      case 'UnaryExpr': {
        const op = this.text(node.getChild('UnaryOp')!);
        const v = this.eval(node.lastChild!);
        return op === '-' ? this.mapValues(v, (x) => -x, true) : v;
      }
      case 'VectorSelector':
        return this.vectorSelector(node);
      case 'MatrixSelector':
        return this.unsupported(node, 'a range vector outside a range function');
      case 'FunctionCall':
        return this.call(node);
      case 'AggregateExpr':
        return this.aggregate(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'OffsetExpr':
        return this.unsupported(node, 'offset');
      case 'SubqueryExpr':
        return this.unsupported(node, 'a subquery');
      case 'StepInvariantExpr':
        return this.unsupported(node, '@');
      default:
        return this.unsupported(node, node.type.name);
    }
  }

  private vectorSelector(node: SyntaxNode): Value {
    const t = this.grid.times;
    const series = this.engine.select(selectorMatchers(this.q, node), t[0] - 300, t[this.n - 1]);
    return {
      type: 'vector',
      series: series.map((s) => {
        const values = new Float64Array(this.n);
        for (let i = 0; i < this.n; i++) {
          const at = t[i];
          // Lookback: a series is visible up to 5 minutes after its last sample.
          values[i] = at < s.start || at > s.end + 300 ? NaN : s.kind === 'counter' ? counterIncrease(s, s.start, Math.min(at, s.end)) : s.fn(Math.min(at, s.end));
        }
        return { labels: s.labels, values };
      }),
    };
  }

  private rangeFunction(name: string, arg: SyntaxNode): Value {
    if (arg.type.name === 'OffsetExpr') this.unsupported(arg, 'offset');
    if (arg.type.name === 'SubqueryExpr') this.unsupported(arg, 'a subquery');
    if (arg.type.name !== 'MatrixSelector') throw new PromqlError(`1:${arg.from + 1}: ${name}() expects a range vector, e.g. ${this.text(arg)}[5m]`);
    const sel = arg.getChild('VectorSelector')!;
    const window = parseDuration(this.text(arg.getChild('DurationExpr')!));
    const t = this.grid.times;
    const series = this.engine.select(selectorMatchers(this.q, sel), t[0] - window, t[this.n - 1]);
    return {
      type: 'vector',
      series: series.map((s) => {
        const values = new Float64Array(this.n);
        for (let i = 0; i < this.n; i++) values[i] = this.rangeAt(name, s, t[i], window);
        return { labels: name === 'last_over_time' ? s.labels : dropName(s.labels), values };
      }),
    };
  }

  private rangeAt(name: string, s: SynthSeries, at: number, window: number): number {
    const from = Math.max(at - window, s.start);
    const to = Math.min(at, s.end);
    // Prometheus needs two samples in the window for rate-like functions, one for *_over_time.
    const samples = Math.floor((to - from) / SCRAPE_SECONDS) + 1;
    if (to < from || samples < (name.endsWith('_over_time') ? 1 : 2) || !Number.isFinite(s.fn(to))) return NaN;
    if (s.kind === 'counter') {
      switch (name) {
        case 'rate':
          return counterIncrease(s, from, to) / Math.max(SCRAPE_SECONDS, to - from);
        case 'irate':
          return s.fn(to);
        case 'increase':
        case 'delta':
          // Prometheus extrapolates the increase to the whole window.
          return (counterIncrease(s, from, to) * window) / Math.max(SCRAPE_SECONDS, to - from);
        default:
          break;
      }
    }
    const pts: number[] = [];
    const step = Math.max(SCRAPE_SECONDS, (to - from) / 40);
    for (let x = to; x >= from; x -= step) {
      const v = s.kind === 'counter' ? counterIncrease(s, s.start, x) : s.fn(x);
      if (Number.isFinite(v)) pts.push(v);
    }
    if (!pts.length) return NaN;
    switch (name) {
      case 'rate':
      case 'irate':
        return pts.length > 1 ? (pts[0] - pts[pts.length - 1]) / (step * (pts.length - 1)) : NaN;
      case 'increase':
      case 'delta':
        return pts.length > 1 ? pts[0] - pts[pts.length - 1] : NaN;
      case 'avg_over_time':
        return pts.reduce((a, b) => a + b, 0) / pts.length;
      case 'min_over_time':
        return Math.min(...pts);
      case 'max_over_time':
        return Math.max(...pts);
      case 'sum_over_time':
        return pts.reduce((a, b) => a + b, 0);
      case 'count_over_time':
        return pts.length;
      default:
        return pts[0];
    }
  }

  private args(node: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = node.getChild('FunctionCallBody')?.firstChild ?? null; c; c = c.nextSibling) out.push(c);
    return out;
  }

  private vectorArg(node: SyntaxNode, what: string): VectorSeries[] {
    const v = this.eval(node);
    if (v.type !== 'vector') throw new PromqlError(`1:${node.from + 1}: ${what} expects an instant vector`);
    return v.series;
  }

  private scalarArg(node: SyntaxNode, what: string): Float64Array {
    const v = this.eval(node);
    if (v.type !== 'scalar') throw new PromqlError(`1:${node.from + 1}: ${what} expects a scalar`);
    return v.values;
  }

  private stringArg(node: SyntaxNode, what: string): string {
    const v = this.eval(node);
    if (v.type !== 'string') throw new PromqlError(`1:${node.from + 1}: ${what} expects a string`);
    return v.value;
  }

  private call(node: SyntaxNode): Value {
    const name = this.text(node.getChild('FunctionIdentifier')!);
    const args = this.args(node);
    if (RANGE_FNS.has(name)) return this.rangeFunction(name, args[0]);
    if (MATH_FNS[name]) return this.mapValues(this.eval(args[0]), MATH_FNS[name], true);
    switch (name) {
      case 'time':
        return { type: 'scalar', values: Float64Array.from(this.grid.times) };
      case 'vector':
        return { type: 'vector', series: [{ labels: {}, values: this.scalarArg(args[0], 'vector()') }] };
      case 'scalar': {
        const s = this.vectorArg(args[0], 'scalar()');
        return { type: 'scalar', values: s.length === 1 ? s[0].values : this.full(NaN) };
      }
      case 'sort':
      case 'sort_desc':
        return this.eval(args[0]);
      case 'clamp_min':
      case 'clamp_max': {
        const lim = this.scalarArg(args[1], name);
        const series = this.vectorArg(args[0], name);
        return { type: 'vector', series: series.map((s) => ({ labels: dropName(s.labels), values: s.values.map((v, i) => (name === 'clamp_min' ? Math.max(v, lim[i]) : Math.min(v, lim[i]))) })) };
      }
      case 'clamp': {
        const lo = this.scalarArg(args[1], name);
        const hi = this.scalarArg(args[2], name);
        return { type: 'vector', series: this.vectorArg(args[0], name).map((s) => ({ labels: dropName(s.labels), values: s.values.map((v, i) => Math.min(Math.max(v, lo[i]), hi[i])) })) };
      }
      case 'label_replace': {
        const series = this.vectorArg(args[0], name);
        const [dst, repl, src, regex] = args.slice(1).map((a) => this.stringArg(a, name));
        let re: RegExp;
        try {
          re = new RegExp(`^(?:${regex})$`, 's');
        } catch {
          throw new PromqlError(`invalid regular expression in label_replace(): ${JSON.stringify(regex)}`);
        }
        return {
          type: 'vector',
          series: series.map((s) => {
            const m = re.exec(s.labels[src] ?? '');
            if (!m) return s;
            const value = repl.replace(/\$(\d+)|\$\{(\d+)\}/g, (_, a: string | undefined, b: string | undefined) => m[Number(a ?? b)] ?? '');
            const labels = { ...s.labels };
            if (value) labels[dst] = value;
            else delete labels[dst];
            return { labels, values: s.values };
          }),
        };
      }
      case 'histogram_quantile':
        return this.histogramQuantile(this.scalarArg(args[0], name), this.vectorArg(args[1], name));
      default:
        return this.unsupported(node, `function ${name}()`);
    }
  }

  /** Prometheus's bucketQuantile: linear interpolation inside the bucket holding the rank. */
  private histogramQuantile(phi: Float64Array, series: VectorSeries[]): Value {
    const groups = new Map<string, { labels: Labels; buckets: Array<{ le: number; values: Float64Array }> }>();
    for (const s of series) {
      const leText = s.labels.le;
      if (leText === undefined) continue;
      const le = leText === '+Inf' ? Infinity : Number(leText);
      const { le: _, ...rest } = dropName(s.labels);
      const key = signature(rest, undefined, []);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { labels: rest, buckets: [] }));
      g.buckets.push({ le, values: s.values });
    }
    const out: VectorSeries[] = [];
    for (const g of groups.values()) {
      g.buckets.sort((a, b) => a.le - b.le);
      const values = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) values[i] = quantileAt(phi[i], g.buckets.map((b) => ({ le: b.le, count: b.values[i] })));
      out.push({ labels: g.labels, values });
    }
    return { type: 'vector', series: out };
  }

  private mapValues(v: Value, f: (x: number) => number, dropNames: boolean): Value {
    if (v.type === 'scalar') return { type: 'scalar', values: v.values.map(f) };
    if (v.type === 'vector') return { type: 'vector', series: v.series.map((s) => ({ labels: dropNames ? dropName(s.labels) : s.labels, values: s.values.map(f) })) };
    throw new PromqlError('cannot apply an operator to a string');
  }

  private aggregate(node: SyntaxNode): Value {
    const op = this.text(node.getChild('AggregateOp')!);
    const mod = node.getChild('AggregateModifier');
    const without = mod?.getChild('Without') !== null && mod !== null;
    const labels = mod ? (mod.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map((l) => this.text(l)) : [];
    const args = this.args(node);
    if (!['sum', 'avg', 'min', 'max', 'count', 'topk', 'bottomk'].includes(op)) this.unsupported(node, `aggregation ${op}`);
    if (op === 'topk' || op === 'bottomk') {
      const k = this.scalarArg(args[0], op);
      const series = this.vectorArg(args[1], op);
      return { type: 'vector', series: this.topk(series, k, op === 'topk', mod ? (l) => this.groupKey(l, labels, without) : () => '') };
    }
    const series = this.vectorArg(args[0], op);
    const groups = new Map<string, { labels: Labels; members: Float64Array[] }>();
    for (const s of series) {
      const key = this.groupKey(s.labels, labels, without);
      let g = groups.get(key);
      if (!g) {
        const l = dropName(s.labels);
        const kept: Labels = {};
        for (const [k, v] of Object.entries(l)) if (mod && (without ? !labels.includes(k) : labels.includes(k))) kept[k] = v;
        groups.set(key, (g = { labels: kept, members: [] }));
      }
      g.members.push(s.values);
    }
    const out: VectorSeries[] = [];
    for (const g of groups.values()) {
      const values = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) {
        let acc = NaN;
        let count = 0;
        for (const m of g.members) {
          const v = m[i];
          if (Number.isNaN(v)) continue;
          count++;
          if (count === 1) acc = op === 'count' ? 1 : v;
          else if (op === 'sum' || op === 'avg') acc += v;
          else if (op === 'min') acc = Math.min(acc, v);
          else if (op === 'max') acc = Math.max(acc, v);
          else if (op === 'count') acc = count;
        }
        values[i] = count === 0 ? NaN : op === 'avg' ? acc / count : acc;
      }
      out.push({ labels: g.labels, values });
    }
    return { type: 'vector', series: out };
  }

  private groupKey(l: Labels, labels: string[], without: boolean): string {
    return without ? signature(l, undefined, labels) : signature(l, labels, []);
  }

  private topk(series: VectorSeries[], k: Float64Array, top: boolean, key: (l: Labels) => string): VectorSeries[] {
    const out = series.map((s) => ({ labels: s.labels, values: new Float64Array(this.n).fill(NaN) }));
    for (let i = 0; i < this.n; i++) {
      const groups = new Map<string, number[]>();
      series.forEach((s, j) => {
        if (Number.isNaN(s.values[i])) return;
        const g = key(s.labels);
        groups.set(g, [...(groups.get(g) ?? []), j]);
      });
      for (const members of groups.values()) {
        members.sort((a, b) => (top ? series[b].values[i] - series[a].values[i] : series[a].values[i] - series[b].values[i]));
        for (const j of members.slice(0, Math.max(0, Math.floor(k[i])))) out[j].values[i] = series[j].values[i];
      }
    }
    return out.filter((s) => s.values.some((v) => !Number.isNaN(v)));
  }

  private binary(node: SyntaxNode): Value {
    const kids: SyntaxNode[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) kids.push(c);
    const left = kids[0];
    const right = kids[kids.length - 1];
    const opNode = kids[1];
    const op = this.text(opNode).toLowerCase();
    const boolMod = kids.some((k) => k.type.name === 'BoolModifier');
    const matching = kids.find((k) => k.type.name === 'MatchingModifierClause');
    let on: string[] | undefined;
    let ignoring: string[] = [];
    if (matching) {
      if (matching.getChild('GroupLeft') || matching.getChild('GroupRight')) this.unsupported(matching, 'group_left/group_right');
      const names = (matching.getChild('GroupingLabels')?.getChildren('LabelName') ?? []).map((l) => this.text(l));
      if (matching.getChild('On')) on = names;
      else ignoring = names;
    }
    const a = this.eval(left);
    const b = this.eval(right);
    if (a.type === 'string' || b.type === 'string') throw new PromqlError(`1:${node.from + 1}: binary operators do not take strings`);
    const cmp = ['==', '!=', '>', '<', '>=', '<='].includes(op);
    if (op === 'and' || op === 'or' || op === 'unless') {
      if (a.type !== 'vector' || b.type !== 'vector') throw new PromqlError(`1:${node.from + 1}: set operator ${op} needs two instant vectors`);
      return { type: 'vector', series: this.setOp(op, a.series, b.series, on, ignoring) };
    }
    const f = arith(op);
    if (a.type === 'scalar' && b.type === 'scalar') return { type: 'scalar', values: a.values.map((x, i) => (cmp ? (f(x, b.values[i]) ? 1 : 0) : f(x, b.values[i]))) };
    const apply = (x: number, y: number, keep: number): number => {
      if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
      const r = f(x, y);
      if (!cmp) return r;
      if (boolMod) return r ? 1 : 0;
      return r ? keep : NaN;
    };
    if (a.type === 'vector' && b.type === 'scalar') {
      return { type: 'vector', series: a.series.map((s) => ({ labels: cmp && !boolMod ? s.labels : dropName(s.labels), values: s.values.map((x, i) => apply(x, b.values[i], x)) })) };
    }
    if (a.type === 'scalar' && b.type === 'vector') {
      return { type: 'vector', series: b.series.map((s) => ({ labels: cmp && !boolMod ? s.labels : dropName(s.labels), values: s.values.map((y, i) => apply(a.values[i], y, y)) })) };
    }
    const av = (a as { series: VectorSeries[] }).series;
    const bv = (b as { series: VectorSeries[] }).series;
    const rightBy = new Map<string, VectorSeries>();
    for (const s of bv) {
      const key = signature(s.labels, on, ignoring);
      if (rightBy.has(key)) throw new PromqlError('found duplicate series for the match group on the right hand-side of the operation; many-to-many matching not allowed');
      rightBy.set(key, s);
    }
    const out: VectorSeries[] = [];
    for (const s of av) {
      const other = rightBy.get(signature(s.labels, on, ignoring));
      if (!other) continue;
      let labels = dropName(s.labels);
      if (on) labels = Object.fromEntries(Object.entries(labels).filter(([k]) => on!.includes(k)));
      else if (ignoring.length) labels = Object.fromEntries(Object.entries(labels).filter(([k]) => !ignoring.includes(k)));
      out.push({ labels: cmp && !boolMod ? s.labels : labels, values: s.values.map((x, i) => apply(x, other.values[i], x)) });
    }
    return { type: 'vector', series: out };
  }

  private setOp(op: string, a: VectorSeries[], b: VectorSeries[], on: string[] | undefined, ignoring: string[]): VectorSeries[] {
    const sig = (s: VectorSeries) => signature(s.labels, on, ignoring);
    const present = (side: VectorSeries[]) => {
      const m = new Map<string, Uint8Array>();
      for (const s of side) {
        const k = sig(s);
        const mask = m.get(k) ?? new Uint8Array(this.n);
        s.values.forEach((v, i) => {
          if (!Number.isNaN(v)) mask[i] = 1;
        });
        m.set(k, mask);
      }
      return m;
    };
    if (op === 'or') {
      // Per point: the right side fills in only where the left has no series of that signature.
      const left = present(a);
      return [...a, ...b.map((s) => ({ labels: s.labels, values: s.values.map((v, i) => (left.get(sig(s))?.[i] ? NaN : v)) }))].filter((s) => s.values.some((v) => !Number.isNaN(v)));
    }
    const right = present(b);
    return a
      .map((s) => ({ labels: s.labels, values: s.values.map((v, i) => ((right.get(sig(s))?.[i] ? 1 : 0) === (op === 'and' ? 1 : 0) ? v : NaN)) }))
      .filter((s) => s.values.some((v) => !Number.isNaN(v)));
  }
}

function arith(op: string): (a: number, b: number) => number {
  switch (op) {
    case '+':
      return (a, b) => a + b;
    case '-':
      return (a, b) => a - b;
    case '*':
      return (a, b) => a * b;
    case '/':
      return (a, b) => a / b;
    case '%':
      return (a, b) => a % b;
    case '^':
      return (a, b) => a ** b;
    case '==':
      return (a, b) => Number(a === b);
    case '!=':
      return (a, b) => Number(a !== b);
    case '>':
      return (a, b) => Number(a > b);
    case '<':
      return (a, b) => Number(a < b);
    case '>=':
      return (a, b) => Number(a >= b);
    case '<=':
      return (a, b) => Number(a <= b);
    case 'atan2':
      return Math.atan2;
    default:
      throw new PromqlError(`operator ${op} is not supported by the demo Prometheus`);
  }
}

function quantileAt(phi: number, buckets: Array<{ le: number; count: number }>): number {
  if (Number.isNaN(phi)) return NaN;
  if (phi < 0) return -Infinity;
  if (phi > 1) return Infinity;
  const bs = buckets.filter((b) => !Number.isNaN(b.count));
  if (bs.length < 2 || bs[bs.length - 1].le !== Infinity) return NaN;
  // Counts must be cumulative and monotonic; rounding in rates can break that slightly.
  for (let i = 1; i < bs.length; i++) if (bs[i].count < bs[i - 1].count) bs[i].count = bs[i - 1].count;
  const total = bs[bs.length - 1].count;
  if (total === 0) return NaN;
  const rank = phi * total;
  let i = bs.findIndex((b) => b.count >= rank);
  if (i === bs.length - 1) return bs[bs.length - 2].le;
  if (i === 0 && bs[0].le <= 0) return bs[0].le;
  const lowerLe = i === 0 ? 0 : bs[i - 1].le;
  const lowerCount = i === 0 ? 0 : bs[i - 1].count;
  const inBucket = bs[i].count - lowerCount;
  if (inBucket === 0) return bs[i].le;
  if (i < 0) i = bs.length - 1;
  return lowerLe + (bs[i].le - lowerLe) * ((rank - lowerCount) / inBucket);
}
