import type { NamespaceRow, WorkloadRow } from '../kube/rows.js';
import { appKey } from '../kube/rows.js';
import type { ClusterStore, PodCounters, SystemCounters } from './clusterStore.js';

// Queries over a cluster store that list views (and actions over a system) share: a system
// with its pod counters, an application with its pods' counters and HPA marker.

export interface SystemRow {
  ns: NamespaceRow;
  counters: SystemCounters;
  /** The server's reason when the user may not list the system's pods / applications: counts unknown, not zero. */
  podsForbidden?: string;
  appsForbidden?: string;
}

export interface AppRow {
  w: WorkloadRow;
  counters: PodCounters;
  hpa: boolean;
  /** The user may not list the application's pods: its restarts are unknown. */
  podsForbidden?: string;
}

/**
 * Every system, counters from `store`. `source` holds the namespace rows: the store itself, or
 * the rows of a `/-l` selector feed (whose counters still come from the cluster-wide store).
 */
export function systemRows(store: ClusterStore, source: ClusterStore = store): SystemRow[] {
  return Array.from(source.namespaces.rows.values(), (ns) => {
    const podsForbidden = store.forbiddenIn('pods', ns.name);
    const appsForbidden = store.forbiddenIn('deployments', ns.name) ?? store.forbiddenIn('statefulsets', ns.name);
    return { ns, counters: store.systemCounters(ns.name), ...(podsForbidden ? { podsForbidden } : {}), ...(appsForbidden ? { appsForbidden } : {}) };
  });
}

/** The applications of a system (all systems when undefined): Deployments and StatefulSets. */
export function appRows(store: ClusterStore, namespace: string | undefined, source: ClusterStore = store): AppRow[] {
  const out: AppRow[] = [];
  for (const table of [source.deployments, source.statefulSets]) {
    for (const w of table.rows.values()) {
      if (namespace && w.namespace !== namespace) continue;
      const key = appKey(w.kind, w.name);
      const podsForbidden = store.forbiddenIn('pods', w.namespace);
      out.push({ w, counters: store.appCounters(w.namespace, key), hpa: store.hasHpa(w.namespace, key), ...(podsForbidden ? { podsForbidden } : {}) });
    }
  }
  return out;
}
