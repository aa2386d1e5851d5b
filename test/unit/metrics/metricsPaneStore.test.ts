import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticMetricsWorld } from '../../../src/demo/metrics/metricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../../src/demo/metrics/prometheusServer.js';
import { ContextCharts } from '../../../src/platform/metrics/contextCharts.js';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { contextMatchers } from '../../../src/platform/metrics/labelEscape.js';
import { MetricsPaneStore, type MetricsPaneSnapshot } from '../../../src/platform/metrics/metricsPaneStore.js';
import type { MetricsSource } from '../../../src/platform/metrics/metricsSource.js';
import { checkPromql } from '../../../src/platform/metrics/promqlCheck.js';
import { PrometheusSource } from '../../../src/platform/metrics/prometheusSource.js';
import { rangeByLabel } from '../../../src/platform/metrics/timeRanges.js';
import { FIXTURE_PODS } from '../../contract/metrics/promTarget.js';

let demo: DemoPrometheus;

beforeAll(async () => {
  demo = await startDemoPrometheus({ world: staticMetricsWorld(FIXTURE_PODS) });
});
afterAll(async () => {
  await demo.close();
});

function storeFor(url: string, opts: { refreshMs?: number } = {}) {
  // The config's default request timeout: on a loaded machine the in-process endpoint's histogram
  // queries can take over a second, and a timeout is not what these tests are about.
  const source = new PrometheusSource(directTransport({ url }), { timeoutMs: 15_000 });
  return new MetricsPaneStore(
    new ContextCharts({
      source: () => ({ source, refreshMs: opts.refreshMs ?? 60_000, rateWindowSeconds: 60, scrapeIntervalSeconds: 15 }),
      appPods: (ns, key) => (key === 'Deployment/order-api' ? FIXTURE_PODS.filter((p) => p.app?.name === 'order-api').map((p) => p.name) : []),
    }),
  );
}

function until(store: MetricsPaneStore, pred: (s: MetricsPaneSnapshot) => boolean, ms = 5000): Promise<MetricsPaneSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = store.getSnapshot();
      if (pred(s)) {
        unsub();
        clearTimeout(timer);
        resolve(s);
      }
    };
    const unsub = store.subscribe(check);
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`timed out; last snapshot: ${JSON.stringify({ ...store.getSnapshot(), charts: store.getSnapshot().charts.map((c) => c.id) })}`));
    }, ms);
    check();
  });
}

