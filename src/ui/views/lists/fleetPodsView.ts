import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { PodRow } from '../../../platform/kube/rows.js';
import { appCounterKey } from '../../../platform/stores/clusterStore.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import { SortedRowIndex } from '../../../platform/stores/sortedRowIndex.js';
import { byString, computeModel, problemsFirst, rowComparator, rowMatcher, type ParsedFilter, type TableDef } from '../tableModel.js';
import { localFilter, rowSource } from './listSource.js';
import { clusterLabels } from './fleetClusters.js';
import { rowKey, type ListViewDescriptor, type SparkLookup } from './listView.js';
import { FLEET_SPARK_MIN_WIDTH, sparkColumns } from './sparkColumns.js';
import { SPARKLINE_WIDTH } from '../../../platform/metrics/metricsRuntime.js';
import { podColumns, podTone } from './podsView.js';
import { logsKey, metricsKey, timelineKey } from './scopeKeys.js';

// Pods over the fleet: every cluster's pods of a system or an application on one list, with
// their cluster and zone. Everything below a row (detail, logs, charts, a shell) goes to the
// row's cluster. Kept in order as pods change, like the one-cluster pods view.

/**
 * The fleet's pods table over the pod rows themselves (each names its cluster). `zoneOf` is the
 * zone of a pod's node in its cluster, looked up when shown or sorted.
 */
export function fleetPodsTable(contexts: readonly string[], showApp: boolean, spark?: SparkLookup, zoneOf: (pod: PodRow) => string = () => ''): TableDef<PodRow> {
  const labels = new Map(contexts.map((c, i) => [c, clusterLabels(contexts, 12)[i]]));
  return {
    key: fleetPodKey,
    defaultSort: 'name',
    tone: podTone,
    filterText: (p) => `${p.appKey} ${p.cluster}`,
    sorts: [problemsFirst(podTone, (p) => p.restarts)],
    columns: [
      podColumns.name,
      { id: 'cluster', title: 'CLUSTER', width: 8, sortKey: 'C', text: (p) => labels.get(p.cluster) ?? p.cluster, compare: byString((p) => p.cluster) },
      { id: 'zone', title: 'ZONE', width: 14, sortKey: 'Z', text: zoneOf, compare: byString(zoneOf), minTerminalWidth: 100 },
      ...(showApp ? [{ ...podColumns.app, minTerminalWidth: 120 }] : []),
      podColumns.ready,
      podColumns.status,
      podColumns.restarts,
      // From the pod's cluster's Prometheus, on one scale with the other clusters' pods on screen.
      ...sparkColumns<PodRow>(fleetPodKey, spark, SPARKLINE_WIDTH, FLEET_SPARK_MIN_WIDTH),
      podColumns.age,
      { ...podColumns.node, minTerminalWidth: 140 },
    ],
  };
}

/** A pod's key over the fleet, `context/uid`, made when asked: 150,000 kept keys would be ~12 MB. */
export function fleetPodKey(pod: PodRow): string {
  return `${pod.cluster}/${pod.uid}`;
}

/** The zone of a pod's node, in the pod's cluster. */
function zoneLookup(contexts: readonly ContextRuntime[]): (pod: PodRow) => string {
  const stores = new Map(contexts.map((c) => [c.contextName, c.store]));
  return (pod) => stores.get(pod.cluster)?.zoneOf(pod.node) ?? '';
}

/** A cluster's pods in the view's scope (its application, its system, or all), as the store indexes them. */
function scopedPodMap(ctx: ContextRuntime, view: ViewState): { values(): Iterable<PodRow>; readonly size: number } | undefined {
  const store = ctx.store;
  return view.app
    ? store.podsInApp.get(appCounterKey(view.namespace ?? '', `${view.app.kind}/${view.app.name}`))
    : view.namespace ? store.podsInSystem.get(view.namespace) : store.pods.rows;
}

function scopedPods(ctx: ContextRuntime, view: ViewState): Iterable<PodRow> {
  return scopedPodMap(ctx, view)?.values() ?? [];
}

/** Every cluster's pods in the view's scope, in sort order, kept as pods change in any cluster. */
function fleetPodIndex(contexts: readonly ContextRuntime[], view: ViewState, filter: ParsedFilter, now: number): SortedRowIndex<PodRow> & { stop(): void } {
  const def = fleetPodsTable(contexts.map((c) => c.contextName), !view.app, undefined, zoneLookup(contexts));
  const matches = rowMatcher(def, filter, now);
  const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
  const index = new SortedRowIndex<PodRow>({
    key: fleetPodKey,
    compare: rowComparator(def, view.sort, now),
    matches: (p) => (!view.namespace || p.namespace === view.namespace) && (!appKey || p.appKey === appKey) && (!matches || matches(p)),
  }, contexts.flatMap((c) => Array.from(scopedPods(c, view))));
  const stops = contexts.map((c) => c.store.onPodChange((previous, next) => index.change(previous, next)));
  return Object.assign(index, { stop: () => stops.forEach((s) => s()) });
}

