// Grows (or shrinks) the lab's seeded Deployments so the lab holds about N pods, through the
// real apiserver (scale subresource), controller-manager, scheduler and kwok, and waits until
// they exist. For `bench:pods` against the lab:
//
//   npm run lab:up
//   node test/bench/labScale.mjs --pods 20000
//   npm run bench:pods -- --kubeconfig test/lab/.work/kubeconfig --context warroom-lab --pods 20000
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { CLUSTERS, KUBECONFIG } from '../lab/lib/settings.mjs';

// --until created: stop once the pods exist (the scheduler and kwok may still be starting them).
const { values } = parseArgs({ options: { pods: { type: 'string', default: '20000' }, timeout: { type: 'string', default: '900' }, until: { type: 'string', default: 'running' } } });
const target = Number(values.pods);
const kc = new k8s.KubeConfig();
// The lab's kubeconfig (WARROOM_LAB_PORT_OFFSET / WARROOM_LAB_WORK_DIR as for lab:up); its first cluster.
kc.loadFromFile(KUBECONFIG);
kc.setCurrentContext(CLUSTERS[0].context);
const apps = kc.makeApiClient(k8s.AppsV1Api);
const core = kc.makeApiClient(k8s.CoreV1Api);
const systems = ['trade', 'cart', 'search', 'payment', 'logistics'];

// The seeded nodes hold 110 pods each, like a kubelet's default; let them hold the target.
const perNode = { cpu: '2000', memory: '8Ti', pods: String(Math.max(110, Math.ceil(target / 4))), 'ephemeral-storage': '500Gi' };
for (const node of (await core.listNode()).items) {
  await core.patchNodeStatus(
    { name: node.metadata.name, body: { status: { capacity: perNode, allocatable: perNode } } },
    k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
  );
}

const deployments = [];
for (const ns of systems) deployments.push(...(await apps.listNamespacedDeployment({ namespace: ns })).items);
const current = deployments.reduce((n, d) => n + (d.spec?.replicas ?? 0), 0);
const factor = target / Math.max(1, current);
console.log(`scaling ${deployments.length} Deployments from ${current} to ~${target} replicas (x${factor.toFixed(1)})`);
const started = Date.now();
await Promise.all(
  deployments.map((d) =>
    apps.patchNamespacedDeploymentScale(
      { name: d.metadata.name, namespace: d.metadata.namespace, body: { spec: { replicas: Math.max(1, Math.round((d.spec?.replicas ?? 1) * factor)) } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    ),
  ),
);
const want = deployments.reduce((n, d) => n + Math.max(1, Math.round((d.spec?.replicas ?? 1) * factor)), 0);
for (;;) {
  let pods = 0;
  let running = 0;
  let cont;
  do {
    const page = await core.listPodForAllNamespaces({ limit: 5000, _continue: cont });
    for (const p of page.items) {
      if (!systems.includes(p.metadata.namespace)) continue;
      pods++;
      if (p.status?.phase === 'Running') running++;
    }
    cont = page.metadata?._continue;
  } while (cont);
  const s = Math.round((Date.now() - started) / 1000);
  console.log(`${s}s: ${pods} pods, ${running} running (want ~${want})`);
  if ((values.until === 'created' ? pods : running) >= want * 0.98) break;
  if (s > Number(values.timeout)) throw new Error('timed out');
  await new Promise((r) => setTimeout(r, 10_000));
}
console.log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
