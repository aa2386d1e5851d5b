import type { PodRow } from '../../../platform/kube/rows.js';
import { appCounterKey, type ClusterStore } from '../../../platform/stores/clusterStore.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import { SortedRowIndex } from '../../../platform/stores/sortedRowIndex.js';
import { formatAge } from '../../format.js';
import { runKey, shellKey } from '../execRowAction.js';
import { byNumber, byString, computeModel, problemsFirst, rowComparator, rowMatcher, type Column, type ParsedFilter, type TableDef, type Tone } from '../tableModel.js';
import { localFilter, rowSource, watchProblem } from './listSource.js';
import { rowKey, type ListViewDescriptor, type SparkLookup } from './listView.js';
import { logsKey, metricsKey, timelineKey } from './scopeKeys.js';
import { sparkColumns } from './sparkColumns.js';
import { podPortForwardKey } from '../portForwardRowActions.js';

// Pods of an application, of a system, or of every system.

const errorStatuses = /BackOff|Err|Error|Failed|OOMKilled|Evicted|Unknown|Invalid/;

export function podTone(p: PodRow): Tone {
  if (p.status === 'Terminating' || p.status === 'Completed' || p.status === 'Succeeded') return 'dim';
  if (errorStatuses.test(p.status)) return 'error';
  if (p.status !== 'Running' || p.ready < p.total) return 'warn';
  return 'normal';
}

/**
 * The columns of a pod row any pods list shows (one cluster's, the fleet's): each list places
 * them and says at which terminal width the application and node give way.
 */
