import type { MetricsConfig, PrometheusConfig } from '../../config/metricsConfig.js';
import { observeMetricsQuery } from '../../self/selfMetrics.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { appCounterKey, type ClusterStore } from '../stores/clusterStore.js';
import { contextMatchers } from './labelEscape.js';
import type { MetricsSource } from './metricsSource.js';
import { ContextCharts, type MetricsPaneDeps, type SourceLookup } from './contextCharts.js';
import { MetricsPaneStore } from './metricsPaneStore.js';
import { sourceFromConfig } from './sourceFromConfig.js';
import { SparklineStore } from './sparklineStore.js';

// Where a context's charts and sparklines get their Prometheus: from the context's section of
// the config file the CLI read, looked up on the first refresh and reused after.

export interface MetricsDeps {
  readonly session: ReadSession;
  readonly store: ClusterStore;
  /** The prometheus section for this context (throws a ConfigError on a bad value). */
  metricsConfig(): MetricsConfig;
}

/** A configured Prometheus as the charts and sparklines take it (a context's, or a fleet's). */
export function prometheusLookup(p: PrometheusConfig, session: () => ReadSession): Extract<SourceLookup, { source: MetricsSource }> {
  const source = sourceFromConfig(p, session, { observe: observeMetricsQuery });
  return { source, refreshMs: p.refreshMs, rateWindowSeconds: p.rateWindowSeconds, scrapeIntervalSeconds: p.scrapeIntervalSeconds, queries: p.queries, matchers: contextMatchers(p.matchers) };
}

export function metricsDepsFor(runtime: MetricsDeps): MetricsPaneDeps {
  let cached: ReturnType<MetricsPaneDeps['source']> | undefined;
  return {
    source() {
      if (cached) return cached;
      const context = runtime.session.contextName;
      let result: ReturnType<MetricsPaneDeps['source']>;
      try {
        const cfg = runtime.metricsConfig();
        if (!cfg.prometheus || cfg.problem) result = { problem: cfg.problem ?? `no Prometheus configured for context ${context}` };
        else result = prometheusLookup(cfg.prometheus, () => runtime.session);
      } catch (err) {
        result = { problem: (err as Error).message };
      }
      cached = result;
      return result;
    },
    appPods(namespace, appKey) {
      const pods = runtime.store.podsInApp.get(appCounterKey(namespace, appKey));
      return pods ? [...pods.values()].map((p) => p.name) : [];
    },
  };
}

/**
 * A context's metrics pane and table sparklines, sharing one Prometheus lookup (`deps`, which a
 * fleet's charts use for this cluster too).
 */
export function newMetricsStores(runtime: MetricsDeps): { metrics: MetricsPaneStore; sparklines: SparklineStore; deps: MetricsPaneDeps } {
  const deps = metricsDepsFor(runtime);
  return { metrics: new MetricsPaneStore(new ContextCharts(deps)), sparklines: new SparklineStore({ source: () => deps.source(), points: SPARKLINE_WIDTH * 2 }), deps };
}

/** Cells of a table's CPU and MEM sparkline columns. */
export const SPARKLINE_WIDTH = 8;
