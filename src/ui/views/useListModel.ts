import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { describeError } from '../../platform/errors.js';
import type { PodRow } from '../../platform/kube/rows.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { appCounterKey, ClusterStore } from '../../platform/stores/clusterStore.js';
import { appRows, appsTable, podsTable, replicaSetsTable, systemRows, systemsTable, type SparkLookup } from './tableDefs.js';
import { listModelDuration } from '../../self/selfMetrics.js';
import { SortedRowIndex } from '../../platform/stores/sortedRowIndex.js';
import { computeModel, parseFilter, rowComparator, rowMatcher, type ParsedFilter, type TableDef } from './tableModel.js';

// The rows a list view shows, filtered and sorted. Recomputed only when the store has
// changed (at most ~10 times a second) or the filter/sort changed — never on a cursor move.

export interface ListModel {
  def: TableDef<unknown>;
  rows: readonly unknown[];
  /** Rows before filtering, for "12 of 340". */
  total: number;
  filterError?: string;
  filter: ParsedFilter;
  changedAt(row: unknown): number | undefined;
  /** A watch problem that concerns this view (403 on its resource, reconnecting). */
  problem?: string;
}

/** Records how long bringing the model up to date took (bench:pods reads it from --metrics-addr). */
function timedModel<T>(view: string, compute: () => T): T {
  const started = performance.now();
  const model = compute();
  listModelDuration.observe({ view }, (performance.now() - started) / 1000);
  return model;
}

const none: ParsedFilter = { kind: 'none', value: '' };
/** Rows of a server-filtered view before its feed exists: none, rather than unfiltered ones. */
const noRows = new ClusterStore();

/** The pods a pods view lists (its system or application), in sort order, kept as pods change. */
function podIndexOf(store: ClusterStore, view: ViewState, filter: ParsedFilter, now: number): { index: SortedRowIndex<PodRow>; stop(): void } {
  // Filters and sorts read only the row and these columns (not sparklines): a def without them.
  const def = podsTable(!view.app);
  const matches = rowMatcher(def, filter, now);
  const namespace = view.namespace;
  const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
  const scoped = appKey
    ? store.podsInApp.get(appCounterKey(namespace ?? '', appKey))?.values()
    : namespace ? store.podsInSystem.get(namespace)?.values() : store.pods.rows.values();
  const index = new SortedRowIndex<PodRow>({
    key: (p) => p.uid,
    compare: rowComparator(def, view.sort, now),
    matches: (p) => (!namespace || p.namespace === namespace) && (!appKey || p.appKey === appKey) && (!matches || matches(p)),
  }, scoped ?? []);
  const stop = store.onPodChange((previous, next) => index.change(previous, next));
  return { index, stop };
}

