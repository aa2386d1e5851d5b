import { backoffDelayMs } from './backoff.js';
import { joinSelectors } from './labelEscape.js';
import { MetricsError, type MetricsSource } from './metricsSource.js';
import { promDuration } from './stepSizing.js';

// CPU and memory per node for the Nodes view, from Prometheus where the context has one: what the
// pods on each node request (kube-state-metrics' kube_pod_container_resource_requests, which
// carries the pod's node) and what they use (cAdvisor's container_* series, by their node label).
// One instant query for every node, every refresh, only while the Nodes view is open. Without a
// Prometheus the view leaves these columns out: they are never guessed.

export interface NodeUsage {
  /** Cores and bytes; undefined when Prometheus has no series for the node. */
  cpuRequests?: number;
  memoryRequests?: number;
  cpuUsage?: number;
  memoryUsage?: number;
}

export interface NodeMetricsDeps {
  source(): { source: MetricsSource; refreshMs: number; rateWindowSeconds: number; scrapeIntervalSeconds: number; matchers?: string } | { problem: string };
}

const SERIES = 'warroom_series';
const CONTAINERS = 'container!="",container!="POD",image!=""';

/** The one query (exported for tests): four sums by node, told apart by a label, within the context's own `matchers`. */
export function nodeUsageQuery(rate: string, matchers = ''): string {
  const tag = (q: string, name: string) => `label_replace(${q}, "${SERIES}", "${name}", "", "")`;
  const sel = (...parts: string[]) => joinSelectors(...parts, matchers);
  return [
    tag(`sum by (node) (kube_pod_container_resource_requests{${sel('resource="cpu"')}})`, 'cpuRequests'),
    tag(`sum by (node) (kube_pod_container_resource_requests{${sel('resource="memory"')}})`, 'memoryRequests'),
    tag(`sum by (node) (rate(container_cpu_usage_seconds_total{${sel(CONTAINERS)}}[${rate}]))`, 'cpuUsage'),
    tag(`sum by (node) (container_memory_working_set_bytes{${sel(CONTAINERS)}})`, 'memoryUsage'),
  ].join(' or ');
}

export class NodeMetricsStore {
  private readonly listeners = new Set<() => void>();
  private data = new Map<string, NodeUsage>();
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;
  private running = false;
  private failures = 0;
  /** Why the numbers are missing or old (Prometheus down, no series); undefined when the last refresh worked. */
  problem: string | undefined;
  /** The last refresh that worked (epoch ms), 0 before one did. */
  loadedAt = 0;

  constructor(private readonly deps: NodeMetricsDeps, private readonly now: () => number = Date.now) {}

  subscribe(l: () => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  /** False when the context has no Prometheus: the view shows no usage columns. */
  enabled(): boolean {
    return !('problem' in this.deps.source());
  }

  get(node: string): NodeUsage | undefined {
    return this.data.get(node);
  }

  /** Starts polling (the Nodes view opened); a second start is a no-op. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
  }

  private schedule(ms: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), ms);
    this.timer.unref?.();
  }

  private async refresh(): Promise<void> {
    if (!this.running) return;
    const got = this.deps.source();
    if ('problem' in got) {
      this.problem = got.problem;
      return;
    }
    const abort = (this.abort = new AbortController());
    const rate = promDuration(Math.max(got.rateWindowSeconds, got.scrapeIntervalSeconds * 4));
    try {
      const answer = await got.source.query(nodeUsageQuery(rate, got.matchers), this.now() / 1000, abort.signal);
      const next = new Map<string, NodeUsage>();
      if (answer.data.resultType === 'vector') {
        for (const s of answer.data.result) {
          const node = s.metric.node;
          const which = s.metric[SERIES] as keyof NodeUsage | undefined;
          const value = Number(s.value[1]);
          if (!node || !which || !Number.isFinite(value)) continue;
          const u = next.get(node) ?? {};
          u[which] = value;
          next.set(node, u);
        }
      }
      this.data = next;
      this.loadedAt = this.now();
      this.problem = next.size ? undefined : 'Prometheus has no per-node series (kube_pod_container_resource_requests, container_cpu_usage_seconds_total with a node label)';
      this.failures = 0;
      for (const l of [...this.listeners]) l();
      this.schedule(got.refreshMs);
    } catch (err) {
      if (abort.signal.aborted || (err instanceof MetricsError && err.kind === 'aborted')) return;
      this.problem = (err as Error).message;
      this.failures++;
      for (const l of [...this.listeners]) l();
      this.schedule(backoffDelayMs(this.failures));
    }
  }
}
