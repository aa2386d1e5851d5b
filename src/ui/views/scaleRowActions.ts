import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { markScope } from '../../platform/stores/markStore.js';
import type { DialogTarget } from '../../platform/stores/scaleDialogStore.js';
import type { ReplicaSetRow } from '../../platform/kube/rows.js';
import type { RowAction } from './panes.js';
import { appRows, type AppRow, type SystemRow } from './tableDefs.js';

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

export const scaleRowAction: RowAction = {
  key: 's',
  description: 'scale the application (or the marked ones; on a system: all its applications)',
  views: ['systems', 'apps'],
  run(runtime, view, row) {
    const dialog = runtime.ctx.scale;
    if (view.kind === 'systems') {
      const ns = (row as SystemRow).ns.name;
      return dialog.openBulk(systemTargets(runtime, ns), `Scale system ${ns}: all ${appRows(runtime.ctx.store, ns).length} applications`);
    }
    const marked = runtime.ctx.marks.marked(markScope(view));
    if (marked.size > 0) {
      const rows = appRows(runtime.ctx.store, view.namespace).filter((r) => marked.has(r.w.uid)).sort((a, b) => a.w.name.localeCompare(b.w.name));
      return dialog.openBulk(rows.map(target), `Scale ${rows.length} marked application${rows.length === 1 ? '' : 's'}`);
    }
    void dialog.openSingle(target(row as AppRow));
  },
};

export const scaleReplicaSetRowAction: RowAction = {
  key: 's',
  description: 'scale the ReplicaSet / ReplicationController directly (warns when a Deployment owns it)',
  views: ['replicasets'],
  run(runtime, _view, row) {
    const r = row as ReplicaSetRow;
    void runtime.ctx.scale.openSingle({
      ref: { kind: r.kind, namespace: r.namespace, name: r.name },
      desired: r.desired,
      ready: r.ready,
      owner: r.owner || undefined,
    });
  },
};

export const scaleShownRowAction: RowAction = {
  key: 'S',
  description: 'scale every application the list shows (use a / filter first)',
  views: ['apps'],
  run(runtime, view, _row, visible) {
    const rows = (visible ?? []) as AppRow[];
    runtime.ctx.scale.openBulk(rows.map(target), `Scale the ${rows.length} application${rows.length === 1 ? '' : 's'} shown${view.filter ? ` (filter: ${view.filter})` : ''}`);
  },
};

export const restartRowAction: RowAction = {
  key: 'r',
  description: 'rollout restart of the application (previewed, confirmed)',
  views: ['apps'],
  run(runtime, _view, row) {
    const w = (row as AppRow).w;
    void runtime.ctx.scale.openRestart({ kind: w.kind, namespace: w.namespace, name: w.name });
  },
};

export const undoRowAction: RowAction = {
  key: 'u',
  description: 'undo the last scale (restore the previous replica counts, with a preview)',
  views: ['systems', 'apps'],
  run(runtime) {
    runtime.ctx.scale.undoLast();
  },
};
