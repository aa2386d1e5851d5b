import type { FleetPrometheus } from '../../config/fleetsConfig.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { runChart, type ChartData, type ChartQuery } from './chartQuery.js';
import { AppPods, contextSelector, endpointOf, promqlSpec, RunLog, runCharts, type MetricsPaneDeps, type SourceLookup } from './contextCharts.js';
import { clusterValues, fleetCharts, fleetLineQuery, keepLabel } from './fleetQueries.js';
import { joinSelectors, oneOfMatcher } from './labelEscape.js';
import { MetricsPaneStore, type ChartsFetch, type ChartsFetcher, type ChartsSettings, type ClusterMetrics } from './metricsPaneStore.js';
import type { MetricsSource } from './metricsSource.js';
import { targetSelector, type MetricsTarget } from './metricsTarget.js';
import { renderTemplate } from './queryTemplates.js';
import { promDuration, rateWindowSeconds, type RangeQueryWindow } from './stepSizing.js';
import { prometheusLookup } from './metricsRuntime.js';

// Charts over a fleet (#12): `m` on a fleet application or system. Every chart has one series
// per cluster, named by the cluster (dc1) and in the fleet's order, so a cluster keeps its
// colour on every chart. Two ways to get them:
// - each context's own Prometheus (`contexts.<name>.prometheus`), asked in parallel, each with
//   its own pods, rate window and query overrides; a cluster without one, or not answering, is
//   named on the pane while the others' series are drawn;
// - one fleet-wide Prometheus (`fleets.<name>.prometheus`: Thanos, Mimir), asked once per
//   chart for every cluster, the clusters told apart by a label (fleetQueries.ts).

/** A cluster of the fleet as its charts need it (a ContextRuntime gives these). */
export interface FleetMetricsMember {
  readonly contextName: string;
  /** The cluster's own Prometheus lookup and its application pods. */
  readonly metricsDeps: MetricsPaneDeps;
}

/** The fleet-wide Prometheus as a source, with the label values of the fleet's clusters. */
export type FleetSourceLookup =
  | (Extract<SourceLookup, { source: MetricsSource }> & { fleet: string; clusterLabel: string; clusters: Readonly<Record<string, string>> })
  | { problem: string };

export interface FleetMetricsDeps {
  members(): readonly FleetMetricsMember[];
  /** The fleet's one Prometheus for these contexts, when the config names one. */
  fleetSource(contexts: readonly string[]): FleetSourceLookup | undefined;
  maxSeries?: number;
}

type Lookup = Extract<SourceLookup, { source: MetricsSource }>;

type FleetSettings = ChartsSettings &
  ({ kind: 'contexts'; members: ReadonlyArray<{ member: FleetMetricsMember; got: SourceLookup }> } | { kind: 'fleet'; members: readonly FleetMetricsMember[]; got: Extract<FleetSourceLookup, { source: MetricsSource }> });

/** A fleet's lookups from its config: the source is built once per set of contexts. */
export function fleetSourceLookup(config: (contexts: readonly string[]) => FleetPrometheus | undefined, session: () => ReadSession): FleetMetricsDeps['fleetSource'] {
  const cache = new Map<string, FleetSourceLookup | undefined>();
  return (contexts) => {
    const key = contexts.join(',');
    if (!cache.has(key)) {
      let got: FleetSourceLookup | undefined;
      try {
        const cfg = config(contexts);
        if (cfg?.problem) got = { problem: `the fleet ${cfg.fleet}'s Prometheus: ${cfg.problem}` };
        else if (cfg) got = { ...prometheusLookup(cfg.prometheus, session), fleet: cfg.fleet, clusterLabel: cfg.clusterLabel, clusters: cfg.clusters };
      } catch (err) {
        got = { problem: (err as Error).message };
      }
      cache.set(key, got);
    }
    return cache.get(key);
  };
}

export class FleetCharts implements ChartsFetcher<FleetSettings> {
  /** The clusters' short names, in the fleet's order: the legend's names. */
  labels: readonly string[] = [];
  /** Per cluster (by context name): the application's pods seen there since it was opened. */
  private pods = new Map<string, AppPods>();

  constructor(private readonly deps: FleetMetricsDeps) {}

