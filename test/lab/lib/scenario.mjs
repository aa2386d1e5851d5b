// The seeded platform of each cluster: systems (namespaces) with applications as real Deployments and one
// StatefulSet, fake nodes for kwok in the cluster's own zones, and RBAC for the restricted user.
import { rel, RESTRICTED_FORBIDDEN_NAMESPACE, RESTRICTED_USER, LOG_DIR } from './settings.mjs';
import { LabError, sleep } from './proc.mjs';
import { waitDefaultServiceAccount } from './kube.mjs';

const NODE_PODS = 110;

/** Each data centre's nodes: how many, their names and their zones (`topology.kubernetes.io/zone`). */
const SITES = {
  dc1: { nodes: 6, nodeName: (i) => `kwok-node-${i}`, zones: ['lab-dc1-a', 'lab-dc1-b', 'lab-dc1-c'] },
  dc2: { nodes: 4, nodeName: (i) => `kwok-dc2-node-${i}`, zones: ['lab-dc2-a', 'lab-dc2-b'] },
};

/**
 * System -> applications, as dc1 (warroom-lab) runs them. cpu/mem become kwok usage annotations (what
 * Prometheus then reports). `restartEvery` marks apps whose pods kwok restarts now and then (stage
 * pod-container-restart). `dc2` is what warroom-lab-2 runs differently, as real data centres differ: fewer
 * replicas of some applications with no HPA to explain it (drift R), a newer payment-api image (drift I),
 * search-store with less memory; `only` names the sites that run an application at all (label-printer runs in
 * dc1 only: drift M). The image tag is the same in every site unless `version` says otherwise.
 */
export const SYSTEMS = [
  {
    name: 'trade',
    display: 'Trading',
    apps: [
      { name: 'order-api', replicas: 30, cpu: '250m', mem: '384Mi', sidecar: true, dc2: { replicas: 24 } },
      { name: 'quote-engine', replicas: 20, cpu: '600m', mem: '1Gi' },
      { name: 'risk-checker', replicas: 10, cpu: '150m', mem: '256Mi', restartEvery: true },
      { name: 'trade-gateway', replicas: 12, cpu: '80m', mem: '128Mi' },
    ],
  },
  {
    name: 'cart',
    display: 'Shopping cart',
    apps: [
      { name: 'cart-api', replicas: 28, cpu: '120m', mem: '256Mi', sidecar: true },
      { name: 'cart-worker', replicas: 16, cpu: '300m', mem: '512Mi', dc2: { replicas: 12 } },
      { name: 'promo-service', replicas: 10, cpu: '40m', mem: '96Mi' },
    ],
  },
  {
    name: 'search',
    display: 'Search',
    apps: [
      { name: 'search-api', replicas: 24, cpu: '200m', mem: '512Mi' },
      { name: 'indexer', replicas: 12, cpu: '700m', mem: '2Gi' },
      { name: 'suggest', replicas: 14, cpu: '60m', mem: '128Mi' },
    ],
    statefulSets: [{ name: 'search-store', replicas: 3, cpu: '500m', mem: '3Gi', dc2: { mem: '2Gi' } }],
  },
  {
    name: 'payment',
    display: 'Payments',
    apps: [
      { name: 'payment-api', replicas: 20, cpu: '180m', mem: '320Mi', sidecar: true, dc2: { version: '1.21.0' } },
      { name: 'fraud-score', replicas: 16, cpu: '450m', mem: '768Mi' },
      { name: 'ledger-writer', replicas: 10, cpu: '90m', mem: '192Mi' },
    ],
  },
  {
    name: 'logistics',
    display: 'Logistics',
    apps: [
      { name: 'shipment-api', replicas: 26, cpu: '110m', mem: '224Mi' },
      { name: 'route-planner', replicas: 18, cpu: '350m', mem: '640Mi', restartEvery: true, dc2: { replicas: 12 } },
      { name: 'label-printer', replicas: 8, cpu: '30m', mem: '64Mi', only: ['dc1'] },
      { name: 'tracking-sync', replicas: 16, cpu: '70m', mem: '160Mi' },
    ],
  },
];

/** An application as `site` runs it (its overrides applied), or undefined when the site does not run it. */
function appIn(site, app) {
  if (app.only && !app.only.includes(site)) return undefined;
  const { dc2: _dc2, only: _only, ...base } = app;
  return { version: `1.${app.replicas}.0`, ...base, ...(app[site] ?? {}) };
}

