import type { Cluster } from '../cluster.js';
import type { PodRecord } from '../records.js';
import type { DemoLogPod, DemoPodView } from './podView.js';

// Adapts the demo cluster's pod store to the log store's narrow view. Only reads; the
// per-namespace index is rebuilt at most once a second (the store may hold 100,000 pods).

function toLogPod(p: PodRecord): DemoLogPod {
  const owner = p.meta.owners?.find((o) => o.controller) ?? p.meta.owners?.[0];
  const running = p.stage === 'Running' || p.stage === 'CrashLoopBackOff' || p.stage === 'Error';
  return {
    namespace: p.meta.namespace,
    name: p.meta.name,
    uid: p.meta.uid,
    containers: p.template.containers.map((c) => c.name),
    nodeName: p.nodeName,
    podIP: p.podIP,
    labels: p.meta.labels,
    replicaSet: owner?.kind === 'ReplicaSet' ? owner.name : undefined,
    deployment: owner?.kind === 'ReplicaSet' ? owner.name.replace(/-[a-z0-9]+$/, '') : undefined,
    statefulSet: owner?.kind === 'StatefulSet' ? owner.name : undefined,
    runningSince: running ? (p.runningSince ?? p.meta.created) : undefined,
    lastStartedAt: p.lastStartedAt,
    lastTerminatedAt: p.lastTerminatedAt,
    restarts: p.restarts,
    crashLoops: p.crashLoops,
  };
}

export function clusterPodView(cluster: Pick<Cluster, 'pods'>): DemoPodView {
  let byNs = new Map<string, DemoLogPod[]>();
  let builtAt = -Infinity;
  const index = (): Map<string, DemoLogPod[]> => {
    if (Date.now() - builtAt < 1000) return byNs;
    const next = new Map<string, DemoLogPod[]>();
    for (const p of cluster.pods.store.values()) {
      if (p.meta.deletionTs !== undefined && p.stage !== 'Running') continue;
      let list = next.get(p.meta.namespace);
      if (!list) next.set(p.meta.namespace, (list = []));
      list.push(toLogPod(p));
    }
    byNs = next;
    builtAt = Date.now();
    return byNs;
  };
  return {
    namespaces: () => [...index().keys()],
    podsIn: (ns) => index().get(ns) ?? [],
    pod: (ns, name) => {
      const p = cluster.pods.store.get(`${ns}/${name}`);
      return p ? toLogPod(p) : undefined;
    },
  };
}
