// The narrow, read-only view of the demo's workloads the metrics endpoint needs. The demo
// adapts its cluster state to this (clusterMetricsWorld.ts); tests hand in a fixed list.

export interface DemoMetricsContainer {
  name: string;
  image: string;
  /** Cores and bytes; undefined when the container sets none. */
  requests: { cpu?: number; memory?: number };
  limits: { cpu?: number; memory?: number };
}

export interface DemoMetricsPod {
  namespace: string;
  name: string;
  node?: string;
  /** The owning application (Deployment via its ReplicaSet, or StatefulSet); undefined for bare/job pods. */
  app?: { kind: 'Deployment' | 'StatefulSet'; name: string };
  /** api, web, gateway, worker, database, queue, cache, search; from app.kubernetes.io/component. */
  component?: string;
  containers: readonly DemoMetricsContainer[];
  /** Epoch ms. */
  createdAt: number;
  /** Containers run since (epoch ms); undefined = not running (pending, image pull back-off, finished). */
  runningSince?: number;
  restarts: number;
  crashLoops?: boolean;
  /** Pods its application has now (per-pod load follows the replica count). */
  appReplicas: number;
  /**
   * Fixed usage per container (cores, bytes) from the `kwok.x-k8s.io/usage-cpu` / `-memory`
   * annotations, as kwok's usage-from-annotation does in the lab: the same synthetic workload
   * then reads the same on both.
   */
  usage?: { cpu?: number; memory?: number };
  /** The cluster it runs in, on a fleet-wide endpoint (fleetMetricsWorld): a `cluster` label on each of its series. */
  cluster?: string;
}

export interface DemoMetricsWorld {
  /** Pods, optionally of one namespace only. */
  pods(namespace?: string): readonly DemoMetricsPod[];
  /** When the platform started (epoch ms): the promotion spike is placed relative to it. */
  readonly startedAt: number;
}

export function staticMetricsWorld(pods: readonly DemoMetricsPod[], startedAt = Date.now()): DemoMetricsWorld {
  return { pods: (ns) => (ns === undefined ? pods : pods.filter((p) => p.namespace === ns)), startedAt };
}

/**
 * The pods of several clusters for one endpoint, each tagged with its cluster: what a
 * Thanos or Mimir in front of a fleet's Prometheus servers answers for (their external label).
 */
export function fleetMetricsWorld(members: ReadonlyArray<{ cluster: string; world: DemoMetricsWorld }>): DemoMetricsWorld {
  // Tagged once per list a member hands out (a member replaces its list when its pods change).
  const tagged = new Map<string, { from: readonly DemoMetricsPod[]; pods: DemoMetricsPod[] }>();
  const podsOf = (m: (typeof members)[number], ns: string | undefined) => {
    const from = m.world.pods();
    let t = tagged.get(m.cluster);
    if (t?.from !== from) tagged.set(m.cluster, (t = { from, pods: from.map((p) => ({ ...p, cluster: m.cluster })) }));
    return ns === undefined ? t.pods : t.pods.filter((p) => p.namespace === ns);
  };
  return {
    startedAt: Math.min(...members.map((m) => m.world.startedAt)),
    pods: (ns) => members.flatMap((m) => podsOf(m, ns)),
  };
}
