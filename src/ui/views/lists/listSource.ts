import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import { ClusterStore, type ResourceName } from '../../../platform/stores/clusterStore.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import type { ParsedFilter } from '../tableModel.js';

// Where a list view's rows come from, and the watch problem it should show.

/** Rows of a server-filtered view before its feed exists: none, rather than unfiltered ones. */
const noRows = new ClusterStore();

/** The filter a view applies itself: none for a `/-l` selector (the server applied it). */
export const noFilter: ParsedFilter = { kind: 'none', value: '' };

export function localFilter(filter: ParsedFilter): ParsedFilter {
  return filter.kind === 'labels' ? noFilter : filter;
}

/** With `/-l`, rows come from the runtime's server-filtered feed (counters stay in the cluster store). */
export function rowSource(ctx: ContextRuntime, filter: ParsedFilter): ClusterStore {
  return filter.kind === 'labels' ? (ctx.viewSelectorStore() ?? noRows) : ctx.store;
}

/** The first watch problem of `names` that concerns `view`: a 403 (per system or cluster-wide), a failed watch. */
export function watchProblem(source: ClusterStore, view: ViewState, names: ResourceName[], forbiddenCountsRows: boolean): string | undefined {
  for (const n of names) {
    const table = source.tables[n];
    // Per-system 403s (after falling back from a forbidden cluster-wide list).
    if (view.namespace && table.forbidden.has(view.namespace)) return table.forbidden.get(view.namespace);
    if (!view.namespace && table.forbidden.size) {
      return `${n} forbidden in ${[...table.forbidden.keys()].sort().join(', ')}: counts there are unknown (${table.forbidden.values().next().value})`;
    }
    const st = table.watchStatus;
    if (st.kind === 'failed') return `${n}: ${st.message}`;
    if (st.kind === 'forbidden' && (n === 'namespaces' || forbiddenCountsRows)) return st.message;
  }
  return undefined;
}
