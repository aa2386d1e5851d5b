import { useEffect, useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { appCounterKey } from '../../platform/stores/clusterStore.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import type { SparkRow } from '../../platform/metrics/sparklineStore.js';
import type { PodRow } from '../../platform/kube/rows.js';
import type { AppRow } from './tableDefs.js';

// Tells the sparkline store which rows are on screen (it fetches them in one query) and
// re-renders when their samples arrive. Only the Applications and Pods tables have them.

export function useSparklines(runtime: ConsoleRuntime, view: ViewState, visible: readonly unknown[] | undefined): void {
  const store = runtime.ctx.sparklines;
  useSyncExternalStore(store.subscribe, store.getSnapshot);
  const rows: SparkRow[] = [];
  if (visible && store.enabled()) {
    if (view.kind === 'apps') {
      for (const r of visible as AppRow[]) {
        const pods = runtime.ctx.store.podsInApp.get(appCounterKey(r.w.namespace, `${r.w.kind}/${r.w.name}`));
        rows.push({ key: r.w.uid, namespace: r.w.namespace, pods: pods ? [...pods.values()].map((p) => p.name) : [] });
      }
    } else if (view.kind === 'pods') {
      for (const p of visible as PodRow[]) rows.push({ key: p.uid, namespace: p.namespace, pods: [p.name] });
    }
  }
  const wanted = rows.map((r) => `${r.key}:${r.pods.length}`).join(',');
  useEffect(() => {
    store.want(rows);
    // `wanted` stands for `rows`: the store is asked again only when the rows on screen change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, wanted]);
}
