// Fixed facts of the lab: versions, loopback ports, paths. Everything binds 127.0.0.1 only.
//
// Two labs on one machine (CI on the default ports while an engineer runs another) never collide:
// WARROOM_LAB_PORT_OFFSET shifts every port, and a lab with an offset keeps its runtime state in its
// own directory (.work-<offset>) unless WARROOM_LAB_WORK_DIR names one.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const LAB_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = path.resolve(LAB_DIR, '..', '..');
export const CACHE_DIR = path.join(LAB_DIR, '.cache');

/** The highest base port below plus the offset must stay a port, below Linux's ephemeral range (32768). */
const MAX_OFFSET = 16000;

function portOffset(raw) {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d+$/.test(raw) || Number(raw) > MAX_OFFSET) {
    throw new Error(`WARROOM_LAB_PORT_OFFSET must be a whole number from 0 to ${MAX_OFFSET} (every lab port is shifted by it), got "${raw}"`);
  }
  return Number(raw);
}

export const PORT_OFFSET = portOffset(process.env.WARROOM_LAB_PORT_OFFSET);
export const WORK_DIR = process.env.WARROOM_LAB_WORK_DIR
  ? path.resolve(process.env.WARROOM_LAB_WORK_DIR)
  : path.join(LAB_DIR, PORT_OFFSET ? `.work-${PORT_OFFSET}` : '.work');
export const BIN_DIR = path.join(CACHE_DIR, 'bin');
export const LOG_DIR = path.join(WORK_DIR, 'logs');
export const PID_DIR = path.join(WORK_DIR, 'pids');
export const PKI_DIR = path.join(WORK_DIR, 'pki');
export const STATE_FILE = path.join(WORK_DIR, 'state.json');

export const HOST = '127.0.0.1';

export const VERSIONS = {
  kubernetes: 'v1.34.3', // k8s.io/kubernetes, staging modules v0.34.3 (test/lab/k8s/go.mod)
  etcd: 'v3.6.11', // go.etcd.io/etcd/server/v3
  kwok: 'v0.8.0', // sigs.k8s.io/kwok/cmd/kwok (go install)
  elasticsearch: '9.5.0', // org.elasticsearch.distribution.integ-test-zip:elasticsearch:9.5.0:zip
  prometheus: 'Debian bookworm package "prometheus" (2.42)',
  alertmanager: 'Debian bookworm package "prometheus-alertmanager" (0.25)',
};

// Shared by every cluster of the lab: one etcd (each apiserver under its own --etcd-prefix), one Prometheus
// scraping every cluster's kwok (label `cluster`), one Elasticsearch holding every cluster's logs.
const BASE_PORTS = {
  etcdClient: 16379,
  etcdPeer: 16380,
  prometheus: 16090,
  alertmanager: 16093,
  elasticsearch: 16200,
  elasticsearchTransport: 16300,
};
const shift = (ports) => Object.fromEntries(Object.entries(ports).map(([k, p]) => [k, p + PORT_OFFSET]));
export const PORTS = shift(BASE_PORTS);

/**
 * Per cluster: its own apiserver, controller-manager, scheduler and kwok (nodes, logs, exec, metrics).
 * `apiserverPeer`: a second apiserver of the cluster on the same etcd prefix (as in an HA control plane), started
 * only on demand (`lab.mjs start kube-apiserver-peer`): the fault probes change the cluster through it while the
 * console's apiserver is down.
 */
const CLUSTER_BASE_PORTS = [
  { apiserver: 16443, controllerManager: 16257, scheduler: 16259, kwok: 16247, apiserverPeer: 16445 },
  { apiserver: 16444, controllerManager: 16258, scheduler: 16260, kwok: 16248, apiserverPeer: 16446 },
];

const hostUrl = (scheme, port) => `${scheme}://${HOST}:${port}`;

/**
 * The lab's clusters, as two data centres: `warroom-lab` (dc1) and `warroom-lab-2` (dc2). The name is the
 * kubeconfig cluster and admin context, the Prometheus label `cluster` and the log documents'
 * `orchestrator.cluster.name`; components of the second cluster carry its suffix (`kube-apiserver-2`).
 */
export const CLUSTERS = CLUSTER_BASE_PORTS.map((base, i) => {
  const index = i + 1;
  const suffix = index === 1 ? '' : `-${index}`;
  const name = `warroom-lab${suffix}`;
  const site = `dc${index}`;
  const dir = path.join(WORK_DIR, site);
  const ports = shift(base);
  return {
    index,
    name,
    site,
    suffix,
    context: name,
    restrictedContext: `${name}-restricted`,
    etcdPrefix: index === 1 ? '/registry' : `/registry-${site}`,
    dir,
    pkiDir: path.join(dir, 'pki'),
    apiserverCert: path.join(dir, 'pki', 'apiserver.crt'),
    adminKubeconfig: path.join(dir, 'admin.kubeconfig'),
    restrictedKubeconfig: path.join(dir, 'restricted.kubeconfig'),
    /** Written by the cluster's log shipper once its backfill is in Elasticsearch. */
    shipperReady: path.join(dir, 'shipper.ready'),
    ports,
    urls: { apiserver: hostUrl('https', ports.apiserver), kwok: hostUrl('http', ports.kwok) },
    /** A component's name in state.json, the logs and `lab.mjs stop|start`. */
    component: (what) => `${what}${suffix}`,
  };
});

export function clusterNamed(name) {
  const c = CLUSTERS.find((x) => x.name === name || x.site === name);
  if (!c) throw new Error(`no lab cluster "${name}" (known: ${CLUSTERS.map((x) => `${x.name} (${x.site})`).join(', ')})`);
  return c;
}

export const RESTRICTED_USER = 'lab-viewer';
/** The namespace where the restricted user may not list pods (contract tests expect a 403 there). */
export const RESTRICTED_FORBIDDEN_NAMESPACE = 'payment';

/** Unprivileged account that runs Elasticsearch (it refuses root) and the commands of kwok's ClusterExec. */
export const LAB_USER = 'warroom-lab';

/** Every cluster's contexts (admin and restricted) in one kubeconfig; the first cluster's admin is current. */
export const KUBECONFIG = path.join(WORK_DIR, 'kubeconfig');
/** warroom's config file for the lab: each context's Elasticsearch and Prometheus, and the fleet `lab`. */
export const CONSOLE_CONFIG = path.join(WORK_DIR, 'warroom.yaml');
export const FLEET_NAME = 'lab';

export const ES_HOME = path.join(CACHE_DIR, 'es', `elasticsearch-${VERSIONS.elasticsearch}`);
export const ES_INDEX_PREFIX = 'warroom-logs-';
/** The ECS field naming a log line's cluster (Elastic Agent's Kubernetes integration writes it too). */
export const ES_CLUSTER_FIELD = 'orchestrator.cluster.name';

export const urls = {
  prometheus: hostUrl('http', PORTS.prometheus),
  alertmanager: hostUrl('http', PORTS.alertmanager),
  elasticsearch: hostUrl('http', PORTS.elasticsearch),
};

export const rel = (p) => path.relative(REPO_DIR, p);
