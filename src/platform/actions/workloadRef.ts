// Which object a scale or restart acts on, and where its scale subresource lives.

export type ScalableKind = 'Deployment' | 'StatefulSet' | 'ReplicaSet' | 'ReplicationController';

export interface WorkloadRef {
  kind: ScalableKind;
  namespace: string;
  name: string;
}

interface KindInfo {
  group: string;
  version: string;
  resource: string;
}

const KINDS: Record<ScalableKind, KindInfo> = {
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  ReplicaSet: { group: 'apps', version: 'v1', resource: 'replicasets' },
  ReplicationController: { group: '', version: 'v1', resource: 'replicationcontrollers' },
};

export function kindInfo(kind: ScalableKind): KindInfo {
  return KINDS[kind];
}

/** `/apis/apps/v1/namespaces/ns/deployments/name` (no subresource). */
export function objectPath(ref: WorkloadRef): string {
  const k = KINDS[ref.kind];
  const base = k.group ? `/apis/${k.group}/${k.version}` : `/api/${k.version}`;
  return `${base}/namespaces/${encodeURIComponent(ref.namespace)}/${k.resource}/${encodeURIComponent(ref.name)}`;
}

export function scalePath(ref: WorkloadRef): string {
  return `${objectPath(ref)}/scale`;
}

/** `namespace/Deployment/name`: one key per object, for maps and plans. */
export function refKey(ref: WorkloadRef): string {
  return `${ref.namespace}/${ref.kind}/${ref.name}`;
}

/** How the preview table names an application: `name` in one system, `ns/name` across systems. */
export function refLabel(ref: WorkloadRef, withSystem: boolean): string {
  const short = ref.kind === 'Deployment' || ref.kind === 'StatefulSet' ? ref.name : `${ref.kind === 'ReplicaSet' ? 'rs' : 'rc'}/${ref.name}`;
  return withSystem ? `${ref.namespace}/${short}` : short;
}

export function isScalableKind(kind: string): kind is ScalableKind {
  return kind in KINDS;
}
