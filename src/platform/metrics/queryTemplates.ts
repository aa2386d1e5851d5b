import type { MetricsLevel } from './metricsTarget.js';
import type { Unit } from './units.js';

// The charts of the metrics pane and the PromQL behind each line, as templates. The config
// may replace any template (contexts.<ctx>.prometheus.queries.<chart>.<line>); the defaults
// follow what Lens and Headlamp chart (cAdvisor container_* and kube-state-metrics
// kube_pod_container_*, with Lens's container!="" / container!="POD" / image!="" filters)
// plus RED metrics for workloads that export them (http_requests_total and the
// http_request_duration_seconds histogram, prom-client's and most libraries' names).
//
// Placeholders, filled in by warroom (values are escaped there, never by the template):
//   $selector  label matchers of the target's pods, e.g. namespace="trade",pod=~"a|b"
//   $rate      rate window sized to the step, e.g. 2m
//   $by        the breakdown label: pod (system, application) or container (pod)

export interface LineTemplate {
  id: string;
  /** Legend text; `{{label}}` takes the series' label value (e.g. {{pod}}). */
  legend: string;
  query: string;
  /** Drawn dim/dashed-looking: requests and limits are reference lines, not data. */
  reference?: boolean;
}

export interface ChartTemplate {
  id: string;
  title: string;
  unit: Unit;
  levels: readonly MetricsLevel[];
  lines: readonly LineTemplate[];
  /** Shown instead of an empty frame when no line has data. */
  noDataHint: string;
}

const CONTAINER = 'container!="",container!="POD",image!=""';

export const DEFAULT_CHARTS: readonly ChartTemplate[] = [
  {
    id: 'cpu',
    title: 'CPU',
    unit: 'cores',
    levels: ['system', 'app', 'pod'],
    lines: [
      { id: 'usage', legend: '{{$by}}', query: `sum by ($by) (rate(container_cpu_usage_seconds_total{$selector,${CONTAINER}}[$rate]))` },
      { id: 'requests', legend: 'requests', query: 'sum(kube_pod_container_resource_requests{$selector,resource="cpu"})', reference: true },
      { id: 'limits', legend: 'limits', query: 'sum(kube_pod_container_resource_limits{$selector,resource="cpu"})', reference: true },
    ],
    noDataHint: 'no container_cpu_usage_seconds_total for these pods (is cAdvisor scraped?)',
  },
  {
    id: 'memory',
    title: 'Memory (working set)',
    unit: 'bytes',
    levels: ['system', 'app', 'pod'],
    lines: [
      { id: 'usage', legend: '{{$by}}', query: `sum by ($by) (container_memory_working_set_bytes{$selector,${CONTAINER}})` },
      { id: 'limits', legend: 'limits', query: 'sum(kube_pod_container_resource_limits{$selector,resource="memory"})', reference: true },
    ],
    noDataHint: 'no container_memory_working_set_bytes for these pods (is cAdvisor scraped?)',
  },
  {
    id: 'restarts',
    title: 'Restarts',
    unit: 'count',
    levels: ['system', 'app', 'pod'],
    lines: [{ id: 'restarts', legend: '{{$by}}', query: 'sum by ($by) (increase(kube_pod_container_status_restarts_total{$selector}[$rate]))' }],
    noDataHint: 'no kube_pod_container_status_restarts_total (is kube-state-metrics scraped?)',
  },
  {
    id: 'network',
    title: 'Network',
    unit: 'bytesPerSecond',
    levels: ['system', 'app', 'pod'],
    lines: [
      { id: 'in', legend: 'in', query: 'sum(rate(container_network_receive_bytes_total{$selector}[$rate]))' },
      { id: 'out', legend: 'out', query: 'sum(rate(container_network_transmit_bytes_total{$selector}[$rate]))' },
    ],
    noDataHint: 'no container_network_*_bytes_total for these pods',
  },
  {
    id: 'requests',
    title: 'Request rate',
    unit: 'requestsPerSecond',
    levels: ['system', 'app', 'pod'],
    lines: [{ id: 'rate', legend: '{{$by}}', query: 'sum by ($by) (rate(http_requests_total{$selector}[$rate]))' }],
    noDataHint: 'the workload exports no http_requests_total',
  },
  {
    id: 'errors',
    title: 'Error rate (5xx)',
    unit: 'percent',
    levels: ['system', 'app', 'pod'],
    lines: [
      {
        id: 'ratio',
        legend: 'errors',
        query: '100 * sum(rate(http_requests_total{$selector,status=~"5.."}[$rate])) / sum(rate(http_requests_total{$selector}[$rate]))',
      },
    ],
    noDataHint: 'the workload exports no http_requests_total',
  },
  {
    id: 'latency',
    title: 'Latency',
    unit: 'seconds',
    levels: ['system', 'app', 'pod'],
    lines: [0.5, 0.95, 0.99].map((q) => ({
      id: `p${Math.round(q * 100)}`,
      legend: `p${Math.round(q * 100)}`,
      query: `histogram_quantile(${q}, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$rate])))`,
    })),
    noDataHint: 'the workload exports no http_request_duration_seconds histogram',
  },
];

export interface TemplateValues {
  selector: string;
  rate: string;
  by: string;
}

export class TemplateError extends Error {}

/** Fills the placeholders; an unknown `$name` is an error (a typo would silently select nothing). */
export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(/\$([a-zA-Z_]+)/g, (_, name: string) => {
    if (name === 'selector' || name === 'rate' || name === 'by') return values[name];
    throw new TemplateError(`unknown placeholder $${name} (known: $selector, $rate, $by)`);
  });
}

/** Legend text for one series: `{{pod}}` -> the series' pod label; `{{$by}}` -> the breakdown label. */
export function renderLegend(legend: string, labels: Readonly<Record<string, string>>, by: string): string {
  const out = legend.replace(/\{\{\s*(\$by|[a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name === '$by' ? by : name] ?? '');
  return out || legend.replace(/\{\{[^}]*\}\}/g, '').trim() || 'value';
}

/** Applies config overrides: `{cpu: {usage: "..."}}` replaces the query of line cpu/usage. */
export function chartsWithOverrides(overrides: Readonly<Record<string, Readonly<Record<string, string>>>> | undefined): ChartTemplate[] {
  return DEFAULT_CHARTS.map((c) => {
    const o = overrides?.[c.id];
    if (!o) return c;
    return { ...c, lines: c.lines.map((l) => (o[l.id] ? { ...l, query: o[l.id] } : l)) };
  });
}