describe('MetricsPaneStore', () => {
  it("charts an application's pods only (not order-api-admin's), with requests and RED charts", async () => {
    const store = storeFor(demo.url);
    store.open({ level: 'app', namespace: 'shop', kind: 'Deployment', name: 'order-api', pods: [] }, 60);
    const s = await until(store, (x) => x.dataAt !== undefined);
    const cpu = s.charts.find((c) => c.id === 'cpu')!;
    const pods = cpu.series.filter((x) => !x.reference).map((x) => x.label);
    expect(pods.sort()).toEqual(['order-api-5d8f7b9c4-aaaaa', 'order-api-5d8f7b9c4-bbbbb', 'order-api-5d8f7b9c4-ccccc']);
    expect(cpu.series.map((x) => x.label)).toContain('requests');
    expect(s.charts.map((c) => c.id)).toEqual(['cpu', 'memory', 'restarts', 'network', 'requests', 'errors', 'latency']);
    expect(s.charts.find((c) => c.id === 'latency')!.series.map((x) => x.label)).toEqual(['p50', 'p95', 'p99']);
    expect(s.times).toHaveLength(s.window!.points);
    store.close();
  });

  it('sends a refresh\'s dozen queries without Node printing a listener-leak warning over the screen', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const store = storeFor(demo.url);
      store.open({ level: 'app', namespace: 'shop', kind: 'Deployment', name: 'order-api', pods: [] }, 60);
      await until(store, (x) => x.dataAt !== undefined);
      store.close();
      await new Promise((r) => setImmediate(r));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('says "no data" for a chart the workload has no metrics for', async () => {
    const store = storeFor(demo.url);
    store.open({ level: 'pod', namespace: 'shop', pod: 'stock-worker-0' }, 60);
    const s = await until(store, (x) => x.dataAt !== undefined);
    expect(s.charts.find((c) => c.id === 'requests')!.noData).toMatch(/no data — the workload exports no http_requests_total/);
    expect(s.charts.find((c) => c.id === 'memory')!.noData).toBeUndefined();
    store.close();
  });

  it('keeps the last data when Prometheus fails, names the URL and retries with backoff', async () => {
    const store = storeFor(demo.url, { refreshMs: 50 });
    store.open({ level: 'system', namespace: 'shop' }, 40);
    const first = await until(store, (x) => x.dataAt !== undefined);
    demo.setFault({ kind: 'status', status: 503, body: 'Service Unavailable' });
    const failed = await until(store, (x) => x.error !== undefined);
    expect(failed.error).toContain(demo.url);
    expect(failed.error).toMatch(/HTTP 503/);
    expect(failed.charts.length).toBe(first.charts.length);
    expect(failed.dataAt).toBe(first.dataAt);
    expect(failed.retryAt).toBeGreaterThan(Date.now());
    demo.setFault(undefined);
    store.refreshNow();
    const back = await until(store, (x) => x.error === undefined && x.dataAt! > first.dataAt!);
    expect(back.charts.length).toBe(first.charts.length);
    store.close();
  });

  it('shows where a :promql query is wrong without sending it', async () => {
    const before = demo.requests.get('/api/v1/query_range') ?? 0;
    const store = storeFor(demo.url);
    store.open({ level: 'promql', query: 'sum(rate(container_cpu_usage_seconds_total[5m])' }, 60);
    const s = store.getSnapshot();
    expect(s.promqlProblem).toMatchObject({ position: 'sum(rate(container_cpu_usage_seconds_total[5m])'.length, message: 'unexpected end of query' });
    expect(demo.requests.get('/api/v1/query_range') ?? 0).toBe(before);
    store.close();
  });

  it('switching range asks for the new range with a coarser step', async () => {
    const store = storeFor(demo.url);
    store.open({ level: 'pod', namespace: 'shop', pod: 'order-api-5d8f7b9c4-aaaaa' }, 60);
    const hour = await until(store, (x) => x.dataAt !== undefined);
    store.setRange(rangeByLabel('24h')!);
    const day = await until(store, (x) => x.window?.step !== hour.window?.step && x.dataAt !== undefined);
    expect(day.window!.step).toBeGreaterThan(hour.window!.step);
    expect(day.window!.end - day.window!.start).toBeGreaterThanOrEqual(86400);
    store.moveCursor(-5);
    expect(store.cursorIndex()).toBe(day.times.length - 1);
    store.moveCursor(-5);
    expect(store.cursorIndex()).toBe(day.times.length - 6);
    store.close();
  });

  it("narrows every chart query to the context's matchers (its cluster in a shared Prometheus) and says so; a :promql query is sent as typed", async () => {
    const sent: string[] = [];
    const source: MetricsSource = {
      endpoint: 'http://prom.example',
      queryRange: (query) => {
        sent.push(query);
        return Promise.resolve({ data: [], warnings: [] });
      },
      query: () => Promise.reject(new Error('not used')),
      series: () => Promise.reject(new Error('not used')),
    };
    const store = new MetricsPaneStore(new ContextCharts({ source: () => ({ source, refreshMs: 60_000, rateWindowSeconds: 60, scrapeIntervalSeconds: 15, matchers: contextMatchers({ cluster: 'prod-dc2' }) }) }));
    store.open({ level: 'pod', namespace: 'search', pod: 'search-store-0' }, 60);
    const s = await until(store, (x) => x.dataAt !== undefined);
    expect(sent.length).toBeGreaterThan(5);
    // Every series selector of every chart line carries the cluster, next to the pod's own matchers.
    for (const q of sent) {
      for (const selector of q.match(/\{[^}]*\}/g) ?? []) expect(selector, q).toContain('cluster="prod-dc2"');
      expect(q).toContain('pod="search-store-0"');
      expect(checkPromql(q).ok, q).toBe(true);
    }
    expect(s.endpoint).toBe('http://prom.example {cluster="prod-dc2"}');
    sent.length = 0;
    store.open({ level: 'promql', query: 'up' }, 60);
    await until(store, () => sent.length > 0);
    expect(sent).toEqual(['up']);
    store.close();
  });
});
