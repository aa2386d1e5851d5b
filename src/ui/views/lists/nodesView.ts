import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { NodeRow } from '../../../platform/kube/rows.js';
import type { NodeUsage } from '../../../platform/metrics/nodeMetricsStore.js';
import { tableFeed } from '../../../platform/stores/listState.js';
import { formatAge } from '../../format.js';
import { byNumber, byString, computeModel, type TableDef, type Tone } from '../tableModel.js';
import { localFilter } from './listSource.js';
import type { ListViewDescriptor } from './listView.js';
import { cordonKey, drainKey, nodeMarkKey, uncordonKey } from '../nodeRowActions.js';

// Nodes: their state (Ready, NotReady, SchedulingDisabled), roles, zone, pods against
// capacity, CPU and memory requested and used (Prometheus, where the context has one; the
// columns are left out, not guessed, where it has none), taints, age. Problems first.
// Enter lists the node's pods.

export interface NodeListRow {
  node: NodeRow;
  /** Pods on the node that are not finished. */
  pods: number;
  usage?: NodeUsage;
}

const FINISHED = new Set(['Completed', 'Succeeded', 'Failed', 'Evicted']);

/** NotReady (or Unknown) first, then nodes under pressure, then cordoned ones, then the healthy. */
export function nodeSeverity(n: NodeRow): number {
  const parts = n.status.split(',');
  if (!parts.includes('Ready')) return 0;
  if (n.pressure.length) return 1;
  if (parts.includes('SchedulingDisabled')) return 2;
  return 3;
}

function nodeTone({ node }: NodeListRow): Tone {
  const s = nodeSeverity(node);
  return s === 0 ? 'error' : s < 3 ? 'warn' : 'normal';
}

/** `SchedulingDisabled` for a ready cordoned node, the printer's words otherwise; pressure conditions after. */
function statusText(n: NodeRow): string {
  const base = n.status.startsWith('Ready,') ? n.status.slice('Ready,'.length) : n.status;
  return n.pressure.length ? `${base},${n.pressure.join(',')}` : base;
}

const percent = (used: number | undefined, of: number): string => (used === undefined || !of ? '' : `${Math.round((100 * used) / of)}%`);

export function nodesTable(withUsage: boolean): TableDef<NodeListRow> {
  return {
    key: (r) => r.node.uid,
    defaultSort: 'status',
    tone: nodeTone,
    filterText: (r) => `${r.node.roles} ${r.node.taints.join(' ')}`,
    columns: [
      { id: 'name', title: 'NODE', width: 'flex', sortKey: 'N', text: (r) => r.node.name, compare: byString((r) => r.node.name) },
      { id: 'status', title: 'STATUS', width: 18, sortKey: 'S', text: (r) => statusText(r.node), compare: byNumber((r) => nodeSeverity(r.node)) },
      { id: 'roles', title: 'ROLES', width: 13, sortKey: 'O', text: (r) => r.node.roles, minTerminalWidth: 110 },
      { id: 'zone', title: 'ZONE', width: 14, sortKey: 'Z', text: (r) => r.node.zone, minTerminalWidth: 120 },
      { id: 'pods', title: 'PODS', width: 7, align: 'right', sortKey: 'P', text: (r) => (r.node.podCapacity ? `${r.pods}/${r.node.podCapacity}` : String(r.pods)), compare: byNumber((r) => (r.node.podCapacity ? r.pods / r.node.podCapacity : r.pods)) },
      ...(withUsage
        ? [
            { id: 'cpu', title: 'CPU', width: 4, align: 'right' as const, sortKey: 'C', text: (r: NodeListRow) => percent(r.usage?.cpuUsage, r.node.cpuAllocatable), compare: byNumber((r: NodeListRow) => (r.usage?.cpuUsage ?? 0) / (r.node.cpuAllocatable || 1)) },
            { id: 'mem', title: 'MEM', width: 4, align: 'right' as const, sortKey: 'M', text: (r: NodeListRow) => percent(r.usage?.memoryUsage, r.node.memoryAllocatable), compare: byNumber((r: NodeListRow) => (r.usage?.memoryUsage ?? 0) / (r.node.memoryAllocatable || 1)) },
            { id: 'cpureq', title: 'CPU/R', width: 5, align: 'right' as const, sortKey: 'Q', text: (r: NodeListRow) => percent(r.usage?.cpuRequests, r.node.cpuAllocatable), compare: byNumber((r: NodeListRow) => (r.usage?.cpuRequests ?? 0) / (r.node.cpuAllocatable || 1)), minTerminalWidth: 100 },
            { id: 'memreq', title: 'MEM/R', width: 5, align: 'right' as const, sortKey: 'W', text: (r: NodeListRow) => percent(r.usage?.memoryRequests, r.node.memoryAllocatable), compare: byNumber((r: NodeListRow) => (r.usage?.memoryRequests ?? 0) / (r.node.memoryAllocatable || 1)), minTerminalWidth: 100 },
          ]
        : []),
      { id: 'taints', title: 'TAINTS', width: 6, align: 'right', sortKey: 'T', text: (r) => String(r.node.taints.length), compare: byNumber((r) => r.node.taints.length), minTerminalWidth: 90 },
      { id: 'version', title: 'VERSION', width: 10, sortKey: 'V', text: (r) => r.node.version, minTerminalWidth: 140 },
      { id: 'age', title: 'AGE', width: 7, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.node.createdAt, now), compare: byNumber((r) => -r.node.createdAt) },
    ],
  };
}

