// The narrow, read-only view of the demo's pods the log store needs. The demo adapts its
// cluster state to this (clusterPodView.ts); tests can hand in a fixed list.

export interface DemoLogPod {
  namespace: string;
  name: string;
  uid: string;
  containers: readonly string[];
  nodeName?: string;
  podIP?: string;
  labels?: Readonly<Record<string, string>>;
  /** The owning workload, as Filebeat's add_kubernetes_metadata reports it. */
  deployment?: string;
  replicaSet?: string;
  statefulSet?: string;
  /** Containers are running since (epoch ms); undefined = not running (pending, waiting). */
  runningSince?: number;
  /** Started before the last restart; with `lastTerminatedAt` gives the previous container's logs. */
  lastStartedAt?: number;
  lastTerminatedAt?: number;
  restarts: number;
  /** The main container keeps crashing: its logs end in a stack trace. */
  crashLoops?: boolean;
}

export interface DemoPodView {
  namespaces(): string[];
  podsIn(namespace: string): readonly DemoLogPod[];
  pod(namespace: string, name: string): DemoLogPod | undefined;
}

/** A fixed view, for tests and benchmarks. */
export function staticPodView(pods: readonly DemoLogPod[]): DemoPodView {
  return {
    namespaces: () => [...new Set(pods.map((p) => p.namespace))],
    podsIn: (ns) => pods.filter((p) => p.namespace === ns),
    pod: (ns, name) => pods.find((p) => p.namespace === ns && p.name === name),
  };
}
