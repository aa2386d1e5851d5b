import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { oneOfMatcher } from '../../../src/platform/metrics/labelEscape.js';
import { MetricsError } from '../../../src/platform/metrics/metricsSource.js';
import { targetSelector } from '../../../src/platform/metrics/metricsTarget.js';
import { PrometheusSource } from '../../../src/platform/metrics/prometheusSource.js';
import { DEFAULT_CHARTS, renderTemplate } from '../../../src/platform/metrics/queryTemplates.js';
import { alignMatrix } from '../../../src/platform/metrics/seriesAlign.js';
import { MAX_POINTS_PER_SERIES, rangeWindow } from '../../../src/platform/metrics/stepSizing.js';
import { startPromTarget, type PromTarget } from './promTarget.js';

// What warroom relies on from a Prometheus-compatible API: the shapes of query, query_range
// and series answers, step-aligned timestamps, errors as {status:"error", errorType}, form
// POST for long queries, and that every default chart template is a query it accepts.

let target: PromTarget;
let source: PrometheusSource;
/** A namespace and some pods the target has container metrics for (discovered, so the lab works too). */
let ns = '';
let pods: string[] = [];

async function failure(p: Promise<unknown>): Promise<MetricsError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MetricsError) return err;
    throw err;
  }
  throw new Error('expected a MetricsError');
}

beforeAll(async () => {
  target = await startPromTarget();
  source = new PrometheusSource(directTransport({ url: target.url }), { timeoutMs: 10_000 });
  const now = Math.floor(Date.now() / 1000);
  const found = await source.series(['container_memory_working_set_bytes{container!=""}'], now - 600, now);
  const byNs = new Map<string, string[]>();
  for (const l of found.data) if (l.namespace && l.pod) byNs.set(l.namespace, [...new Set([...(byNs.get(l.namespace) ?? []), l.pod])]);
  const best = [...byNs.entries()].sort((a, b) => b[1].length - a[1].length)[0];
  if (!best) throw new Error(`no container_memory_working_set_bytes series at ${target.url}: is cAdvisor scraped?`);
  [ns, pods] = [best[0], best[1].slice(0, 3)];
});

afterAll(async () => {
  await target?.close();
});

describe('Prometheus API contract', () => {
  it('query_range answers a matrix on the step grid, within start..end', async () => {
    const w = rangeWindow(3600, 60, Date.now());
    const q = `sum by (pod) (container_memory_working_set_bytes{namespace="${ns}",${oneOfMatcher('pod', pods)},container!=""})`;
    const answer = await source.queryRange(q, w);
    expect(answer.data.length).toBeGreaterThan(0);
    for (const s of answer.data) {
      expect(Object.keys(s.metric)).toEqual(['pod']);
      expect(s.values.length).toBeGreaterThan(0);
      for (const [t, v] of s.values) {
        expect(t).toBeGreaterThanOrEqual(w.start);
        expect(t).toBeLessThanOrEqual(w.end);
        expect(Number.isInteger((t - w.start) / w.step)).toBe(true);
        expect(Number.isNaN(Number(v)) && v !== 'NaN').toBe(false);
      }
    }
    const aligned = alignMatrix(answer.data, w.start, w.step, w.points);
    expect(aligned[0].values.some(Number.isFinite)).toBe(true);
  });

  it('query answers an instant vector of [time, "value"] samples, and a scalar for a number', async () => {
    const v = await source.query(`count(container_memory_working_set_bytes{namespace="${ns}"})`);
    expect(v.data.resultType).toBe('vector');
    if (v.data.resultType === 'vector') {
      expect(v.data.result).toHaveLength(1);
      expect(Number(v.data.result[0].value[1])).toBeGreaterThan(0);
    }
    const s = await source.query('1 + 1');
    expect(s.data).toMatchObject({ resultType: 'scalar' });
    if (s.data.resultType === 'scalar') expect(s.data.result[1]).toBe('2');
  });

  it('series answers label sets including __name__', async () => {
    const now = Math.floor(Date.now() / 1000);
    const r = await source.series([`container_memory_working_set_bytes{namespace="${ns}",pod="${pods[0]}"}`], now - 600, now);
    expect(r.data.length).toBeGreaterThan(0);
    expect(r.data[0].__name__).toBe('container_memory_working_set_bytes');
    expect(r.data[0].pod).toBe(pods[0]);
  });

  it('answers an unknown metric with an empty result, not an error', async () => {
    const w = rangeWindow(900, 60, Date.now());
    expect((await source.queryRange('warroom_no_such_metric_total{job="x"}', w)).data).toEqual([]);
  });

  it('rejects a syntax error as bad_data with HTTP 400', async () => {
    const err = await failure(source.query('sum(rate(container_cpu_usage_seconds_total[5m])'));
    expect(err.kind).toBe('prometheus');
    expect(err.extra).toMatchObject({ status: 400, errorType: 'bad_data' });
    expect(err.permanent).toBe(true);
  });

  it('rejects more than 11,000 points per series', async () => {
    const now = Math.floor(Date.now() / 1000);
    const err = await failure(source.queryRange('up', { start: now - MAX_POINTS_PER_SERIES * 2, end: now, step: 1 }));
    expect(err.extra.errorType).toBe('bad_data');
    expect(err.message).toMatch(/11,000 points/);
  });

  it('takes a long query as a form POST', async () => {
    const many = [...pods, ...Array.from({ length: 300 }, (_, i) => `no-such-pod-with-a-long-name-${i}`)];
    const w = rangeWindow(900, 60, Date.now());
    const q = `sum(container_memory_working_set_bytes{namespace="${ns}",${oneOfMatcher('pod', many)},container!=""})`;
    expect(q.length).toBeGreaterThan(4000);
    expect((await source.queryRange(q, w)).data).toHaveLength(1);
  });

  it('treats escaped quotes and backslashes in label values as data', async () => {
    const w = rangeWindow(900, 60, Date.now());
    const sel = targetSelector({ level: 'pod', namespace: 'x"} or up{a="', pod: 'b\\"c\nd' });
    expect((await source.queryRange(`container_memory_working_set_bytes{${sel}}`, w)).data).toEqual([]);
  });

  it('accepts every default chart template for a system, an application and a pod', async () => {
    const w = rangeWindow(3600, 60, Date.now());
    const targets = [
      targetSelector({ level: 'system', namespace: ns }),
      targetSelector({ level: 'app', namespace: ns, kind: 'Deployment', name: 'x', pods }),
      targetSelector({ level: 'pod', namespace: ns, pod: pods[0] }),
    ];
    for (const chart of DEFAULT_CHARTS) {
      for (const line of chart.lines) {
        for (const selector of targets) {
          const q = renderTemplate(line.query, { selector, rate: '2m', by: 'pod' });
          await expect(source.queryRange(q, w), `${chart.id}/${line.id}`).resolves.toBeDefined();
        }
      }
    }
  });

  it('charts CPU against requests for an application (data where cAdvisor and kube-state-metrics are scraped)', async () => {
    const w = rangeWindow(3600, 60, Date.now());
    const selector = targetSelector({ level: 'app', namespace: ns, kind: 'Deployment', name: 'x', pods });
    const cpu = DEFAULT_CHARTS.find((c) => c.id === 'cpu')!;
    const usage = await source.queryRange(renderTemplate(cpu.lines[0].query, { selector, rate: '2m', by: 'pod' }), w);
    expect(usage.data.length).toBeGreaterThan(0);
    expect(usage.data.every((s) => pods.includes(s.metric.pod))).toBe(true);
  });
});
