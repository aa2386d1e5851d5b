import { useEffect, useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { SparkRow } from '../../platform/metrics/sparklineStore.js';
import type { ListModelOf, ListViewId } from './lists/listView.js';

// Tells the sparkline store which rows are on screen (it fetches them in one query) and
// re-renders when their samples arrive. Views whose descriptor has `sparkRows` have them.

function visibleSparkRows<K extends ListViewId>(runtime: ConsoleRuntime, model: ListModelOf<K>, top: number, height: number): SparkRow[] {
  return model.descriptor.sparkRows?.(runtime.ctx, model.rows.slice(top, top + height)) ?? [];
}

export function useSparklines(runtime: ConsoleRuntime, model: ListModelOf<ListViewId> | undefined, top: number, height: number): void {
  const store = runtime.ctx.sparklines;
  useSyncExternalStore(store.subscribe, store.getSnapshot);
  const rows = model && store.enabled() ? visibleSparkRows(runtime, model, top, height) : [];
  const wanted = rows.map((r) => `${r.key}:${r.pods.length}`).join(',');
  useEffect(() => {
    store.want(rows);
    // `wanted` stands for `rows`: the store is asked again only when the rows on screen change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, wanted]);
}
