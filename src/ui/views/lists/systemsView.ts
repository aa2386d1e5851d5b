import { systemRows, type SystemRow } from '../../../platform/stores/clusterQueries.js';
import { formatAge } from '../../format.js';
import { scaleSystemKey, undoKey } from '../scaleRowActions.js';
import { byNumber, byString, computeModel, type TableDef } from '../tableModel.js';
import { localFilter, rowSource, watchProblem } from './listSource.js';
import { rowKey, type ListViewDescriptor } from './listView.js';
import { logsKey, metricsKey, timelineKey } from './scopeKeys.js';

// Systems: one row per namespace with its applications and pods' health.

export const systemsTable: TableDef<SystemRow> = {
  key: (r) => r.ns.uid,
  defaultSort: 'name',
  // A forbidden system's zeros are unknowns: it must not read as a healthy one.
  tone: (r) => (r.counters.pods - r.counters.ready > 0 ? 'warn' : r.podsForbidden || r.appsForbidden ? 'unknown' : r.ns.phase === 'Terminating' ? 'dim' : 'normal'),
  filterText: (r) => r.ns.name,
  columns: [
    { id: 'name', title: 'SYSTEM', width: 'flex', sortKey: 'N', text: (r) => r.ns.displayName, compare: byString((r) => r.ns.displayName) },
    { id: 'ns', title: 'NAMESPACE', width: 18, text: (r) => r.ns.name, minTerminalWidth: 90 },
    { id: 'apps', title: 'APPS', width: 5, align: 'right', sortKey: 'P', text: (r) => (r.appsForbidden ? '?' : String(r.counters.apps)), compare: byNumber((r) => r.counters.apps) },
    { id: 'pods', title: 'PODS', width: 13, align: 'right', sortKey: 'O', text: (r) => (r.podsForbidden ? 'forbidden' : `${r.counters.ready}/${r.counters.pods}`), compare: byNumber((r) => r.counters.pods) },
    { id: 'notready', title: 'NOT READY', width: 9, align: 'right', sortKey: 'Y', worstFirst: true, text: (r) => (r.podsForbidden ? '' : String(r.counters.pods - r.counters.ready)), compare: byNumber((r) => r.counters.pods - r.counters.ready) },
    { id: 'restarts', title: 'RESTARTS', width: 8, align: 'right', sortKey: 'R', worstFirst: true, text: (r) => (r.podsForbidden ? '' : String(r.counters.restarts)), compare: byNumber((r) => r.counters.restarts) },
    { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.ns.createdAt, now), compare: byNumber((r) => -r.ns.createdAt) },
  ],
};

const scope = ({ ns }: SystemRow) => ({ namespace: ns.name });

export const systemsView: ListViewDescriptor<'systems'> = {
  id: 'systems',
  title: 'Systems',
  commands: ['systems', 'sys', 'system'],
  widestTable: () => systemsTable,
  model({ ctx, view, filter, filterError, now }) {
    const source = rowSource(ctx, filter);
    const all = systemRows(ctx.store, source);
    const rows = computeModel({ def: systemsTable, rows: all, filter: localFilter(filter), sort: view.sort, now });
    return {
      kind: 'systems', descriptor: systemsView, def: systemsTable, rows, total: all.length, filter, filterError,
      problem: watchProblem(source, view, ['namespaces', 'pods'], false),
      changedAt: (r) => source.namespaces.changedAt.get(r.ns.uid),
    };
  },
  drill: ({ ns }) => ({ kind: 'apps', namespace: ns.name }),
  ref: ({ ns }) => ({ group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', name: ns.name, uid: ns.uid.startsWith('ns:') ? undefined : ns.uid }),
  drillHelp: 'applications of the system',
  keys: [
    rowKey('row.pods', ['p'], 'all pods of the system', ({ ns }, { runtime }) => runtime.nav.push({ kind: 'pods', namespace: ns.name })),
    logsKey('system', scope),
    metricsKey('system', scope),
    timelineKey('system', scope),
    scaleSystemKey,
    undoKey(),
  ],
  feed: (view, selector) => (selector ? { kind: 'selector', resources: ['namespaces'], namespace: view.namespace, selector } : undefined),
};
