// The demo's story, deterministic from the seed: an online retailer's systems (namespaces), their applications
// (Deployments and StatefulSets), a few HPAs, nodes sized to the pod count, and a handful of pods in telling states.
import type { ContainerSpec, PodTemplate } from './records.js';
import { Rng } from './rng.js';

export interface SystemPlan {
  namespace: string;
  displayName: string;
  team: string;
  tier: 'critical' | 'standard';
  ageDays: number;
}

export type AppComponent = 'api' | 'web' | 'worker' | 'gateway' | 'database' | 'queue' | 'cache' | 'search';

export interface AppPlan {
  namespace: string;
  name: string;
  workload: 'Deployment' | 'StatefulSet';
  component: AppComponent;
  version: string;
  replicas: number;
  template: PodTemplate;
  ageDays: number;
  /** Days since the current ReplicaSet rolled out. */
  rolloutDays: number;
  hpa?: { min: number; max: number; cpuTarget: number };
  /** How many of its pods crash-loop. */
  crashLoopPods: number;
  /** Pods stuck in a state from the start (first pods of the app). */
  stuckPods?: 'Pending' | 'ImagePullBackOff' | 'ContainerCreating';
}

export interface JobPodPlan {
  namespace: string;
  jobName: string;
  outcome: 'Succeeded' | 'Failed';
  template: PodTemplate;
  hoursAgo: number;
}

/** A pod no controller manages (someone's `kubectl run`). */
export interface BarePodPlan {
  namespace: string;
  /** Its name's start: the demo adds a suffix of its own per cluster. */
  name: string;
  labels: Record<string, string>;
  template: PodTemplate;
  hoursAgo: number;
}

/**
 * What a drain of the first worker must be told about (kubectl drain's --delete-emptydir-data and
 * --force): the one pod of an application that keeps a cache in an emptyDir volume, and a
 * debugging pod someone started with `kubectl run` and left there. Both run on `node`.
 */
export interface NodeLocalPlan {
  node: string;
  app: AppPlan;
  bare: BarePodPlan;
}

/** Pods of the node-local plan (counted in totalPods). */
const NODE_LOCAL_PODS = 2;

export interface NodePlan {
  name: string;
  role: 'control-plane' | 'worker';
  zone: string;
  instanceType: string;
  cpu: string;
  memory: string;
  internalIP: string;
  podCIDR: string;
  ageDays: number;
}

export interface ScenarioPlan {
  /** The nodes' topology.kubernetes.io/region; their zones are in `nodes`. */
  region: string;
  systems: SystemPlan[];
  apps: AppPlan[];
  jobPods: JobPodPlan[];
  nodes: NodePlan[];
  nodeLocal: NodeLocalPlan;
  totalPods: number;
}

interface SystemCatalogEntry {
  namespace: string;
  displayName: string;
  team: string;
  tier: 'critical' | 'standard';
  apps: [string, AppComponent][];
}

