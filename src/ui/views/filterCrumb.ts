import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { WatchStatus } from '../../platform/kube/watchTypes.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import type { ListModel } from './useListModel.js';
import { rejectedSearch } from './logsLines.js';

// The breadcrumb's `filter: …` part. A filter that is not in effect (an invalid /re: or
// /-l, a selector the API server refused, a log search the store rejected or that was
// cancelled) is marked, so the rows or
// lines on screen are never read as its results; the status line or the pane says why.

export const NOT_APPLIED = '✗ not applied';

export function filterCrumb(filter: string, problem: string | undefined): string {
  if (!filter) return '';
  return `  filter: ${filter}${problem ? ` ${NOT_APPLIED}` : ''}`;
}

/**
 * Why the current view's filter is not applied: the list model's parse error, the API
 * server's refusal of a `/-l` selector (the list is empty for that reason, not because
 * nothing matches), or the logs store's rejection of the `/` line. Re-renders only when that
 * answer changes, not on every batch of log lines.
 */
export function useFilterProblem(runtime: ConsoleRuntime, view: ViewState, model: ListModel | undefined): string | undefined {
  const logs = runtime.ctx.logs;
  const rejected = useSyncExternalStore(logs.subscribe, () => (view.kind === 'logs' ? rejectedSearch(logs.getSnapshot(), view.filter) : undefined));
  if (model?.filterError) return model.filterError;
  if (model?.filter.kind === 'labels') return refusedSelector(runtime.ctx.viewSelectorStore()?.statuses() ?? []);
  return rejected;
}

/** A list+watch with the selector failed for good (a 400 for a bad selector), not a reconnect. */
export function refusedSelector(statuses: ReadonlyArray<readonly [string, WatchStatus]>): string | undefined {
  for (const [name, status] of statuses) if (status.kind === 'failed') return `${name}: ${status.message}`;
  return undefined;
}
