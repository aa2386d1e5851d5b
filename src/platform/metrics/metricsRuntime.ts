import { loadMetricsConfig } from '../../config/metricsConfig.js';
import { observeMetricsQuery } from '../../self/selfMetrics.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { appCounterKey, type ClusterStore } from '../stores/clusterStore.js';
import type { MetricsSource } from './metricsSource.js';
import { MetricsPaneStore, type MetricsPaneDeps } from './metricsPaneStore.js';
import { sourceFromConfig } from './sourceFromConfig.js';
import { SparklineStore } from './sparklineStore.js';

// Where a console's charts and sparklines get their Prometheus. It is looked up for the current
// kubeconfig context on each refresh, so `:ctx` switches it; a source is reused while the
// context stays.

interface HasSessionAndStore {
  readonly session: ReadSession;
  readonly store: ClusterStore;
}

export function metricsDepsFor(runtime: HasSessionAndStore): MetricsPaneDeps {
  let cached: { context: string; result: ReturnType<MetricsPaneDeps['source']> } | undefined;
  return {
    source() {
      const context = runtime.session.contextName;
      if (cached?.context === context) return cached.result;
      let result: ReturnType<MetricsPaneDeps['source']>;
      try {
        const cfg = loadMetricsConfig(context);
        if (!cfg.prometheus || cfg.problem) result = { problem: cfg.problem ?? `no Prometheus configured for context ${context}` };
        else {
          const p = cfg.prometheus;
          const source: MetricsSource = sourceFromConfig(p, () => runtime.session, { observe: observeMetricsQuery });
          result = { source, refreshMs: p.refreshMs, rateWindowSeconds: p.rateWindowSeconds, scrapeIntervalSeconds: p.scrapeIntervalSeconds, queries: p.queries };
        }
      } catch (err) {
        result = { problem: (err as Error).message };
      }
      cached = { context, result };
      return result;
    },
    appPods(namespace, appKey) {
      const pods = runtime.store.podsInApp.get(appCounterKey(namespace, appKey));
      return pods ? [...pods.values()].map((p) => p.name) : [];
    },
  };
}

/** The console's metrics pane and table sparklines, sharing one Prometheus lookup. */
export function newMetricsStores(runtime: HasSessionAndStore): { metrics: MetricsPaneStore; sparklines: SparklineStore } {
  const deps = metricsDepsFor(runtime);
  return { metrics: new MetricsPaneStore(deps), sparklines: new SparklineStore({ source: () => deps.source(), points: SPARKLINE_WIDTH * 2 }) };
}

/** Cells of a table's CPU and MEM sparkline columns. */
export const SPARKLINE_WIDTH = 8;
