import type { DemoMetricsPod, DemoMetricsWorld } from './metricsWorld.js';

// The demo's time series, computed from the time instead of stored: any range (7 days too)
// costs the same. A daily traffic curve (low at 04:00 UTC, high at 16:00) with a promotion
// spike 25 minutes before the platform started (so the default 1h chart shows it), split
// over an application's replicas: CPU, memory, network and request rates per pod follow the
// replica count. A few pods misbehave, chosen by a hash of their name: hot CPU, a memory
// leak, errors and slow answers during the spike, scrape gaps, and the crash-looping pods
// restart every five minutes.

export type Labels = Record<string, string>;

export interface SynthSeries {
  labels: Labels;
  kind: 'gauge' | 'counter';
  /** Alive window, unix seconds. */
  start: number;
  end: number;
  /** A gauge's value, or a counter's rate per second, at t; NaN = no sample (scrape gap). */
  fn(t: number): number;
}

/** Scrape interval of the simulated Prometheus: range functions need two samples in their window. */
export const SCRAPE_SECONDS = 15;

export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, Infinity];

/** Deterministic [0, 1) from a string (FNV-1a). */
export function hash01(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

interface PodTraits {
  hot: boolean;
  leak: boolean;
  flaky: boolean;
  gaps: boolean;
  seed: number;
}

function traits(p: DemoMetricsPod): PodTraits {
  const h = hash01(`${p.namespace}/${p.name}`);
  const bucket = Math.floor(h * 1000);
  return { hot: bucket % 17 === 0, leak: bucket % 13 === 0, flaky: bucket % 11 === 0 || !!p.crashLoops, gaps: bucket % 23 === 0, seed: h };
}

export class TrafficModel {
  private readonly spikeAt: number;

  constructor(world: Pick<DemoMetricsWorld, 'startedAt'>) {
    this.spikeAt = world.startedAt / 1000 - 25 * 60;
  }

  /** Load factor: ~0.25 at night, 1 at the daily peak, up to 3.5 during the promotion. */
  load(t: number): number {
    const hour = (((t / 3600) % 24) + 24) % 24;
    const day = 0.25 + 0.75 * Math.pow(0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 4)) / 24), 1.5);
    const d = (t - this.spikeAt) / 480;
    return day * (1 + 2.5 * Math.exp(-(d * d) / 2));
  }

  /** How far into the promotion spike t is (0 outside, 1 at its peak). */
  spike(t: number): number {
    const d = (t - this.spikeAt) / 480;
    return Math.exp(-(d * d) / 2);
  }
}

function noise(t: number, seed: number): number {
  return 1 + 0.06 * Math.sin(t / 97 + seed * 40) + 0.04 * Math.sin(t / 31 + seed * 70);
}

const SERVES_HTTP = new Set(['api', 'web', 'gateway']);
const BASE_RPS: Record<string, number> = { api: 120, web: 200, gateway: 300 };
const BASE_LATENCY: Record<string, number> = { api: 0.04, web: 0.025, gateway: 0.015 };

/** Every metric the demo serves, by name; each yields the pod's series of that metric. */
export const METRIC_NAMES = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_network_receive_bytes_total',
  'container_network_transmit_bytes_total',
  'kube_pod_container_resource_requests',
  'kube_pod_container_resource_limits',
  'kube_pod_container_status_restarts_total',
  'kube_pod_info',
  'http_requests_total',
  'http_request_duration_seconds_bucket',
  'http_request_duration_seconds_sum',
  'http_request_duration_seconds_count',
  'up',
] as const;

export function isKnownMetric(name: string): boolean {
  return (METRIC_NAMES as readonly string[]).includes(name);
}

