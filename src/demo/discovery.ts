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
  batch: ['v1'],
  policy: ['v1'],
  'networking.k8s.io': ['v1'],
  'discovery.k8s.io': ['v1'],
  'authorization.k8s.io': ['v1'],
  'apiextensions.k8s.io': ['v1'],
  'shop.example': ['v1'],
};

function resourceEntry(k: ResourceKind<StoredObject>): Record<string, unknown> {
  const e: Record<string, unknown> = { name: k.resource, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: k.verbs };
  if (k.shortNames) e.shortNames = k.shortNames;
  if (k.categories) e.categories = k.categories;
  else if (k.resource === 'pods' || k.resource === 'deployments' || k.resource === 'statefulsets' || k.resource === 'replicasets') e.categories = ['all'];
  return e;
}

function subresourceEntries(k: ResourceKind<StoredObject>): Record<string, unknown>[] {
  return (k.subresources ?? []).map((sub) => {
    const e: Record<string, unknown> = { name: `${k.resource}/${sub}`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] };
    if (sub === 'scale') Object.assign(e, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    if (sub === 'log') Object.assign(e, { kind: 'Pod', verbs: ['get'] });
    if (sub === 'exec') Object.assign(e, { kind: 'PodExecOptions', verbs: ['create', 'get'] });
    if (sub === 'portforward') Object.assign(e, { kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
    if (sub === 'eviction') Object.assign(e, { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    if (sub === 'proxy') Object.assign(e, { kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
    if (sub === 'finalize') Object.assign(e, { verbs: ['update'] });
    return e;
  });
}

const SSAR = { name: 'selfsubjectaccessreviews', singularName: 'selfsubjectaccessreview', namespaced: false, kind: 'SelfSubjectAccessReview', verbs: ['create'] };

/** The legacy entries of one group/version, subresources included (`pods/log`). */
function legacyEntries(cluster: Cluster, group: string, version: string): Record<string, unknown>[] {
  const resources: Record<string, unknown>[] = [];
  for (const s of cluster.all()) {
    if (s.kind.group !== group || s.kind.version !== version) continue;
    resources.push(resourceEntry(s.kind), ...subresourceEntries(s.kind));
  }
  if (group === 'authorization.k8s.io') resources.push(SSAR);
  return resources.sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** The apidiscovery.k8s.io version an Accept header asks for (`v2`, `v2beta1`), if it asks for aggregated discovery first. */
export function aggregatedVersion(accept: string | undefined): string | undefined {
  for (const range of (accept ?? '').split(',')) {
    const [type, ...params] = range.split(';').map((x) => x.trim());
    const p = Object.fromEntries(params.map((x) => x.split('=').map((y) => y.trim())));
    if (type !== 'application/json' && type !== '*/*') continue;
    if (p.as === 'APIGroupDiscoveryList' && p.g === 'apidiscovery.k8s.io' && (p.v === 'v2' || p.v === 'v2beta1')) return p.v;
    if (!p.as && !p.g) return undefined;
  }
  return undefined;
}

/**
 * Aggregated discovery (Kubernetes 1.30+): every group's resources in one document, from /api (the core group,
 * whose name is empty) or /apis (the named groups, in the order of /apis), versions newest-preferred first.
 */
export function aggregatedDiscovery(cluster: Cluster, core: boolean, apiVersion: string): unknown {
  const groups = core ? [''] : Object.keys(GROUP_VERSIONS);
  const items = groups.map((group) => ({
    metadata: { ...(group ? { name: group } : {}), creationTimestamp: null },
    versions: (group ? GROUP_VERSIONS[group] : ['v1']).map((version) => {
      const byName = new Map<string, Record<string, unknown>>();
      for (const e of legacyEntries(cluster, group, version)) {
        const name = String(e.name);
        const gvk = (x: Record<string, unknown>) => ({ group: (x.group as string | undefined) ?? group, version: (x.version as string | undefined) ?? version, kind: x.kind });
        if (name.includes('/')) {
          const [parent, sub] = name.split('/');
          const owner = byName.get(parent);
          if (owner) owner.subresources = [...((owner.subresources as unknown[]) ?? []), { subresource: sub, responseKind: gvk(e), verbs: e.verbs }];
          continue;
        }
        byName.set(name, {
          resource: name,
          responseKind: gvk(e),
          scope: e.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: e.singularName,
          verbs: e.verbs,
          ...(e.shortNames ? { shortNames: e.shortNames } : {}),
          ...(e.categories ? { categories: e.categories } : {}),
        });
      }
      return { version, resources: [...byName.values()], freshness: 'Current' };
    }),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${apiVersion}`, metadata: {}, items };
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
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources: legacyEntries(cluster, group, version) };
}
