import { MetricsError, type MetricsSource } from './metricsSource.js';
import { joinSelectors, oneOfMatcher } from './labelEscape.js';
import { alignMatrix } from './seriesAlign.js';
import { promDuration, rangeWindow, rateWindowSeconds } from './stepSizing.js';
import { backoffDelayMs } from './backoff.js';

// CPU and memory sparklines for the rows on screen of the Applications and Pods tables:
// one query per refresh for all of them (CPU and memory in one answer, told apart by a
// label), never one per row, and only for the rows the table says are visible.

export interface SparkRow {
  /** The table row's key (uid). */
  key: string;
  namespace: string;
  /** The pods whose usage the row sums (one for a pod row, the application's pods for an app row). */
  pods: readonly string[];
}

export interface SparkData {
  cpu: Float64Array;
  memory: Float64Array;
  /** The highest CPU and memory sample over all rows fetched together: one scale per column, so rows compare. */
  scale: { cpu: number; memory: number };
  /** The first point's time (Unix seconds) and the seconds between points: a fleet sums clusters' points by time. */
  start: number;
  step: number;
}

export interface SparklineDeps {
  source(): { source: MetricsSource; refreshMs: number; rateWindowSeconds: number; scrapeIntervalSeconds: number; matchers?: string } | { problem: string };
  now?: () => number;
  /** Width of the sparkline cells; the step gives about one point per cell. */
  points?: number;
  rangeSeconds?: number;
}

const SERIES_LABEL = 'warroom_series';

/** The one query for all visible rows, within the context's own `matchers` (exported for the contract and unit tests). */
export function sparklineQuery(rows: readonly SparkRow[], rate: string, matchers = ''): string {
  const namespaces = [...new Set(rows.map((r) => r.namespace))];
  const pods = [...new Set(rows.flatMap((r) => r.pods))];
  const sel = joinSelectors(oneOfMatcher('namespace', namespaces), oneOfMatcher('pod', pods), 'container!=""', 'container!="POD"', matchers);
  return (
    `label_replace(sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{${sel}}[${rate}])), "${SERIES_LABEL}", "cpu", "", "")` +
    ` or label_replace(sum by (namespace, pod) (container_memory_working_set_bytes{${sel}}), "${SERIES_LABEL}", "memory", "", "")`
  );
}

export class SparklineStore {
  private listeners = new Set<() => void>();
  private snap = { version: 0 };
  private data = new Map<string, SparkData>();
  private rows: SparkRow[] = [];
  private rowsKey = '';
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private failures = 0;
  /** Last failure, for a status line; undefined when the last refresh worked. */
  problem: string | undefined;
  private readonly now: () => number;

  constructor(private readonly deps: SparklineDeps) {
    this.now = deps.now ?? Date.now;
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  get(key: string): SparkData | undefined {
    return this.data.get(key);
  }

  /** False when no Prometheus is configured for the context: tables then show no sparkline columns. */
  enabled(): boolean {
    return !('problem' in this.deps.source());
  }

  /** The rows now on screen. A changed set is fetched shortly (scrolling fast asks once). */
  want(rows: readonly SparkRow[]): void {
    const key = rows.map((r) => `${r.key}:${r.pods.length}`).join(',');
    if (key === this.rowsKey) return;
    this.rowsKey = key;
    this.rows = rows.filter((r) => r.pods.length > 0);
    this.schedule(150);
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.rowsKey = '';
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref?.();
  }

  private async refresh(): Promise<void> {
    if (!this.rows.length) return;
    const got = this.deps.source();
    if ('problem' in got) {
      this.problem = got.problem;
      return;
    }
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const rows = this.rows;
    const w = rangeWindow(this.deps.rangeSeconds ?? 900, this.deps.points ?? 30, this.now(), { pointsPerCell: 1, minStepSeconds: got.scrapeIntervalSeconds });
    const rate = promDuration(rateWindowSeconds(w.step, got.rateWindowSeconds, got.scrapeIntervalSeconds));
    try {
      const answer = await got.source.queryRange(sparklineQuery(rows, rate, got.matchers), w, abort.signal);
      const rowOf = new Map<string, string>();
      for (const r of rows) for (const p of r.pods) rowOf.set(`${r.namespace}/${p}`, r.key);
      const next = new Map<string, SparkData>();
      const scale = { cpu: 0, memory: 0 };
      for (const s of alignMatrix(answer.data, w.start, w.step, w.points)) {
        const key = rowOf.get(`${s.labels.namespace}/${s.labels.pod}`);
        const which = s.labels[SERIES_LABEL];
        if (!key || (which !== 'cpu' && which !== 'memory')) continue;
        let d = next.get(key);
        if (!d) next.set(key, (d = { cpu: new Float64Array(w.points).fill(NaN), memory: new Float64Array(w.points).fill(NaN), scale, start: w.start, step: w.step }));
        const into = d[which];
        s.values.forEach((v, i) => {
          if (Number.isFinite(v)) into[i] = (Number.isFinite(into[i]) ? into[i] : 0) + v;
        });
      }
      for (const d of next.values()) {
        for (const v of d.cpu) if (v > scale.cpu) scale.cpu = v;
        for (const v of d.memory) if (v > scale.memory) scale.memory = v;
      }
      this.data = next;
      this.problem = undefined;
      this.failures = 0;
      this.snap = { version: this.snap.version + 1 };
      for (const l of [...this.listeners]) l();
      this.schedule(got.refreshMs);
    } catch (err) {
      if (abort.signal.aborted || (err instanceof MetricsError && err.kind === 'aborted')) return;
      this.problem = (err as Error).message;
      this.failures++;
      this.schedule(backoffDelayMs(this.failures));
    }
  }
}