const CATALOG: SystemCatalogEntry[] = [
  { namespace: 'trade', displayName: 'Trade & Orders', team: 'orders', tier: 'critical', apps: [['order-api', 'api'], ['checkout-web', 'web'], ['order-worker', 'worker'], ['order-history', 'api'], ['trade-gateway', 'gateway'], ['orders-db', 'database'], ['order-events', 'queue']] },
  { namespace: 'cart', displayName: 'Shopping Cart', team: 'basket', tier: 'critical', apps: [['cart-api', 'api'], ['cart-web', 'web'], ['cart-sync-worker', 'worker'], ['wishlist-api', 'api'], ['cart-redis', 'cache']] },
  { namespace: 'search', displayName: 'Search & Discovery', team: 'discovery', tier: 'standard', apps: [['search-api', 'api'], ['search-indexer', 'worker'], ['autocomplete-api', 'api'], ['ranking-service', 'api'], ['reindex-worker', 'worker'], ['search-es', 'search']] },
  { namespace: 'payment', displayName: 'Payments', team: 'payments', tier: 'critical', apps: [['payment-api', 'api'], ['payment-gateway', 'gateway'], ['fraud-check', 'api'], ['refund-worker', 'worker'], ['settlement-batch', 'worker'], ['ledger-db', 'database']] },
  { namespace: 'logistics', displayName: 'Logistics & Fulfilment', team: 'fulfilment', tier: 'standard', apps: [['shipping-api', 'api'], ['tracking-api', 'api'], ['warehouse-sync', 'worker'], ['carrier-adapter', 'gateway'], ['route-planner', 'worker'], ['logistics-db', 'database']] },
  { namespace: 'catalog', displayName: 'Product Catalog', team: 'catalog', tier: 'standard', apps: [['catalog-api', 'api'], ['product-images', 'web'], ['catalog-importer', 'worker'], ['category-service', 'api'], ['catalog-db', 'database']] },
  { namespace: 'pricing', displayName: 'Pricing & Promotions', team: 'pricing', tier: 'standard', apps: [['pricing-api', 'api'], ['promo-engine', 'api'], ['price-rules-worker', 'worker'], ['pricing-cache', 'cache']] },
  { namespace: 'customer', displayName: 'Customer Accounts', team: 'identity', tier: 'critical', apps: [['account-api', 'api'], ['login-web', 'web'], ['profile-service', 'api'], ['loyalty-api', 'api'], ['customer-db', 'database']] },
  { namespace: 'inventory', displayName: 'Inventory', team: 'fulfilment', tier: 'standard', apps: [['stock-api', 'api'], ['stock-reservation', 'worker'], ['inventory-sync', 'worker'], ['inventory-db', 'database']] },
  { namespace: 'notification', displayName: 'Notifications', team: 'engagement', tier: 'standard', apps: [['email-sender', 'worker'], ['sms-sender', 'worker'], ['push-gateway', 'gateway'], ['notification-queue', 'queue']] },
  { namespace: 'reviews', displayName: 'Ratings & Reviews', team: 'engagement', tier: 'standard', apps: [['reviews-api', 'api'], ['rating-aggregator', 'worker'], ['moderation-worker', 'worker'], ['reviews-db', 'database']] },
];

const ALWAYS = ['trade', 'cart', 'search', 'payment'];

const STATEFUL_IMAGES: Partial<Record<AppComponent, string>> = {
  database: 'docker.io/library/postgres:16.4',
  queue: 'docker.io/bitnami/kafka:3.8.0',
  cache: 'docker.io/library/redis:7.4.1',
  search: 'docker.elastic.co/elasticsearch/elasticsearch:8.15.3',
};

function containerFor(rng: Rng, ns: string, app: string, component: AppComponent, version: string): ContainerSpec {
  const stateful = STATEFUL_IMAGES[component];
  const image = stateful ?? `registry.shop.example/${ns}/${app}:${version}`;
  const cpu = rng.pick(['100m', '200m', '250m', '500m', '1']);
  const mem = stateful ? rng.pick(['1Gi', '2Gi', '4Gi']) : rng.pick(['128Mi', '256Mi', '512Mi', '1Gi']);
  const port =
    component === 'database' ? 5432 : component === 'queue' ? 9092 : component === 'cache' ? 6379 : component === 'search' ? 9200 : component === 'worker' ? 9090 : 8080;
  return {
    name: app,
    image,
    ports: [{ name: component === 'worker' ? 'metrics' : 'http', containerPort: port, protocol: 'TCP' }],
    requests: { cpu, memory: mem },
    limits: stateful ? { cpu, memory: mem } : { memory: mem },
  };
}

const ENVOY: ContainerSpec = {
  name: 'envoy',
  image: 'docker.io/envoyproxy/envoy:v1.31.2',
  ports: [{ name: 'http-envoy', containerPort: 15001, protocol: 'TCP' }],
  requests: { cpu: '50m', memory: '64Mi' },
  limits: { memory: '128Mi' },
};

export function templateOf(containers: ContainerSpec[], serviceAccountName: string, restartPolicy: PodTemplate['restartPolicy'] = 'Always'): PodTemplate {
  return { containers, serviceAccountName, terminationGracePeriodSeconds: 30, restartPolicy };
}

/** Splits `total` over `weights` so the parts sum exactly to total and each part is at least `min`. */
export function apportion(total: number, weights: number[], min: number): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const base = Math.min(min, Math.floor(total / n));
  const rest = total - base * n;
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (rest * w) / sum);
  const parts = raw.map((r) => base + Math.floor(r));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0; left > 0; k = (k + 1) % n, left--) parts[order[k][1]]++;
  return parts;
}

/** Where a cluster's nodes are: a region and its three zones. */
export interface Site {
  region: string;
  zones: [string, string, string];
}

export const DEFAULT_SITE: Site = { region: 'eu-central-1', zones: ['eu-central-1a', 'eu-central-1b', 'eu-central-1c'] };

