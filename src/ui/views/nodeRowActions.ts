import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { nodeTarget } from '../../platform/actions/nodeCordon.js';
import { ReadOnlyError } from '../../platform/actions/readOnlyGuard.js';
import { describeError } from '../../platform/errors.js';
import { markScope } from '../../platform/stores/markStore.js';
import type { NodeTarget } from '../../platform/stores/nodeActionStore.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { rowKey, type RowKeyContext } from './lists/listView.js';
import type { NodeListRow } from './lists/nodesView.js';

// Keys on the Nodes view: Space marks, c cordons (uncordons when all are), u uncordons, D (or r, k9s' key) drains; the marked nodes (else the
// selected one), in the view's cluster, through its gate (read-only refuses before a preview).

const targetOf = ({ node }: NodeListRow): NodeTarget => ({ name: node.name, uid: node.uid, unschedulable: node.status.split(',').includes('SchedulingDisabled') });

function chosen(row: NodeListRow, { runtime, view, model }: RowKeyContext<'nodes'>): NodeTarget[] {
  const marked = runtime.ctx.marks.marked(markScope(view));
  const rows = marked.size ? model.rows.filter((r) => marked.has(r.node.uid)) : [row];
  return rows.map(targetOf);
}

/** Read-only refuses before any preview (and says so); true when the change may be offered. */
function writable(runtime: ConsoleRuntime, action: string, nodes: NodeTarget[]): boolean {
  const gate = runtime.ctx.gate;
  try {
    gate.assertWritable(action);
    return true;
  } catch (err) {
    if (err instanceof ReadOnlyError) void gate.note(nodes.map((n) => gate.record({ action, target: nodeTarget(n.name, n.uid) }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`))).catch(() => undefined);
    runtime.nav.say(describeError(err), 'error');
    return false;
  }
}

export const nodeMarkKey = rowKey<'nodes'>('row.mark', ['space'], 'mark / unmark the node (c and D act on the marked ones; Esc clears marks)', ({ node }, { runtime, view, cursor, moveTo }) => {
  runtime.ctx.marks.toggle(markScope(view as ViewState), node.uid);
  moveTo(cursor + 1);
});

export const cordonKey = rowKey<'nodes'>('row.cordon', ['c'], 'cordon the node (or the marked ones); uncordon when they all are: previewed, audited', (row, c) => {
  const nodes = chosen(row, c);
  if (!writable(c.runtime, 'cordon', nodes)) return;
  c.runtime.nodeActions.openCordon(c.runtime.ctx.gate, nodes);
});

export const uncordonKey = rowKey<'nodes'>('row.uncordon', ['u'], 'uncordon the node (or the marked ones): previewed, audited', (row, c) => {
  const nodes = chosen(row, c);
  if (!writable(c.runtime, 'uncordon', nodes)) return;
  c.runtime.nodeActions.openCordon(c.runtime.ctx.gate, nodes, 'uncordon');
});

export const drainKey = rowKey<'nodes'>('row.drain', ['D', 'r'], 'drain the node (or the marked ones): cordon, then evict its pods honouring disruption budgets; Esc stops', (row, c) => {
  const nodes = chosen(row, c);
  if (!writable(c.runtime, 'drain', nodes)) return;
  c.runtime.nodeActions.openDrain(c.runtime.ctx.gate, nodes);
});
