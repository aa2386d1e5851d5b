import { fleetAppRows, type FleetAppRow } from '../../../platform/stores/fleetQueries.js';
import { byNumber, byString, computeModel, problemsFirst, type TableDef, type Tone } from '../tableModel.js';
import { clusterColumns, clusterKeys, downLine, fleetClusters } from './fleetClusters.js';
import { localFilter } from './listSource.js';
import { rowKey, type ListViewDescriptor, type SparkLookup } from './listView.js';
import { appSparkRow } from './appsView.js';
import { FLEET_SPARK_MIN_WIDTH, sparkColumns } from './sparkColumns.js';
import { SPARKLINE_WIDTH } from '../../../platform/metrics/metricsRuntime.js';
import { logsKey, metricsKey, timelineKey } from './scopeKeys.js';
import { fleetScaleAppKey, fleetUndoKey } from '../scaleRowActions.js';
import { fleetHistoryKey } from '../rolloutActions.js';
import { glyphs } from '../../../terminal/glyphs.js';

// Applications over the fleet: one row per application (namespace + kind + name), ready/desired
// in total and per cluster, and a DRIFT marker when the clusters disagree: I images differ,
// T the pod templates differ with the same images (resources, env, probes), R desired replicas
// differ (no HPA explains it), M missing from a cluster that has the system.


export function driftText(r: FleetAppRow): string {
  return `${r.drift.images ? 'I' : ''}${r.drift.template ? 'T' : ''}${r.drift.replicas ? 'R' : ''}${r.drift.missing ? 'M' : ''}`;
}

function tone(r: FleetAppRow): Tone {
  if (r.clusters.some((c) => c.presence === 'down') || (r.desired > 0 && r.ready === 0)) return 'error';
  if (r.ready < r.desired || driftText(r)) return 'warn';
  return 'normal';
}

export function fleetAppsTable(contexts: readonly string[], showSystem: boolean, spark?: SparkLookup): TableDef<FleetAppRow> {
  const perCluster = clusterColumns<FleetAppRow>(contexts, (r, i) => { const app = r.clusters[i]?.app; return app ? `${app.w.ready}/${app.w.desired}` : undefined; });
  return {
    key: (r) => r.key,
    defaultSort: 'name',
    tone,
    sorts: [problemsFirst(tone, (r) => r.restarts)],
    filterText: (r) => `${r.namespace} ${r.clusters.map((c) => c.app?.w.images ?? '').join(' ')}`,
    columns: [
      { id: 'name', title: 'APPLICATION', width: 'flex', sortKey: 'N', text: (r) => r.name, compare: byString((r) => r.name) },
      ...(showSystem ? [{ id: 'system', title: 'SYSTEM', width: 14, sortKey: 'M', text: (r: FleetAppRow) => r.namespace, minTerminalWidth: 110 }] : []),
      { id: 'kind', title: 'KIND', width: 6, sortKey: 'K', text: (r) => (r.kind === 'Deployment' ? 'deploy' : 'sts'), minTerminalWidth: 100 },
      { id: 'drift', title: 'DRIFT', width: 5, sortKey: 'F', text: driftText, compare: byString((r) => (driftText(r) ? `0${driftText(r)}` : '1')) },
      { id: 'ready', title: 'READY', width: 9, align: 'right', sortKey: 'Y', text: (r) => `${r.ready}/${r.desired}`, compare: byNumber((r) => r.ready - r.desired) },
      { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', worstFirst: true, text: (r) => String(r.restarts), compare: byNumber((r) => r.restarts), minTerminalWidth: 120 },
      // Summed over the clusters (their pods of the application), one scale for the rows on screen.
      ...sparkColumns<FleetAppRow>((r) => r.key, spark, SPARKLINE_WIDTH, FLEET_SPARK_MIN_WIDTH),
      ...perCluster,
    ],
  };
}

export const fleetAppsView: ListViewDescriptor<'fleet-apps'> = {
  id: 'fleet-apps',
  title: 'Applications',
  commands: ['apps', 'app', 'applications'],
  fleet: true,
  widestTable: () => fleetAppsTable([], true),
  model({ contexts, view, filter, filterError, spark, now }) {
    const def = fleetAppsTable(contexts.map((c) => c.contextName), !view.namespace, spark);
    const clusters = fleetClusters(contexts, now, filter);
    const all = fleetAppRows(clusters, view.namespace);
    const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
    return { kind: 'fleet-apps', descriptor: fleetAppsView, def, rows, total: all.length, filter, filterError, problem: downLine(clusters), changedAt: () => undefined };
  },
  drill: (r) => ({ kind: 'fleet-pods', namespace: r.namespace, app: { kind: r.kind, name: r.name } }),
  // The application in the first cluster that has it (1-9 open it in another).
  ref: (r) => {
    const here = r.clusters.find((c) => c.app);
    return here?.app && { context: here.cluster, group: 'apps', version: 'v1', resource: r.kind === 'Deployment' ? 'deployments' : 'statefulsets', kind: r.kind, namespace: r.namespace, name: r.name, uid: here.app.w.uid };
  },
  drillHelp: 'pods of the application in every cluster (with their cluster and zone)',
  fleetSparkRows: (contexts, visible) =>
    visible.map((r) => ({
      key: r.key,
      parts: r.clusters.flatMap((c) => {
        const ctx = c.app && contexts.find((x) => x.contextName === c.cluster);
        return ctx && c.app ? [{ context: c.cluster, row: appSparkRow(ctx, c.app.w) }] : [];
      }),
    })),
  // `/-l` goes to every cluster (the console sends a fleet view's feed to each).
  feed: (view, selector) => (selector ? { kind: 'selector', resources: ['deployments', 'statefulsets'], namespace: view.namespace, selector } : undefined),
  keys: [
    fleetScaleAppKey,
    fleetHistoryKey,
    // No cluster: the logs pane merges every cluster's lines of it; each chart has a series per cluster.
    logsKey<'fleet-apps'>('application in every cluster, merged by time (each line tagged with its cluster)', (r) => ({ namespace: r.namespace, app: { kind: r.kind, name: r.name } })),
    metricsKey<'fleet-apps'>('application over the fleet, one series per cluster', (r) => ({ namespace: r.namespace, app: { kind: r.kind, name: r.name } })),
    timelineKey<'fleet-apps'>('application in every cluster, merged (each entry tagged with its cluster)', (r) => ({ namespace: r.namespace, app: { kind: r.kind, name: r.name } })),
    fleetUndoKey<'fleet-apps'>(),
    rowKey('fleet.drift', ['i'], 'why the DRIFT marker: the images and desired replicas per cluster; with T, the pod templates diffed', (r, { runtime }) => {
      if (r.drift.template) return runtime.nav.push({ kind: 'drift', namespace: r.namespace, app: { kind: r.kind, name: r.name } });
      const parts = r.clusters.map((c) => `${c.cluster}: ${c.app ? `${c.app.w.desired} ${glyphs.times} ${c.app.w.images || '?'}${c.app.hpa ? ' (HPA)' : ''}` : c.presence}`);
      runtime.nav.say(`${r.name}: ${parts.join('; ')}`);
    }),
    // The apps view of that cluster with this application selected.
    ...clusterKeys<'fleet-apps'>('application', (r, ctx, i) => ({ kind: 'apps', context: ctx.contextName, namespace: r.namespace, selectedKey: r.clusters[i]?.app?.w.uid })),
  ],
};
