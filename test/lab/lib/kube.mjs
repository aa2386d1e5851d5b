// Credentials, kubeconfigs and a tiny Kubernetes API client (admin token) for RBAC and seeding.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CLUSTERS, KUBECONFIG, PKI_DIR, RESTRICTED_USER } from './settings.mjs';
import { LabError, request, sleep } from './proc.mjs';

// Shared by the clusters: one token file (the same users exist in each, as with one identity provider) and
// one service-account key. Each cluster has its own serving certificate (its --cert-dir).
export const TOKENS_FILE = path.join(PKI_DIR, 'tokens.csv');
export const SA_KEY = path.join(PKI_DIR, 'sa.key');

/** Random tokens, created once per work dir; the static token file is the apiservers' --token-auth-file. */
export function ensureCredentials() {
  fs.mkdirSync(PKI_DIR, { recursive: true, mode: 0o700 });
  if (!fs.existsSync(SA_KEY)) {
    const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    fs.writeFileSync(SA_KEY, privateKey.export({ type: 'pkcs1', format: 'pem' }), { mode: 0o600 });
  }
  if (!fs.existsSync(TOKENS_FILE)) {
    const admin = crypto.randomBytes(24).toString('hex');
    const viewer = crypto.randomBytes(24).toString('hex');
    fs.writeFileSync(
      TOKENS_FILE,
      `${admin},lab-admin,lab-admin-uid,"system:masters"\n${viewer},${RESTRICTED_USER},${RESTRICTED_USER}-uid,"warroom-lab:viewers"\n`,
      { mode: 0o600 },
    );
  }
  const [admin, viewer] = fs.readFileSync(TOKENS_FILE, 'utf8').trim().split('\n').map((l) => l.split(',')[0]);
  return { admin, viewer };
}

/** Kubeconfig entries of one cluster (JSON is valid YAML). The CA is its apiserver's self-signed serving chain. */
function kubeconfigParts(cluster) {
  const caData = fs.readFileSync(cluster.apiserverCert).toString('base64');
  return {
    cluster: { name: cluster.name, cluster: { server: cluster.urls.apiserver, 'certificate-authority-data': caData } },
    admin: { name: cluster.context, context: { cluster: cluster.name, user: 'lab-admin', namespace: 'default' } },
    viewer: { name: cluster.restrictedContext, context: { cluster: cluster.name, user: RESTRICTED_USER, namespace: 'default' } },
  };
}

function kubeconfig(clusters, contexts, users, current) {
  return { apiVersion: 'v1', kind: 'Config', preferences: {}, clusters, users, contexts, 'current-context': current };
}

const writeJson = (file, obj) => fs.writeFileSync(file, JSON.stringify(obj, null, 2) + '\n', { mode: 0o600 });
const users = (tokens) => ({ admin: { name: 'lab-admin', user: { token: tokens.admin } }, viewer: { name: RESTRICTED_USER, user: { token: tokens.viewer } } });

/** One cluster's own kubeconfigs (admin: what its controller-manager, scheduler and kwok use; restricted). */
export function writeClusterKubeconfigs(cluster, tokens) {
  const p = kubeconfigParts(cluster);
  const u = users(tokens);
  fs.mkdirSync(cluster.dir, { recursive: true });
  writeJson(cluster.adminKubeconfig, kubeconfig([p.cluster], [p.admin], [u.admin], cluster.context));
  writeJson(cluster.restrictedKubeconfig, kubeconfig([p.cluster], [p.viewer], [u.viewer], cluster.restrictedContext));
}

/** The lab's kubeconfig: every started cluster's admin and restricted contexts; the first admin is current. */
export function writeKubeconfig(clusters, tokens) {
  const parts = clusters.map(kubeconfigParts);
  const u = users(tokens);
  writeJson(
    KUBECONFIG,
    kubeconfig(
      parts.map((p) => p.cluster),
      parts.flatMap((p) => [p.admin, p.viewer]),
      [u.admin, u.viewer],
      clusters[0].context,
    ),
  );
}

/** A tiny client of one cluster's API (admin token) for RBAC, seeding and the lab's own checks. */
export class Kube {
  constructor(token, cluster = CLUSTERS[0]) {
    this.token = token;
    this.cluster = cluster;
    this.ca = fs.existsSync(cluster.apiserverCert) ? fs.readFileSync(cluster.apiserverCert) : undefined;
  }

  async call(method, p, body, { contentType = 'application/json', okStatuses = [] } = {}) {
    const res = await request(this.cluster.urls.apiserver + p, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': contentType, accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca: this.ca,
      timeoutMs: 30000,
    });
    if (res.status >= 300 && !okStatuses.includes(res.status)) {
      throw new LabError(`${this.cluster.name}: ${method} ${p} -> ${res.status}: ${res.body.slice(0, 300)}`);
    }
    return { status: res.status, json: res.body ? safeJson(res.body) : null };
  }

  get(p) {
    return this.call('GET', p).then((r) => r.json);
  }

  /** Server-side apply, so seeding is idempotent. */
  apply(obj) {
    const p = resourcePath(obj) + `/${obj.metadata.name}?fieldManager=warroom-lab&force=true`;
    return this.call('PATCH', p, obj, { contentType: 'application/apply-patch+yaml' });
  }
}

function safeJson(s) {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

const PLURAL = {
  Namespace: 'namespaces',
  Node: 'nodes',
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  Service: 'services',
  ConfigMap: 'configmaps',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  CustomResourceDefinition: 'customresourcedefinitions',
  Promotion: 'promotions',
};

export function resourcePath(obj) {
  const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
  const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
  const ns = obj.metadata.namespace ? `/namespaces/${obj.metadata.namespace}` : '';
  const plural = PLURAL[obj.kind];
  if (!plural) throw new Error(`no plural for ${obj.kind}`);
  return `${base}${ns}/${plural}`;
}

/** Waits until the namespace's default ServiceAccount exists (kube-controller-manager creates it). */
export async function waitDefaultServiceAccount(kube, ns, timeoutSec = 60) {
  const deadline = Date.now() + timeoutSec * 1000;
  while (Date.now() < deadline) {
    const r = await kube.call('GET', `/api/v1/namespaces/${ns}/serviceaccounts/default`, undefined, { okStatuses: [404] });
    if (r.status === 200) return;
    await sleep(300);
  }
  throw new LabError(`${kube.cluster.name}: the default ServiceAccount in namespace ${ns} did not appear within ${timeoutSec}s (${kube.cluster.component('kube-controller-manager')} running?)`);
}

