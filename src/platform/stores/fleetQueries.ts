import { appKey, type WorkloadKind } from '../kube/rows.js';
import { appRows, type AppRow } from './clusterQueries.js';
import type { ClusterStore, SystemCounters } from './clusterStore.js';
import { glyphs } from '../../terminal/glyphs.js';

// The fleet's questions over several clusters' stores: is a system healthy in every data
// centre, is an application the same everywhere (image, replicas, present at all)?

export interface FleetCluster {
  /** The kubeconfig context name. */
  name: string;
  store: ClusterStore;
  /** Where the rows come from when they are not `store`'s: a `/-l` selector's feed (counters stay in `store`). */
  rows?: ClusterStore;
  /** The cluster does not answer (never answered, or its watches are stale): its numbers are old or missing, and left out. */
  down: boolean;
}

const SEPARATOR = '[-_.:/]';

/**
 * Short column titles for the contexts, unique, at most `width` cells: their last word
 * (`warroom-demo-dc1` -> `dc1`, `prod-dc2` -> `dc2`) when those differ, else the names without
 * the words they all start with (`warroom-lab`, `warroom-lab-2` -> `lab`, `lab-2`); a title cut to
 * `width` that would equal another keeps its end (`prod…tion`).
 */
export function clusterLabels(contexts: readonly string[], width: number): string[] {
  const words = contexts.map((c) => c.split(new RegExp(SEPARATOR)).filter(Boolean));
  const tails = words.map((w, i) => w.at(-1) ?? contexts[i]);
  let labels: string[];
  if (new Set(tails).size === tails.length && tails.every((t) => t.length >= 2)) labels = tails;
  else {
    // Leading words shared by every name say nothing; each keeps at least one word.
    const keep = Math.min(...words.map((w) => w.length)) - 1;
    let common = 0;
    while (common < keep && words.every((w) => w[common] === words[0][common])) common++;
    const lead = new RegExp(`^(?:${SEPARATOR}*[^-_.:/]+){${common}}${SEPARATOR}*`);
    labels = contexts.map((c) => c.replace(lead, '') || c);
  }
  const cut = labels.map((l) => (l.length > width ? l.slice(0, width) : l));
  if (new Set(cut).size === cut.length) return cut;
  const head = Math.ceil((width - 1) / 2);
  return labels.map((l) => (l.length > width ? `${l.slice(0, head)}${glyphs.cut}${l.slice(l.length - (width - 1 - head))}` : l));
}

/** How a row stands in one cluster. */
export type Presence = 'here' | 'absent' | 'forbidden' | 'down';

export interface FleetSystemRow {
  name: string;
  displayName: string;
  clusters: Array<{ cluster: string; presence: Presence; counters?: SystemCounters }>;
  /** Sums over the clusters that have the system. */
  total: SystemCounters;
}

export interface FleetAppRow {
  /** `namespace/Kind/name`. */
  key: string;
  namespace: string;
  kind: WorkloadKind;
  name: string;
  clusters: Array<{ cluster: string; presence: Presence; app?: AppRow }>;
  desired: number;
  ready: number;
  restarts: number;
  drift: {
    /** The clusters run different images. */
    images: boolean;
    /** The pod templates differ where the images agree (resources, env, probes, ...); restarts aside. */
    template: boolean;
    /** Desired replicas differ and no HPA (in any cluster) explains it. */
    replicas: boolean;
    /** Some reachable cluster that has the system lacks the application. */
    missing: boolean;
  };
}

function presenceOf(cluster: FleetCluster, namespace: string, has: boolean): Presence {
  // A system whose pods or workloads the user may not list there: its zeros would read as healthy.
  // A cluster that does not answer: its last numbers are old, so they are not shown as its state.
  if (cluster.down) return 'down';
  if (cluster.store.pods.forbidden.has(namespace) || cluster.store.deployments.forbidden.has(namespace)) return 'forbidden';
  return has ? 'here' : 'absent';
}

/** One row per system (namespace name) over the fleet, with each cluster's counters. */
export function fleetSystemRows(clusters: readonly FleetCluster[]): FleetSystemRow[] {
  const names = new Map<string, string>();
  for (const c of clusters) for (const ns of (c.rows ?? c.store).namespaces.rows.values()) if (!names.has(ns.name)) names.set(ns.name, ns.displayName);
  const systemsOf = new Map(clusters.map((c) => [c.name, new Set([...(c.rows ?? c.store).namespaces.rows.values()].map((ns) => ns.name))]));
  const out: FleetSystemRow[] = [];
  for (const [name, displayName] of names) {
    const total: SystemCounters = { apps: 0, pods: 0, ready: 0, restarts: 0 };
    const per = clusters.map((c) => {
      const has = systemsOf.get(c.name)!.has(name);
      const presence = presenceOf(c, name, has);
      if (presence !== 'here') return { cluster: c.name, presence };
      const counters = c.store.systemCounters(name);
      total.apps = Math.max(total.apps, counters.apps);
      total.pods += counters.pods;
      total.ready += counters.ready;
      total.restarts += counters.restarts;
      return { cluster: c.name, presence, counters };
    });
    out.push({ name, displayName, clusters: per, total });
  }
  return out;
}

/** One row per application (namespace + kind + name) over the fleet, with each cluster's and the drift markers. */
export function fleetAppRows(clusters: readonly FleetCluster[], namespace: string | undefined): FleetAppRow[] {
  const byKey = new Map<string, { namespace: string; kind: WorkloadKind; name: string; apps: Map<string, AppRow> }>();
  for (const c of clusters) {
    for (const a of appRows(c.store, namespace, c.rows ?? c.store)) {
      const key = `${a.w.namespace}/${a.w.kind}/${a.w.name}`;
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { namespace: a.w.namespace, kind: a.w.kind, name: a.w.name, apps: new Map() }));
      entry.apps.set(c.name, a);
    }
  }
  const hasSystem = (c: FleetCluster, ns: string) => c.store.namespaces.rows.size === 0 || [...c.store.namespaces.rows.values()].some((n) => n.name === ns);
  const out: FleetAppRow[] = [];
  for (const [key, e] of byKey) {
    const per = clusters.map((c) => {
      const app = e.apps.get(c.name);
      return { cluster: c.name, presence: presenceOf(c, e.namespace, app !== undefined), app };
    });
    const present = [...e.apps.values()];
    const images = new Set(present.map((a) => a.w.images));
    // A cluster whose row came without its object (no fingerprint) is not compared.
    const templates = new Set(present.flatMap((a) => (a.w.template ? [a.w.template] : [])));
    const desired = new Set(present.map((a) => a.w.desired));
    const hpa = present.some((a) => a.hpa) || clusters.some((c) => c.store.hasHpa(e.namespace, appKey(e.kind, e.name)));
    out.push({
      key,
      namespace: e.namespace,
      kind: e.kind,
      name: e.name,
      clusters: per,
      desired: present.reduce((n, a) => n + a.w.desired, 0),
      ready: present.reduce((n, a) => n + a.w.ready, 0),
      restarts: present.reduce((n, a) => n + a.counters.restarts, 0),
      drift: {
        images: images.size > 1,
        template: images.size === 1 && templates.size > 1,
        replicas: desired.size > 1 && !hpa,
        missing: clusters.some((c) => !c.down && !e.apps.has(c.name) && hasSystem(c, e.namespace) && !c.store.deployments.forbidden.has(e.namespace)),
      },
    });
  }
  return out;
}
