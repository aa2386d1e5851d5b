// The resources the demo serves: names, scope, JSON conversion, supported field selectors and bookmark shapes.
import { deploymentJson, eventJson, hpaJson, namespaceJson, nodeJson, podJson, podPhase, replicaSetJson, statefulSetJson, type Json } from './objectJson.js';
import type { DeploymentRecord, EventRecord, HpaRecord, NamespaceRecord, NodeRecord, PodRecord, ReplicaSetRecord, StatefulSetRecord } from './records.js';
import type { StoredObject } from './store.js';
import { podTableRow } from './podTableRow.js';
import type { PrintedRow } from './tablePrinters.js';

export interface ResourceKind<T extends StoredObject = StoredObject> {
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  group: string;
  version: string;
  namespaced: boolean;
  shortNames?: string[];
  /** Discovery categories (`all`: what `kubectl get all` lists). */
  categories?: string[];
  verbs: string[];
  /** Full object without kind/apiVersion (list items carry none). */
  toJson(obj: T): Json;
  /** Field selector values; undefined means the field label is not supported. */
  fields: Record<string, (obj: T) => string>;
  /** The object a BOOKMARK event carries, as the watch cache builds it: an empty object with only resourceVersion. */
  emptyObject(): Json;
  subresources?: string[];
  /** Optional fast Table row straight from the record; must equal the generic printer's output. */
  tableRow?(obj: T, now: number): PrintedRow;
}

export function apiVersionOf<T extends StoredObject>(k: ResourceKind<T>): string {
  return k.group ? `${k.group}/${k.version}` : k.version;
}

const metaFields = <T extends StoredObject>(): Record<string, (obj: T) => string> => ({
  'metadata.name': (o) => o.meta.name,
  'metadata.namespace': (o) => o.meta.namespace,
});

const emptyMeta = (rv?: number) => ({ resourceVersion: rv === undefined ? '' : String(rv), creationTimestamp: null });
const emptyTemplate = () => ({ metadata: { creationTimestamp: null }, spec: { containers: null } });

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const podKind: ResourceKind<PodRecord> = {
  resource: 'pods',
  singular: 'pod',
  kind: 'Pod',
  listKind: 'PodList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['po'],
  verbs: allVerbs,
  subresources: ['status', 'log', 'exec', 'eviction', 'portforward'],
  toJson: podJson,
  tableRow: podTableRow,
  fields: {
    ...metaFields<PodRecord>(),
    'spec.nodeName': (p) => p.nodeName ?? '',
    'spec.restartPolicy': (p) => p.template.restartPolicy,
    'spec.schedulerName': () => 'default-scheduler',
    'spec.serviceAccountName': (p) => p.template.serviceAccountName,
    'spec.hostNetwork': () => 'false',
    'status.phase': (p) => podPhase(p),
    'status.podIP': (p) => p.podIP ?? '',
    'status.podIPs': (p) => p.podIP ?? '',
    'status.nominatedNodeName': () => '',
  },
  emptyObject: () => ({ metadata: emptyMeta(), spec: { containers: null }, status: {} }),
};

export const deploymentKind: ResourceKind<DeploymentRecord> = {
  resource: 'deployments',
  singular: 'deployment',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  shortNames: ['deploy'],
  verbs: allVerbs,
  subresources: ['status', 'scale'],
  toJson: deploymentJson,
  fields: metaFields<DeploymentRecord>(),
  emptyObject: () => ({ metadata: emptyMeta(), spec: { selector: null, template: emptyTemplate(), strategy: {} }, status: {} }),
};

export const replicaSetKind: ResourceKind<ReplicaSetRecord> = {
  resource: 'replicasets',
  singular: 'replicaset',
  kind: 'ReplicaSet',
  listKind: 'ReplicaSetList',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  shortNames: ['rs'],
  verbs: allVerbs,
  subresources: ['status', 'scale'],
  toJson: replicaSetJson,
  fields: { ...metaFields<ReplicaSetRecord>(), 'status.replicas': (r) => String(r.status.replicas) },
  emptyObject: () => ({ metadata: emptyMeta(), spec: { selector: null, template: emptyTemplate() }, status: { replicas: 0 } }),
};