  settings(): FleetSettings | { problem: string } {
    const members = this.deps.members();
    const fleet = this.deps.fleetSource(members.map((m) => m.contextName));
    if (fleet && 'problem' in fleet) return fleet;
    if (fleet) return { kind: 'fleet', members, got: fleet, refreshMs: fleet.refreshMs, minStepSeconds: Math.min(fleet.scrapeIntervalSeconds, 60), endpoint: endpointOf(fleet) };
    const lookups = members.map((member) => ({ member, got: member.metricsDeps.source() }));
    const ok = lookups.map((l) => l.got).filter((g): g is Lookup => 'source' in g);
    if (ok.length === 0) {
      const first = lookups[0]?.got;
      return { problem: `no Prometheus for ${members.map((_, i) => this.label(i)).join(', ')}: add contexts.<context>.prometheus to each, or fleets.<fleet>.prometheus (Thanos, Mimir) for all${first && 'problem' in first ? ` (${first.problem})` : ''}` };
    }
    return {
      kind: 'contexts',
      members: lookups,
      // The fastest refresh asked for; one grid for every cluster, as coarse as the slowest scrape.
      refreshMs: Math.min(...ok.map((g) => g.refreshMs)),
      minStepSeconds: Math.max(...ok.map((g) => Math.min(g.scrapeIntervalSeconds, 60))),
    };
  }

  reset(): ClusterMetrics[] {
    this.pods = new Map();
    return this.deps.members().map((_, i) => ({ label: this.label(i) }));
  }

  async fetch(target: MetricsTarget, window: RangeQueryWindow, settings: FleetSettings, signal: AbortSignal): Promise<ChartsFetch> {
    const members = settings.kind === 'fleet' ? settings.members : settings.members.map((m) => m.member);
    // Each cluster's own pods of an application (its pod names differ from the others').
    const targets = members.map((m) => this.charted(m, target));
    const podCount = target.level === 'app' ? members.reduce((n, m) => n + (this.pods.get(m.contextName)?.count ?? 0), 0) : undefined;
    const log = new RunLog();
    const { charts, clusters, failure } = settings.kind === 'fleet' ? await this.fromFleet(targets, window, settings, signal, log) : await this.fromContexts(targets, window, settings, signal, log);
    return { charts: charts.map((c) => this.everyCluster(c, members.length, window.points)), clusters, failure, warnings: [...log.warnings], podCount };
  }

  /** The short name of cluster i (its context's name when none was given). */
  private label(i: number): string {
    return this.labels[i] ?? this.deps.members()[i]?.contextName ?? `cluster ${i + 1}`;
  }

  private charted(member: FleetMetricsMember, target: MetricsTarget): MetricsTarget {
    let pods = this.pods.get(member.contextName);
    if (!pods) {
      this.pods.set(member.contextName, (pods = new AppPods()));
      pods.reset(target);
    }
    const appPods = member.metricsDeps.appPods;
    return appPods ? pods.charted(target, appPods) : target;
  }

  /** Names cluster i's series on the legend. */
  private seriesOf(i: number): ChartQuery['name'] {
    return () => ({ label: this.label(i), group: i });
  }

  /** Each cluster's Prometheus asked for its own series of every chart, all at once. */
  private async fromContexts(targets: MetricsTarget[], window: RangeQueryWindow, settings: Extract<FleetSettings, { kind: 'contexts' }>, signal: AbortSignal, log: RunLog) {
    const maxSeries = this.deps.maxSeries ?? 8;
    const live = settings.members.flatMap(({ got }, i) => ('source' in got ? [{ i, got, rate: promDuration(rateWindowSeconds(window.step, got.rateWindowSeconds, got.scrapeIntervalSeconds)) }] : []));
    const target = targets[0];
    const { charts, failure } = await runCharts(async () => {
      if (target.level === 'promql') {
        const queries = live.map(({ i, got }): ChartQuery => ({ source: got.source, query: target.query, who: i, maxSeries, name: this.seriesOf(i) }));
        return [await runChart(promqlSpec(target.query), queries, window, signal, log)];
      }
      return Promise.all(
        fleetCharts(target.level).map((chart) => {
          const errors: string[] = [];
          const queries = live.flatMap(({ i, got, rate }): ChartQuery[] => {
            try {
              // `$by` empty: the line summed over the cluster's pods of the target.
              const query = renderTemplate(fleetLineQuery(chart, got.queries), { selector: contextSelector(targets[i] as Exclude<MetricsTarget, { level: 'promql' }>, got), rate, by: '' });
              return [{ source: got.source, query, who: i, maxSeries, name: this.seriesOf(i) }];
            } catch (err) {
              errors.push(`${this.label(i)}: ${(err as Error).message}`);
              return [];
            }
          });
          return runChart(chart, queries, window, signal, log, errors);
        }),
      );
    }, log, live[0]?.got.source.endpoint ?? '');
    const clusters = settings.members.map(({ got }, i): ClusterMetrics => ({
      label: this.label(i),
      problem: 'problem' in got ? got.problem : log.down.get(i)?.message,
      note: absentNote(targets[i]),
    }));
    return { charts, clusters, failure };
  }

