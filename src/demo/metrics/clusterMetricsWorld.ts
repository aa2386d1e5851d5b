import type { Cluster } from '../cluster.js';
import type { ContainerSpec, PodRecord } from '../records.js';
import type { DemoMetricsContainer, DemoMetricsPod, DemoMetricsWorld } from './metricsWorld.js';

// Adapts the demo cluster's pod store to the metrics endpoint's narrow view. Only reads;
// the index is rebuilt at most once a second (the store may hold 100,000 pods).

const UNITS: Record<string, number> = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };

/** A Kubernetes quantity ("250m", "512Mi", "2") as a number. */
export function parseQuantity(q: string | undefined): number | undefined {
  if (q === undefined) return undefined;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(q.trim());
  if (!m) return undefined;
  const factor = m[2] ? UNITS[m[2]] : 1;
  return factor === undefined ? undefined : Number(m[1]) * factor;
}

function container(c: ContainerSpec): DemoMetricsContainer {
  return {
    name: c.name,
    image: c.image,
    requests: { cpu: parseQuantity(c.requests?.cpu), memory: parseQuantity(c.requests?.memory) },
    limits: { cpu: parseQuantity(c.limits?.cpu), memory: parseQuantity(c.limits?.memory) },
  };
}

function appOf(p: PodRecord): DemoMetricsPod['app'] {
  const owner = p.meta.owners?.find((o) => o.controller) ?? p.meta.owners?.[0];
  if (owner?.kind === 'StatefulSet') return { kind: 'StatefulSet', name: owner.name };
  // A ReplicaSet's name is <deployment>-<pod-template-hash>.
  if (owner?.kind === 'ReplicaSet') return { kind: 'Deployment', name: owner.name.replace(/-[a-z0-9]+$/, '') };
  return undefined;
}

/** kwok's convention for a pod's simulated usage (the lab's kwok reads the same annotations). */
export function usageFromAnnotations(a: Readonly<Record<string, string>> | undefined): DemoMetricsPod['usage'] {
  const cpu = parseQuantity(a?.['kwok.x-k8s.io/usage-cpu']);
  const memory = parseQuantity(a?.['kwok.x-k8s.io/usage-memory']);
  return cpu === undefined && memory === undefined ? undefined : { cpu, memory };
}

export function clusterMetricsWorld(cluster: Pick<Cluster, 'pods'>, startedAt = Date.now()): DemoMetricsWorld {
  let all: DemoMetricsPod[] = [];
  let byNs = new Map<string, DemoMetricsPod[]>();
  let builtAt = -Infinity;
  const index = () => {
    if (Date.now() - builtAt < 1000) return;
    const records = [...cluster.pods.store.values()];
    const replicas = new Map<string, number>();
    for (const p of records) {
      const app = appOf(p);
      if (app) replicas.set(`${p.meta.namespace}/${app.kind}/${app.name}`, (replicas.get(`${p.meta.namespace}/${app.kind}/${app.name}`) ?? 0) + 1);
    }
    all = records.map((p): DemoMetricsPod => {
      const app = appOf(p);
      const running = p.stage === 'Running' || p.stage === 'CrashLoopBackOff' || p.stage === 'Error';
      return {
        namespace: p.meta.namespace,
        name: p.meta.name,
        node: p.nodeName,
        app,
        component: p.meta.labels?.['app.kubernetes.io/component'],
        containers: p.template.containers.map(container),
        createdAt: p.meta.created,
        runningSince: running ? (p.runningSince ?? p.meta.created) : undefined,
        restarts: p.restarts,
        crashLoops: p.crashLoops,
        appReplicas: app ? (replicas.get(`${p.meta.namespace}/${app.kind}/${app.name}`) ?? 1) : 1,
        usage: usageFromAnnotations(p.meta.annotations),
      };
    });
    byNs = new Map();
    for (const p of all) {
      let list = byNs.get(p.namespace);
      if (!list) byNs.set(p.namespace, (list = []));
      list.push(p);
    }
    builtAt = Date.now();
  };
  return {
    startedAt,
    pods(ns) {
      index();
      return ns === undefined ? all : (byNs.get(ns) ?? []);
    },
  };
}
