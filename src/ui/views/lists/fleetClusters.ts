import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { Binding } from '../../keys/keymap.js';
import type { Column, ParsedFilter } from '../tableModel.js';
import { rowSource } from './listSource.js';
import { rowKey, type RowKeyContext, type RowTypes, type ViewInit } from './listView.js';
import { clusterLabels, type FleetCluster, type Presence } from '../../../platform/stores/fleetQueries.js';
import { connectionState } from '../../widgets/connectionState.js';
import { glyphs } from '../../../terminal/glyphs.js';

/** Moved to the platform (the scale dialog reads cluster names typed as labels); the views import it from here. */
export { clusterLabels };

// The fleet's clusters as the fleet views see them: a cluster whose watches are stale or that
// never answered is "down" (its rows are marked, the others stay live).

export function fleetClusters(contexts: readonly ContextRuntime[], now: number, filter?: ParsedFilter): FleetCluster[] {
  return contexts.map((c) => ({
    name: c.contextName,
    store: c.store,
    // With `/-l`, each cluster's rows come from its server-filtered feed.
    rows: filter ? rowSource(c, filter) : undefined,
    down: !c.store.answered() || connectionState(c.store.statuses(), now).level === 'error',
  }));
}

/** A cell for a row that is not in a cluster: why. */
export function absentCell(presence: Exclude<Presence, 'here'>): string {
  return presence === 'down' ? `${glyphs.cross} down` : presence === 'forbidden' ? 'forbid' : glyphs.dash;
}

/** The line that names the clusters that do not answer (the fleet views' problem line). */
export function downLine(clusters: readonly { name: string; down: boolean }[]): string | undefined {
  const down = clusters.filter((c) => c.down).map((c) => c.name);
  return down.length ? `not answering: ${down.join(', ')} (their columns say ${glyphs.cross} down; the other clusters are live)` : undefined;
}

/**
 * Keys 1-9 on a fleet row: the same row in the Nth cluster (the columns' order), as the
 * one-cluster view where scale, restart and :run work.
 */
export function clusterKeys<K extends 'fleet-systems' | 'fleet-apps'>(what: string, open: (row: RowTypes[K], context: ContextRuntime, index: number) => ViewInit): Array<Binding<RowKeyContext<K>>> {
  return Array.from({ length: 9 }, (_, i) =>
    rowKey<K>(`fleet.cluster-${i + 1}`, [String(i + 1)], i === 0 ? `the ${what} in cluster 1 (2, 3, … the next columns): scale, logs, metrics there` : `the ${what} in cluster ${i + 1}`, (row, { runtime }) => {
      const ctx = runtime.contexts[i];
      if (!ctx) return runtime.nav.say(`the fleet has ${runtime.contexts.length} clusters`, 'warn');
      runtime.nav.push(open(row, ctx, i));
    }),
  );
}

const CLUSTER_COLUMN = 9;

/**
 * One small right-aligned column per cluster of a fleet view: `count` of the row there, or why
 * there is none (`✗ down`, `forbid`, `—`).
 */
export function clusterColumns<R extends { clusters: ReadonlyArray<{ presence: Presence }> }>(contexts: readonly string[], count: (row: R, index: number) => string | undefined): Array<Column<R>> {
  const labels = clusterLabels(contexts, CLUSTER_COLUMN);
  return contexts.map((context, i) => ({
    id: `cluster:${context}`,
    title: labels[i],
    width: CLUSTER_COLUMN,
    align: 'right',
    text: (r) => {
      const presence = r.clusters[i]?.presence ?? 'absent';
      const shown = presence === 'here' ? count(r, i) : undefined;
      return shown ?? absentCell(presence === 'here' ? 'absent' : presence);
    },
  }));
}
