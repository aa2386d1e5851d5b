import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { FleetCluster, Presence } from '../../../platform/stores/fleetQueries.js';
import { connectionState } from '../../widgets/connectionState.js';

// The fleet's clusters as the fleet views see them: a cluster whose watches are stale or that
// never answered is "down" (its rows are marked, the others stay live).

export function fleetClusters(contexts: readonly ContextRuntime[], now: number): FleetCluster[] {
  return contexts.map((c) => ({
    name: c.contextName,
    store: c.store,
    down: !c.store.answered() || connectionState(c.store.statuses(), now).level === 'error',
  }));
}

/**
 * Short column titles for the contexts: their last word (`warroom-demo-dc1` -> `dc1`,
 * `prod-dc2` -> `dc2`) when those differ, else the whole names; at most `width` cells.
 */
export function clusterLabels(contexts: readonly string[], width: number): string[] {
  const tails = contexts.map((c) => c.split(/[-_.:/]/).filter(Boolean).pop() ?? c);
  const labels = new Set(tails).size === tails.length && tails.every((t) => t.length >= 2) ? tails : [...contexts];
  return labels.map((l) => (l.length > width ? l.slice(0, width) : l));
}

/** A cell for a row that is not in a cluster: why. */
export function absentCell(presence: Exclude<Presence, 'here'>): string {
  return presence === 'down' ? '✗ down' : presence === 'forbidden' ? 'forbid' : '—';
}
