// Table responses shaped like a real kube-apiserver's (`kubectl get --raw` with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` and `includeObject=Metadata`).

type Column = { name: string; type: string; format: string; description: string; priority: number };

const col = (name: string, type: string, description: string, priority = 0, format = ''): Column => ({
  name,
  type,
  format,
  description,
  priority,
});

export const POD_COLUMNS: Column[] = [
  col('Name', 'string', 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically.', 0, 'name'),
  col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
  col('Status', 'string', 'The aggregate status of the containers in this pod.'),
  col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
  col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  col('IP', 'string', 'podIP is the IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
  col('Node', 'string', 'nodeName indicates in which node this pod is scheduled.', 1),
  col('Nominated Node', 'string', 'nominatedNodeName is set when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
  col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
];

export const DEPLOYMENT_COLUMNS: Column[] = [
  col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
  col('Ready', 'string', 'Number of the pod with ready state'),
  col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
  col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
  col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
];

export const STATEFULSET_COLUMNS: Column[] = [
  col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
  col('Ready', 'string', 'Number of the pod with ready state'),
  col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
];

export const NAMESPACE_COLUMNS: Column[] = [
  col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
  col('Status', 'string', 'The status of the namespace'),
  col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
];

export const HPA_COLUMNS: Column[] = [
  col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name'),
  col('Reference', 'string', 'reference is the target resource that the HPA is scaling.'),
  col('Targets', 'string', 'metrics contains the specifications for which to use to calculate the desired replica count.'),
  col('MinPods', 'string', 'minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.'),
  col('MaxPods', 'integer', 'maxReplicas is the upper limit for the number of pods that can be set by the autoscaler.'),
  col('Replicas', 'integer', 'currentReplicas is current number of replicas of pods managed by this autoscaler.'),
  col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.'),
];

export interface MetaInput {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }>;
}

export function partialObject(meta: MetaInput, apiVersion = 'v1'): Record<string, unknown> {
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: 'meta.k8s.io/v1',
    metadata: {
      name: meta.name,
      ...(meta.namespace ? { namespace: meta.namespace } : {}),
      uid: meta.uid ?? `uid-${meta.name}`,
      resourceVersion: meta.resourceVersion ?? '1',
      creationTimestamp: meta.creationTimestamp ?? '2026-08-01T10:00:00Z',
      ...(meta.deletionTimestamp ? { deletionTimestamp: meta.deletionTimestamp, deletionGracePeriodSeconds: 30 } : {}),
      ...(meta.labels ? { labels: meta.labels } : {}),
      ...(meta.annotations ? { annotations: meta.annotations } : {}),
      ...(meta.ownerReferences
        ? {
            ownerReferences: meta.ownerReferences.map((o) => ({
              apiVersion: 'apps/v1',
              kind: o.kind,
              name: o.name,
              uid: `uid-${o.name}`,
              controller: o.controller ?? true,
              blockOwnerDeletion: true,
            })),
          }
        : {}),
      managedFields: [
        {
          manager: 'kube-controller-manager',
          operation: 'Update',
          apiVersion,
          time: '2026-08-01T10:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:metadata': { 'f:labels': {} } },
        },
      ],
    },
  };
}

export interface TableRowInput {
  cells: unknown[];
  meta: MetaInput;
}

export function table(
  columns: Column[] | null,
  rows: TableRowInput[],
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number } = {},
): Record<string, unknown> {
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns,
    rows: rows.map((r) => ({ cells: r.cells, object: partialObject(r.meta) })),
  };
}

/** A pod row in the printer's column order. */
export function podRow(
  name: string,
  opts: {
    namespace?: string;
    ready?: string;
    status?: string;
    restarts?: string;
    ip?: string;
    node?: string;
    rv?: string;
    uid?: string;
    labels?: Record<string, string>;
    owner?: { kind: string; name: string };
    deletionTimestamp?: string;
  } = {},
): TableRowInput {
  return {
    cells: [
      name,
      opts.ready ?? '1/1',
      opts.status ?? 'Running',
      opts.restarts ?? '0',
      '5d',
      opts.ip ?? '10.244.1.17',
      opts.node ?? 'node-a',
      '<none>',
      '<none>',
    ],
    meta: {
      name,
      namespace: opts.namespace ?? 'shop',
      uid: opts.uid ?? `uid-${name}`,
      resourceVersion: opts.rv ?? '1',
      labels: opts.labels,
      ownerReferences: opts.owner ? [{ ...opts.owner, controller: true }] : undefined,
      deletionTimestamp: opts.deletionTimestamp,
    },
  };
}
