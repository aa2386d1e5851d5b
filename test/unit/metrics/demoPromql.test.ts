import { describe, expect, it } from 'vitest';
import { staticMetricsWorld, type DemoMetricsPod } from '../../../src/demo/metrics/metricsWorld.js';
import { DemoPromql, PromqlError } from '../../../src/demo/metrics/promqlEval.js';

const MiB = 1024 ** 2;
const started = Date.UTC(2026, 5, 1, 12, 0, 0);
const pod = (name: string, replicas: number, extra: Partial<DemoMetricsPod> = {}): DemoMetricsPod => ({
  namespace: 'shop',
  name,
  app: { kind: 'Deployment', name: 'web' },
  component: 'web',
  containers: [{ name: 'web', image: 'web:1', requests: { cpu: 0.5, memory: 256 * MiB }, limits: { cpu: 1, memory: 512 * MiB } }],
  createdAt: started - 86400_000 * 3,
  runningSince: started - 86400_000 * 2,
  restarts: 0,
  appReplicas: replicas,
  ...extra,
});
const at = (...t: number[]) => ({ times: Float64Array.from(t) });
const nowS = started / 1000;

function vec(engine: DemoPromql, q: string, times = at(nowS)) {
  const v = engine.evaluate(q, times);
  if (v.type !== 'vector') throw new Error(`not a vector: ${v.type}`);
  return v.series;
}

describe('demo PromQL evaluation', () => {
  const two = new DemoPromql(staticMetricsWorld([pod('web-a', 2), pod('web-b', 2)], started));
  const four = new DemoPromql(staticMetricsWorld(['a', 'b', 'c', 'd'].map((n) => pod(`web-${n}`, 4)), started));

  it('aggregates by the grouping labels only', () => {
    const s = vec(two, 'sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop"}[2m]))');
    expect(s.map((x) => x.labels)).toEqual([{ pod: 'web-a' }, { pod: 'web-b' }]);
    expect(s[0].values[0]).toBeGreaterThan(0);
  });

  it('spreads an application\'s load over its replicas: per-pod CPU falls when it has more pods', () => {
    const perPod = (e: DemoPromql) => vec(e, 'avg(rate(container_cpu_usage_seconds_total{namespace="shop"}[2m]))')[0].values[0];
    expect(perPod(four)).toBeLessThan(perPod(two) * 0.75);
  });

  it('has more traffic during the promotion spike than an hour later', () => {
    const rps = vec(two, 'sum(rate(http_requests_total{namespace="shop"}[2m]))', at(nowS - 25 * 60, nowS + 3600))[0].values;
    expect(rps[0]).toBeGreaterThan(rps[1] * 1.5);
  });

  it('computes ordered latency quantiles from the histogram buckets', () => {
    const q = (phi: number) => vec(two, `histogram_quantile(${phi}, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="shop"}[5m])))`)[0].values[0];
    const [p50, p95, p99] = [q(0.5), q(0.95), q(0.99)];
    expect(p50).toBeGreaterThan(0.005);
    expect(p50).toBeLessThan(p95);
    expect(p95).toBeLessThan(p99);
  });

  it('reports requests and limits as constant reference values', () => {
    const v = vec(two, 'sum(kube_pod_container_resource_limits{namespace="shop",resource="memory"})', at(nowS - 3600, nowS))[0].values;
    expect(Array.from(v)).toEqual([1024 * MiB, 1024 * MiB]);
  });

  it('restarts a crash-looping pod about every five minutes', () => {
    const e = new DemoPromql(staticMetricsWorld([pod('web-a', 1, { crashLoops: true })], started));
    const v = vec(e, 'sum(increase(kube_pod_container_status_restarts_total{namespace="shop"}[1h]))')[0].values[0];
    expect(v).toBeGreaterThan(10);
    expect(v).toBeLessThan(14);
  });

  it('combines CPU and memory in one query with label_replace and or (the sparkline query)', () => {
    const q = 'label_replace(sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="shop"}[2m])), "wr", "cpu", "", "") or label_replace(sum by (pod) (container_memory_working_set_bytes{namespace="shop"}), "wr", "mem", "", "")';
    const s = vec(two, q);
    expect(s.map((x) => `${x.labels.pod}/${x.labels.wr}`).sort()).toEqual(['web-a/cpu', 'web-a/mem', 'web-b/cpu', 'web-b/mem']);
  });

  it('has no samples before a pod started', () => {
    const q = 'container_memory_working_set_bytes{namespace="shop"}';
    // The same query has samples once the pods run, so 'none before' is not an empty answer by accident.
    expect(vec(two, q).filter((x) => !Number.isNaN(x.values[0])).length).toBeGreaterThan(0);
    const s = vec(two, q, at(nowS - 86400 * 5));
    expect(s.filter((x) => !Number.isNaN(x.values[0]))).toEqual([]);
  });

  it('answers unsupported PromQL with a bad_data error naming it', () => {
    expect(() => two.evaluate('rate(up[5m] offset 1h)', at(nowS))).toThrow(PromqlError);
    expect(() => two.evaluate('rate(up[5m] offset 1h)', at(nowS))).toThrow(/offset is not supported/);
    expect(() => two.evaluate('sum(up', at(nowS))).toThrow(/parse error/);
  });
});
