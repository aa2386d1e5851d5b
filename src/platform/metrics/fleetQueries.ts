import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';
import type { ChartSpec } from './chartQuery.js';
import type { MetricsLevel } from './metricsTarget.js';
import { chartsWithOverrides } from './queryTemplates.js';

// The PromQL of charts over a fleet (#12): one series per cluster instead of one per pod.
//
// Each data line of a context's chart becomes a fleet chart (CPU, Memory, ..., Network in,
// Network out, Latency p50/p95/p99), since a chart of clusters x lines would be unreadable;
// requests and limits (reference lines) are left to one cluster's charts (1-9, then m).
// A context's Prometheus is asked for the line summed over the target (`$by` left empty:
// `sum by () (...)`). A fleet-wide Prometheus (Thanos, Mimir) is asked once per chart with the
// clusters' label selected and kept through every aggregation and vector match of the query.

export interface FleetChart extends ChartSpec {
  /** The context chart and line it comes from (the config's query overrides apply to them). */
  chart: string;
  line: string;
}

/** The charts of a level over a fleet, in the context pane's order. */
export function fleetCharts(level: MetricsLevel): FleetChart[] {
  return chartsWithOverrides(undefined)
    .filter((c) => c.levels.includes(level))
    .flatMap((c) => {
      const data = c.lines.filter((l) => !l.reference);
      return data.map((l) => ({
        id: data.length > 1 ? `${c.id}.${l.id}` : c.id,
        title: data.length > 1 ? `${c.title} ${l.legend}` : c.title,
        unit: c.unit,
        noDataHint: c.noDataHint,
        chart: c.id,
        line: l.id,
      }));
    });
}

/** The query template of a fleet chart, with a config's overrides (a context's, or the fleet's). */
export function fleetLineQuery(chart: FleetChart, overrides: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined): string {
  const line = chartsWithOverrides(overrides)
    .find((c) => c.id === chart.chart)
    ?.lines.find((l) => l.id === chart.line);
  if (!line) throw new Error(`no chart line ${chart.chart}/${chart.line}`);
  return line.query;
}

interface Edit {
  from: number;
  to: number;
  text: string;
}

/**
 * `query` with the series' `label` kept to the end: every aggregation groups by it too (`sum(x)`
 * becomes `sum by (cluster) (x)`, `by (le)` becomes `by (le, cluster)`, `without` never drops
 * it) and every vector match matches on it (`on (a)` -> `on (a, cluster)`), so a query over
 * several clusters' series answers one result per cluster instead of mixing them.
 */
export function keepLabel(query: string, label: string): string {
  const edits: Edit[] = [];
  const tree = parser.parse(query);
  tree.iterate({
    enter: (ref) => {
      const node = ref.node;
      if (node.type.name === 'AggregateExpr') {
        const modifier = node.getChild('AggregateModifier');
        if (!modifier) {
          const op = node.getChild('AggregateOp');
          if (op) edits.push({ from: op.to, to: op.to, text: ` by (${label}) ` });
        } else regroup(query, modifier, modifier.getChild('Without') ? 'drop' : 'add', label, edits);
      } else if (node.type.name === 'MatchingModifierClause') {
        regroup(query, node, node.getChild('Ignoring') ? 'drop' : 'add', label, edits);
      }
    },
  });
  let out = query;
  for (const e of edits.sort((a, b) => b.from - a.from)) out = out.slice(0, e.from) + e.text + out.slice(e.to);
  return out;
}

/** Adds `label` to the first grouping list under `node` (by, on), or takes it out (without, ignoring). */
function regroup(query: string, node: SyntaxNode, how: 'add' | 'drop', label: string, edits: Edit[]): void {
  const list = node.getChild('GroupingLabels');
  if (!list) return;
  const names = list.getChildren('LabelName').map((n) => query.slice(n.from, n.to));
  const has = names.includes(label);
  if (how === 'add' && !has) edits.push({ from: list.from, to: list.to, text: `(${[...names, label].join(', ')})` });
  if (how === 'drop' && has) edits.push({ from: list.from, to: list.to, text: `(${names.filter((n) => n !== label).join(', ')})` });
}

/**
 * The label values of a fleet's clusters in a fleet-wide Prometheus: `clusters` maps a
 * kubeconfig context to its value where they differ; otherwise the value is the context name.
 */
export function clusterValues(contexts: readonly string[], clusters: Readonly<Record<string, string>>): string[] {
  return contexts.map((c) => clusters[c] ?? c);
}
