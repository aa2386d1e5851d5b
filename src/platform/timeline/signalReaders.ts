import type { Alert } from '../alerts/alertModel.js';
import { equalsMatcher, joinSelectors } from '../metrics/labelEscape.js';
import type { MetricsSource } from '../metrics/metricsSource.js';
import type { PromMatrixSample } from '../metrics/promTypes.js';
import type { Histogram } from '../logs/logSource.js';
import { podBelongsTo } from '../logs/logScope.js';
import { sanitize } from '../text/sanitize.js';
import { SourceNotConfigured, type TimelineEntry, type TimelineQuery, type TimelineScope } from './timelineEntry.js';

// The timeline's readers over the signals around the cluster: alerts that fired and resolved
// (Prometheus' ALERTS series over the range, else what the alerts store holds now) and log
// error spikes (the Elasticsearch date_histogram of error-level lines).

const clean = (s: string) => sanitize(s, { maxLength: 200 });

/** Do an alert's labels name something in the scope (a pod, the application, the system)? */
export function alertInScope(scope: TimelineScope, labels: Readonly<Record<string, string>>): boolean {
  if (labels.namespace !== scope.namespace) return false;
  if (scope.pod) return labels.pod === scope.pod;
  const app = scope.app;
  if (!app) return true;
  if (labels.pod) return podBelongsTo(app, labels.pod);
  return (app.kind === 'Deployment' ? labels.deployment : labels.statefulset) === app.name;
}

function about(labels: Readonly<Record<string, string>>): string {
  const what = labels.pod ? `pod ${labels.pod}` : labels.deployment ? `deployment ${labels.deployment}` : labels.statefulset ? `statefulset ${labels.statefulset}` : labels.namespace ? `system ${labels.namespace}` : '';
  return clean(what);
}

/** The step of the ALERTS query: about 500 points over the range, never under 15 s. */
export function alertStep(rangeMs: number): number {
  return Math.max(15, Math.ceil(rangeMs / 1000 / 500));
}

/**
 * The firing intervals in an ALERTS{alertstate="firing"} matrix: a run of samples is one firing;
 * a gap of more than two steps ends it. A run that stops before the range's end has resolved.
 */
export function alertIntervals(series: readonly PromMatrixSample[], stepSeconds: number, toSeconds: number): Array<{ labels: Readonly<Record<string, string>>; fired: number; resolved?: number }> {
  const out: Array<{ labels: Readonly<Record<string, string>>; fired: number; resolved?: number }> = [];
  for (const s of series) {
    const times = s.values.filter(([, v]) => Number(v) > 0).map(([t]) => Number(t));
    let start: number | undefined;
    let last = 0;
    for (const t of times) {
      if (start !== undefined && t - last > 2 * stepSeconds) {
        out.push({ labels: s.metric, fired: start * 1000, resolved: (last + stepSeconds) * 1000 });
        start = undefined;
      }
      if (start === undefined) start = t;
      last = t;
    }
    if (start !== undefined) out.push({ labels: s.metric, fired: start * 1000, resolved: toSeconds - last > 2 * stepSeconds ? (last + stepSeconds) * 1000 : undefined });
  }
  return out;
}

export interface AlertSources {
  /** The context's Prometheus and its own matchers, or why there is none. */
  prometheus(): { source: MetricsSource; matchers: string } | { problem: string };
  /** What the alerts store holds now; undefined when the context has no alert source. */
  current(): readonly Alert[] | undefined;
}

