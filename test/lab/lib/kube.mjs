// Credentials, kubeconfigs and a tiny Kubernetes API client (admin token) for RBAC and seeding.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
  ADMIN_KUBECONFIG,
  CLUSTER_NAME,
  CONTEXT_ADMIN,
  CONTEXT_RESTRICTED,
  KUBECONFIG,
  PKI_DIR,
  RESTRICTED_KUBECONFIG,
  RESTRICTED_USER,
  WORK_DIR,
  urls,
} from './settings.mjs';
import { LabError, request, sleep } from './proc.mjs';

export const TOKENS_FILE = path.join(PKI_DIR, 'tokens.csv');
export const SA_KEY = path.join(PKI_DIR, 'sa.key');
export const APISERVER_CERT = path.join(PKI_DIR, 'apiserver.crt');

/** Random tokens, created once per work dir; the static token file is the apiserver's --token-auth-file. */
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

/** Kubeconfigs (JSON is valid YAML). The CA is the apiserver's self-signed serving certificate chain. */
export function writeKubeconfigs(tokens) {
  const caData = fs.readFileSync(APISERVER_CERT).toString('base64');
  const cluster = { name: CLUSTER_NAME, cluster: { server: urls.apiserver, 'certificate-authority-data': caData } };
  const adminUser = { name: 'lab-admin', user: { token: tokens.admin } };
  const viewerUser = { name: RESTRICTED_USER, user: { token: tokens.viewer } };
  const ctxAdmin = { name: CONTEXT_ADMIN, context: { cluster: CLUSTER_NAME, user: 'lab-admin', namespace: 'default' } };
  const ctxViewer = { name: CONTEXT_RESTRICTED, context: { cluster: CLUSTER_NAME, user: RESTRICTED_USER, namespace: 'default' } };
  const cfg = (contexts, users, current) => ({
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    clusters: [cluster],
    users,
    contexts,
    'current-context': current,
  });
  const write = (file, obj) => fs.writeFileSync(file, JSON.stringify(obj, null, 2) + '\n', { mode: 0o600 });
  write(KUBECONFIG, cfg([ctxAdmin, ctxViewer], [adminUser, viewerUser], CONTEXT_ADMIN));
  write(ADMIN_KUBECONFIG, cfg([ctxAdmin], [adminUser], CONTEXT_ADMIN));
  write(RESTRICTED_KUBECONFIG, cfg([ctxViewer], [viewerUser], CONTEXT_RESTRICTED));
}

export class Kube {
  constructor(token) {
    this.token = token;
    this.ca = fs.existsSync(APISERVER_CERT) ? fs.readFileSync(APISERVER_CERT) : undefined;
  }

  async call(method, p, body, { contentType = 'application/json', okStatuses = [] } = {}) {
    const res = await request(urls.apiserver + p, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': contentType, accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      ca: this.ca,
      timeoutMs: 30000,
    });
    if (res.status >= 300 && !okStatuses.includes(res.status)) {
      throw new LabError(`${method} ${p} -> ${res.status}: ${res.body.slice(0, 300)}`);
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
  throw new LabError(`the default ServiceAccount in namespace ${ns} did not appear within ${timeoutSec}s (kube-controller-manager running?)`);
}

export { WORK_DIR };