export function useListModel(runtime: ConsoleRuntime, view: ViewState, now: number): ListModel | undefined {
  const { version } = useSyncExternalStore(runtime.ctx.store.subscribe, runtime.ctx.store.getSnapshot);
  // A pods view keeps its rows in order as pods change (built when the view, its filter or its
  // sort changes), so a store tick at 100,000 pods costs the changed pods, not a re-sort.
  const podIndex = useMemo(() => {
    if (view.kind !== 'pods') return undefined;
    let filter: ParsedFilter;
    try {
      filter = parseFilter(view.filter);
    } catch {
      return undefined; // the model reports the filter error
    }
    if (filter.kind === 'labels') return undefined; // rows from the server-filtered feed
    return timedModel('pods', () => podIndexOf(runtime.ctx.store, view, filter, Date.now()));
    // The index depends on the view's scope, filter and sort only (not its cursor or scroll).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runtime.ctx.store, view.kind, view.namespace, view.app?.kind, view.app?.name, view.filter, view.sort?.column, view.sort?.descending]);
  useEffect(() => () => podIndex?.stop(), [podIndex]);
  const sparks = runtime.ctx.sparklines;
  // Sparkline columns only where a Prometheus is configured for the context.
  const spark: SparkLookup | undefined = sparks.enabled() ? (key) => sparks.get(key) : undefined;
  const hasSpark = spark !== undefined;
  return useMemo(() => timedModel(view.kind, () => {
    // Only the list views have rows; every other view is a pane.
    if (view.kind !== 'systems' && view.kind !== 'apps' && view.kind !== 'pods' && view.kind !== 'replicasets') return undefined;
    let filter = none;
    let filterError: string | undefined;
    try {
      filter = parseFilter(view.filter);
    } catch (err) {
      filterError = describeError(err);
    }
    if (view.kind === 'replicasets') {
      // Its own list+watch (started by the runtime while this view is open); a label
      // selector goes to the server with it.
      const rsStore = runtime.ctx.viewReplicaSets();
      const def = replicaSetsTable(!view.namespace);
      const all = rsStore?.rows() ?? [];
      const rows = computeModel({ def, rows: all, filter: filter.kind === 'labels' ? none : filter, sort: view.sort, now });
      return { def: def as TableDef<unknown>, rows, total: all.length, filter, filterError, problem: rsStore?.problem(), changedAt: () => undefined };
    }
    const store = runtime.ctx.store;
    // With `/-l`, rows come from the runtime's server-filtered feed (counters stay in `store`).
    const source = filter.kind === 'labels' ? (runtime.ctx.viewSelectorStore() ?? noRows) : store;
    const rowFilter = filter.kind === 'labels' ? none : filter;
    const problemOf = (names: Array<'namespaces' | 'deployments' | 'statefulsets' | 'pods'>) => {
      for (const n of names) {
        const table = source.tables[n];
        // Per-system 403s (after falling back from a forbidden cluster-wide list).
        if (view.namespace && table.forbidden.has(view.namespace)) return table.forbidden.get(view.namespace);
        if (!view.namespace && table.forbidden.size) {
          return `${n} forbidden in ${[...table.forbidden.keys()].sort().join(', ')}: counts there are unknown (${table.forbidden.values().next().value})`;
        }
        const st = table.watchStatus;
        if (st.kind === 'failed') return `${n}: ${st.message}`;
        if (st.kind === 'forbidden' && (n === 'namespaces' || view.kind !== 'systems')) return st.message;
      }
      return undefined;
    };
    if (view.kind === 'systems') {
      const all = systemRows(store, source);
      const rows = computeModel({ def: systemsTable, rows: all, filter: rowFilter, sort: view.sort, now });
      return { def: systemsTable as TableDef<unknown>, rows, total: all.length, filter, filterError, problem: problemOf(['namespaces', 'pods']), changedAt: (r) => source.namespaces.changedAt.get((r as { ns: { uid: string } }).ns.uid) };
    }
    if (view.kind === 'apps') {
      const def = appsTable(!view.namespace, spark);
      const all = appRows(store, view.namespace, source);
      const rows = computeModel({ def, rows: all, filter: rowFilter, sort: view.sort, now });
      return {
        def: def as TableDef<unknown>, rows, total: all.length, filter, filterError, problem: problemOf(['deployments', 'statefulsets']),
        changedAt: (r) => {
          const w = (r as { w: { uid: string; kind: string } }).w;
          return (w.kind === 'Deployment' ? source.deployments : source.statefulSets).changedAt.get(w.uid);
        },
      };
    }
    const def = podsTable(!view.app, spark);
    let all: Iterable<PodRow>;
    let total: number;
    if (filter.kind === 'labels') {
      const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
      const rows = Array.from(source.pods.rows.values()).filter((p) => !appKey || p.appKey === appKey);
      all = rows;
      total = rows.length;
    } else if (view.app) {
      const m = store.podsInApp.get(appCounterKey(view.namespace ?? '', `${view.app.kind}/${view.app.name}`));
      all = m ? m.values() : [];
      total = m?.size ?? 0;
    } else if (view.namespace) {
      const m = store.podsInSystem.get(view.namespace);
      all = m ? m.values() : [];
      total = m?.size ?? 0;
    } else {
      all = store.pods.rows.values();
      total = store.pods.rows.size;
    }
    const rows = podIndex ? podIndex.index.rows() : computeModel({ def, rows: all, filter: rowFilter, sort: view.sort, now });
    return { def: def as TableDef<unknown>, rows, total, filter, filterError, problem: problemOf(['pods']), changedAt: (r) => source.pods.changedAt.get((r as PodRow).uid) };
    // `now` is left out on purpose: ages tick in the rendered cells, not in the model.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }), [version, view.kind, view.namespace, view.app?.name, view.app?.kind, view.filter, view.sort?.column, view.sort?.descending, runtime, hasSpark, podIndex]);
}