/** The systems as one cluster runs them: every system, each with the applications its site runs. */
export function systemsIn(cluster) {
  return SYSTEMS.map((s) => ({
    ...s,
    apps: s.apps.map((a) => appIn(cluster.site, a)).filter(Boolean),
    statefulSets: (s.statefulSets ?? []).map((a) => appIn(cluster.site, a)).filter(Boolean),
  }));
}

export const totalPods = (cluster) =>
  systemsIn(cluster).reduce((n, s) => n + [...s.apps, ...s.statefulSets].reduce((m, a) => m + a.replicas, 0), 0);

export const zonesOf = (cluster) => SITES[cluster.site].zones;

export function nodes(cluster) {
  const site = SITES[cluster.site];
  return Array.from({ length: site.nodes }, (_, i) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: site.nodeName(i),
      annotations: { 'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': site.nodeName(i),
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        'topology.kubernetes.io/region': `lab-${cluster.site}`,
        'topology.kubernetes.io/zone': site.zones[i % site.zones.length],
        type: 'kwok',
      },
    },
    spec: { taints: [{ key: 'kwok.x-k8s.io/node', value: 'fake', effect: 'NoSchedule' }] },
  }));
}

/** Node status (capacity) goes through the status subresource; no addresses: kwok fills those in. */
export function nodeStatus() {
  const cap = { cpu: '32', memory: '128Gi', pods: String(NODE_PODS), 'ephemeral-storage': '500Gi' };
  return { status: { capacity: cap, allocatable: cap } };
}

function podTemplate(system, app, kind) {
  const labels = {
    app: app.name,
    'app.kubernetes.io/name': app.name,
    'app.kubernetes.io/part-of': system.name,
    'warroom.io/system': system.name,
    tier: kind === 'StatefulSet' ? 'data' : 'backend',
  };
  const annotations = {
    'kwok.x-k8s.io/usage-cpu': app.cpu,
    'kwok.x-k8s.io/usage-memory': app.mem,
  };
  if (app.restartEvery) annotations['lab.warroom.io/restarts'] = 'periodic';
  const containers = [
    {
      name: app.name,
      image: `registry.lab.local/${system.name}/${app.name}:${app.version}`,
      ports: [{ name: 'http', containerPort: 8080 }],
      resources: { requests: { cpu: app.cpu, memory: app.mem }, limits: { memory: app.mem } },
    },
  ];
  if (app.sidecar) {
    containers.push({
      name: 'log-agent',
      image: 'registry.lab.local/platform/log-agent:2.4.1',
      resources: { requests: { cpu: '10m', memory: '32Mi' } },
    });
  }
  return {
    labels,
    template: {
      metadata: { labels, annotations },
      spec: {
        containers,
        tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
        nodeSelector: { type: 'kwok' },
        terminationGracePeriodSeconds: 5,
      },
    },
  };
}

export function systemObjects(system) {
  const ns = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: system.name,
      labels: { 'warroom.io/system': system.name, 'warroom-lab': 'seed' },
      annotations: { 'warroom.io/display-name': system.display },
    },
  };
  const workloads = [];
  for (const app of system.apps) {
    const { labels, template } = podTemplate(system, app, 'Deployment');
    workloads.push({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: app.name, namespace: system.name, labels },
      spec: {
        replicas: app.replicas,
        selector: { matchLabels: { app: app.name } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        template,
      },
    });
  }
  for (const app of system.statefulSets) {
    const { labels, template } = podTemplate(system, app, 'StatefulSet');
    workloads.push({
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: app.name, namespace: system.name, labels },
      spec: { replicas: app.replicas, serviceName: app.name, selector: { matchLabels: { app: app.name } }, template },
    });
    workloads.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: app.name, namespace: system.name, labels },
      spec: { clusterIP: 'None', selector: { app: app.name }, ports: [{ name: 'http', port: 8080 }] },
    });
  }
  return { ns, workloads };
}

/**
 * Restricted user: read-only (get/list/watch) cluster-wide on what warroom shows, pods and pods/log only in
 * the seeded namespaces other than "payment" (so listing pods there is 403), Scales readable but never
 * patched, never pods/exec.
 */