export const podColumns = {
  name: { id: 'name', title: 'POD', width: 'flex', sortKey: 'N', text: (p) => p.name, compare: byString((p) => p.name) },
  app: { id: 'app', sortKey: 'P', title: 'APPLICATION', width: 18, text: (p) => p.appKey.replace(/^[^/]*\//, '') },
  ready: { id: 'ready', title: 'READY', width: 5, align: 'right', sortKey: 'Y', text: (p) => `${p.ready}/${p.total}`, compare: byNumber((p) => p.ready - p.total) },
  status: { id: 'status', title: 'STATUS', width: 16, sortKey: 'S', text: (p) => p.status, compare: byString((p) => p.status) },
  restarts: { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', worstFirst: true, text: (p) => String(p.restarts), compare: byNumber((p) => p.restarts) },
  age: { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (p, now) => formatAge(p.createdAt, now), compare: byNumber((p) => -p.createdAt) },
  node: { id: 'node', title: 'NODE', width: 16, sortKey: 'O', text: (p) => p.node || '<none>', compare: byString((p) => p.node) },
} satisfies Record<string, Column<PodRow>>;

export function podsTable(showApp: boolean, spark?: SparkLookup, zoneOf?: (node: string) => string, sparkWidth = 8): TableDef<PodRow> {
  return {
    key: (p) => p.uid,
    defaultSort: 'name',
    tone: podTone,
    filterText: (p) => p.appKey,
    sorts: [problemsFirst(podTone, (p) => p.restarts)],
    columns: [
      podColumns.name,
      ...(showApp ? [{ ...podColumns.app, minTerminalWidth: 80 }] : []),
      podColumns.ready,
      podColumns.status,
      podColumns.restarts,
      podColumns.age,
      ...sparkColumns<PodRow>((p) => p.uid, spark, sparkWidth),
      { ...podColumns.node, minTerminalWidth: 100 },
      ...(zoneOf ? [{ id: 'zone', title: 'ZONE', width: 14, sortKey: 'Z', text: (p: PodRow) => zoneOf(p.node), minTerminalWidth: 140 }] : []),
      { id: 'ip', title: 'IP', width: 15, sortKey: 'I', text: (p) => p.ip || '<none>', minTerminalWidth: 120 },
    ],
  };
}

/** The pods in a view's scope: its node's, its application's, its system's, or every pod. */
function scopedPods(store: ClusterStore, view: ViewState): { rows: Iterable<PodRow>; size: number } {
  const m = view.node
    ? store.podsOnNode.get(view.node)
    : view.app
      ? store.podsInApp.get(appCounterKey(view.namespace ?? '', `${view.app.kind}/${view.app.name}`))
      : view.namespace ? store.podsInSystem.get(view.namespace) : store.pods.rows;
  return { rows: m?.values() ?? [], size: m?.size ?? 0 };
}

/** The pods a pods view lists, in sort order, kept as pods change (a store tick costs the changed pods, not a re-sort). */
function podIndex(store: ClusterStore, view: ViewState, filter: ParsedFilter, now: number): SortedRowIndex<PodRow> & { stop(): void } {
  // Filters and sorts read only the row and these columns (not sparklines): a def without them.
  const def = podsTable(!view.app, undefined, (node) => store.zoneOf(node));
  const matches = rowMatcher(def, filter, now);
  const { namespace, node } = view;
  const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
  const index = new SortedRowIndex<PodRow>({
    key: (p) => p.uid,
    compare: rowComparator(def, view.sort, now),
    matches: (p) => (!namespace || p.namespace === namespace) && (!appKey || p.appKey === appKey) && (!node || p.node === node) && (!matches || matches(p)),
  }, scopedPods(store, view).rows);
  const stop = store.onPodChange((previous, next) => index.change(previous, next));
  return Object.assign(index, { stop });
}

const scope = (p: PodRow, view: ViewState) => ({ namespace: p.namespace, pod: p.name, app: view.app });

export const podsView: ListViewDescriptor<'pods'> = {
  id: 'pods',
  title: 'Pods',
  commands: ['pods', 'pod', 'po'],
  widestTable: () => podsTable(true, undefined, () => ''),
  model({ ctx, view, filter, filterError, spark, now, keep }) {
    const store = ctx.store;
    const def = podsTable(!view.app, spark, (node) => store.zoneOf(node));
    const common = { kind: 'pods' as const, descriptor: podsView, def, filter, filterError, changedAt: (p: PodRow) => rowSource(ctx, filter).pods.changedAt.get(p.uid) };
    if (filter.kind === 'labels') {
      // Rows of the server-filtered feed (the runtime runs it while this view is open).
      const source = rowSource(ctx, filter);
      const appKey = view.app ? `${view.app.kind}/${view.app.name}` : undefined;
      const all = Array.from(source.pods.rows.values()).filter((p) => (!appKey || p.appKey === appKey) && (!view.node || p.node === view.node));
      const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
      return { ...common, rows, total: all.length, problem: watchProblem(source, view, ['pods'], true) };
    }
    const { size } = scopedPods(store, view);
    const scopeKey = `${view.namespace ?? ''}|${view.node ?? ''}|${view.app ? `${view.app.kind}/${view.app.name}` : ''}|${view.filter}|${view.sort ? `${view.sort.column}${view.sort.descending ? '-' : '+'}` : ''}`;
    const index = keep(scopeKey, () => podIndex(store, view, filter, now));
    return { ...common, rows: index.rows(), total: size, problem: watchProblem(store, view, ['pods'], true) };
  },
  drill: (p, view) => ({ kind: 'pod', namespace: p.namespace, pod: p.name, app: view.app }),
  drillHelp: 'pod detail (containers, conditions, events, YAML)',
  keys: [
    logsKey('pod', scope),
    // As k9s's `p`: why did it crash? The lines of the container before its last restart.
    rowKey('row.logs-previous', ['p'], 'logs of the previous container (the run before the last restart)', (p, { runtime, view }) => {
      if (p.restarts === 0) return runtime.nav.say(`${p.name} has not restarted: it has no previous container to read`, 'warn');
      runtime.nav.push({ kind: 'logs', ...scope(p, view) });
      runtime.ctx.logs.setPrevious(true);
    }),
    metricsKey('pod', scope),
    timelineKey('pod', scope),
    shellKey,
    runKey(),
    podPortForwardKey,
  ],
  ref: (p) => ({ group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: p.namespace, name: p.name, uid: p.uid }),
  feed: (view, selector) => (selector ? { kind: 'selector', resources: ['pods'], namespace: view.namespace, selector } : undefined),
  sparkRows: (_ctx, visible) => visible.map((p) => ({ key: p.uid, namespace: p.namespace, pods: [p.name] })),
};
