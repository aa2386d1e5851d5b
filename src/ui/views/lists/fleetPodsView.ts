import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { PodRow } from '../../../platform/kube/rows.js';
import { appCounterKey } from '../../../platform/stores/clusterStore.js';
import type { FleetPodRow } from '../../../platform/stores/fleetQueries.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import { SortedRowIndex } from '../../../platform/stores/sortedRowIndex.js';
import { formatAge } from '../../format.js';
import { byNumber, byString, computeModel, problemsFirst, rowComparator, rowMatcher, type ParsedFilter, type TableDef } from '../tableModel.js';
import { localFilter, rowSource } from './listSource.js';
import { clusterLabels } from './fleetClusters.js';
import { rowKey, type ListViewDescriptor, type SparkLookup } from './listView.js';
import { FLEET_SPARK_MIN_WIDTH, sparkColumns } from './sparkColumns.js';
import { SPARKLINE_WIDTH } from '../../../platform/metrics/metricsRuntime.js';
import { podTone } from './podsView.js';
import { logsKey, metricsKey, timelineKey } from './scopeKeys.js';

// Pods over the fleet: every cluster's pods of a system or an application on one list, with
// their cluster and zone. Everything below a row (detail, logs, charts, a shell) goes to the
// row's cluster. Kept in order as pods change, like the one-cluster pods view.