  /** The fleet's one Prometheus asked once per chart, its answer split by the clusters' label. */
  private async fromFleet(targets: MetricsTarget[], window: RangeQueryWindow, settings: Extract<FleetSettings, { kind: 'fleet' }>, signal: AbortSignal, log: RunLog) {
    const { got } = settings;
    const values = clusterValues(settings.members.map((m) => m.contextName), got.clusters);
    const index = new Map(values.map((v, i) => [v, i]));
    const label = got.clusterLabel;
    const name: ChartQuery['name'] = (labels) => {
      const i = index.get(labels[label] ?? '');
      return i === undefined ? undefined : { label: this.label(i), group: i };
    };
    const common = { source: got.source, maxSeries: this.deps.maxSeries ?? 8, name, sameLabel: label };
    const rate = promDuration(rateWindowSeconds(window.step, got.rateWindowSeconds, got.scrapeIntervalSeconds));
    const target = targets[0];
    const { charts, failure } = await runCharts(async () => {
      if (target.level === 'promql') return [await runChart(promqlSpec(target.query), [{ ...common, query: target.query }], window, signal, log)];
      // The application's pods in any cluster, and only the fleet's clusters.
      const pods = targets.flatMap((t) => (t.level === 'app' ? t.pods : []));
      const selector = joinSelectors(targetSelector(target.level === 'app' ? { ...target, pods } : target), oneOfMatcher(label, values), got.matchers ?? '');
      return Promise.all(
        fleetCharts(target.level).map((chart) => {
          try {
            const query = keepLabel(renderTemplate(fleetLineQuery(chart, got.queries), { selector, rate, by: label }), label);
            return runChart(chart, [{ ...common, query }], window, signal, log);
          } catch (err) {
            return runChart(chart, [], window, signal, log, [(err as Error).message]);
          }
        }),
      );
    }, log, got.source.endpoint);
    // A cluster none of whose series came back, while others' did: most likely its label value is not the one configured.
    const seen = new Set(charts.flatMap((c) => c.series.map((s) => s.group)));
    const clusters = values.map((value, i): ClusterMetrics => {
      const note = absentNote(targets[i]);
      const missing = !failure && !note && seen.size > 0 && !seen.has(i);
      return { label: this.label(i), note, problem: missing ? `no series with ${label}=${JSON.stringify(value)} (fleets.${got.fleet}.prometheus.clusters maps a context to its value)` : undefined };
    });
    return { charts, clusters, failure };
  }

  /** Every cluster on the legend in the fleet's order, one with no series as an empty line: colours match across charts. */
  private everyCluster(chart: ChartData, clusters: number, points: number): ChartData {
    const present = new Set(chart.series.map((s) => s.group));
    const missing = Array.from({ length: clusters }, (_, i) => i)
      .filter((i) => !present.has(i))
      .map((i) => ({ label: this.label(i), values: new Float64Array(points).fill(NaN), group: i }));
    const series = [...chart.series, ...missing].sort((a, b) => (a.group ?? clusters) - (b.group ?? clusters));
    return { ...chart, series };
  }
}

/** An application that has no pod in a cluster: said beside the cluster, not a fault. */
function absentNote(target: MetricsTarget): string | undefined {
  return target.level === 'app' && target.pods.length === 0 ? `no pods of ${target.name}` : undefined;
}

/** `m` on a fleet application or system: its charts with a series per cluster. */
export class FleetMetricsStore extends MetricsPaneStore<FleetSettings> {
  constructor(private readonly fleetCharts: FleetCharts) {
    super(fleetCharts);
  }

  /** Opens a target over the fleet; `labels`: the clusters' short names, the legend's names. */
  openFleet(target: MetricsTarget, labels: readonly string[]): void {
    this.fleetCharts.labels = labels;
    this.open(target);
  }
}
