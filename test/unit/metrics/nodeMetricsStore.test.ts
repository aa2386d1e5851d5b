import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticMetricsWorld } from '../../../src/demo/metrics/metricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../../src/demo/metrics/prometheusServer.js';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { NodeMetricsStore, nodeUsageQuery } from '../../../src/platform/metrics/nodeMetricsStore.js';
import { PrometheusSource } from '../../../src/platform/metrics/prometheusSource.js';
import { checkPromql } from '../../../src/platform/metrics/promqlCheck.js';
import { FIXTURE_PODS } from '../../contract/metrics/promTarget.js';

// CPU and memory per node for the Nodes view: one instant query, requests from kube-state-metrics and
// usage from cAdvisor summed by node, within the context's own matchers; nothing without a Prometheus.

const pods = FIXTURE_PODS.map((p, i) => ({ ...p, node: i % 2 ? 'node-b' : 'node-a' }));
let demo: DemoPrometheus;
beforeAll(async () => {
  demo = await startDemoPrometheus({ world: staticMetricsWorld(pods) });
});
afterAll(async () => {
  await demo.close();
});

describe('NodeMetricsStore', () => {
  it('is valid PromQL and keeps to the context\'s matchers', () => {
    const q = nodeUsageQuery('2m', 'cluster="dc2"');
    expect(checkPromql(q).ok).toBe(true);
    expect(q.match(/cluster="dc2"/g)).toHaveLength(4);
  });

  it('reads requests and usage per node, the requests as the pods on it ask', async () => {
    const source = new PrometheusSource(directTransport({ url: demo.url }), { timeoutMs: 5000 });
    const store = new NodeMetricsStore({ source: () => ({ source, refreshMs: 60_000, rateWindowSeconds: 60, scrapeIntervalSeconds: 15 }) });
    const changed = new Promise<void>((r) => store.subscribe(r));
    store.start();
    await changed;
    store.stop();
    expect(store.problem).toBeUndefined();
    const requested = (node: string) => pods.filter((p) => p.node === node).reduce((n, p) => n + p.containers.reduce((m, c) => m + (c.requests.cpu ?? 0), 0), 0);
    for (const node of ['node-a', 'node-b']) {
      const u = store.get(node)!;
      expect(u.cpuRequests).toBeCloseTo(requested(node), 6);
      expect(u.memoryRequests).toBeGreaterThan(0);
      expect(u.memoryUsage).toBeGreaterThan(0);
      expect(u.cpuUsage).toBeGreaterThan(0);
    }
  });

  it('without a Prometheus it is not enabled and asks nothing', () => {
    const store = new NodeMetricsStore({ source: () => ({ problem: 'no Prometheus configured for context x' }) });
    expect(store.enabled()).toBe(false);
    store.start();
    store.stop();
    expect(store.get('node-a')).toBeUndefined();
  });
});
