import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Histogram, Registry } from 'prom-client';
import type { DemoMetricsPod, DemoMetricsWorld } from './metricsWorld.js';
import { counterIncrease, LATENCY_BUCKETS, podSeries, TrafficModel } from './syntheticSeries.js';

// The demo's workloads as a scraper sees them: each HTTP-serving pod exports
// http_requests_total{method,route,status} and the http_request_duration_seconds histogram
// with prom-client, at /pods/<namespace>/<pod>/metrics. Each scrape advances the pod's
// counters by the requests the traffic model says it served since the last scrape (a
// sample of them observed into the histogram), so a real Prometheus (the lab's) scraping
// this gets the same shapes the demo endpoint computes, and the RED charts show real data.

const MAX_OBSERVATIONS_PER_SCRAPE = 20_000;

interface PodExporter {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route'>;
  lastScrape: number;
}

export interface WorkloadExporter {
  url: string;
  close(): Promise<void>;
}

/** A lognormal latency with this median (sigma 0.6, as the model). */
function sampleLatency(median: number, random: () => number): number {
  const u1 = Math.max(1e-12, random());
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
  return median * Math.exp(0.6 * z);
}

/** The latency median the model implies at t: from the _sum/_count rates of the synthetic series. */
function medianAt(pod: DemoMetricsPod, model: TrafficModel, t: number): number {
  const sum = podSeries('http_request_duration_seconds_sum', pod, model)[0];
  const count = podSeries('http_request_duration_seconds_count', pod, model)[0];
  if (!sum || !count) return 0.05;
  const mean = sum.fn(t) / Math.max(1e-9, count.fn(t));
  return mean / Math.exp(0.18); // mean = median * e^(sigma^2 / 2)
}

export async function startWorkloadExporter(opts: { world: DemoMetricsWorld; port?: number; random?: () => number }): Promise<WorkloadExporter> {
  const model = new TrafficModel(opts.world);
  const random = opts.random ?? Math.random;
  const pods = new Map<string, PodExporter>();

  const exporterFor = (p: DemoMetricsPod): PodExporter => {
    const key = `${p.namespace}/${p.name}`;
    let e = pods.get(key);
    if (!e) {
      const registry = new Registry();
      registry.setDefaultLabels({ namespace: p.namespace, pod: p.name });
      e = {
        registry,
        requests: new Counter({ name: 'http_requests_total', help: 'HTTP requests served.', labelNames: ['method', 'route', 'status'] as const, registers: [registry] }),
        duration: new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request latency.', labelNames: ['method', 'route'] as const, buckets: LATENCY_BUCKETS.filter(Number.isFinite), registers: [registry] }),
        lastScrape: Date.now() / 1000 - 15,
      };
      pods.set(key, e);
    }
    return e;
  };

  const advance = (p: DemoMetricsPod, e: PodExporter, now: number): void => {
    const from = e.lastScrape;
    e.lastScrape = now;
    let total = 0;
    for (const s of podSeries('http_requests_total', p, model)) {
      const n = Math.round(counterIncrease(s, from, now));
      if (n > 0) e.requests.inc({ method: 'GET', route: '/api', status: s.labels.status }, n);
      total += n;
    }
    const median = medianAt(p, model, now);
    for (let i = 0; i < Math.min(total, MAX_OBSERVATIONS_PER_SCRAPE); i++) e.duration.observe({ method: 'GET', route: '/api' }, sampleLatency(median, random));
  };

  const server = http.createServer((req, res) => {
    const m = /^\/pods\/([^/]+)\/([^/]+)\/metrics$/.exec((req.url ?? '').split('?')[0]);
    const pod = m ? opts.world.pods(decodeURIComponent(m[1])).find((p) => p.name === decodeURIComponent(m[2])) : undefined;
    if (!pod || pod.runningSince === undefined || !['api', 'web', 'gateway'].includes(pod.component ?? '')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such HTTP-serving pod\n');
      return;
    }
    const e = exporterFor(pod);
    advance(pod, e, Date.now() / 1000);
    e.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': e.registry.contentType }).end(text),
      (err: unknown) => res.writeHead(500).end(String(err)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
