import { startDemoPrometheus, type DemoPrometheus } from '../../../src/demo/metrics/prometheusServer.js';
import { staticMetricsWorld, type DemoMetricsPod } from '../../../src/demo/metrics/metricsWorld.js';

// The Prometheus the metrics contract runs against: WARROOM_PROM_URL (the lab's real
// Prometheus in `npm run test:e2e`), else the demo's endpoint over a small fixed world.

const MiB = 1024 ** 2;

/**
 * One pod with a fixed usage, declared the way kwok reads it (`kwok.x-k8s.io/usage-cpu: 250m`,
 * `kwok.x-k8s.io/usage-memory: 200Mi`). Against the lab the test creates it through the API.
 */
export const SYNTHETIC = { namespace: 'shop', pod: 'synthetic-usage', cpu: '250m', memory: '200Mi', cpuCores: 0.25, memoryBytes: 200 * MiB };

function pod(name: string, app: string, extra: Partial<DemoMetricsPod> = {}): DemoMetricsPod {
  return {
    namespace: 'shop',
    name,
    node: 'node-1',
    app: { kind: 'Deployment', name: app },
    component: 'api',
    containers: [{ name: app, image: `registry.example/${app}:1.0`, requests: { cpu: 0.25, memory: 256 * MiB }, limits: { memory: 512 * MiB } }],
    createdAt: Date.now() - 3 * 86400_000,
    runningSince: Date.now() - 2 * 86400_000,
    restarts: 0,
    appReplicas: 3,
    ...extra,
  };
}

export const FIXTURE_PODS: DemoMetricsPod[] = [
  pod('order-api-5d8f7b9c4-aaaaa', 'order-api'),
  pod('order-api-5d8f7b9c4-bbbbb', 'order-api'),
  pod('order-api-5d8f7b9c4-ccccc', 'order-api', { crashLoops: true, restarts: 42 }),
  pod('order-api-admin-6c7d8e9f0-ddddd', 'order-api-admin', { appReplicas: 1 }),
  pod('stock-worker-0', 'stock-worker', { app: { kind: 'StatefulSet', name: 'stock-worker' }, component: 'worker', appReplicas: 1 }),
  // The synthetic workload both targets must agree on (see syntheticWorkload.contract.test.ts).
  pod(SYNTHETIC.pod, 'synthetic', { namespace: SYNTHETIC.namespace, app: undefined, component: 'worker', appReplicas: 1, usage: { cpu: SYNTHETIC.cpuCores, memory: SYNTHETIC.memoryBytes } }),
];

export interface PromTarget {
  url: string;
  demo?: DemoPrometheus;
  close(): Promise<void>;
}

export async function startPromTarget(): Promise<PromTarget> {
  const external = process.env.WARROOM_PROM_URL;
  if (external) return { url: external.replace(/\/$/, ''), close: async () => {} };
  const demo = await startDemoPrometheus({ world: staticMetricsWorld(FIXTURE_PODS) });
  return { url: demo.url, demo, close: () => demo.close() };
}
