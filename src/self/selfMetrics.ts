import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

// The console's own metrics (prom-client): how the console is doing against the cluster
// and the terminal. Shown in `:health` and served for scraping with --metrics-addr. A
// registry of its own (not prom-client's global one), so tests and the demo's workload
// metrics never mix with it. Recording is cheap (a few additions); nothing here does I/O.

export const selfRegistry = new Registry();

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const FRAME_BUCKETS = [0.001, 0.002, 0.004, 0.008, 0.016, 0.033, 0.05, 0.1, 0.25, 0.5];

export const apiRequestDuration = new Histogram({
  name: 'warroom_api_request_duration_seconds',
  help: 'Kubernetes API requests by verb, resource and status code (watches: until the response headers).',
  labelNames: ['verb', 'resource', 'code'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [selfRegistry],
});

export const watchRestarts = new Counter({
  name: 'warroom_watch_restarts_total',
  help: 'Watches re-opened after they ended or failed, by resource.',
  labelNames: ['resource'] as const,
  registers: [selfRegistry],
});

export const relists = new Counter({
  name: 'warroom_relists_total',
  help: 'Full lists after a watch could not resume (410 Gone or error), by resource.',
  labelNames: ['resource'] as const,
  registers: [selfRegistry],
});

export const listPagesRead = new Counter({
  name: 'warroom_list_pages_read_total',
  help: "Big list pages read into rows, by thread: the list decoder's worker, or the console's own (no worker, or it died).",
  labelNames: ['thread'] as const,
  registers: [selfRegistry],
});

export const logLinesIngested = new Counter({
  name: 'warroom_log_lines_ingested_total',
  help: 'Log lines taken into the log buffer, by source (elasticsearch, kube).',
  labelNames: ['source'] as const,
  registers: [selfRegistry],
});

export const logLinesDropped = new Counter({
  name: 'warroom_log_lines_dropped_total',
  help: 'Log lines dropped (buffer limits, rate caps), by reason.',
  labelNames: ['reason'] as const,
  registers: [selfRegistry],
});

export const frameRenderDuration = new Histogram({
  name: 'warroom_frame_render_duration_seconds',
  help: 'Time Ink spent rendering one frame (its onRender renderTime).',
  buckets: FRAME_BUCKETS,
  registers: [selfRegistry],
});

export const listModelDuration = new Histogram({
  name: 'warroom_list_model_duration_seconds',
  help: "Time to bring a list view's rows up to date after a store change or a filter/sort change (filtering, sorting, index upkeep).",
  labelNames: ['view'] as const,
  buckets: FRAME_BUCKETS,
  registers: [selfRegistry],
});

export const mutations = new Counter({
  name: 'warroom_mutations_total',
  help: 'Changes made to the cluster (scale, restart, exec), by action and result.',
  labelNames: ['action', 'result'] as const,
  registers: [selfRegistry],
});

export const metricsQueryDuration = new Histogram({
  name: 'warroom_metrics_query_duration_seconds',
  help: 'Prometheus API calls made for charts, by API and result.',
  labelNames: ['api', 'result'] as const,
  buckets: LATENCY_BUCKETS,
  registers: [selfRegistry],
});

let defaultsOn = false;

/** Process metrics (CPU, memory, event loop lag); once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics({ register: selfRegistry, prefix: 'warroom_' });
}

/** For PrometheusSource's `observe` option. */
export function observeMetricsQuery(api: string, seconds: number, ok: boolean): void {
  metricsQueryDuration.observe({ api, result: ok ? 'ok' : 'error' }, seconds);
}
