import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { appRows, type AppRow } from '../../platform/stores/clusterQueries.js';
import { markScope } from '../../platform/stores/markStore.js';
import type { DialogTarget } from '../../platform/stores/scaleDialogStore.js';
import type { Binding } from '../keys/keymap.js';
import { rowKey, type ListViewId, type RowKeyContext } from './lists/listView.js';

// Keys that change applications: s scale (one, the marked ones, or a whole system), S scale
// every application the list shows (after a filter), r rollout restart, u undo the last scale.
// They only open the dialog; the dialog's store does the work through platform/actions.

function target(r: AppRow): DialogTarget {
  return { ref: { kind: r.w.kind, namespace: r.w.namespace, name: r.w.name }, desired: r.w.desired, ready: r.w.ready };
}

function systemTargets(runtime: ConsoleRuntime, namespace: string): DialogTarget[] {
  return appRows(runtime.ctx.store, namespace)
    .sort((a, b) => a.w.name.localeCompare(b.w.name))
    .map(target);
}

export const scaleSystemKey = rowKey<'systems'>('row.scale', ['s'], 'scale all applications of the system', ({ ns }, { runtime }) => {
  runtime.ctx.scale.openBulk(systemTargets(runtime, ns.name), `Scale system ${ns.name}: all ${appRows(runtime.ctx.store, ns.name).length} applications`);
});

export const scaleAppKey = rowKey<'apps'>('row.scale', ['s'], 'scale the application (or the marked ones)', (row, { runtime, view }) => {
  const marked = runtime.ctx.marks.marked(markScope(view));
  if (marked.size > 0) {
    const rows = appRows(runtime.ctx.store, view.namespace).filter((r) => marked.has(r.w.uid)).sort((a, b) => a.w.name.localeCompare(b.w.name));
    runtime.ctx.scale.openBulk(rows.map(target), `Scale ${rows.length} marked application${rows.length === 1 ? '' : 's'}`);
    return;
  }
  void runtime.ctx.scale.openSingle(target(row));
});

export const scaleReplicaSetKey = rowKey<'replicasets'>('row.scale', ['s'], 'scale the ReplicaSet / ReplicationController directly (warns when a Deployment owns it)', (r, { runtime }) => {
  void runtime.ctx.scale.openSingle({ ref: { kind: r.kind, namespace: r.namespace, name: r.name }, desired: r.desired, ready: r.ready, owner: r.owner || undefined });
});

export const scaleShownKey: Binding<RowKeyContext<'apps'>> = {
  action: 'list.scale-shown',
  keys: ['S'],
  help: 'scale every application the list shows (use a / filter first)',
  run: ({ runtime, view, model }) => {
    const rows = model.rows;
    runtime.ctx.scale.openBulk(rows.map(target), `Scale the ${rows.length} application${rows.length === 1 ? '' : 's'} shown${view.filter ? ` (filter: ${view.filter})` : ''}`);
  },
};

export const restartKey = rowKey<'apps'>('row.restart', ['r'], 'rollout restart of the application (previewed, confirmed)', ({ w }, { runtime }) => {
  void runtime.ctx.scale.openRestart({ kind: w.kind, namespace: w.namespace, name: w.name });
});

export function undoKey<K extends ListViewId>(): Binding<RowKeyContext<K>> {
  return {
    action: 'scale.undo',
    keys: ['u'],
    help: 'undo the last scale (restore the previous replica counts, with a preview)',
    run: ({ runtime }) => runtime.ctx.scale.undoLast(),
  };
}
