// The Eviction API (policy/v1) and cordon, as warroom's drain relies on them: a dry-run eviction
// decides without deleting; a ready pod whose PodDisruptionBudget allows no disruption now is
// refused with 429 TooManyRequests and the budget named in a DisruptionBudget cause (the drain
// retries it and shows the name); an eviction that passes deletes the pod gracefully, or at once
// with deleteOptions.gracePeriodSeconds=0 (drain --grace-period=0); a pod that is gone answers 404;
// a pod's emptyDir volume is kept as sent (what drain --delete-emptydir-data is about);
// spec.unschedulable takes a strategic merge patch (true, then null).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type Json } from '../kubeHttp.js';
import { startKubeTarget, testNamespaceName, type KubeTarget } from '../target.js';

let target: KubeTarget;
let namespace: string;

const podSpec = {
  containers: [{ name: 'app', image: 'registry.lab.local/warroom/evict:1', ports: [{ name: 'http', containerPort: 8080 }] }],
  // The lab's kwok nodes are tainted; the demo ignores both fields.
  tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
  terminationGracePeriodSeconds: 1,
};

async function post(path: string, body: unknown) {
  return target.admin.request(path, { method: 'POST', body });
}

const eviction = (name: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } });

async function until<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function readyPod(name: string): Promise<Json> {
  return until(`pod ${name} ready`, async () => {
    const p = json(await target.admin.request(`/api/v1/namespaces/${namespace}/pods/${name}`));
    return p.status?.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True') ? p : undefined;
  });
}

beforeAll(async () => {
  target = await startKubeTarget();
  namespace = testNamespaceName('warroom-evict');
  const ns = await post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  expect(ns.status, ns.text).toBe(201);
  for (const name of ['guarded', 'free']) {
    const r = await post(`/api/v1/namespaces/${namespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app: name } }, spec: podSpec });
    expect(r.status, r.text).toBe(201);
  }
  const pdb = await post(`/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets`, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'guarded-pdb' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'guarded' } } } });
  expect(pdb.status, pdb.text).toBe(201);
  const scratch = await post(`/api/v1/namespaces/${namespace}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'scratch', labels: { app: 'scratch' } }, spec: { ...podSpec, terminationGracePeriodSeconds: 30, volumes: [{ name: 'cache', emptyDir: {} }] } });
  expect(scratch.status, scratch.text).toBe(201);
  await readyPod('guarded');
  await readyPod('free');
  await readyPod('scratch');
  // The disruption controller has counted the ready pod: until then the server answers 429 "still being processed".
  await until('the budget counted', async () => {
    const p = json(await target.admin.request(`/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/guarded-pdb`));
    return (p.status?.observedGeneration ?? 0) >= (p.metadata.generation ?? 1) && p.status?.currentHealthy === 1 ? p : undefined;
  });
}, 120_000);

afterAll(async () => {
  if (target) {
    await target.admin.request(`/api/v1/namespaces/${namespace}`, { method: 'DELETE' }).catch(() => undefined);
    await target.stop();
  }
});

describe('eviction (policy/v1)', () => {
  it('a budget that allows no disruption: 429 TooManyRequests naming the budget in a DisruptionBudget cause', async () => {
    const r = await post(`/api/v1/namespaces/${namespace}/pods/guarded/eviction`, eviction('guarded'));
    expect(r.status, r.text).toBe(429);
    const st = json(r);
    expect(st).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'TooManyRequests', code: 429, message: "Cannot evict pod as it would violate the pod's disruption budget." });
    expect(st.details.causes).toEqual([{ reason: 'DisruptionBudget', message: 'The disruption budget guarded-pdb needs 1 healthy pods and has 1 currently' }]);
    const pod = json(await target.admin.request(`/api/v1/namespaces/${namespace}/pods/guarded`));
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
  });

  it('the same refusal for a dry-run (the drain preview names the budget before anything is sent)', async () => {
    const r = await post(`/api/v1/namespaces/${namespace}/pods/guarded/eviction?dryRun=All`, eviction('guarded'));
    expect(r.status, r.text).toBe(429);
    expect(json(r).details.causes[0].message).toContain('guarded-pdb');
  });

  it('a dry-run eviction is accepted (201 Status Success) and deletes nothing', async () => {
    const r = await post(`/api/v1/namespaces/${namespace}/pods/free/eviction?dryRun=All`, eviction('free'));
    expect(r.status, r.text).toBe(201);
    expect(json(r)).toMatchObject({ kind: 'Status', status: 'Success', code: 201 });
    const pod = json(await target.admin.request(`/api/v1/namespaces/${namespace}/pods/free`));
    expect(pod.metadata.deletionTimestamp).toBeUndefined();
  });

  it('an eviction that passes deletes the pod gracefully, then the pod is gone (404 to a second eviction)', async () => {
    const r = await post(`/api/v1/namespaces/${namespace}/pods/free/eviction`, eviction('free'));
    expect(r.status, r.text).toBe(201);
    expect(json(r)).toMatchObject({ status: 'Success' });
    await until('pod free gone', async () => ((await target.admin.request(`/api/v1/namespaces/${namespace}/pods/free`)).status === 404 ? true : undefined), 30_000);
    const again = await post(`/api/v1/namespaces/${namespace}/pods/free/eviction`, eviction('free'));
    expect(again.status, again.text).toBe(404);
    expect(json(again)).toMatchObject({ kind: 'Status', reason: 'NotFound' });
  });
});

describe('what drain options rely on', () => {
  it("a pod's emptyDir volume is kept as sent", async () => {
    const pod = json(await target.admin.request(`/api/v1/namespaces/${namespace}/pods/scratch`));
    expect(pod.spec.volumes).toContainEqual({ name: 'cache', emptyDir: {} });
  });

  it('an eviction with deleteOptions.gracePeriodSeconds=0 removes the pod at once, whatever its own grace period (30 s)', async () => {
    const r = await post(`/api/v1/namespaces/${namespace}/pods/scratch/eviction`, { ...eviction('scratch'), deleteOptions: { gracePeriodSeconds: 0 } });
    expect(r.status, r.text).toBe(201);
    // A grace period of 0 is an immediate deletion: no Terminating pod to wait for.
    expect((await target.admin.request(`/api/v1/namespaces/${namespace}/pods/scratch`)).status).toBe(404);
  });
});

describe('cordon (spec.unschedulable)', () => {
  it('a strategic merge patch sets and removes it; a dry-run answers the change and keeps the node as it was', async () => {
    const nodes = json(await target.admin.request('/api/v1/nodes')).items as Json[];
    const node = nodes.find((n) => !n.spec?.unschedulable && n.status?.conditions?.some((c: Json) => c.type === 'Ready' && c.status === 'True'));
    expect(node, 'a ready, schedulable node').toBeDefined();
    const path = `/api/v1/nodes/${node.metadata.name}`;
    const patch = (unschedulable: boolean | null, dryRun = false) => target.admin.request(`${path}${dryRun ? '?dryRun=All' : ''}`, { method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body: { spec: { unschedulable } } });
    const dry = await patch(true, true);
    expect(dry.status, dry.text).toBe(200);
    expect(json(dry).spec.unschedulable).toBe(true);
    expect(json(await target.admin.request(path)).spec.unschedulable).toBeFalsy();
    try {
      const on = await patch(true);
      expect(on.status, on.text).toBe(200);
      expect(json(await target.admin.request(path)).spec.unschedulable).toBe(true);
    } finally {
      const off = await patch(null);
      expect(off.status, off.text).toBe(200);
    }
    expect(json(await target.admin.request(path)).spec.unschedulable).toBeFalsy();
  });
});
