// Discovery documents: /version, /api, /apis and the per-group-version resource lists.
import type { Cluster } from './cluster.js';
import type { ResourceKind } from './resourceKinds.js';
import type { StoredObject } from './store.js';

export const SERVER_VERSION = {
  major: '1',
  minor: '34',
  emulationMajor: '1',
  emulationMinor: '34',
  minCompatibilityMajor: '1',
  minCompatibilityMinor: '33',
  gitVersion: 'v1.34.1-warroom-demo',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-09-09T00:00:00Z',
  goVersion: 'go1.24.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export const GROUP_VERSIONS: Record<string, string[]> = {
  apps: ['v1'],
  autoscaling: ['v2'],
  policy: ['v1'],
  'authorization.k8s.io': ['v1'],
};

function resourceEntry(k: ResourceKind<StoredObject>): Record<string, unknown> {
  const e: Record<string, unknown> = { name: k.resource, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: k.verbs };
  if (k.shortNames) e.shortNames = k.shortNames;
  if (k.resource === 'pods' || k.resource === 'deployments' || k.resource === 'statefulsets' || k.resource === 'replicasets') e.categories = ['all'];
  return e;
}

function subresourceEntries(k: ResourceKind<StoredObject>): Record<string, unknown>[] {
  return (k.subresources ?? []).map((sub) => {
    const e: Record<string, unknown> = { name: `${k.resource}/${sub}`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] };
    if (sub === 'scale') Object.assign(e, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    if (sub === 'log') Object.assign(e, { kind: 'Pod', verbs: ['get'] });
    if (sub === 'exec') Object.assign(e, { kind: 'PodExecOptions', verbs: ['create', 'get'] });
    if (sub === 'eviction') Object.assign(e, { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    if (sub === 'proxy') Object.assign(e, { kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
    if (sub === 'finalize') Object.assign(e, { verbs: ['update'] });
    return e;
  });
}

export function apiVersions(): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1:6443' }] };
}

export function apiGroup(name: string): unknown | undefined {
  const versions = GROUP_VERSIONS[name];
  if (!versions) return undefined;
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name, versions: list, preferredVersion: list[0] };
}

export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.keys(GROUP_VERSIONS).map((g) => apiGroup(g)) };
}

export function resourceList(cluster: Cluster, group: string, version: string): unknown | undefined {
  const groupVersion = group ? `${group}/${version}` : version;
  if (group === '' && version !== 'v1') return undefined;
  if (group !== '' && !GROUP_VERSIONS[group]?.includes(version)) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const s of cluster.all()) {
    if (s.kind.group !== group || s.kind.version !== version) continue;
    resources.push(resourceEntry(s.kind), ...subresourceEntries(s.kind));
  }
  if (group === 'authorization.k8s.io') {
    resources.push({ name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] });
  }
  resources.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}
