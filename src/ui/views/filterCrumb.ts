import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { WatchStatus } from '../../platform/kube/watchTypes.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import type { ListModel } from './lists/listView.js';
import { rejectedSearch } from './logsLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// The breadcrumb's `filter: …` part. A filter that is not in effect (an invalid /re: or
// /-l, a selector the API server refused, a log search the store rejected or that was
// cancelled) is marked, so the rows or
// lines on screen are never read as its results; the status line or the pane says why.

/** The breadcrumb's mark of a filter not in effect: `✗ not applied`. */
export const notApplied = (): string => `${glyphs.cross} not applied`;

export function filterCrumb(filter: string, problem: string | undefined): string {
  if (!filter) return '';
  return `  filter: ${filter}${problem ? ` ${notApplied()}` : ''}`;
}

const len = (s: string) => Array.from(s).length;
/** The path keeps at least this much when a filter has to share a narrow line. */
const MIN_PATH = 24;
/** A filter text shortened below this takes room from the path instead. */
const MIN_FILTER_TEXT = 16;

/**
 * The whole breadcrumb line within `width` (80 columns cut the filter and its mark off the
 * end): the filter and its mark keep their place; a long filter text is shortened, then the
 * path gives way from its start, so the current view's name and the counts at its end stay.
 */
export function crumbLine(path: string, filter: string, problem: string | undefined, width: number): string {
  const full = path + filterCrumb(filter, problem);
  if (!filter || len(full) <= width) return full;
  const label = '  filter: ';
  const mark = problem ? ` ${notApplied()}` : '';
  let textRoom = width - len(path) - label.length - mark.length;
  if (textRoom < MIN_FILTER_TEXT) textRoom = Math.max(4, width - Math.min(len(path), MIN_PATH) - label.length - mark.length);
  const chars = Array.from(filter);
  const tail = `${label}${chars.length <= textRoom ? filter : `${chars.slice(0, textRoom - 1).join('')}${glyphs.cut}`}${mark}`;
  const pathRoom = width - len(tail);
  const p = Array.from(path);
  return `${p.length <= pathRoom ? path : ` ${glyphs.cut}${p.slice(p.length - Math.max(0, pathRoom - 2)).join('')}`}${tail}`;
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
