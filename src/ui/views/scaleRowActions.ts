import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { appRows, type AppRow } from '../../platform/stores/clusterQueries.js';
import type { Presence } from '../../platform/stores/fleetQueries.js';
import { markScope } from '../../platform/stores/markStore.js';
import type { WorkloadRef } from '../../platform/actions/workloadRef.js';
import type { DialogTarget } from '../../platform/stores/scaleDialogStore.js';
import type { Binding } from '../keys/keymap.js';
import { rowKey, type ListViewId, type RowKeyContext } from './lists/listView.js';

// Keys that change applications: s scale (one, the marked ones, or a whole system), S scale
// every application the list shows (after a filter), r rollout restart, u undo the last scale.
// They only open the dialog; the dialog's store does the work through platform/actions.

function target(r: AppRow): DialogTarget {
  return { ref: { kind: r.w.kind, namespace: r.w.namespace, name: r.w.name }, desired: r.w.desired, ready: r.w.ready };
}

/** Why a fleet's cluster is not asked: it does not answer, or you may not list the system there. */
function leftOutReason(presence: Presence, namespace: string): string | undefined {
  if (presence === 'down') return 'does not answer';
  if (presence === 'forbidden') return `you may not list ${namespace} there`;
  return undefined;
}

/**
 * A fleet's targets: `refs` in each cluster, cluster by cluster in the columns' order; where a
 * cluster has an application it is scaled from its own count, where it does not answer or may
 * not be listed it is listed and left out, where it lacks the application it is not listed.
 */
function fleetTargets(runtime: ConsoleRuntime, refs: readonly WorkloadRef[], presence: ReadonlyArray<{ cluster: string; presence: Presence }>): DialogTarget[] {
  return presence.flatMap(({ cluster, presence: p }) => {
    const ctx = runtime.contextNamed(cluster);
    const rows = ctx ? new Map(appRows(ctx.store, refs[0]?.namespace).map((r) => [`${r.w.kind}/${r.w.name}`, r])) : new Map<string, AppRow>();
    return refs.flatMap((ref): DialogTarget[] => {
      const leftOut = leftOutReason(p, ref.namespace);
      if (leftOut) return [{ ref, context: cluster, desired: 0, ready: 0, leftOut }];
      const row = rows.get(`${ref.kind}/${ref.name}`);
      return row ? [{ ...target(row), context: cluster }] : [];
    });
  });
}

export const fleetScaleAppKey = rowKey<'fleet-apps'>('row.scale', ['s'], 'scale the application in every cluster that has it: x2 doubles each one\'s own count (one preview, a typed confirmation)', (r, { runtime }) => {
  const ref: WorkloadRef = { kind: r.kind, namespace: r.namespace, name: r.name };
  const targets = fleetTargets(runtime, [ref], r.clusters);
  runtime.fleetScale.openBulk(targets, `Scale ${r.kind} ${r.namespace}/${r.name} in ${new Set(targets.map((t) => t.context)).size} clusters`);
});

export const fleetScaleSystemKey = rowKey<'fleet-systems'>('row.scale', ['s'], 'scale all applications of the system in every cluster (one preview, a typed confirmation)', (r, { runtime }) => {
  // The applications any cluster that answers has, by name.
  const refs = new Map<string, WorkloadRef>();
  for (const c of r.clusters) {
    const ctx = c.presence === 'here' ? runtime.contextNamed(c.cluster) : undefined;
    for (const a of ctx ? appRows(ctx.store, r.name) : []) refs.set(`${a.w.kind}/${a.w.name}`, { kind: a.w.kind, namespace: a.w.namespace, name: a.w.name });
  }
  const sorted = [...refs.values()].sort((a, b) => a.name.localeCompare(b.name));
  const targets = fleetTargets(runtime, sorted, r.clusters);
  runtime.fleetScale.openBulk(targets, `Scale system ${r.name} in ${new Set(targets.map((t) => t.context)).size} clusters: ${sorted.length} applications`);
});

/** `u` on a fleet view: restore every cluster's counts from before the last scale over the fleet. */
export function fleetUndoKey<K extends 'fleet-apps' | 'fleet-systems'>(): Binding<RowKeyContext<K>> {
  return {
    action: 'scale.undo',
    keys: ['u'],
    help: 'undo the last scale over the fleet (every cluster back to its previous counts, with a preview)',
    run: ({ runtime }) => runtime.fleetScale.undoLast(),
  };
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
