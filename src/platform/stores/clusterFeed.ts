import type { KubeSession } from '../kube/kubeSession.js';
import { watchTable } from '../kube/tableWatch.js';
import { deploymentWatch, hpaWatch, namespaceWatch, podWatch, statefulSetWatch } from '../kube/rowMappers.js';
import type { WatchHandle, WatchSpec } from '../kube/watchTypes.js';
import type { ClusterStore, ResourceName } from './clusterStore.js';
import type { RowTable } from './rowTable.js';

// Starts the cluster-wide watches that keep a ClusterStore live. One list+watch per
// resource for the whole cluster: the Systems view needs every pod's counters anyway,
// and one stream is cheaper for the API server than one per namespace.

export interface FeedScope {
  /** Only this system (the user may lack cluster-wide rights, or asked for one system). */
  namespace?: string;
  /** A label selector sent to the server (the `/-l` filter). */
  labelSelector?: string;
  /** Which resources to watch; default all. */
  resources?: ResourceName[];
}

export function startClusterFeed(session: KubeSession, store: ClusterStore, scope: FeedScope = {}): WatchHandle {
  const { namespace, labelSelector } = scope;
  const wanted = new Set<ResourceName>(scope.resources ?? ['namespaces', 'deployments', 'statefulsets', 'hpas', 'pods']);
  const start = <R extends { uid: string }>(
    name: ResourceName,
    w: { spec: WatchSpec; map: Parameters<typeof watchTable<R>>[2] },
    sink: RowTable<R>,
    extra: Partial<WatchSpec> = {},
  ): WatchHandle | undefined => {
    if (!wanted.has(name)) return undefined;
    const spec: WatchSpec = { ...w.spec, ...extra };
    if (namespace && name !== 'namespaces') spec.namespace = namespace;
    if (labelSelector) spec.labelSelector = labelSelector;
    return watchTable(session, spec, w.map, sink);
  };
  const handles = [
    namespace ? undefined : start('namespaces', namespaceWatch, store.namespaces),
    start('deployments', deploymentWatch, store.deployments),
    start('statefulsets', statefulSetWatch, store.statefulSets),
    start('hpas', hpaWatch, store.hpas),
    start('pods', podWatch, store.pods, { pageSize: 1000 }),
  ].filter((h): h is WatchHandle => h !== undefined);
  if (namespace && wanted.has('namespaces')) {
    store.namespaces.listPage(
      [{ uid: `ns:${namespace}`, name: namespace, displayName: namespace, phase: 'Active', createdAt: 0, resourceVersion: '' }],
      1,
      true,
    );
    store.namespaces.status({ kind: 'live' });
  }
  return { stop: () => handles.forEach((h) => h.stop()) };
}
