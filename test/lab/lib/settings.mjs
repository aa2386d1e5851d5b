// Fixed facts of the lab: versions, loopback ports, paths. Everything binds 127.0.0.1 only.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const LAB_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const REPO_DIR = path.resolve(LAB_DIR, '..', '..');
export const CACHE_DIR = path.join(LAB_DIR, '.cache');
export const WORK_DIR = path.join(LAB_DIR, '.work');
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
};

export const PORTS = {
  etcdClient: 16379,
  etcdPeer: 16380,
  apiserver: 16443,
  controllerManager: 16257,
  scheduler: 16259,
  kwok: 16247,
  prometheus: 16090,
  elasticsearch: 16200,
  elasticsearchTransport: 16300,
};

export const CONTEXT_ADMIN = 'warroom-lab';
export const CONTEXT_RESTRICTED = 'warroom-lab-restricted';
export const CLUSTER_NAME = 'warroom-lab';
export const RESTRICTED_USER = 'lab-viewer';
/** The namespace where the restricted user may not list pods (contract tests expect a 403 there). */
export const RESTRICTED_FORBIDDEN_NAMESPACE = 'payment';

/** Unprivileged account that runs Elasticsearch (it refuses root) and the commands of kwok's ClusterExec. */
export const LAB_USER = 'warroom-lab';

export const KUBECONFIG = path.join(WORK_DIR, 'kubeconfig');
export const ADMIN_KUBECONFIG = path.join(WORK_DIR, 'admin.kubeconfig');
export const RESTRICTED_KUBECONFIG = path.join(WORK_DIR, 'restricted.kubeconfig');

export const ES_HOME = path.join(CACHE_DIR, 'es', `elasticsearch-${VERSIONS.elasticsearch}`);
export const ES_INDEX_PREFIX = 'warroom-logs-';

export const urls = {
  apiserver: `https://${HOST}:${PORTS.apiserver}`,
  prometheus: `http://${HOST}:${PORTS.prometheus}`,
  elasticsearch: `http://${HOST}:${PORTS.elasticsearch}`,
  kwok: `http://${HOST}:${PORTS.kwok}`,
};

export const rel = (p) => path.relative(REPO_DIR, p);
