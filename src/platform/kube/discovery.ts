import type { ReadSession } from './kubeSession.js';
import { runBounded } from '../actions/boundedPool.js';

// What the API server serves: every resource of every group (core, apps, batch, networking,
// autoscaling, policy, CRDs, aggregated APIs), read the way kubectl reads it. Aggregated
// discovery first (Kubernetes 1.26+, GA in 1.30): all of it in two requests, /api and /apis
// with `Accept: ...;as=APIGroupDiscoveryList`. A server that answers the legacy documents
// instead (older, or a proxy that drops the media type) is read the legacy way: /api/v1 and the
// preferred version of each group from /apis, a few requests at a time.

/** One resource the server serves (subresources such as pods/log are left out). */
export interface ApiResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural, as in the URL: deployments. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
}

export const AGGREGATED_DISCOVERY_ACCEPT =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';

/** `/api/v1` or `/apis/apps/v1`: where a resource's group/version lives. */
export function groupVersionPath(r: Pick<ApiResource, 'group' | 'version'>): string {
  return r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
}

/** `deployments.apps`, `pods`: the name kubectl prints for a resource. */
export function qualifiedName(r: Pick<ApiResource, 'group' | 'resource'>): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

interface AggregatedList {
  kind?: string;
  items?: Array<{
    metadata?: { name?: string };
    versions?: Array<{
      version?: string;
      freshness?: string;
      resources?: Array<{
        resource?: string;
        responseKind?: { group?: string; version?: string; kind?: string };
        scope?: string;
        singularResource?: string;
        verbs?: string[];
        shortNames?: string[];
        categories?: string[];
      }>;
    }>;
  }>;
}

interface LegacyResourceList {
  resources?: Array<{ name?: string; singularName?: string; namespaced?: boolean; kind?: string; verbs?: string[]; shortNames?: string[]; categories?: string[] }>;
}

interface LegacyGroupList {
  groups?: Array<{ name?: string; preferredVersion?: { version?: string }; versions?: Array<{ version?: string }> }>;
}

/** A resource seen under its group in several versions is kept once, in the group's preferred (first) version. */
function addOnce(into: ApiResource[], seen: Set<string>, r: ApiResource): void {
  const key = `${r.group}/${r.resource}`;
  if (seen.has(key)) return;
  seen.add(key);
  into.push(r);
}

export function parseAggregated(doc: AggregatedList, into: ApiResource[] = [], seen = new Set<string>()): ApiResource[] {
  for (const g of doc.items ?? []) {
    const group = g.metadata?.name ?? '';
    for (const v of g.versions ?? []) {
      const version = v.version ?? '';
      for (const r of v.resources ?? []) {
        if (!r.resource || r.resource.includes('/')) continue;
        addOnce(into, seen, {
          group,
          version,
          resource: r.resource,
          singular: r.singularResource || r.responseKind?.kind?.toLowerCase() || r.resource,
          kind: r.responseKind?.kind ?? '',
          namespaced: r.scope === 'Namespaced',
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          verbs: r.verbs ?? [],
        });
      }
    }
  }
  return into;
}

export function parseLegacy(group: string, version: string, doc: LegacyResourceList, into: ApiResource[] = [], seen = new Set<string>()): ApiResource[] {
  for (const r of doc.resources ?? []) {
    if (!r.name || r.name.includes('/')) continue;
    addOnce(into, seen, {
      group,
      version,
      resource: r.name,
      singular: r.singularName || r.kind?.toLowerCase() || r.name,
      kind: r.kind ?? '',
      namespaced: r.namespaced === true,
      shortNames: r.shortNames ?? [],
      categories: r.categories ?? [],
      verbs: r.verbs ?? [],
    });
  }
  return into;
}

export interface DiscoveryResult {
  resources: ApiResource[];
  /** Group versions that could not be read (an aggregated API server that is down): named, not fatal. */
  failedGroups: string[];
  /** 'aggregated' or 'legacy': how the server answered. */
  how: 'aggregated' | 'legacy';
}

/** Reads every served resource; the core group first, then the groups in the server's order. */
export async function readDiscovery(session: ReadSession, signal?: AbortSignal): Promise<DiscoveryResult> {
  const [core, groups] = await Promise.all([
    session.getJson<AggregatedList & LegacyGroupList & { versions?: string[] }>('/api', undefined, signal, AGGREGATED_DISCOVERY_ACCEPT),
    session.getJson<AggregatedList & LegacyGroupList>('/apis', undefined, signal, AGGREGATED_DISCOVERY_ACCEPT),
  ]);
  const resources: ApiResource[] = [];
  const seen = new Set<string>();
  if (core.kind === 'APIGroupDiscoveryList' && groups.kind === 'APIGroupDiscoveryList') {
    parseAggregated(core, resources, seen);
    parseAggregated(groups, resources, seen);
    // A version the aggregator could not refresh is still listed, marked Stale: its resources are kept, and named.
    const stale = (groups.items ?? []).flatMap((g) => (g.versions ?? []).filter((v) => v.freshness === 'Stale').map((v) => `${g.metadata?.name}/${v.version}`));
    return { resources, failedGroups: stale, how: 'aggregated' };
  }
  const failedGroups: string[] = [];
  const coreVersion = core.versions?.[0] ?? 'v1';
  const wanted: Array<{ group: string; version: string }> = [{ group: '', version: coreVersion }];
  for (const g of groups.groups ?? []) {
    const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
    if (g.name && version) wanted.push({ group: g.name, version });
  }
  const docs = await runBounded(wanted, 8, async ({ group, version }) => {
    try {
      return await session.getJson<LegacyResourceList>(groupVersionPath({ group, version }), undefined, signal);
    } catch (err) {
      if (signal?.aborted) throw err;
      failedGroups.push(group ? `${group}/${version}` : version);
      return undefined;
    }
  }, signal);
  docs.forEach((doc, i) => doc && parseLegacy(wanted[i].group, wanted[i].version, doc, resources, seen));
  return { resources, failedGroups, how: 'legacy' };
}

/**
 * The resource a word names, as kubectl resolves it: by plural, singular, short name or kind,
 * case-insensitive, optionally qualified with its group (`deployments.apps`, `promo.shop.example`).
 * The core group comes first, then the groups in the server's order (so `events` is core/v1's).
 */
export function resolveResource(resources: readonly ApiResource[], word: string): ApiResource | undefined {
  const w = word.trim().toLowerCase();
  if (!w) return undefined;
  const dot = w.indexOf('.');
  const name = dot < 0 ? w : w.slice(0, dot);
  const group = dot < 0 ? undefined : w.slice(dot + 1);
  const candidates = group === undefined ? resources : resources.filter((r) => r.group.toLowerCase() === group);
  const tests: Array<(r: ApiResource) => boolean> = [
    (r) => r.resource === name,
    (r) => r.singular === name,
    (r) => r.shortNames.some((s) => s.toLowerCase() === name),
    (r) => r.kind.toLowerCase() === name,
  ];
  for (const test of tests) {
    const found = candidates.find(test);
    if (found) return found;
  }
  return undefined;
}

/** Every name a resource answers to, the plural first: [deployments, deployment, deploy, Deployment]. */
export function namesOf(r: ApiResource): string[] {
  return [...new Set([r.resource, r.singular, ...r.shortNames, r.kind].filter(Boolean))];
}

/** Whether the console can list and watch it (tokenreviews, bindings and the like cannot be). */
export function listable(r: ApiResource): boolean {
  return r.verbs.includes('list') && r.verbs.includes('watch');
}