export async function readAlerts(q: TimelineQuery, sources: AlertSources, signal?: AbortSignal): Promise<{ entries: TimelineEntry[]; source: string }> {
  const prom = sources.prometheus();
  if ('source' in prom) {
    const step = alertStep(q.to - q.from);
    const selector = joinSelectors(equalsMatcher('alertstate', 'firing'), equalsMatcher('namespace', q.scope.namespace), prom.matchers);
    const toSeconds = Math.floor(q.to / 1000);
    const answer = await prom.source.queryRange(`ALERTS{${selector}}`, { start: Math.floor(q.from / 1000), end: toSeconds, step }, signal);
    const entries: TimelineEntry[] = [];
    for (const i of alertIntervals(answer.data, step, toSeconds)) {
      if (!alertInScope(q.scope, i.labels)) continue;
      const name = clean(i.labels.alertname ?? '?');
      const sev = i.labels.severity ? ` (${clean(i.labels.severity)})` : '';
      const what = about(i.labels);
      // A series that starts with the range fired before it: only its resolution is in the range.
      if (i.fired > q.from + step * 1000) entries.push({ time: i.fired, kind: 'alert-fired', text: `${name}${sev} fired${what ? ` on ${what}` : ''}`, source: 'Prometheus ALERTS', target: { kind: 'metrics', at: i.fired } });
      if (i.resolved !== undefined) entries.push({ time: i.resolved, kind: 'alert-resolved', text: `${name}${sev} resolved${what ? ` on ${what}` : ''}`, source: 'Prometheus ALERTS', target: { kind: 'metrics', at: i.resolved } });
    }
    return { entries, source: `Prometheus ALERTS (${prom.source.endpoint})` };
  }
  const now = sources.current();
  if (!now) throw new SourceNotConfigured(`alerts: ${prom.problem}, and no Alertmanager`);
  const entries = now
    .filter((a) => a.state !== 'pending' && a.since >= q.from && a.since <= q.to && alertInScope(q.scope, a.labels))
    .map((a): TimelineEntry => ({ time: a.since, kind: 'alert-fired', text: `${a.name}${a.severity ? ` (${a.severity})` : ''} fired${about(a.labels) ? ` on ${about(a.labels)}` : ''} (firing now)`, source: 'alerts store', target: { kind: 'metrics', at: a.since } }));
  // Without Prometheus the history of resolved alerts is unknown: said on the source line.
  return { entries, source: 'the alerts store (firing now; resolved alerts need Prometheus)' };
}

/** Buckets of the error histogram well above the range's median: at least 3x it and 5 lines; adjacent ones merged. */
export function errorSpikes(h: Histogram): Array<{ start: number; end: number; errors: number; median: number }> {
  const counts = h.buckets.map((b) => b.errors).sort((a, b) => a - b);
  if (!counts.length) return [];
  const median = counts.length % 2 ? counts[(counts.length - 1) / 2] : (counts[counts.length / 2 - 1] + counts[counts.length / 2]) / 2;
  const threshold = Math.max(5, 3 * median);
  const out: Array<{ start: number; end: number; errors: number; median: number }> = [];
  for (const b of h.buckets) {
    if (b.errors < threshold) continue;
    const prev = out[out.length - 1];
    if (prev && prev.end === b.start) {
      prev.end = b.start + h.intervalMs;
      prev.errors += b.errors;
    } else out.push({ start: b.start, end: b.start + h.intervalMs, errors: b.errors, median });
  }
  return out;
}

const minutes = (ms: number) => (ms >= 60_000 ? `${Math.round(ms / 60_000)}m` : `${Math.round(ms / 1000)}s`);

/** The largest spikes of a range: a system whose applications burst every few minutes lists these, not all. */
const MAX_SPIKES = 5;

/** `histogram` throws SourceNotConfigured when the context has no Elasticsearch. */
export async function readLogSpikes(q: TimelineQuery, histogram: (q: TimelineQuery, signal?: AbortSignal) => Promise<Histogram>, signal?: AbortSignal): Promise<TimelineEntry[]> {
  const h = await histogram(q, signal);
  const spikes = errorSpikes(h).sort((a, b) => b.errors - a.errors).slice(0, MAX_SPIKES);
  return spikes.map((s) => ({
    time: s.start,
    kind: 'log-spike' as const,
    text: `error spike: ${s.errors} error lines in ${minutes(s.end - s.start)} (median ${s.median} per ${minutes(h.intervalMs)})`,
    source: 'Elasticsearch',
    target: { kind: 'logs' as const, at: s.start },
  }));
}