function formatLe(le: number): string {
  return le === Infinity ? '+Inf' : String(le);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 via erf). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function podSeries(metric: string, p: DemoMetricsPod, model: TrafficModel): SynthSeries[] {
  const tr = traits(p);
  const running = p.runningSince !== undefined;
  const start = (running ? p.runningSince! : p.createdAt) / 1000;
  const created = p.createdAt / 1000;
  const main = p.containers[0];
  if (!main) return [];
  const component = p.component ?? 'worker';
  const http = SERVES_HTTP.has(component) && p.app !== undefined;
  const appScale = 0.5 + hash01(`${p.namespace}/${p.app?.name ?? p.name}`);
  const podRps = memo((t: number) => ((BASE_RPS[component] ?? 20) * appScale * model.load(t) * noise(t, tr.seed)) / Math.max(1, p.appReplicas));
  const gap = (t: number) => tr.gaps && ((t % 7200) + 7200) % 7200 >= 3000 && ((t % 7200) + 7200) % 7200 < 3600;
  // A fleet-wide endpoint's series carry their cluster, as Thanos adds a sidecar's external label.
  const base = { namespace: p.namespace, pod: p.name, ...(p.cluster ? { cluster: p.cluster } : {}) };
  const ctr = (c: { name: string; image: string }) => ({ ...base, container: c.name, image: c.image, ...(p.node ? { node: p.node } : {}) });
  const live = (labels: Labels, kind: 'gauge' | 'counter', fn: (t: number) => number, from = start): SynthSeries => ({
    labels: { __name__: metric, ...labels },
    kind,
    start: from,
    end: Infinity,
    fn: (t) => (gap(t) ? NaN : fn(t)),
  });

  switch (metric) {
    case 'container_cpu_usage_seconds_total':
      if (!running) return [];
      if (p.usage?.cpu !== undefined) {
        // A fixed usage (kwok's annotation): the counter grows by exactly that many cores.
        const cores = p.usage.cpu;
        return p.containers.map((c): SynthSeries => ({ labels: { __name__: metric, ...ctr(c) }, kind: 'counter', start, end: Infinity, fn: () => cores }));
      }
      return p.containers.map((c, i) =>
        live(ctr(c), 'counter', (t) => {
          const req = c.requests.cpu ?? 0.1;
          const busy = http ? podRps(t) * 0.0015 * (i === 0 ? 1 : 0.1) : req * 0.45 * model.load(t) * noise(t, tr.seed + i);
          const cores = (0.01 + busy) * (tr.hot && i === 0 ? 2.5 : 1);
          return c.limits.cpu !== undefined ? Math.min(cores, c.limits.cpu) : cores;
        }),
      );
    case 'container_memory_working_set_bytes':
      if (!running) return [];
      if (p.usage?.memory !== undefined) {
        const bytes = p.usage.memory;
        return p.containers.map((c): SynthSeries => ({ labels: { __name__: metric, ...ctr(c) }, kind: 'gauge', start, end: Infinity, fn: () => bytes }));
      }
      return p.containers.map((c, i) =>
        live(ctr(c), 'gauge', (t) => {
          const req = c.requests.memory ?? 128 * 1024 ** 2;
          const limit = c.limits.memory ?? req * 2;
          let ws = req * (0.55 + 0.15 * Math.min(1.5, model.load(t))) * noise(t / 7, tr.seed + i);
          if (i === 0 && p.crashLoops) ws = limit * (0.3 + 0.65 * ((((t - start) % 300) + 300) % 300) / 300);
          else if (i === 0 && tr.leak) ws = Math.min(limit * 0.97, ws + ((t - start) / (6 * 3600)) * (limit - ws));
          return ws;
        }),
      );
    case 'container_network_receive_bytes_total':
    case 'container_network_transmit_bytes_total': {
      if (!running) return [];
      const per = metric.includes('receive') ? 2048 : 8192;
      return [live({ ...base, interface: 'eth0' }, 'counter', (t) => (http ? podRps(t) * per : 40_000 * model.load(t) * noise(t, tr.seed)))];
    }
    case 'kube_pod_container_resource_requests':
    case 'kube_pod_container_resource_limits': {
      const out: SynthSeries[] = [];
      for (const c of p.containers) {
        const spec = metric.endsWith('requests') ? c.requests : c.limits;
        // kube-state-metrics v2 labels these with the pod's node.
        const node: Record<string, string> = p.node ? { node: p.node } : {};
        if (spec.cpu !== undefined) out.push(live({ ...base, container: c.name, ...node, resource: 'cpu', unit: 'core' }, 'gauge', () => spec.cpu!, created));
        if (spec.memory !== undefined) out.push(live({ ...base, container: c.name, ...node, resource: 'memory', unit: 'byte' }, 'gauge', () => spec.memory!, created));
      }
      return out;
    }
    case 'kube_pod_container_status_restarts_total':
      return p.containers.map((c, i) => live({ ...base, container: c.name }, 'counter', () => (i === 0 && p.crashLoops ? 1 / 300 : 0), created));
    case 'kube_pod_info':
      return [live({ ...base, node: p.node ?? '', created_by_kind: p.app?.kind === 'Deployment' ? 'ReplicaSet' : (p.app?.kind ?? '<none>'), created_by_name: p.app?.name ?? '<none>' }, 'gauge', () => 1, created)];
    case 'up':
      return running ? [live({ ...base, job: p.app?.name ?? p.name, instance: `${p.name}:8080` }, 'gauge', () => 1)] : [];
    default:
      break;
  }
  if (!http || !running) return [];
  const errRatio = (t: number) => (p.crashLoops ? 0.2 : 0.002 + (tr.flaky ? 0.08 * model.spike(t) : 0));
  const median = memo((t: number) => (BASE_LATENCY[component] ?? 0.03) * (1 + 0.6 * Math.max(0, model.load(t) - 1)) * (tr.flaky ? 1 + 2 * model.spike(t) : 1));
  const sigma = 0.6;
  const red = { ...base, job: p.app!.name, method: 'GET', route: '/api' };
  switch (metric) {
    case 'http_requests_total':
      return [
        live({ ...red, status: '200' }, 'counter', (t) => podRps(t) * (1 - errRatio(t) - 0.01)),
        live({ ...red, status: '404' }, 'counter', (t) => podRps(t) * 0.01),
        live({ ...red, status: '500' }, 'counter', (t) => podRps(t) * errRatio(t)),
      ];
    case 'http_request_duration_seconds_bucket':
      return LATENCY_BUCKETS.map((le) =>
        live({ ...red, le: formatLe(le) }, 'counter', (t) => (le === Infinity ? podRps(t) : podRps(t) * normalCdf((Math.log(le) - Math.log(median(t))) / sigma))),
      );
    case 'http_request_duration_seconds_count':
      return [live(red, 'counter', podRps)];
    case 'http_request_duration_seconds_sum':
      return [live(red, 'counter', (t) => podRps(t) * median(t) * Math.exp((sigma * sigma) / 2))];
    default:
      return [];
  }
}

/**
 * Caches a function of time for one query: the twelve histogram buckets of a pod ask for the
 * same request rate and median at the same instants (series are built afresh per query).
 */
function memo(f: (t: number) => number): (t: number) => number {
  const cache = new Map<number, number>();
  return (t) => {
    let v = cache.get(t);
    if (v === undefined) {
      v = f(t);
      if (cache.size < 100_000) cache.set(t, v);
    }
    return v;
  };
}

/** Counter increase over [a, b] within the series' life (Simpson's rule on the rate). */
export function counterIncrease(s: SynthSeries, a: number, b: number): number {
  const lo = Math.max(a, s.start);
  const hi = Math.min(b, s.end);
  if (hi <= lo) return 0;
  const n = Math.min(64, Math.max(2, Math.ceil((hi - lo) / 600))) * 2;
  const h = (hi - lo) / n;
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    const v = s.fn(lo + i * h);
    const f = Number.isFinite(v) ? v : 0;
    sum += f * (i === 0 || i === n ? 1 : i % 2 ? 4 : 2);
  }
  return (sum * h) / 3;
}
