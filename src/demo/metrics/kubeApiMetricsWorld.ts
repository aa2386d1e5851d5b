import { readFileSync } from 'node:fs';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import { parse } from 'yaml';
import type { DemoMetricsContainer, DemoMetricsPod, DemoMetricsWorld } from './metricsWorld.js';
import { parseQuantity } from './clusterMetricsWorld.js';

// A metrics world read over a Kubernetes API (the demo platform's, from another process):
// the pods are listed every few seconds. Screen tests and the benchmark run the metrics
// endpoint beside a demo platform this way; inside the demo process clusterMetricsWorld
// reads the store directly.

interface PodJson {
  metadata: { name: string; namespace: string; creationTimestamp?: string; labels?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> };
  spec: { nodeName?: string; containers: Array<{ name: string; image: string; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }> };
  status: { phase?: string; startTime?: string; containerStatuses?: Array<{ restartCount?: number; state?: { running?: { startedAt?: string }; waiting?: { reason?: string } } }> };
}

export interface KubeApiWorldOptions {
  apiUrl: string;
  token?: string;
  /** PEM of the CA to verify an https: API server with (the kubeconfig's certificate-authority-data). */
  ca?: string;
  /** Pretend pods ran this long before they started (so charts have history). Default 7 days. */
  historyMs?: number;
  pollMs?: number;
}

/** The API URL, bearer token and CA of a kubeconfig context (the demo's kubeconfig has plain tokens). */
export function kubeconfigEndpoint(path: string, context: string): { apiUrl: string; token?: string; ca?: string } {
  const kc = parse(readFileSync(path, 'utf8')) as {
    contexts: Array<{ name: string; context: { cluster: string; user: string } }>;
    clusters: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
    users: Array<{ name: string; user: { token?: string } }>;
  };
  const ctx = kc.contexts.find((c) => c.name === context);
  if (!ctx) throw new Error(`no context ${context} in ${path}`);
  const cluster = kc.clusters.find((c) => c.name === ctx.context.cluster);
  const user = kc.users.find((u) => u.name === ctx.context.user);
  if (!cluster) throw new Error(`no cluster ${ctx.context.cluster} in ${path}`);
  const caData = cluster.cluster['certificate-authority-data'];
  return { apiUrl: cluster.cluster.server.replace(/\/$/, ''), token: user?.user.token, ca: caData && Buffer.from(caData, 'base64').toString('utf8') };
}

/** GET a JSON document (fetch cannot be given a CA without undici's Agent, which is no dependency of ours). */
function getJson<T>(url: string, token: string | undefined, ca: string | undefined): Promise<T> {
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
        else resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
      });
    };
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const req = url.startsWith('https:') ? httpsGet(url, { headers, ca }, onResponse) : httpGet(url, { headers }, onResponse);
    req.on('error', reject);
  });
}

function toPod(p: PodJson, historyMs: number, replicas: Map<string, number>): DemoMetricsPod {
  const owner = p.metadata.ownerReferences?.find((o) => o.controller) ?? p.metadata.ownerReferences?.[0];
  const app = owner?.kind === 'ReplicaSet' ? { kind: 'Deployment' as const, name: owner.name.replace(/-[a-z0-9]+$/, '') } : owner?.kind === 'StatefulSet' ? { kind: 'StatefulSet' as const, name: owner.name } : undefined;
  const cs = p.status.containerStatuses?.[0];
  const started = cs?.state?.running?.startedAt ?? (p.status.phase === 'Running' ? p.status.startTime : undefined);
  const crash = cs?.state?.waiting?.reason === 'CrashLoopBackOff';
  const created = p.metadata.creationTimestamp ? Date.parse(p.metadata.creationTimestamp) : Date.now();
  const containers: DemoMetricsContainer[] = p.spec.containers.map((c) => ({
    name: c.name,
    image: c.image,
    requests: { cpu: parseQuantity(c.resources?.requests?.cpu), memory: parseQuantity(c.resources?.requests?.memory) },
    limits: { cpu: parseQuantity(c.resources?.limits?.cpu), memory: parseQuantity(c.resources?.limits?.memory) },
  }));
  return {
    namespace: p.metadata.namespace,
    name: p.metadata.name,
    node: p.spec.nodeName,
    app,
    component: p.metadata.labels?.['app.kubernetes.io/component'],
    containers,
    createdAt: created - historyMs,
    runningSince: started || crash ? Date.parse(started ?? p.status.startTime ?? new Date(created).toISOString()) - historyMs : undefined,
    restarts: cs?.restartCount ?? 0,
    crashLoops: crash,
    appReplicas: app ? (replicas.get(`${p.metadata.namespace}/${app.kind}/${app.name}`) ?? 1) : 1,
  };
}

export async function kubeApiMetricsWorld(opts: KubeApiWorldOptions): Promise<DemoMetricsWorld & { stop(): void }> {
  const historyMs = opts.historyMs ?? 7 * 86400_000;
  let pods: DemoMetricsPod[] = [];
  const load = async () => {
    const { items } = await getJson<{ items: PodJson[] }>(`${opts.apiUrl}/api/v1/pods`, opts.token, opts.ca).catch((err: Error) => {
      throw new Error(`listing pods at ${opts.apiUrl}: ${err.message}`);
    });
    const replicas = new Map<string, number>();
    for (const p of items) {
      const o = p.metadata.ownerReferences?.[0];
      const key = o?.kind === 'ReplicaSet' ? `${p.metadata.namespace}/Deployment/${o.name.replace(/-[a-z0-9]+$/, '')}` : o?.kind === 'StatefulSet' ? `${p.metadata.namespace}/StatefulSet/${o.name}` : '';
      if (key) replicas.set(key, (replicas.get(key) ?? 0) + 1);
    }
    pods = items.map((p) => toPod(p, historyMs, replicas));
  };
  await load();
  const timer = setInterval(() => void load().catch(() => {}), opts.pollMs ?? 3000);
  timer.unref();
  return {
    startedAt: Date.now(),
    pods: (ns) => (ns === undefined ? pods : pods.filter((p) => p.namespace === ns)),
    stop: () => clearInterval(timer),
  };
}
