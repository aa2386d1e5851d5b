import { useEffect, useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { SparkRow } from '../../platform/metrics/sparklineStore.js';
import type { FleetSparkRow } from '../../platform/metrics/fleetSparklines.js';
import type { ListModelOf, ListViewId } from './lists/listView.js';

// Tells the sparkline store which rows are on screen (it fetches them in one query) and
// re-renders when their samples arrive. Views whose descriptor has `sparkRows` have them; a
// fleet view's `fleetSparkRows` go to each cluster's store (runtime.fleetSparklines).

function visibleSparkRows<K extends ListViewId>(runtime: ConsoleRuntime, model: ListModelOf<K>, top: number, height: number): SparkRow[] {
  return model.descriptor.sparkRows?.(runtime.ctx, model.rows.slice(top, top + height)) ?? [];
}

function visibleFleetSparkRows<K extends ListViewId>(runtime: ConsoleRuntime, model: ListModelOf<K>, top: number, height: number): FleetSparkRow[] {
  return model.descriptor.fleetSparkRows?.(runtime.contexts, model.rows.slice(top, top + height)) ?? [];
}

/** The rows asked for, as a string: the store is asked again only when it changes. */
const sparkRowsKey = (rows: readonly SparkRow[]) => rows.map((r) => `${r.key}:${r.pods.length}`).join(',');

export function useSparklines(runtime: ConsoleRuntime, model: ListModelOf<ListViewId> | undefined, top: number, height: number): void {
  const fleetStore = runtime.fleetSparklines;
  const ctxStore = runtime.ctx.sparklines;
  const fleet = model?.descriptor.fleet === true;
  const store = fleet ? fleetStore : ctxStore;
  useSyncExternalStore(store.subscribe, store.getSnapshot as () => object);
  const on = model !== undefined && store.enabled();
  const fleetRows = on && fleet ? visibleFleetSparkRows(runtime, model, top, height) : [];
  const rows = on && !fleet ? visibleSparkRows(runtime, model, top, height) : [];
  const wanted = fleet ? fleetRows.map((r) => `${r.key}=${sparkRowsKey(r.parts.map((p) => p.row))}`).join(',') : sparkRowsKey(rows);
  useEffect(() => {
    // Off a fleet view, its clusters stop refreshing the fleet's rows (the view's own store is asked next).
    if (fleet) fleetStore.want(fleetRows);
    else {
      if (runtime.fleet) fleetStore.want([]);
      ctxStore.want(rows);
    }
    // `wanted` stands for the rows: the stores are asked again only when the rows on screen change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [fleetStore, ctxStore, fleet, wanted]);
}
