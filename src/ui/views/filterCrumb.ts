import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { rejectedSearch } from './logsLines.js';

// The breadcrumb's `filter: …` part. A filter that is not in effect (an invalid /re: or
// /-l, a log search the store rejected or that was cancelled) is marked, so the rows or
// lines on screen are never read as its results; the status line or the pane says why.

export const NOT_APPLIED = '✗ not applied';

export function filterCrumb(filter: string, problem: string | undefined): string {
  if (!filter) return '';
  return `  filter: ${filter}${problem ? ` ${NOT_APPLIED}` : ''}`;
}

/**
 * Why the current view's filter is not applied: the list model's parse error, or the logs
 * store's rejection of the `/` line. Re-renders only when that answer changes, not on every
 * batch of log lines.
 */
export function useFilterProblem(runtime: ConsoleRuntime, view: ViewState, filterError: string | undefined): string | undefined {
  const logs = runtime.ctx.logs;
  const rejected = useSyncExternalStore(logs.subscribe, () => (view.kind === 'logs' ? rejectedSearch(logs.getSnapshot(), view.filter) : undefined));
  return filterError ?? rejected;
}