const scope = (pod: PodRow, view: ViewState) => ({ namespace: pod.namespace, pod: pod.name, app: view.app });

export const fleetPodsView: ListViewDescriptor<'fleet-pods'> = {
  id: 'fleet-pods',
  title: 'Pods',
  commands: ['pods', 'pod', 'po'],
  fleet: true,
  widestTable: () => fleetPodsTable([], true),
  model({ contexts, view, filter, filterError, spark, now, keep }) {
    const def = fleetPodsTable(contexts.map((c) => c.contextName), !view.app, spark, zoneLookup(contexts));
    if (filter.kind === 'labels') {
      // Every cluster's server-filtered pods (the console runs the selector feed in each).
      const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
      const all = contexts.flatMap((c) => {
        return Array.from(rowSource(c, filter).pods.rows.values()).filter((p) => !appKey || p.appKey === appKey);
      });
      const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
      return { kind: 'fleet-pods', descriptor: fleetPodsView, def, rows, total: all.length, filter, filterError, changedAt: () => undefined };
    }
    const scopeKey = `${view.namespace ?? ''}|${view.app ? `${view.app.kind}/${view.app.name}` : ''}|${view.filter}|${view.sort ? `${view.sort.column}${view.sort.descending ? '-' : '+'}` : ''}`;
    const index = keep(scopeKey, () => fleetPodIndex(contexts, view, filter, now));
    // Counted from the stores' indexes, not by walking every pod on every tick.
    const total = contexts.reduce((n, c) => n + (scopedPodMap(c, view)?.size ?? 0), 0);
    return { kind: 'fleet-pods', descriptor: fleetPodsView, def, rows: index.rows(), total, filter, filterError, changedAt: (p) => contexts.find((c) => c.contextName === p.cluster)?.store.pods.changedAt.get(p.uid) };
  },
  feed: (view, selector) => (selector ? { kind: 'selector', resources: ['pods'], namespace: view.namespace, selector } : undefined),
  drill: (p, view) => ({ kind: 'pod', context: p.cluster, namespace: p.namespace, pod: p.name, app: view.app }),
  ref: (p) => ({ context: p.cluster, group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: p.namespace, name: p.name, uid: p.uid }),
  drillHelp: 'pod detail, in the pod\'s cluster',
  fleetSparkRows: (_contexts, visible) => visible.map((p) => ({ key: fleetPodKey(p), parts: [{ context: p.cluster, row: { key: p.uid, namespace: p.namespace, pods: [p.name] } }] })),
  keys: [
    // Logs and charts of the pod, routed to its cluster (its Elasticsearch and Prometheus).
    { ...logsKey<'fleet-pods'>('pod', scope), run: (c) => routed(c.row, (r) => c.runtime.nav.push({ kind: 'logs', context: r.cluster, ...scope(r, c.view) })) },
    { ...metricsKey<'fleet-pods'>('pod', scope), run: (c) => routed(c.row, (r) => c.runtime.nav.push({ kind: 'metrics', context: r.cluster, ...scope(r, c.view) })) },
    { ...timelineKey<'fleet-pods'>('pod', scope), run: (c) => routed(c.row, (r) => c.runtime.nav.push({ kind: 'timeline', context: r.cluster, ...scope(r, c.view) })) },
    rowKey<'fleet-pods'>('row.shell', ['s'], 'shell in the pod, in its cluster (container picker if several)', (p, { runtime }) => {
      const ctx = runtime.contextNamed(p.cluster);
      if (ctx) void ctx.exec.shellInto(p.namespace, p.name);
    }),
    rowKey<'fleet-pods'>('row.port-forward', ['F'], 'port-forward a local port on 127.0.0.1 to the pod, in its cluster', (p, { runtime }) => {
      const ctx = runtime.contextNamed(p.cluster);
      if (ctx) runtime.portForwardDialog.openPod(ctx.gate, p.namespace, p.name);
    }),
  ],
};

function routed(row: PodRow | undefined, run: (row: PodRow) => void): boolean | void {
  if (!row) return false;
  run(row);
}
