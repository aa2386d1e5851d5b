import { describe, expect, it } from 'vitest';
import { checkPromql } from '../../../src/platform/metrics/promqlCheck.js';
import { clusterValues, fleetCharts, fleetLineQuery, keepLabel } from '../../../src/platform/metrics/fleetQueries.js';

// How the charts over a fleet are asked for: one chart per data line of a context's chart, and
// for a fleet-wide Prometheus the clusters' label kept through the whole query.

describe('fleet charts', () => {
  it('splits a chart with several data lines into one chart per line and leaves requests and limits out', () => {
    const charts = fleetCharts('app');
    expect(charts.map((c) => [c.id, c.title])).toEqual([
      ['cpu', 'CPU'],
      ['memory', 'Memory (working set)'],
      ['restarts', 'Restarts'],
      ['network.in', 'Network in'],
      ['network.out', 'Network out'],
      ['requests', 'Request rate'],
      ['errors', 'Error rate (5xx)'],
      ['latency.p50', 'Latency p50'],
      ['latency.p95', 'Latency p95'],
      ['latency.p99', 'Latency p99'],
    ]);
    expect(charts.find((c) => c.id === 'network.out')).toMatchObject({ unit: 'bytesPerSecond', chart: 'network', line: 'out' });
  });

  it('takes a line\'s query from the config\'s overrides when there is one', () => {
    const cpu = fleetCharts('system').find((c) => c.id === 'cpu')!;
    expect(fleetLineQuery(cpu, undefined)).toContain('container_cpu_usage_seconds_total');
    expect(fleetLineQuery(cpu, { cpu: { usage: 'sum by ($by) (my_cpu{$selector})' } })).toBe('sum by ($by) (my_cpu{$selector})');
    expect(fleetLineQuery(cpu, { memory: { usage: 'x' } })).toContain('container_cpu_usage_seconds_total');
  });
});

describe('keeping the cluster label through a query', () => {
  it.each([
    ['an aggregation without grouping', 'sum(rate(x{a="b"}[1m]))', 'sum by (cluster) (rate(x{a="b"}[1m]))'],
    ['an aggregation by the label already', 'sum by (cluster) (x)', 'sum by (cluster) (x)'],
    ['an empty grouping', 'sum by () (x)', 'sum by (cluster) (x)'],
    ['a grouping after the body', 'sum(x) by (le)', 'sum(x) by (le, cluster)'],
    ['a quantile over buckets', 'histogram_quantile(0.95, sum by (le) (rate(h_bucket[5m])))', 'histogram_quantile(0.95, sum by (le, cluster) (rate(h_bucket[5m])))'],
    ['a ratio of two sums', '100 * sum(rate(r{s=~"5.."}[1m])) / sum(rate(r[1m]))', '100 * sum by (cluster) (rate(r{s=~"5.."}[1m])) / sum by (cluster) (rate(r[1m]))'],
    ['without that drops it', 'sum without (cluster, pod) (x)', 'sum without (pod) (x)'],
    ['a match on some labels', 'a / on (pod) group_left (node) b', 'a / on (pod, cluster) group_left (node) b'],
    ['a match ignoring it', 'a / ignoring (cluster, le) b', 'a / ignoring (le) b'],
    ['topk over a sum', 'topk(3, sum(x))', 'topk by (cluster) (3, sum by (cluster) (x))'],
    ['a query with no aggregation', 'rate(x[1m]) * 2', 'rate(x[1m]) * 2'],
  ])('%s', (_what, query, want) => {
    const got = keepLabel(query, 'cluster');
    expect(got).toBe(want);
    expect(checkPromql(got).ok).toBe(true);
  });

  it('uses the configured label name', () => {
    expect(keepLabel('sum(x)', 'k8s_cluster')).toBe('sum by (k8s_cluster) (x)');
  });

  it('leaves strings that look like groupings alone', () => {
    expect(keepLabel('sum(x{a="sum(y)"})', 'cluster')).toBe('sum by (cluster) (x{a="sum(y)"})');
  });
});

describe('cluster label values', () => {
  it('is the context\'s name unless the config maps it', () => {
    expect(clusterValues(['prod-dc1', 'prod-dc2'], { 'prod-dc2': 'eu-west' })).toEqual(['prod-dc1', 'eu-west']);
  });
});
