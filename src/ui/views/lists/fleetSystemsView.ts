import { fleetSystemRows, type FleetSystemRow } from '../../../platform/stores/fleetQueries.js';
import { byNumber, byString, computeModel, type TableDef, type Tone } from '../tableModel.js';
import { clusterColumns, clusterKeys, downLine, fleetClusters } from './fleetClusters.js';
import { localFilter } from './listSource.js';
import { rowKey, type ListViewDescriptor } from './listView.js';
import { logsKey, metricsKey, timelineKey } from './scopeKeys.js';
import { fleetScaleSystemKey, fleetUndoKey } from '../scaleRowActions.js';

// Systems over the fleet: one row per system (namespace name), its totals and one small column
// per cluster (ready/total there, or why not: absent, forbidden, the cluster is down).


function tone(r: FleetSystemRow): Tone {
  if (r.clusters.some((c) => c.presence === 'down')) return 'error';
  if (r.total.pods > r.total.ready || r.clusters.some((c) => c.presence === 'forbidden')) return 'warn';
  return 'normal';
}

export function fleetSystemsTable(contexts: readonly string[]): TableDef<FleetSystemRow> {
  const perCluster = clusterColumns<FleetSystemRow>(contexts, (r, i) => { const c = r.clusters[i]?.counters; return c ? `${c.ready}/${c.pods}` : undefined; });
  return {
    key: (r) => r.name,
    defaultSort: 'name',
    tone,
    filterText: (r) => r.name,
    columns: [
      { id: 'name', title: 'SYSTEM', width: 'flex', sortKey: 'N', text: (r) => r.displayName, compare: byString((r) => r.displayName) },
      { id: 'apps', title: 'APPS', width: 5, align: 'right', sortKey: 'P', text: (r) => String(r.total.apps), compare: byNumber((r) => r.total.apps), minTerminalWidth: 100 },
      { id: 'pods', title: 'PODS', width: 11, align: 'right', sortKey: 'O', text: (r) => `${r.total.ready}/${r.total.pods}`, compare: byNumber((r) => r.total.pods) },
      { id: 'notready', title: 'NOT READY', width: 9, align: 'right', sortKey: 'Y', worstFirst: true, text: (r) => String(r.total.pods - r.total.ready), compare: byNumber((r) => r.total.pods - r.total.ready), minTerminalWidth: 90 },
      { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', worstFirst: true, text: (r) => String(r.total.restarts), compare: byNumber((r) => r.total.restarts), minTerminalWidth: 110 },
      ...perCluster,
    ],
  };
}

export const fleetSystemsView: ListViewDescriptor<'fleet-systems'> = {
  id: 'fleet-systems',
  title: 'Fleet',
  commands: ['systems', 'sys', 'system'],
  fleet: true,
  widestTable: () => fleetSystemsTable([]),
  model({ contexts, view, filter, filterError, now }) {
    const def = fleetSystemsTable(contexts.map((c) => c.contextName));
    const clusters = fleetClusters(contexts, now, filter);
    const all = fleetSystemRows(clusters);
    const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
    return {
      kind: 'fleet-systems', descriptor: fleetSystemsView, def, rows, total: all.length, filter, filterError,
      problem: downLine(clusters),
      changedAt: () => undefined,
    };
  },
  drill: (r) => ({ kind: 'fleet-apps', namespace: r.name }),
  // The namespace in the first cluster that has it.
  ref: (r) => {
    const here = r.clusters.find((c) => c.presence === 'here');
    return here && { context: here.cluster, group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', name: r.name };
  },
  drillHelp: 'applications of the system in every cluster',
  // `/-l` goes to every cluster (the console sends a fleet view's feed to each).
  feed: (view, selector) => (selector ? { kind: 'selector', resources: ['namespaces'], namespace: view.namespace, selector } : undefined),
  keys: [
    fleetScaleSystemKey,
    // No cluster: the logs pane merges every cluster's lines of it; each chart has a series per cluster.
    logsKey<'fleet-systems'>('system in every cluster, merged by time (each line tagged with its cluster)', (r) => ({ namespace: r.name })),
    metricsKey<'fleet-systems'>('system over the fleet, one series per cluster', (r) => ({ namespace: r.name })),
    timelineKey<'fleet-systems'>('system in every cluster, merged (each entry tagged with its cluster)', (r) => ({ namespace: r.name })),
    fleetUndoKey<'fleet-systems'>(),
    rowKey('row.pods', ['p'], 'all pods of the system in every cluster', (r, { runtime }) => runtime.nav.push({ kind: 'fleet-pods', namespace: r.name })),
    ...clusterKeys<'fleet-systems'>('system', (r, ctx) => ({ kind: 'apps', context: ctx.contextName, namespace: r.name })),
  ],
};