export function fleetPodsTable(contexts: readonly string[], showApp: boolean, spark?: SparkLookup): TableDef<FleetPodRow> {
  const labels = new Map(contexts.map((c, i) => [c, clusterLabels(contexts, 12)[i]]));
  return {
    key: (r) => r.key,
    defaultSort: 'name',
    tone: (r) => podTone(r.pod),
    filterText: (r) => `${r.pod.appKey} ${r.cluster}`,
    sorts: [problemsFirst((r) => podTone(r.pod), (r) => r.pod.restarts)],
    columns: [
      { id: 'name', title: 'POD', width: 'flex', sortKey: 'N', text: (r) => r.pod.name, compare: byString((r) => r.pod.name) },
      { id: 'cluster', title: 'CLUSTER', width: 8, sortKey: 'C', text: (r) => labels.get(r.cluster) ?? r.cluster, compare: byString((r) => r.cluster) },
      { id: 'zone', title: 'ZONE', width: 14, sortKey: 'Z', text: (r) => r.zone, compare: byString((r) => r.zone), minTerminalWidth: 100 },
      ...(showApp ? [{ id: 'app', sortKey: 'P', title: 'APPLICATION', width: 18, minTerminalWidth: 120, text: (r: FleetPodRow) => r.pod.appKey.replace(/^[^/]*\//, '') }] : []),
      { id: 'ready', title: 'READY', width: 5, align: 'right', sortKey: 'Y', text: (r) => `${r.pod.ready}/${r.pod.total}`, compare: byNumber((r) => r.pod.ready - r.pod.total) },
      { id: 'status', title: 'STATUS', width: 16, sortKey: 'S', text: (r) => r.pod.status, compare: byString((r) => r.pod.status) },
      { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', worstFirst: true, text: (r) => String(r.pod.restarts), compare: byNumber((r) => r.pod.restarts) },
      // From the pod's cluster's Prometheus, on one scale with the other clusters' pods on screen.
      ...sparkColumns<FleetPodRow>((r) => r.key, spark, SPARKLINE_WIDTH, FLEET_SPARK_MIN_WIDTH),
      { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.pod.createdAt, now), compare: byNumber((r) => -r.pod.createdAt) },
      { id: 'node', title: 'NODE', width: 16, sortKey: 'O', text: (r) => r.pod.node || '<none>', compare: byString((r) => r.pod.node), minTerminalWidth: 140 },
    ],
  };
}

/** A pod of the fleet's list. Its key is made when asked: 150,000 kept keys would be ~12 MB. */
class FleetPod implements FleetPodRow {
  constructor(readonly cluster: string, readonly zone: string, readonly pod: PodRow) {}

  get key(): string {
    return `${this.cluster}/${this.pod.uid}`;
  }
}

/**
 * A cluster's pod rows as the fleet's. Not cached per row (a WeakMap of 150,000 would be ~4 MB):
 * a pod's previous row wrapped again sorts where its wrapper in the index does, and the index
 * finds it by key should its node's zone have changed meanwhile.
 */
function wrapperOf(ctx: ContextRuntime): (pod: PodRow) => FleetPodRow {
  return (pod) => new FleetPod(ctx.contextName, ctx.store.zoneOf(pod.node), pod);
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
function fleetPodIndex(contexts: readonly ContextRuntime[], view: ViewState, filter: ParsedFilter, now: number): SortedRowIndex<FleetPodRow> & { stop(): void } {
  const def = fleetPodsTable(contexts.map((c) => c.contextName), !view.app);
  const matches = rowMatcher(def, filter, now);
  const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
  const wrappers = contexts.map(wrapperOf);
  const initial = contexts.flatMap((c, i) => Array.from(scopedPods(c, view), wrappers[i]));
  const index = new SortedRowIndex<FleetPodRow>({
    key: (r) => r.key,
    compare: rowComparator(def, view.sort, now),
    matches: (r) => (!view.namespace || r.pod.namespace === view.namespace) && (!appKey || r.pod.appKey === appKey) && (!matches || matches(r)),
  }, initial);
  const stops = contexts.map((c, i) => c.store.onPodChange((previous, next) => index.change(previous && wrappers[i](previous), next && wrappers[i](next))));
  return Object.assign(index, { stop: () => stops.forEach((s) => s()) });
}

const scope = ({ pod }: FleetPodRow, view: ViewState) => ({ namespace: pod.namespace, pod: pod.name, app: view.app });

export const fleetPodsView: ListViewDescriptor<'fleet-pods'> = {
  id: 'fleet-pods',
  title: 'Pods',
  commands: ['pods', 'pod', 'po'],
  fleet: true,
  widestTable: () => fleetPodsTable([], true),
  model({ contexts, view, filter, filterError, spark, now, keep }) {
    const def = fleetPodsTable(contexts.map((c) => c.contextName), !view.app, spark);
    if (filter.kind === 'labels') {
      // Every cluster's server-filtered pods (the console runs the selector feed in each).
      const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
      const all = contexts.flatMap((c) => {
        return Array.from(rowSource(c, filter).pods.rows.values(), wrapperOf(c)).filter((r) => !appKey || r.pod.appKey === appKey);
      });
      const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
      return { kind: 'fleet-pods', descriptor: fleetPodsView, def, rows, total: all.length, filter, filterError, changedAt: () => undefined };
    }
    const scopeKey = `${view.namespace ?? ''}|${view.app ? `${view.app.kind}/${view.app.name}` : ''}|${view.filter}|${view.sort ? `${view.sort.column}${view.sort.descending ? '-' : '+'}` : ''}`;
    const index = keep(scopeKey, () => fleetPodIndex(contexts, view, filter, now));
    // Counted from the stores' indexes, not by walking every pod on every tick.
    const total = contexts.reduce((n, c) => n + (scopedPodMap(c, view)?.size ?? 0), 0);
    return { kind: 'fleet-pods', descriptor: fleetPodsView, def, rows: index.rows(), total, filter, filterError, changedAt: (r) => contexts.find((c) => c.contextName === r.cluster)?.store.pods.changedAt.get(r.pod.uid) };
  },
  feed: (view, selector) => (selector ? { kind: 'selector', resources: ['pods'], namespace: view.namespace, selector } : undefined),
  drill: (r, view) => ({ kind: 'pod', context: r.cluster, namespace: r.pod.namespace, pod: r.pod.name, app: view.app }),
  ref: (r) => ({ context: r.cluster, group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: r.pod.namespace, name: r.pod.name, uid: r.pod.uid }),
  drillHelp: 'pod detail, in the pod\'s cluster',
  fleetSparkRows: (_contexts, visible) => visible.map((r) => ({ key: r.key, parts: [{ context: r.cluster, row: { key: r.pod.uid, namespace: r.pod.namespace, pods: [r.pod.name] } }] })),
  keys: [
    // Logs and charts of the pod, routed to its cluster (its Elasticsearch and Prometheus).
    { ...logsKey<'fleet-pods'>('pod', scope), run: (c) => routed(c.row, (r) => c.runtime.nav.push({ kind: 'logs', context: r.cluster, ...scope(r, c.view) })) },
    { ...metricsKey<'fleet-pods'>('pod', scope), run: (c) => routed(c.row, (r) => c.runtime.nav.push({ kind: 'metrics', context: r.cluster, ...scope(r, c.view) })) },
    { ...timelineKey<'fleet-pods'>('pod', scope), run: (c) => routed(c.row, (r) => c.runtime.nav.push({ kind: 'timeline', context: r.cluster, ...scope(r, c.view) })) },
    rowKey<'fleet-pods'>('row.shell', ['s'], 'shell in the pod, in its cluster (container picker if several)', (r, { runtime }) => {
      const ctx = runtime.contextNamed(r.cluster);
      if (ctx) void ctx.exec.shellInto(r.pod.namespace, r.pod.name);
    }),
    rowKey<'fleet-pods'>('row.port-forward', ['F'], 'port-forward a local port on 127.0.0.1 to the pod, in its cluster', (r, { runtime }) => {
      const ctx = runtime.contextNamed(r.cluster);
      if (ctx) runtime.portForwardDialog.openPod(ctx.gate, r.pod.namespace, r.pod.name);
    }),
  ],
};

function routed(row: FleetPodRow | undefined, run: (row: FleetPodRow) => void): boolean | void {
  if (!row) return false;
  run(row);
}
