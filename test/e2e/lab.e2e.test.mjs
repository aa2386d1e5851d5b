// What the lab promises, checked against the running lab: the Kubernetes API with RBAC (admin and restricted
// contexts), kwok's simulated pods (Running, logs, exec, restart, delete), Prometheus scraping kwok's
// per-container metrics, Elasticsearch holding the shipped container logs, and loopback-only listeners; and
// the second cluster (dc2): its own API server, nodes, zones, seed, RBAC, logs and exec, told apart from the
// first in the shared Prometheus (label cluster) and Elasticsearch (orchestrator.cluster.name).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';

const { WARROOM_KUBECONFIG, WARROOM_KUBE_CONTEXT, WARROOM_KUBE_RESTRICTED_CONTEXT, WARROOM_ES_URL, WARROOM_PROM_URL } = process.env;
// Where the lab keeps its state (lab.mjs e2e sets it; a lab started with a port offset has its own).
const WARROOM_LAB_WORK_DIR = process.env.WARROOM_LAB_WORK_DIR ?? new URL('../lab/.work', import.meta.url).pathname;
const haveLab = !!WARROOM_KUBECONFIG && fs.existsSync(WARROOM_KUBECONFIG);
const [, SECOND] = (process.env.WARROOM_LAB_CONTEXTS ?? '').split(',');
const SYSTEMS = ['trade', 'cart', 'search', 'payment', 'logistics'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function client(context) {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(WARROOM_KUBECONFIG);
  kc.setCurrentContext(context);
  return { kc, core: kc.makeApiClient(k8s.CoreV1Api), apps: kc.makeApiClient(k8s.AppsV1Api) };
}

const statusOf = (p) => p.then(() => 200, (e) => e.code ?? e.statusCode ?? e.response?.statusCode ?? String(e.message));

async function promQuery(query) {
  const res = await fetch(`${WARROOM_PROM_URL}/api/v1/query?query=${encodeURIComponent(query)}`);
  expect(res.status).toBe(200);
  return (await res.json()).data.result;
}

async function esSearch(body) {
  const res = await fetch(`${WARROOM_ES_URL}/warroom-logs-*/_search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return res.json();
}

function execIn(kc, ns, pod, container, command) {
  return new Promise((resolve, reject) => {
    let out = '';
    const sink = new Writable({ write(c, _e, cb) { out += c; cb(); } });
    const timer = setTimeout(() => reject(new Error(`exec timed out; output so far: ${out}`)), 15000);
    new k8s.Exec(kc)
      .exec(ns, pod, container, command, sink, sink, null, false, (st) => {
        clearTimeout(timer);
        resolve({ status: st.status, reason: st.reason, causes: st.details?.causes ?? [], out });
      })
      .catch((e) => {
        clearTimeout(timer);
        reject(e);
      });
  });
}

describe.skipIf(!haveLab)('the lab', () => {
  let admin;
  let viewer;
  let tradePod;
  beforeAll(async () => {
    admin = client(WARROOM_KUBE_CONTEXT);
    viewer = client(WARROOM_KUBE_RESTRICTED_CONTEXT);
    tradePod = (await admin.core.listNamespacedPod({ namespace: 'trade', labelSelector: 'app=order-api' })).items[0];
  });

  it('has the seeded systems with a few hundred Running pods from real Deployments and a StatefulSet', async () => {
    let running = 0;
    for (const ns of SYSTEMS) {
      const pods = await admin.core.listNamespacedPod({ namespace: ns });
      running += pods.items.filter((p) => p.status.phase === 'Running').length;
    }
    expect(running).toBeGreaterThanOrEqual(250);
    const deps = await admin.apps.listDeploymentForAllNamespaces();
    expect(deps.items.filter((d) => SYSTEMS.includes(d.metadata.namespace)).length).toBeGreaterThanOrEqual(15);
    const sts = await admin.apps.readNamespacedStatefulSet({ name: 'search-store', namespace: 'search' });
    expect(sts.status.readyReplicas).toBe(sts.spec.replicas);
  });

  it('restricts the second context: no pods in payment, no exec, Scale readable but not patchable', async () => {
    expect(await statusOf(viewer.core.listNamespacedPod({ namespace: 'payment' }))).toBe(403);
    expect(await statusOf(viewer.core.listNamespacedPod({ namespace: 'trade' }))).toBe(200);
    expect(await statusOf(viewer.apps.listDeploymentForAllNamespaces())).toBe(200);
    expect(await statusOf(viewer.apps.readNamespacedDeploymentScale({ name: 'order-api', namespace: 'trade' }))).toBe(200);
    const patch = viewer.apps.patchNamespacedDeploymentScale(
      { name: 'order-api', namespace: 'trade', body: { spec: { replicas: 1 } }, dryRun: 'All' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(await statusOf(patch)).toBe(403);
    await expect(execIn(viewer.kc, 'trade', tradePod.metadata.name, 'order-api', ['true'])).rejects.toThrow(/403/);
  });

  it('serves container logs through the Kubernetes log API', async () => {
    const text = await admin.core.readNamespacedPodLog({ name: tradePod.metadata.name, namespace: 'trade', container: 'order-api', tailLines: 5 });
    const lines = text.trim().split('\n');
    expect(lines.length).toBe(5);
    expect(lines[0]).toMatch(/^(INFO|WARN|ERROR|DEBUG) /);
  });

  it('runs a real command on exec, as the unprivileged lab user', async () => {
    const r = await execIn(admin.kc, 'trade', tradePod.metadata.name, 'order-api', ['sh', '-c', 'echo hello-$WARROOM_LAB; id -un']);
    expect(r.status).toBe('Success');
    expect(r.out).toContain('hello-1');
    expect(r.out).toContain('warroom-lab');
    // A non-zero exit is an exit code (kwok patched to report it as the kubelet does), not an internal error.
    const failed = await execIn(admin.kc, 'trade', tradePod.metadata.name, 'order-api', ['sh', '-c', 'exit 3']);
    expect(failed.status).toBe('Failure');
    expect(failed.reason).toBe('NonZeroExitCode');
    expect(failed.causes).toContainEqual(expect.objectContaining({ reason: 'ExitCode', message: '3' }));
  });

  it('restarts a container on request (restartCount and lastState) and deletes pods cleanly', async () => {
    const pods = (await admin.core.listNamespacedPod({ namespace: 'cart', labelSelector: 'app=promo-service' })).items;
    const [victim, toDelete] = pods;
    const before = victim.status.containerStatuses[0].restartCount;
    await admin.core.patchNamespacedPod(
      { name: victim.metadata.name, namespace: 'cart', body: { metadata: { annotations: { 'lab.warroom.io/restart': 'now' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    let after = before;
    for (let i = 0; i < 40 && after === before; i++) {
      await sleep(250);
      after = (await admin.core.readNamespacedPod({ name: victim.metadata.name, namespace: 'cart' })).status.containerStatuses[0].restartCount;
    }
    expect(after).toBe(before + 1);

    await admin.core.deleteNamespacedPod({ name: toDelete.metadata.name, namespace: 'cart' });
    let gone = false;
    for (let i = 0; i < 60 && !gone; i++) {
      await sleep(250);
      gone = (await statusOf(admin.core.readNamespacedPod({ name: toDelete.metadata.name, namespace: 'cart' }))) === 404;
    }
    expect(gone).toBe(true);
  });

  it('has Prometheus scraping per-container CPU and memory from kwok', async () => {
    const q = promQuery;
    const mem = await q('container_memory_working_set_bytes{namespace="trade",container="order-api"}');
    expect(mem.length).toBeGreaterThan(0);
    expect(Number(mem[0].value[1])).toBe(384 * 1024 * 1024);
    expect(mem[0].metric.pod).toMatch(/^order-api-/);
    let cpu = [];
    for (let i = 0; i < 20 && cpu.length === 0; i++) {
      cpu = await q('sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="trade",container="quote-engine"}[30s]))');
      if (!cpu.length) await sleep(1000);
    }
    expect(cpu.length).toBeGreaterThan(0);
    expect(Number(cpu[0].value[1])).toBeGreaterThan(0.3); // annotation: 600m
  });

  it('answers GET / like Elasticsearch 9 (the lab adds it to the integ-test-zip)', async () => {
    const res = await fetch(`${WARROOM_ES_URL}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const info = await res.json();
    expect(info.version.number).toMatch(/^9\./);
    expect(info.tagline).toBe('You Know, for Search');
  });

  it('has the container logs in Elasticsearch with the Filebeat/ECS layout in daily indices', async () => {
    const res = await fetch(`${WARROOM_ES_URL}/warroom-logs-*/_search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        size: 1,
        sort: [{ '@timestamp': 'desc' }],
        query: {
          bool: {
            filter: [
              { term: { 'orchestrator.cluster.name': 'warroom-lab' } },
              { term: { 'kubernetes.namespace': 'trade' } },
              { term: { 'kubernetes.container.name': 'order-api' } },
              { term: { 'log.level': 'error' } },
            ],
          },
        },
      }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-elastic-product')).toBe('Elasticsearch');
    const body = await res.json();
    expect(body.hits.total.value).toBeGreaterThan(0);
    const hit = body.hits.hits[0];
    expect(hit._index).toMatch(/^warroom-logs-\d{4}\.\d{2}\.\d{2}$/);
    const src = hit._source;
    expect(src['@timestamp']).toMatch(/Z$/);
    expect(src.message).toMatch(/^ERROR /);
    expect(src.kubernetes.pod.name).toMatch(/^order-api-/);
    expect(src.kubernetes.labels.app).toBe('order-api');
    // The same line is what the Kubernetes log API returns for that pod.
    const text = await admin.core.readNamespacedPodLog({ name: src.kubernetes.pod.name, namespace: 'trade', container: 'order-api' });
    expect(text).toContain(src.message);
  });

  it('listens on 127.0.0.1 only', () => {
    const state = JSON.parse(fs.readFileSync(path.join(WARROOM_LAB_WORK_DIR, 'state.json'), 'utf8'));
    const pids = new Set(state.components.map((c) => String(c.pid)));
    const ss = execFileSync('ss', ['-Hltnp'], { encoding: 'utf8' });
    const ours = ss.split('\n').filter((l) => [...l.matchAll(/pid=(\d+)/g)].some((m) => pids.has(m[1]) || isChildOf(m[1], pids)));
    expect(ours.length).toBeGreaterThanOrEqual(8);
    for (const line of ours) {
      const local = line.trim().split(/\s+/)[3];
      expect(local, line).toMatch(/^(127\.0\.0\.1|\[::ffff:127\.0\.0\.1\]):\d+$/);
    }
  });
});

describe.skipIf(!haveLab || !SECOND)('the lab\'s second cluster (dc2)', () => {
  let one;
  let two;
  beforeAll(() => {
    one = client(WARROOM_KUBE_CONTEXT);
    two = client(SECOND);
  });

  it('is another API server with its own kwok nodes in its own zones', async () => {
    expect(two.kc.getCurrentCluster().server).not.toBe(one.kc.getCurrentCluster().server);
    const zones = async (c) => (await c.core.listNode()).items.map((n) => `${n.metadata.name}@${n.metadata.labels['topology.kubernetes.io/zone']}`).sort();
    expect(await zones(one)).toEqual(['kwok-node-0@lab-dc1-a', 'kwok-node-1@lab-dc1-b', 'kwok-node-2@lab-dc1-c', 'kwok-node-3@lab-dc1-a', 'kwok-node-4@lab-dc1-b', 'kwok-node-5@lab-dc1-c']);
    expect(await zones(two)).toEqual(['kwok-dc2-node-0@lab-dc2-a', 'kwok-dc2-node-1@lab-dc2-b', 'kwok-dc2-node-2@lab-dc2-a', 'kwok-dc2-node-3@lab-dc2-b']);
    const pods = (await two.core.listPodForAllNamespaces()).items.filter((p) => SYSTEMS.includes(p.metadata.namespace));
    expect(pods.filter((p) => p.status.phase === 'Running').length).toBeGreaterThanOrEqual(250);
    expect(pods.every((p) => p.spec.nodeName?.startsWith('kwok-dc2-node-'))).toBe(true);
  });

  it('runs the same systems as dc1 with what tells data centres apart: replicas, an image, an application dc2 lacks', async () => {
    const deployment = (c, namespace, name) => c.apps.readNamespacedDeployment({ namespace, name });
    expect((await deployment(one, 'trade', 'order-api')).spec.replicas).toBe(30);
    expect((await deployment(two, 'trade', 'order-api')).spec.replicas).toBe(24);
    expect((await deployment(one, 'payment', 'payment-api')).spec.template.spec.containers[0].image).toBe('registry.lab.local/payment/payment-api:1.20.0');
    expect((await deployment(two, 'payment', 'payment-api')).spec.template.spec.containers[0].image).toBe('registry.lab.local/payment/payment-api:1.21.0');
    expect((await deployment(one, 'logistics', 'label-printer')).spec.replicas).toBe(8);
    expect(await statusOf(deployment(two, 'logistics', 'label-printer'))).toBe(404);
    const namespaces = async (c) => (await c.core.listNamespace({ labelSelector: 'warroom.io/system' })).items.map((n) => n.metadata.name).sort();
    expect(await namespaces(two)).toEqual(await namespaces(one));
  });

  it('has the restricted user in dc2 too: no pods in payment, no scaling', async () => {
    const viewer = client(`${SECOND}-restricted`);
    expect(await statusOf(viewer.core.listNamespacedPod({ namespace: 'payment' }))).toBe(403);
    expect(await statusOf(viewer.core.listNamespacedPod({ namespace: 'cart' }))).toBe(200);
    const patch = viewer.apps.patchNamespacedDeploymentScale(
      { name: 'promo-service', namespace: 'cart', body: { spec: { replicas: 1 } }, dryRun: 'All' },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    expect(await statusOf(patch)).toBe(403);
  });

  it("serves its pods' logs and exec through its own kwok", async () => {
    const pod = (await two.core.listNamespacedPod({ namespace: 'cart', labelSelector: 'app=cart-api' })).items.find((p) => p.status.phase === 'Running');
    const text = await two.core.readNamespacedPodLog({ name: pod.metadata.name, namespace: 'cart', container: 'cart-api', tailLines: 20 });
    expect(text).toMatch(/ site=dc2 /);
    expect(text).not.toMatch(/ site=dc1 /);
    const r = await execIn(two.kc, 'cart', pod.metadata.name, 'cart-api', ['sh', '-c', 'echo cluster=$WARROOM_LAB_CLUSTER']);
    expect(r.out).toContain(`cluster=${SECOND}`);
  });

  it('is told apart in the shared Prometheus by the label cluster (search-store-0 has 3Gi in dc1, 2Gi in dc2)', async () => {
    // After dc2's API server was down (fleet.e2e stops it), its kwok reports every pod again within a minute or so.
    let byCluster = {};
    for (let i = 0; i < 90 && Object.keys(byCluster).length < 2; i++) {
      if (i) await sleep(1000);
      const mem = await promQuery('container_memory_working_set_bytes{namespace="search",pod="search-store-0",container="search-store"}');
      byCluster = Object.fromEntries(mem.map((x) => [x.metric.cluster, Number(x.value[1])]));
    }
    expect(byCluster).toEqual({ [WARROOM_KUBE_CONTEXT]: 3 * 1024 ** 3, [SECOND]: 2 * 1024 ** 3 });
  }, 120_000);

  it("is told apart in the shared Elasticsearch by orchestrator.cluster.name: its documents are its own pods' lines", async () => {
    const body = await esSearch({
      size: 20,
      sort: [{ '@timestamp': 'desc' }],
      query: { bool: { filter: [{ term: { 'orchestrator.cluster.name': SECOND } }, { term: { 'kubernetes.namespace': 'cart' } }] } },
    });
    expect(body.hits.hits.length).toBe(20);
    for (const { _source: src } of body.hits.hits) expect(src.message).toMatch(/ site=dc2 /);
    const pod = body.hits.hits[0]._source.kubernetes.pod.name;
    expect(await statusOf(two.core.readNamespacedPod({ name: pod, namespace: 'cart' }))).toBe(200);
    expect(await statusOf(one.core.readNamespacedPod({ name: pod, namespace: 'cart' }))).toBe(404);
  });
});

/** True when pid's process group is one of the lab's (Elasticsearch's JVM is a child of its launcher). */
function isChildOf(pid, pgids) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const pgid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2];
    return pgids.has(pgid);
  } catch {
    return false;
  }
}
