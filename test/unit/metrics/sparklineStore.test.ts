import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticMetricsWorld } from '../../../src/demo/metrics/metricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../../src/demo/metrics/prometheusServer.js';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { PrometheusSource } from '../../../src/platform/metrics/prometheusSource.js';
import { contextMatchers } from '../../../src/platform/metrics/labelEscape.js';
import { checkPromql } from '../../../src/platform/metrics/promqlCheck.js';
import { SparklineStore, sparklineQuery } from '../../../src/platform/metrics/sparklineStore.js';
import { FIXTURE_PODS } from '../../contract/metrics/promTarget.js';

let demo: DemoPrometheus;
beforeAll(async () => {
  demo = await startDemoPrometheus({ world: staticMetricsWorld(FIXTURE_PODS) });
});
afterAll(async () => {
  await demo.close();
});

describe('SparklineStore', () => {
  it('fetches CPU and memory of every visible row with one query, summed per row', async () => {
    const source = new PrometheusSource(directTransport({ url: demo.url }), { timeoutMs: 2000 });
    const store = new SparklineStore({ source: () => ({ source, refreshMs: 60_000, rateWindowSeconds: 60, scrapeIntervalSeconds: 15 }) });
    const before = demo.requests.get('/api/v1/query_range') ?? 0;
    const orderApi = FIXTURE_PODS.filter((p) => p.app?.name === 'order-api').map((p) => p.name);
    const admin = FIXTURE_PODS.filter((p) => p.app?.name === 'order-api-admin').map((p) => p.name);
    const changed = new Promise<void>((r) => store.subscribe(r));
    store.want([
      { key: 'app-1', namespace: 'shop', pods: orderApi },
      { key: 'app-2', namespace: 'shop', pods: admin },
    ]);
    await changed;
    expect((demo.requests.get('/api/v1/query_range') ?? 0) - before).toBe(1);
    const one = store.get('app-1')!;
    const two = store.get('app-2')!;
    expect(one.memory.some(Number.isFinite)).toBe(true);
    expect(one.cpu.some(Number.isFinite)).toBe(true);
    // Three pods' memory summed is more than one pod's.
    const last = (a: Float64Array) => [...a].reverse().find(Number.isFinite)!;
    expect(last(one.memory)).toBeGreaterThan(last(two.memory) * 1.5);
    store.stop();
  });

  it("keeps to the context's matchers (its cluster in a shared Prometheus) in both halves of the query", () => {
    const q = sparklineQuery([{ key: 'a', namespace: 'search', pods: ['search-store-0'] }], '1m', contextMatchers({ cluster: 'prod-dc2' }));
    const selectors = q.match(/\{[^}]*\}/g) ?? [];
    expect(selectors).toHaveLength(2);
    for (const sel of selectors) expect(sel).toBe('{namespace="search",pod="search-store-0",container!="",container!="POD",cluster="prod-dc2"}');
    expect(checkPromql(q).ok).toBe(true);
    expect(sparklineQuery([{ key: 'a', namespace: 'search', pods: ['search-store-0'] }], '1m')).not.toContain('cluster');
  });
});