/** The unfinished pods on each node, from the cluster store's index of pods by node. */
function podsOn(ctx: ContextRuntime, node: string): number {
  let n = 0;
  for (const p of ctx.store.podsOnNode.get(node)?.values() ?? []) if (!FINISHED.has(p.status)) n++;
  return n;
}

export const nodesView: ListViewDescriptor<'nodes'> = {
  id: 'nodes',
  title: 'Nodes',
  commands: ['nodes', 'node', 'no'],
  widestTable: () => nodesTable(true),
  model({ ctx, view, filter, filterError, now }) {
    // The view's own list+watch of whole node objects (with the `/-l` selector), run while it is open.
    const source = ctx.viewTable('nodes')?.rows;
    const metrics = ctx.nodeMetrics;
    const withUsage = metrics.enabled();
    const def = nodesTable(withUsage);
    const all = [...(source?.rows.values() ?? [])].map((node): NodeListRow => ({ node, pods: podsOn(ctx, node.name), usage: withUsage ? metrics.get(node.name) : undefined }));
    const rows = computeModel({ def, rows: all, filter: localFilter(filter), sort: view.sort, now });
    const st = source?.watchStatus;
    const watchProblem = st?.kind === 'failed' || st?.kind === 'forbidden' ? `nodes: ${st.message}` : st?.kind === 'reconnecting' ? `nodes: reconnecting (${st.reason})` : undefined;
    const usageProblem = withUsage && metrics.problem ? `CPU/MEM: ${metrics.problem}` : undefined;
    return { kind: 'nodes', descriptor: nodesView, def, rows, total: all.length, filter, filterError, problem: watchProblem ?? usageProblem, changedAt: (r) => source?.changedAt.get(r.node.uid) };
  },
  drill: (r) => ({ kind: 'pods', node: r.node.name }),
  drillHelp: "the node's pods",
  keys: [nodeMarkKey, cordonKey, uncordonKey, drainKey],
  feed: (_view, selector) => ({ kind: 'nodes', ...(selector ? { selector } : {}) }),
  ref: (r) => ({ group: '', version: 'v1', resource: 'nodes', kind: 'Node', name: r.node.name, uid: r.node.uid }),
};

/** The feed the Nodes view's list state reads. */
export function nodesFeed(ctx: ContextRuntime) {
  const t = ctx.viewTable('nodes')?.rows;
  return t ? tableFeed('nodes', t) : { resource: 'nodes', status: { kind: 'listing' as const }, synced: false };
}
