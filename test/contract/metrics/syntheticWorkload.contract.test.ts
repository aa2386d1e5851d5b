import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { PrometheusSource } from '../../../src/platform/metrics/prometheusSource.js';
import { KubeClient } from '../kubeHttp.js';
import { SYNTHETIC, startPromTarget, type PromTarget } from './promTarget.js';

// The same synthetic workload reads the same on the demo endpoint and on a real Prometheus:
// a pod declaring its usage the way kwok reads it (kwok.x-k8s.io/usage-cpu: 250m,
// usage-memory: 200Mi). Against the lab the pod is created through the Kubernetes API, kwok
// reports its usage and Prometheus scrapes it; on the demo it is part of the fixture world.
// The CPU and memory charts' queries must then give 0.25 cores and 200 MiB, within 10 %.

const external = Boolean(process.env.WARROOM_PROM_URL);
const TOLERANCE = 0.1;
let target: PromTarget;
let source: PrometheusSource;
let kube: KubeClient | undefined;
let namespace = SYNTHETIC.namespace;
const pod = SYNTHETIC.pod;

beforeAll(async () => {
  target = await startPromTarget();
  source = new PrometheusSource(directTransport({ url: target.url }), { timeoutMs: 10_000 });
  if (!external) return;
  const file = process.env.WARROOM_KUBECONFIG;
  if (!file) throw new Error('WARROOM_PROM_URL is set without WARROOM_KUBECONFIG: the synthetic workload is created through the Kubernetes API');
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  if (process.env.WARROOM_KUBE_CONTEXT) kc.setCurrentContext(process.env.WARROOM_KUBE_CONTEXT);
  kube = new KubeClient(kc);
  namespace = `warroom-metrics-${Date.now().toString(36)}`;
  const ns = await kube.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  expect(ns.status, ns.text).toBe(201);
  const created = await kube.request(`/api/v1/namespaces/${namespace}/pods`, {
    method: 'POST',
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, annotations: { 'kwok.x-k8s.io/usage-cpu': SYNTHETIC.cpu, 'kwok.x-k8s.io/usage-memory': SYNTHETIC.memory } },
      spec: {
        containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10', resources: { requests: { cpu: SYNTHETIC.cpu, memory: SYNTHETIC.memory } } }],
        tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
        terminationGracePeriodSeconds: 1,
      },
    },
  });
  expect(created.status, created.text).toBe(201);
});

afterAll(async () => {
  if (kube) await kube.request(`/api/v1/namespaces/${namespace}`, { method: 'DELETE' }).catch(() => undefined);
  await target?.close();
});

/**
 * Polls an instant query until it settles within the tolerance of `expected` (two polls in a
 * row): a real Prometheus extrapolates a rate over a series younger than its window, so the
 * first answers of a new pod over- or undershoot. Fails with the last value after the timeout.
 */
async function settlesAt(query: string, expected: number, timeoutMs = 150_000): Promise<number> {
  const started = Date.now();
  let last: number;
  let inTolerance = 0;
  for (;;) {
    const answer = await source.query(query, Math.floor(Date.now() / 1000));
    last = answer.data.resultType === 'vector' && answer.data.result[0] ? Number(answer.data.result[0].value[1]) : NaN;
    inTolerance = Math.abs(last - expected) / expected < TOLERANCE ? inTolerance + 1 : 0;
    if (inTolerance >= 2) return last;
    if (Date.now() - started > timeoutMs) throw new Error(`${query} at ${target.url} did not settle at ${expected} ±${TOLERANCE * 100}% within ${timeoutMs / 1000} s; last value ${last}`);
    await new Promise((r) => setTimeout(r, external ? 5000 : 200));
  }
}

describe('the same synthetic workload on the demo and on a real Prometheus', () => {
  const sel = () => `namespace="${namespace}",pod="${pod}",container!="",container!="POD"`;

  it('CPU usage (rate of container_cpu_usage_seconds_total) is the declared 250m', async () => {
    const cores = await settlesAt(`sum(rate(container_cpu_usage_seconds_total{${sel()}}[1m]))`, SYNTHETIC.cpuCores);
    expect(Math.abs(cores - SYNTHETIC.cpuCores) / SYNTHETIC.cpuCores).toBeLessThan(TOLERANCE);
  }, 180_000);

  it('memory working set is the declared 200Mi', async () => {
    const bytes = await settlesAt(`sum(container_memory_working_set_bytes{${sel()}})`, SYNTHETIC.memoryBytes);
    expect(Math.abs(bytes - SYNTHETIC.memoryBytes) / SYNTHETIC.memoryBytes).toBeLessThan(TOLERANCE);
  }, 180_000);
});
