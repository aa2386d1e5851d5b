import { loadMetricsConfig } from '../../config/metricsConfig.js';
import { observeMetricsQuery } from '../../self/selfMetrics.js';
import type { KubeSession } from '../kube/kubeSession.js';
import { appCounterKey, type ClusterStore } from '../stores/clusterStore.js';
import type { MetricsSource } from './metricsSource.js';
import { MetricsPaneStore, type MetricsPaneDeps } from './metricsPaneStore.js';
import { sourceFromConfig } from './sourceFromConfig.js';
import { SparklineStore } from './sparklineStore.js';

// One metrics pane store per console session, created on first use (the console runtime
// stays unaware of metrics). The Prometheus for the current kubeconfig context is looked up
// on each refresh, so `:ctx` switches it; a source is reused while the context stays.

interface HasSessionAndStore {
  session: KubeSession;
  store: ClusterStore;
}

const stores = new WeakMap<HasSessionAndStore, MetricsPaneStore>();

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

export function metricsStoreFor(runtime: HasSessionAndStore): MetricsPaneStore {
  let s = stores.get(runtime);
  if (!s) stores.set(runtime, (s = new MetricsPaneStore(metricsDepsFor(runtime))));
  return s;
}

const sparklineStores = new WeakMap<HasSessionAndStore, SparklineStore>();

/** The CPU/memory sparklines of the rows on screen, for this console session. */
export function sparklineStoreFor(runtime: HasSessionAndStore): SparklineStore {
  let s = sparklineStores.get(runtime);
  if (!s) {
    const deps = metricsDepsFor(runtime);
    sparklineStores.set(runtime, (s = new SparklineStore({ source: () => deps.source(), points: SPARKLINE_WIDTH * 2 })));
  }
  return s;
}

/** Cells of a table's CPU and MEM sparkline columns. */
export const SPARKLINE_WIDTH = 8;
