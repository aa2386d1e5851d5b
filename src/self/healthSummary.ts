import { selfRegistry } from './selfMetrics.js';

// The numbers the `:health` view shows, read from the console's own registry: totals and
// latency quantiles estimated from histogram buckets (as histogram_quantile does).

export interface HealthRow {
  label: string;
  value: string;
  /** Worth a look: errors, drops, slow frames. */
  warn?: boolean;
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

interface MetricJson {
  name: string;
  type: string;
  values: MetricValue[];
}

function sum(m: MetricJson | undefined, filter: (l: Record<string, string | number>) => boolean = () => true): number {
  return (m?.values ?? []).filter((v) => filter(v.labels)).reduce((a, v) => a + v.value, 0);
}

/** A quantile from cumulative `_bucket` samples, grouped over all label sets. */
export function histogramQuantile(m: MetricJson | undefined, q: number, filter: (l: Record<string, string | number>) => boolean = () => true): number {
  const buckets = new Map<number, number>();
  for (const v of m?.values ?? []) {
    if (!v.metricName?.endsWith('_bucket') || !filter(v.labels)) continue;
    const le = v.labels.le === '+Inf' ? Infinity : Number(v.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) + v.value);
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const total = sorted[sorted.length - 1]?.[1] ?? 0;
  if (!total) return NaN;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, count] of sorted) {
    if (count >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + (le - prevLe) * ((rank - prevCount) / Math.max(1e-12, count - prevCount));
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}

function ms(seconds: number): string {
  return Number.isFinite(seconds) ? `${seconds * 1000 < 10 ? (seconds * 1000).toFixed(1) : Math.round(seconds * 1000)} ms` : '-';
}

export async function healthRows(): Promise<HealthRow[]> {
  const all = (await selfRegistry.getMetricsAsJSON()) as unknown as MetricJson[];
  const get = (name: string) => all.find((m) => m.name === name);
  const api = get('warroom_api_request_duration_seconds');
  const apiCount = (api?.values ?? []).filter((v) => v.metricName?.endsWith('_count')).reduce((a, v) => a + v.value, 0);
  const apiErrors = (api?.values ?? []).filter((v) => v.metricName?.endsWith('_count') && /^[45]|^0$/.test(String(v.labels.code))).reduce((a, v) => a + v.value, 0);
  const byVerb = new Map<string, number>();
  for (const v of api?.values ?? []) if (v.metricName?.endsWith('_count')) byVerb.set(`${v.labels.verb} ${v.labels.resource}`, (byVerb.get(`${v.labels.verb} ${v.labels.resource}`) ?? 0) + v.value);
  const busiest = [...byVerb.entries()].sort((a, b) => b[1] - a[1]).slice(0, 3);
  const frames = get('warroom_frame_render_duration_seconds');
  const frameCount = (frames?.values ?? []).filter((v) => v.metricName?.endsWith('_count')).reduce((a, v) => a + v.value, 0);
  const prom = get('warroom_metrics_query_duration_seconds');
  const promCount = (prom?.values ?? []).filter((v) => v.metricName?.endsWith('_count')).reduce((a, v) => a + v.value, 0);
  const promErrors = (prom?.values ?? []).filter((v) => v.metricName?.endsWith('_count') && v.labels.result === 'error').reduce((a, v) => a + v.value, 0);
  const dropped = sum(get('warroom_log_lines_dropped_total'));
  const rss = sum(get('warroom_process_resident_memory_bytes'));
  const lag = sum(get('warroom_nodejs_eventloop_lag_p99_seconds'));
  const cpu = sum(get('warroom_process_cpu_seconds_total'));
  const rows: HealthRow[] = [
    { label: 'Kubernetes API requests', value: `${apiCount}  (${apiErrors} failed)  p50 ${ms(histogramQuantile(api, 0.5))}  p95 ${ms(histogramQuantile(api, 0.95))}`, warn: apiErrors > 0 },
    ...busiest.map(([k, n]) => ({ label: `   ${k}`, value: `${n}  p95 ${ms(histogramQuantile(api, 0.95, (l) => `${l.verb} ${l.resource}` === k))}` })),
    { label: 'Watch restarts', value: String(sum(get('warroom_watch_restarts_total'))) },
    { label: 'Relists', value: String(sum(get('warroom_relists_total'))), warn: sum(get('warroom_relists_total')) > 0 },
    { label: 'Log lines ingested / dropped', value: `${sum(get('warroom_log_lines_ingested_total'))} / ${dropped}`, warn: dropped > 0 },
    { label: 'Frames rendered', value: `${frameCount}  p50 ${ms(histogramQuantile(frames, 0.5))}  p95 ${ms(histogramQuantile(frames, 0.95))}`, warn: histogramQuantile(frames, 0.95) > 0.033 },
    { label: 'Mutations performed', value: String(sum(get('warroom_mutations_total'))) },
    { label: 'Prometheus queries', value: `${promCount}  (${promErrors} failed)  p95 ${ms(histogramQuantile(prom, 0.95))}`, warn: promErrors > 0 },
    { label: 'Process', value: `RSS ${rss ? Math.round(rss / 1024 / 1024) : '-'} MiB  CPU ${cpu.toFixed(1)} s  event loop lag p99 ${ms(lag)}`, warn: lag > 0.1 },
  ];
  return rows;
}
