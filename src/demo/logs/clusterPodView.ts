import type { Cluster } from '../cluster.js';
import type { PodRecord } from '../records.js';
import type { DemoLogPod, DemoPodView } from './podView.js';

// Adapts the demo cluster's pod store to the log store's narrow view. Only reads. Kept per
// namespace from the store's events, so a namespace whose pods did not change keeps the
// same list (the log store keys its container runs on it) and a search of one system does
// not rebuild the other 99,999 pods; a changed namespace is rebuilt at most once a second.

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

/** The log pod of a pod record: records are replaced, never changed, so one per record. */
const logPods = new WeakMap<PodRecord, DemoLogPod>();

function logPodOf(p: PodRecord): DemoLogPod {
  let lp = logPods.get(p);
  if (!lp) logPods.set(p, (lp = toLogPod(p)));
  return lp;
}

const shown = (p: PodRecord) => !(p.meta.deletionTs !== undefined && p.stage !== 'Running');

export function clusterPodView(cluster: Pick<Cluster, 'pods'>): DemoPodView {
  /** Pod records by namespace and key; built on first use, then kept from events. */
  let byNs: Map<string, Map<string, PodRecord>> | undefined;
  const lists = new Map<string, { pods: DemoLogPod[]; builtAt: number; dirty: boolean }>();
  const load = (): Map<string, Map<string, PodRecord>> => {
    if (byNs) return byNs;
    byNs = new Map();
    for (const p of cluster.pods.store.values()) {
      let m = byNs.get(p.meta.namespace);
      if (!m) byNs.set(p.meta.namespace, (m = new Map()));
      m.set(p.meta.name, p);
    }
    return byNs;
  };
  cluster.pods.store.subscribe((e) => {
    if (!byNs) return; // read in full on first use
    const ns = e.obj.meta.namespace;
    let m = byNs.get(ns);
    if (!m) byNs.set(ns, (m = new Map()));
    if (e.type === 'DELETED') m.delete(e.obj.meta.name);
    else m.set(e.obj.meta.name, e.obj);
    const list = lists.get(ns);
    if (list) list.dirty = true;
  });
  const podsIn = (ns: string): readonly DemoLogPod[] => {
    const records = load().get(ns);
    if (!records) return [];
    const cached = lists.get(ns);
    if (cached && (!cached.dirty || Date.now() - cached.builtAt < 1000)) return cached.pods;
    const pods: DemoLogPod[] = [];
    for (const p of records.values()) if (shown(p)) pods.push(logPodOf(p));
    lists.set(ns, { pods, builtAt: Date.now(), dirty: false });
    return pods;
  };
  return {
    namespaces: () => [...load().entries()].filter(([, m]) => m.size > 0).map(([ns]) => ns),
    podsIn,
    pod: (ns, name) => {
      const p = cluster.pods.store.get(`${ns}/${name}`);
      return p ? logPodOf(p) : undefined;
    },
  };
}
