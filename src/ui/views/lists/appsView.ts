import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { SparkRow } from '../../../platform/metrics/sparklineStore.js';
import { appCounterKey } from '../../../platform/stores/clusterStore.js';
import { appRows, type AppRow } from '../../../platform/stores/clusterQueries.js';
import { markScope } from '../../../platform/stores/markStore.js';
import { formatAge, listedName } from '../../format.js';
import { appShellKey, runKey } from '../execRowAction.js';
import { historyKey } from '../rolloutActions.js';
import { restartKey, scaleAppKey, scaleShownKey, undoKey } from '../scaleRowActions.js';
import { byNumber, byString, computeModel, problemsFirst, type TableDef, type Tone } from '../tableModel.js';
import { localFilter, rowSource, watchProblem } from './listSource.js';
import { rowKey, type ListViewDescriptor, type SparkLookup } from './listView.js';
import { logsKey, metricsKey, timelineKey } from './scopeKeys.js';
import { sparkColumns } from './sparkColumns.js';

// Applications: Deployments and StatefulSets of a system (or of all systems).

function workloadTone(r: AppRow): Tone {
  if (r.w.deleting) return 'dim';
  if (r.w.desired > 0 && r.w.ready === 0) return 'error';
  if (r.w.ready < r.w.desired || r.w.upToDate < r.w.desired) return 'warn';
  return 'normal';
}

export function appsTable(showSystem: boolean, spark?: SparkLookup, sparkWidth = 8): TableDef<AppRow> {
  return {
    key: (r) => r.w.uid,
    defaultSort: 'name',
    tone: workloadTone,
    sorts: [problemsFirst(workloadTone, (r) => r.counters.restarts)],
    columns: [
      { id: 'name', title: 'APPLICATION', width: 'flex', sortKey: 'N', text: (r) => listedName(r.w.name, r.w.deleting), compare: byString((r) => r.w.name) },
      ...(showSystem ? [{ id: 'system', title: 'SYSTEM', width: 14, sortKey: 'M', text: (r: AppRow) => r.w.namespace }] : []),
      { id: 'kind', title: 'KIND', width: 6, sortKey: 'K', text: (r) => (r.w.kind === 'Deployment' ? 'deploy' : 'sts') },
      { id: 'hpa', title: 'HPA', width: 3, text: (r) => (r.hpa ? 'HPA' : '') },
      { id: 'desired', title: 'DESIRED', width: 7, align: 'right', sortKey: 'D', text: (r) => String(r.w.desired), compare: byNumber((r) => r.w.desired) },
      { id: 'ready', title: 'READY', width: 5, align: 'right', sortKey: 'Y', text: (r) => String(r.w.ready), compare: byNumber((r) => r.w.ready - r.w.desired) },
      { id: 'available', title: 'AVAIL', width: 5, align: 'right', text: (r) => String(r.w.available) },
      { id: 'uptodate', title: 'UP-TO-DATE', width: 10, align: 'right', text: (r) => String(r.w.upToDate) },
      { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', worstFirst: true, text: (r) => (r.podsForbidden ? '?' : String(r.counters.restarts)), compare: byNumber((r) => r.counters.restarts) },
      ...sparkColumns<AppRow>((r) => r.w.uid, spark, sparkWidth),
      { id: 'images', title: 'IMAGES', width: 28, text: (r) => r.w.images, minTerminalWidth: 110 },
      { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.w.createdAt, now), compare: byNumber((r) => -r.w.createdAt) },
    ],
  };
}

const scope = ({ w }: AppRow) => ({ namespace: w.namespace, app: { kind: w.kind, name: w.name } });

export const appsView: ListViewDescriptor<'apps'> = {
  id: 'apps',
  title: 'Applications',
  commands: ['apps', 'app', 'applications'],
  widestTable: () => appsTable(true),
  model({ ctx, view, filter, filterError, spark, now }) {
    const source = rowSource(ctx, filter);
    const def = appsTable(!view.namespace, spark);
    const all = appRows(ctx.store, view.namespace, source);
    const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
    return {
      kind: 'apps', descriptor: appsView, def, rows, total: all.length, filter, filterError,
      problem: watchProblem(source, view, ['deployments', 'statefulsets', 'pods'], true),
      changedAt: ({ w }) => (w.kind === 'Deployment' ? source.deployments : source.statefulSets).changedAt.get(w.uid),
    };
  },
  drill: ({ w }) => ({ kind: 'pods', namespace: w.namespace, app: { kind: w.kind, name: w.name } }),
  ref: ({ w }) => ({ group: 'apps', version: 'v1', resource: w.kind === 'Deployment' ? 'deployments' : 'statefulsets', kind: w.kind, namespace: w.namespace, name: w.name, uid: w.uid }),
  drillHelp: 'pods of the application',
  keys: [
    rowKey('row.mark', ['space'], 'mark / unmark the application (s scales the marked ones; Esc clears marks)', ({ w }, { runtime, view, cursor, moveTo }) => {
      runtime.ctx.marks.toggle(markScope(view), w.uid);
      moveTo(cursor + 1);
    }),
    logsKey('application', scope),
    metricsKey('application', scope),
    timelineKey('application', scope),
    scaleAppKey,
    scaleShownKey,
    restartKey,
    historyKey,
    undoKey(),
    appShellKey,
    runKey(),
  ],
  feed: (view, selector) => (selector ? { kind: 'selector', resources: ['deployments', 'statefulsets'], namespace: view.namespace, selector } : undefined),
  sparkRows: (ctx, visible) => visible.map(({ w }) => appSparkRow(ctx, w)),
};

/** What an application's sparklines sum in one cluster: its pods there. */
export function appSparkRow(ctx: ContextRuntime, w: AppRow['w']): SparkRow {
  const pods = ctx.store.podsInApp.get(appCounterKey(w.namespace, `${w.kind}/${w.name}`));
  return { key: w.uid, namespace: w.namespace, pods: pods ? [...pods.values()].map((p) => p.name) : [] };
}
