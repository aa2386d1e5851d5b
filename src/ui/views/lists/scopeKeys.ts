import type { ViewState } from '../../../platform/stores/navStore.js';
import type { Binding } from '../../keys/keymap.js';
import { metricsViewFor } from '../metricsView.js';
import { rowKey, type ListViewId, type RowKeyContext, type RowTypes } from './listView.js';

// `l` and `m` on a system, an application or a pod: its logs, its charts. Each list view says
// what its row stands for (rowScope); the keys are the same on all of them.

export interface RowScope {
  namespace: string;
  app?: ViewState['app'];
  pod?: string;
}

export function logsKey<K extends ListViewId>(what: string, scopeOf: (row: RowTypes[K], view: ViewState) => RowScope): Binding<RowKeyContext<K>> {
  return rowKey('row.logs', ['l'], `logs of the ${what}`, (row, { runtime, view }) => runtime.nav.push({ kind: 'logs', ...scopeOf(row, view) }));
}

export function metricsKey<K extends ListViewId>(what: string, scopeOf: (row: RowTypes[K], view: ViewState) => RowScope): Binding<RowKeyContext<K>> {
  return rowKey('row.metrics', ['m'], `metrics: charts of the ${what}`, (row, { runtime, view }) => runtime.nav.push(metricsViewFor(scopeOf(row, view))));
}

export function timelineKey<K extends ListViewId>(what: string, scopeOf: (row: RowTypes[K], view: ViewState) => RowScope): Binding<RowKeyContext<K>> {
  return rowKey('row.timeline', ['T'], `timeline of the ${what}: rollouts, scale changes, restarts, warnings, alerts, error spikes, consoles' changes`, (row, { runtime, view }) => runtime.nav.push({ kind: 'timeline', ...scopeOf(row, view) }));
}
