import { fleetSystemRows, type FleetSystemRow } from '../../../platform/stores/fleetQueries.js';
import { byNumber, byString, computeModel, type Column, type TableDef, type Tone } from '../tableModel.js';
import { absentCell, clusterLabels, fleetClusters } from './fleetClusters.js';
import { localFilter } from './listSource.js';
import { rowKey, type ListViewDescriptor } from './listView.js';

// Systems over the fleet: one row per system (namespace name), its totals and one small column
// per cluster (ready/total there, or why not: absent, forbidden, the cluster is down).

const CLUSTER_COLUMN = 9;

function tone(r: FleetSystemRow): Tone {
  if (r.clusters.some((c) => c.presence === 'down')) return 'error';
  if (r.total.pods > r.total.ready || r.clusters.some((c) => c.presence === 'forbidden')) return 'warn';
  return 'normal';
}

export function fleetSystemsTable(contexts: readonly string[]): TableDef<FleetSystemRow> {
  const labels = clusterLabels(contexts, CLUSTER_COLUMN);
  const perCluster = contexts.map((context, i): Column<FleetSystemRow> => ({
    id: `cluster:${context}`,
    title: labels[i],
    width: CLUSTER_COLUMN,
    align: 'right',
    text: (r) => {
      const c = r.clusters[i];
      return c?.presence === 'here' && c.counters ? `${c.counters.ready}/${c.counters.pods}` : absentCell(c?.presence === 'here' || !c ? 'absent' : c.presence);
    },
  }));
  return {
    key: (r) => r.name,
    defaultSort: 'name',
    tone,
    filterText: (r) => r.name,
    columns: [
      { id: 'name', title: 'SYSTEM', width: 'flex', sortKey: 'N', text: (r) => r.displayName, compare: byString((r) => r.displayName) },
      { id: 'apps', title: 'APPS', width: 5, align: 'right', sortKey: 'P', text: (r) => String(r.total.apps), compare: byNumber((r) => r.total.apps), minTerminalWidth: 100 },
      { id: 'pods', title: 'PODS', width: 11, align: 'right', sortKey: 'O', text: (r) => `${r.total.ready}/${r.total.pods}`, compare: byNumber((r) => r.total.pods) },
      { id: 'notready', title: 'NOT READY', width: 9, align: 'right', sortKey: 'Y', text: (r) => String(r.total.pods - r.total.ready), compare: byNumber((r) => r.total.pods - r.total.ready), minTerminalWidth: 90 },
      { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', text: (r) => String(r.total.restarts), compare: byNumber((r) => r.total.restarts), minTerminalWidth: 110 },
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
    const all = fleetSystemRows(fleetClusters(contexts, now));
    const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
    const down = fleetClusters(contexts, now).filter((c) => c.down).map((c) => c.name);
    return {
      kind: 'fleet-systems', descriptor: fleetSystemsView, def, rows, total: all.length, filter, filterError,
      problem: down.length ? `not answering: ${down.join(', ')} (their columns say ✗ down; the other clusters are live)` : undefined,
      changedAt: () => undefined,
    };
  },
  drill: (r) => ({ kind: 'fleet-apps', namespace: r.name }),
  drillHelp: 'applications of the system in every cluster',
  keys: [
    rowKey('row.pods', ['p'], 'all pods of the system in every cluster', (r, { runtime }) => runtime.nav.push({ kind: 'fleet-pods', namespace: r.name })),
    ...Array.from({ length: 9 }, (_, i) =>
      rowKey<'fleet-systems'>(`fleet.cluster-${i + 1}`, [String(i + 1)], i === 0 ? 'the system in cluster 1 (2, 3, … the next columns): scale, logs, metrics there' : `the system in cluster ${i + 1}`, (r, { runtime }) => {
        const ctx = runtime.contexts[i];
        if (!ctx) return runtime.nav.say(`the fleet has ${runtime.contexts.length} clusters`, 'warn');
        runtime.nav.push({ kind: 'apps', context: ctx.contextName, namespace: r.name });
      }),
    ),
  ],
};