export function buildScenario(seed: number, totalPods: number, site: Site = DEFAULT_SITE): ScenarioPlan {
  const rng = new Rng(seed);
  const optional = rng.shuffle(CATALOG.filter((c) => !ALWAYS.includes(c.namespace)));
  const systemCount = rng.int(6, 10);
  const chosen = [...CATALOG.filter((c) => ALWAYS.includes(c.namespace)), ...optional.slice(0, systemCount - ALWAYS.length)];
  chosen.sort((a, b) => CATALOG.indexOf(a) - CATALOG.indexOf(b));

  const systems: SystemPlan[] = chosen.map((c) => ({ namespace: c.namespace, displayName: c.displayName, team: c.team, tier: c.tier, ageDays: rng.int(200, 900) }));

  // 30-60 applications: take most of each system's catalogue, then trim from the largest systems.
  const picks: { entry: SystemCatalogEntry; app: [string, AppComponent] }[] = [];
  for (const c of chosen) {
    const count = Math.min(c.apps.length, rng.int(Math.max(4, c.apps.length - 1), c.apps.length));
    for (const app of c.apps.slice(0, count)) picks.push({ entry: c, app });
  }
  while (picks.length > 60) picks.splice(rng.int(0, picks.length - 1), 1);

  const apps: AppPlan[] = [];
  for (const { entry, app } of picks) {
    const [name, component] = app;
    const stateful = STATEFUL_IMAGES[component] !== undefined;
    const version = `1.${rng.int(0, 24)}.${rng.int(0, 9)}`;
    const containers = [containerFor(rng, entry.namespace, name, component, version)];
    if (!stateful && rng.chance(0.4)) containers.push(ENVOY);
    const ageDays = rng.int(5, Math.min(400, systems.find((s) => s.namespace === entry.namespace)!.ageDays));
    apps.push({
      namespace: entry.namespace,
      name,
      workload: stateful ? 'StatefulSet' : 'Deployment',
      component,
      version,
      replicas: 0,
      template: templateOf(containers, stateful ? name : 'default'),
      ageDays,
      rolloutDays: rng.int(0, Math.min(30, ageDays)),
      crashLoopPods: 0,
    });
  }

  // Run-to-completion pods: a finished migration per critical system, one failed report job.
  const jobPods: JobPodPlan[] = [];
  for (const s of systems.filter((x) => x.tier === 'critical')) {
    jobPods.push({ namespace: s.namespace, jobName: `db-migrate-${29000000 + rng.int(0, 99999)}`, outcome: 'Succeeded', template: templateOf([{ name: 'migrate', image: `registry.shop.example/${s.namespace}/db-migrate:1.${rng.int(0, 9)}.0`, requests: { cpu: '100m', memory: '128Mi' } }], 'default', 'Never'), hoursAgo: rng.int(1, 20) });
  }
  jobPods.push({ namespace: 'search', jobName: `nightly-report-${29000000 + rng.int(0, 99999)}`, outcome: 'Failed', template: templateOf([{ name: 'report', image: 'registry.shop.example/search/nightly-report:2.3.1', requests: { cpu: '250m', memory: '256Mi' } }], 'default', 'Never'), hoursAgo: rng.int(2, 9) });

  // Replicas: StatefulSets keep small fixed sizes; Deployments share the rest by weight, at least one each.
  const statefulApps = apps.filter((a) => a.workload === 'StatefulSet');
  const deployApps = apps.filter((a) => a.workload === 'Deployment');
  let budget = totalPods - jobPods.length;
  for (const a of statefulApps) {
    a.replicas = budget - 3 >= deployApps.length * 2 ? 3 : 1;
    budget -= a.replicas;
  }
  const weights = deployApps.map((a) => (a.component === 'api' || a.component === 'gateway' ? 3 : a.component === 'web' ? 2 : 1) * (0.5 + rng.next()) ** 2);
  const parts = apportion(budget, weights, 1);
  deployApps.forEach((a, i) => (a.replicas = parts[i]));
  // The node-local pods come out of the last Deployment that can spare them: the pods placed before
  // it (most of them) land on the nodes they always did.
  const spare = [...deployApps].reverse().find((a) => a.replicas > NODE_LOCAL_PODS + 1);
  if (spare) spare.replicas -= NODE_LOCAL_PODS;

  // A few applications show trouble from the start (first pods of the app).
  const byName = (ns: string, name: string) => deployApps.find((a) => a.namespace === ns && a.name === name);
  const reindex = byName('search', 'reindex-worker') ?? deployApps.find((a) => a.namespace === 'search' && a.component === 'worker');
  if (reindex) reindex.stuckPods = 'Pending';
  const imagePull = deployApps.filter((a) => a !== reindex && a.component === 'web')[0];
  if (imagePull) imagePull.stuckPods = 'ImagePullBackOff';
  const creating = deployApps.filter((a) => a !== reindex && a !== imagePull && a.component === 'worker')[0];
  if (creating) creating.stuckPods = 'ContainerCreating';

  // Crash-loops: a couple of apps, about 0.3% of pods overall (at least 2 pods).
  const crashTargets = rng.shuffle(deployApps.filter((a) => !a.stuckPods && a.replicas >= 2)).slice(0, 3);
  const crashing = Math.max(2, Math.round(totalPods * 0.003));
  let remaining = crashing;
  crashTargets.forEach((a, i) => {
    a.crashLoopPods = Math.min(a.replicas - 1, Math.ceil(remaining / (crashTargets.length - i)));
    remaining -= a.crashLoopPods;
  });

  // HPAs on some API-like deployments.
  for (const a of rng.shuffle(deployApps.filter((x) => x.component === 'api' || x.component === 'gateway')).slice(0, Math.max(3, Math.round(deployApps.length / 6)))) {
    a.hpa = { min: Math.max(1, Math.floor(a.replicas * 0.6)), max: Math.max(a.replicas + 2, Math.ceil(a.replicas * 1.8)), cpuTarget: rng.pick([60, 70, 75, 80]) };
  }

  // Nodes: three control-plane nodes, then workers at ~100 pods per node (at least 3), across three zones.
  const workers = Math.max(3, Math.ceil(totalPods / 100));
  const zones = site.zones;
  const nodes: NodePlan[] = [];
  let index = 0;
  const cidr = (i: number) => `10.${64 + (i >> 8)}.${i & 255}.0/24`;
  for (let i = 1; i <= 3; i++) {
    nodes.push({ name: `control-plane-${i}`, role: 'control-plane', zone: zones[i - 1], instanceType: 'm6i.xlarge', cpu: '4', memory: '16204868Ki', internalIP: `10.0.0.${10 + i}`, podCIDR: cidr(index++), ageDays: 900 });
  }
  const width = String(workers).length < 3 ? 3 : String(workers).length;
  for (let i = 1; i <= workers; i++) {
    const zone = zones[(i - 1) % 3];
    nodes.push({
      name: `worker-${zone.slice(-1)}-${String(i).padStart(width, '0')}`,
      role: 'worker',
      zone,
      instanceType: 'm6i.4xlarge',
      cpu: '16',
      memory: '65049812Ki',
      internalIP: `10.${1 + ((i - 1) % 3)}.${(i >> 8) & 255}.${i & 255}`,
      podCIDR: cidr(index++),
      ageDays: rng.int(3, 120),
    });
  }
  return { region: site.region, systems, apps, jobPods, nodes, nodeLocal: nodeLocalPlan(nodes.find((n) => n.role === 'worker')!.name), totalPods };
}

/** Fixed (nothing drawn from the scenario's generator, so the rest of the demo is as it was). */
function nodeLocalPlan(node: string): NodeLocalPlan {
  const name = 'query-cache-warmer';
  const container: ContainerSpec = { name, image: `registry.shop.example/search/${name}:3.2.0`, ports: [{ name: 'metrics', containerPort: 9090, protocol: 'TCP' }], requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } };
  return {
    node,
    app: {
      namespace: 'search',
      name,
      workload: 'Deployment',
      component: 'worker',
      version: '3.2.0',
      replicas: 1,
      template: { ...templateOf([container], 'default'), volumes: [{ name: 'warm-cache', emptyDir: { sizeLimit: '2Gi' } }] },
      ageDays: 60,
      rolloutDays: 9,
      crashLoopPods: 0,
    },
    bare: {
      namespace: 'trade',
      name: 'debug-netshoot',
      labels: { run: 'debug-netshoot' },
      template: templateOf([{ name: 'debug-netshoot', image: 'docker.io/nicolaka/netshoot:v0.13', requests: { cpu: '50m', memory: '64Mi' } }], 'default', 'Always'),
      hoursAgo: 26,
    },
  };
}
