import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

// Checks a query with Prometheus's own grammar (@prometheus-io/lezer-promql) before it is
// sent: a typo in `:promql` or in a configured template shows where it is, at once, instead
// of a round trip and Prometheus's message. The grammar recovers from errors, so the first
// error node gives the position. A few semantic mistakes the grammar accepts are caught too.

export interface PromqlProblem {
  /** 0-based character offset of the problem in the query. */
  position: number;
  message: string;
}

export type PromqlCheck = { ok: true; tree: Tree } | { ok: false; problem: PromqlProblem };

/** Functions that take a range vector (`x[5m]` or a subquery) as their first argument. */
const RANGE_FUNCTIONS = new Set([
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'changes', 'resets', 'predict_linear',
  'avg_over_time', 'min_over_time', 'max_over_time', 'sum_over_time', 'count_over_time', 'last_over_time',
  'first_over_time', 'quantile_over_time', 'stddev_over_time', 'stdvar_over_time', 'present_over_time',
  'absent_over_time', 'mad_over_time', 'holt_winters', 'double_exponential_smoothing',
]);

export function checkPromql(query: string): PromqlCheck {
  if (!query.trim()) return { ok: false, problem: { position: 0, message: 'empty query' } };
  const tree = parser.parse(query);
  let problem: PromqlProblem | undefined;
  tree.iterate({
    enter: (ref) => {
      if (problem) return false;
      const node = ref.node;
      if (node.type.isError) {
        problem = syntaxProblem(query, node);
        return false;
      }
      if (node.type.name === 'StringLiteral') {
        const text = query.slice(node.from, node.to);
        // The grammar makes the closing quote optional (for editors); Prometheus does not.
        if (text.length < 2 || text[text.length - 1] !== text[0] || (text[0] !== '`' && /(^|[^\\])(\\\\)*\\.$/.test(text))) {
          problem = { position: node.from, message: 'unterminated string' };
          return false;
        }
      }
      if (node.type.name === 'FunctionCall') problem = checkRangeArgument(query, node);
      return undefined;
    },
  });
  return problem ? { ok: false, problem } : { ok: true, tree };
}

function syntaxProblem(query: string, node: SyntaxNode): PromqlProblem {
  const at = node.from;
  if (at >= query.trimEnd().length) return { position: Math.min(at, query.length), message: 'unexpected end of query' };
  const token = /^\S+?(?=[\s(){}[\],]|$)|^./.exec(query.slice(at))?.[0] ?? query[at];
  return { position: at, message: `unexpected '${token}'` };
}

function checkRangeArgument(query: string, call: SyntaxNode): PromqlProblem | undefined {
  const ident = call.getChild('FunctionIdentifier');
  if (!ident) return undefined;
  const name = query.slice(ident.from, ident.to);
  if (!RANGE_FUNCTIONS.has(name)) return undefined;
  const body = call.getChild('FunctionCallBody');
  let arg = body?.firstChild ?? null;
  if (name === 'predict_linear' || name === 'quantile_over_time') {
    // quantile_over_time(φ, range) takes the range second; predict_linear(range, t) first.
    if (name === 'quantile_over_time') arg = arg?.nextSibling ?? null;
  }
  while (arg?.type.name === 'ParenExpr') arg = arg.firstChild;
  if (!arg) return undefined;
  if (arg.type.name === 'MatrixSelector' || arg.type.name === 'SubqueryExpr') return undefined;
  if (arg.type.name === 'OffsetExpr' || arg.type.name === 'StepInvariantExpr') {
    const inner = arg.firstChild;
    if (inner?.type.name === 'MatrixSelector' || inner?.type.name === 'SubqueryExpr') return undefined;
  }
  return { position: arg.from, message: `${name}() needs a range vector here, e.g. ${query.slice(arg.from, arg.to)}[5m]` };
}

/** The query with a caret under the problem, for a two-line error display. */
export function caretLine(position: number, prefixWidth = 0): string {
  return `${' '.repeat(prefixWidth + position)}^`;
}