export const statefulSetKind: ResourceKind<StatefulSetRecord> = {
  resource: 'statefulsets',
  singular: 'statefulset',
  kind: 'StatefulSet',
  listKind: 'StatefulSetList',
  group: 'apps',
  version: 'v1',
  namespaced: true,
  shortNames: ['sts'],
  verbs: allVerbs,
  subresources: ['status', 'scale'],
  toJson: statefulSetJson,
  fields: metaFields<StatefulSetRecord>(),
  emptyObject: () => ({ metadata: emptyMeta(), spec: { selector: null, template: emptyTemplate(), serviceName: '', updateStrategy: {} }, status: { replicas: 0, availableReplicas: 0 } }),
};

export const namespaceKind: ResourceKind<NamespaceRecord> = {
  resource: 'namespaces',
  singular: 'namespace',
  kind: 'Namespace',
  listKind: 'NamespaceList',
  group: '',
  version: 'v1',
  namespaced: false,
  shortNames: ['ns'],
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status', 'finalize'],
  toJson: namespaceJson,
  fields: { 'metadata.name': (n) => n.meta.name, 'status.phase': (n) => n.phase },
  emptyObject: () => ({ metadata: emptyMeta(), spec: {}, status: {} }),
};

export const nodeKind: ResourceKind<NodeRecord> = {
  resource: 'nodes',
  singular: 'node',
  kind: 'Node',
  listKind: 'NodeList',
  group: '',
  version: 'v1',
  namespaced: false,
  shortNames: ['no'],
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  subresources: ['status', 'proxy'],
  toJson: nodeJson,
  fields: { 'metadata.name': (n) => n.meta.name, 'spec.unschedulable': (n) => String(n.unschedulable) },
  emptyObject: () => ({ metadata: emptyMeta(), spec: {}, status: { daemonEndpoints: { kubeletEndpoint: { Port: 0 } }, nodeInfo: { machineID: '', systemUUID: '', bootID: '', kernelVersion: '', osImage: '', containerRuntimeVersion: '', kubeletVersion: '', kubeProxyVersion: '', operatingSystem: '', architecture: '' } } }),
};

export const eventKind: ResourceKind<EventRecord> = {
  resource: 'events',
  singular: 'event',
  kind: 'Event',
  listKind: 'EventList',
  group: '',
  version: 'v1',
  namespaced: true,
  shortNames: ['ev'],
  verbs: allVerbs,
  toJson: eventJson,
  fields: {
    ...metaFields<EventRecord>(),
    'involvedObject.kind': (e) => e.involved.kind,
    'involvedObject.namespace': (e) => e.involved.namespace,
    'involvedObject.name': (e) => e.involved.name,
    'involvedObject.uid': (e) => e.involved.uid,
    'involvedObject.apiVersion': (e) => e.involved.apiVersion,
    'involvedObject.resourceVersion': (e) => e.involved.resourceVersion ?? '',
    'involvedObject.fieldPath': (e) => e.involved.fieldPath ?? '',
    reason: (e) => e.reason,
    reportingComponent: (e) => e.component,
    source: (e) => e.component,
    type: (e) => e.type,
  },
  emptyObject: () => ({ metadata: emptyMeta(), involvedObject: {}, source: {}, firstTimestamp: null, lastTimestamp: null, eventTime: null, reportingComponent: '', reportingInstance: '' }),
};

export const hpaKind: ResourceKind<HpaRecord> = {
  resource: 'horizontalpodautoscalers',
  singular: 'horizontalpodautoscaler',
  kind: 'HorizontalPodAutoscaler',
  listKind: 'HorizontalPodAutoscalerList',
  group: 'autoscaling',
  version: 'v2',
  namespaced: true,
  shortNames: ['hpa'],
  verbs: allVerbs,
  subresources: ['status'],
  toJson: hpaJson,
  fields: metaFields<HpaRecord>(),
  emptyObject: () => ({ metadata: emptyMeta(), spec: { scaleTargetRef: { kind: '', name: '' }, maxReplicas: 0 }, status: { desiredReplicas: 0 } }),
};