export function rbacObjects() {
  const viewer = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'warroom-lab-viewer' },
    rules: [
      { apiGroups: [''], resources: ['namespaces', 'nodes', 'events', 'services', 'endpoints', 'configmaps', 'resourcequotas', 'limitranges', 'persistentvolumeclaims'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['apps'], resources: ['deployments', 'replicasets', 'statefulsets', 'daemonsets'], verbs: ['get', 'list', 'watch'] },
      // May read a Scale (what the scale dialog shows), never change one.
      { apiGroups: ['apps'], resources: ['deployments/scale', 'replicasets/scale', 'statefulsets/scale'], verbs: ['get'] },
      { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'], verbs: ['get', 'list', 'watch'] },
      // What Kubernetes' own `view` role reads too; the scale preview warns from them.
      { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['metrics.k8s.io'], resources: ['pods', 'nodes'], verbs: ['get', 'list'] },
    ],
  };
  const podViewer = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: 'warroom-lab-pod-viewer' },
    rules: [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] }],
  };
  const subjects = [{ kind: 'User', name: RESTRICTED_USER, apiGroup: 'rbac.authorization.k8s.io' }];
  const crb = {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: 'warroom-lab-viewer' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'warroom-lab-viewer' },
    subjects,
  };
  const rbs = SYSTEMS.filter((s) => s.name !== RESTRICTED_FORBIDDEN_NAMESPACE).map((s) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'warroom-lab-pod-viewer', namespace: s.name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'warroom-lab-pod-viewer' },
    subjects,
  }));
  return { cluster: [viewer, podViewer, crb], namespaced: rbs };
}

/**
 * A CustomResourceDefinition as a platform team adds one, the same as the demo's
 * (src/demo/promotions.ts): promotions.shop.example, short name promo, with printer columns.
 */
export function promotionCrd() {
  const str = { type: 'string' };
  const names = { plural: 'promotions', singular: 'promotion', kind: 'Promotion', listKind: 'PromotionList', shortNames: ['promo'], categories: ['shop'] };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'promotions.shop.example' },
    spec: {
      group: 'shop.example',
      names,
      scope: 'Namespaced',
      versions: [{
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { window: str, peakFactor: { type: 'integer' }, systems: { type: 'array', items: str } } }, status: { type: 'object', properties: { phase: str } } } } },
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Phase', type: 'string', jsonPath: '.status.phase' },
          { name: 'Window', type: 'string', jsonPath: '.spec.window' },
          { name: 'Peak', type: 'integer', jsonPath: '.spec.peakFactor' },
          { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
        ],
      }],
    },
  };
}

/** Applies the CRD, waits until it is established, then one promotion in the first system. */
async function seedPromotions(kube) {
  await kube.apply(promotionCrd());
  const deadline = Date.now() + 30_000;
  for (;;) {
    const crd = await kube.get('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/promotions.shop.example');
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
    if (Date.now() > deadline) throw new LabError(`${kube.cluster.name}: the promotions CRD was not established within 30 s`);
    await sleep(250);
  }
  await kube.apply({ apiVersion: 'shop.example/v1', kind: 'Promotion', metadata: { name: 'black-friday', namespace: SYSTEMS[0].name }, spec: { window: '2026-11-27T00:00/P4D', peakFactor: 6, systems: SYSTEMS.map((s) => s.name) } });
}

export async function seed(kube, { log = console.log } = {}) {
  const cluster = kube.cluster;
  for (const node of nodes(cluster)) {
    await kube.apply(node);
    await kube.call('PATCH', `/api/v1/nodes/${node.metadata.name}/status`, nodeStatus(), {
      contentType: 'application/merge-patch+json',
    });
  }
  const rbac = rbacObjects();
  for (const o of rbac.cluster) await kube.apply(o);
  for (const system of systemsIn(cluster)) {
    const { ns, workloads } = systemObjects(system);
    await kube.apply(ns);
    await waitDefaultServiceAccount(kube, system.name);
    for (const o of workloads) await kube.apply(o);
  }
  for (const o of rbac.namespaced) await kube.apply(o);
  await seedPromotions(kube);
  log(`${cluster.name}: seeded ${SYSTEMS.length} systems, ${totalPods(cluster)} pods on ${SITES[cluster.site].nodes} kwok nodes; waiting for them to run`);
}

/** Waits until every seeded pod of the kube's cluster is Running. */
export async function waitSeedRunning(kube, timeoutSec) {
  const { cluster } = kube;
  const want = totalPods(cluster);
  const deadline = Date.now() + timeoutSec * 1000;
  let running = 0;
  while (Date.now() < deadline) {
    running = 0;
    for (const s of SYSTEMS) {
      const pods = await kube.get(`/api/v1/namespaces/${s.name}/pods?limit=1000`);
      running += pods.items.filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).length;
    }
    if (running >= want) return running;
    await sleep(1000);
  }
  const logs = ['kube-controller-manager', 'kube-scheduler', 'kwok'].map((c) => `${cluster.component(c)}.log`).join(', ');
  throw new LabError(`${cluster.name}: only ${running} of ${want} seeded pods were Running after ${timeoutSec}s; see ${rel(LOG_DIR)}/ ${logs}`);
}
