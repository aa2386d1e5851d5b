// PATCH of whole objects, for the changes warroom makes besides scaling: a rollout restart (the pod
// template annotation kubectl.kubernetes.io/restartedAt on a Deployment or StatefulSet), pause/resume
// (a Deployment's spec.paused), a rollback (`kubectl rollout undo`'s JSON patch replacing a
// Deployment's spec.template and metadata.annotations, or its strategic merge patch replacing a
// StatefulSet's spec.template with a ControllerRevision's) and an HPA's min/max. Merge, strategic merge
// and (for a rollback) JSON patches; dryRun=All validates and answers without changing anything.
// Other fields are refused with 422 rather than silently ignored.
import { ApiError, errors } from './apiErrors.js';
import type { Cluster } from './cluster.js';
import { templateJson } from './objectJson.js';
import type { DeploymentRecord, HpaRecord, PodTemplate, StatefulSetRecord } from './records.js';
import { revised, revisionData, revisionsOf } from './controllerRevisions.js';
import { objectKey, type Labels, type StoredObject } from './store.js';

export const RESTART_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

type JsonObject = Record<string, unknown>;

function obj(v: unknown): JsonObject {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
}

function onlyKeys(value: JsonObject, allowed: string[], path: string, kind: string, group: string, name: string): void {
  for (const k of Object.keys(value)) {
    if (!allowed.includes(k)) {
      throw errors.invalid(kind, group, name, [{ field: `${path}${k}`, reason: 'FieldValueForbidden', message: `Forbidden: the warroom demo platform patches only ${allowed.map((a) => path + a).join(', ')}` }]);
    }
  }
}

export interface PatchResult {
  /** The object as it is (or would be, for a dry-run) after the patch. */
  after: StoredObject;
  /** Applies the change (not called for a dry-run). */
  commit(): void;
}

export interface PatchHooks {
  restart(resource: 'deployments' | 'statefulsets', key: string, at: string): void;
  /** A Deployment rolled back to the template of its ReplicaSet `rsKey`. */
  rollback(key: string, rsKey: string, annotations: Labels): void;
  /** A StatefulSet's template changed: its ControllerRevisions follow (controller.reviseStatefulSet). */
  reviseStatefulSet(key: string, template: PodTemplate): void;
  /** `kubectl cordon` / `uncordon`: spec.unschedulable of a node. */
  cordon(node: string, unschedulable: boolean): void;
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as JsonObject)[k])]));
  return v;
}

/**
 * `kubectl rollout undo`: [{replace /spec/template}, {replace /metadata/annotations}]. The demo's
 * templates are its own records, so it accepts a template equal to one of the Deployment's
 * ReplicaSets' (without pod-template-hash) and refuses any other with 422.
 */
function rollbackPatch(cluster: Cluster, d: DeploymentRecord, key: string, body: unknown, hooks: PatchHooks): PatchResult {
  const name = d.meta.name;
  const ops = Array.isArray(body) ? (body as unknown[]).map(obj) : [];
  const invalid = (field: string, message: string) => errors.invalid('Deployment', 'apps', name, [{ field, reason: 'FieldValueInvalid', message }]);
  if (ops.length === 0) throw errors.badRequest('the JSON patch must be a non-empty array of operations');
  const template = ops.find((o) => o.op === 'replace' && o.path === '/spec/template');
  const annotations = ops.find((o) => o.op === 'replace' && o.path === '/metadata/annotations');
  const other = ops.find((o) => o !== template && o !== annotations);
  if (!template || other) throw invalid(String(other?.path ?? 'spec.template'), 'Forbidden: the warroom demo platform takes only a rollback: replace /spec/template (and /metadata/annotations)');
  const wanted = JSON.stringify(sortKeys(template.value));
  let rsKey: string | undefined;
  for (const [k, rs] of cluster.replicaSets.store.scan(`${d.meta.namespace}/`, '')) {
    if (rs.meta.owners?.[0]?.uid !== d.meta.uid) continue;
    const labels = { ...rs.podLabels };
    delete labels['pod-template-hash'];
    if (JSON.stringify(sortKeys(templateJson(labels, rs.template))) === wanted) rsKey = k;
  }
  if (!rsKey) throw invalid('spec.template', 'Invalid value: the warroom demo platform rolls a Deployment back only to the template of one of its ReplicaSets');
  const target = cluster.replicaSets.store.get(rsKey)!;
  // The template it runs already: nothing changes, as on a real server (not even the generation).
  if (target.templateHash === d.templateHash) return { after: d, commit: () => undefined };
  const kept: Labels = Object.fromEntries(Object.entries(obj(annotations?.value ?? d.meta.annotations)).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const after: DeploymentRecord = { ...d, template: target.template, templateHash: target.templateHash, meta: { ...d.meta, generation: (d.meta.generation ?? 1) + 1, annotations: { ...kept, 'deployment.kubernetes.io/revision': d.meta.annotations?.['deployment.kubernetes.io/revision'] ?? String(d.revision) } } };
  return { after, commit: () => hooks.rollback(key, rsKey, kept) };
}

/**
 * `kubectl rollout undo` of a StatefulSet: a strategic merge patch replacing spec.template with a
 * ControllerRevision's data. The demo accepts a template equal to one of its revisions' and
 * refuses any other with 422; the pods are then replaced one at a time, as after a restart.
 */
function statefulSetRollbackPatch(cluster: Cluster, sts: StatefulSetRecord, key: string, template: unknown, hooks: PatchHooks): PatchResult {
  const wanted = JSON.stringify(sortKeys(template));
  const target = revisionsOf(cluster, sts).find((r) => JSON.stringify(sortKeys(obj(revisionData(r.podLabels, r.template).spec).template)) === wanted);
  if (!target) throw errors.invalid('StatefulSet', 'apps', sts.meta.name, [{ field: 'spec.template', reason: 'FieldValueInvalid', message: 'Invalid value: the warroom demo platform rolls a StatefulSet back only to the template of one of its ControllerRevisions' }]);
  // The template it runs already: nothing changes (not even the generation).
  if (JSON.stringify(templateJson(sts.podLabels, target.template)) === JSON.stringify(templateJson(sts.podLabels, sts.template))) return { after: sts, commit: () => undefined };
  const after: StatefulSetRecord = { ...sts, ...revised(sts, target.template, target.meta.name.slice(sts.meta.name.length + 1)) };
  return {
    after,
    commit: () => {
      hooks.reviseStatefulSet(key, target.template);
      hooks.restart('statefulsets', key, new Date().toISOString());
    },
  };
}

/** `kubectl rollout pause|resume`: a merge patch of spec.paused alone. */
function pausePatch(cluster: Cluster, d: DeploymentRecord, key: string, paused: unknown): PatchResult {
  if (typeof paused !== 'boolean') throw errors.invalid('Deployment', 'apps', d.meta.name, [{ field: 'spec.paused', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(paused)}: must be true or false` }]);
  const change = (cur: DeploymentRecord): DeploymentRecord => ({ ...cur, paused, meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1 } });
  return { after: change(d), commit: () => void cluster.deployments.store.update(key, change) };
}

/** `kubectl cordon` / `uncordon`: a merge patch of spec.unschedulable alone (true, false or null). */
function cordonPatch(cluster: Cluster, name: string, contentType: string, body: unknown, hooks: PatchHooks): PatchResult {
  const node = cluster.nodes.store.get(name);
  if (!node) throw errors.notFound('nodes', '', name);
  if (contentType === 'application/json-patch+json') throw errors.unsupportedMediaType(contentType);
  const patch = obj(body);
  onlyKeys(patch, ['spec'], '', 'Node', '', name);
  const spec = obj(patch.spec);
  onlyKeys(spec, ['unschedulable'], 'spec.', 'Node', '', name);
  const value = spec.unschedulable;
  if (value !== true && value !== false && value !== null) throw errors.invalid('Node', '', name, [{ field: 'spec.unschedulable', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(value)}: must be true or false` }]);
  const unschedulable = value === true;
  return { after: { ...node, unschedulable } as StoredObject, commit: () => hooks.cordon(name, unschedulable) };
}

export function patchObject(cluster: Cluster, resource: string, namespace: string, name: string, contentType: string, body: unknown, hooks: PatchHooks): PatchResult {
  const key = objectKey(namespace, name);
  if (resource === 'deployments' && contentType === 'application/json-patch+json') {
    const d = cluster.deployments.store.get(key);
    if (!d) throw errors.notFound(resource, 'apps', name);
    return rollbackPatch(cluster, d, key, body, hooks);
  }
  if (contentType !== 'application/merge-patch+json' && contentType !== 'application/strategic-merge-patch+json') throw errors.unsupportedMediaType(contentType);
  const patch = obj(body);
  if (resource === 'deployments' || resource === 'statefulsets') {
    const served = resource === 'deployments' ? cluster.deployments : cluster.statefulSets;
    const kind = resource === 'deployments' ? 'Deployment' : 'StatefulSet';
    const current = served.store.get(key);
    if (!current) throw errors.notFound(resource, 'apps', name);
    onlyKeys(patch, ['spec'], '', kind, 'apps', name);
    const spec = obj(patch.spec);
    if (resource === 'deployments' && 'paused' in spec) {
      onlyKeys(spec, ['paused'], 'spec.', kind, 'apps', name);
      return pausePatch(cluster, current as DeploymentRecord, key, spec.paused);
    }
    onlyKeys(spec, ['template'], 'spec.', kind, 'apps', name);
    const template = obj(spec.template);
    if (resource === 'statefulsets' && template.$patch === 'replace') return statefulSetRollbackPatch(cluster, current as StatefulSetRecord, key, template, hooks);
    onlyKeys(template, ['metadata'], 'spec.template.', kind, 'apps', name);
    const metadata = obj(template.metadata);
    onlyKeys(metadata, ['annotations'], 'spec.template.metadata.', kind, 'apps', name);
    const annotations = obj(metadata.annotations);
    onlyKeys(annotations, [RESTART_ANNOTATION], 'spec.template.metadata.annotations.', kind, 'apps', name);
    const at = annotations[RESTART_ANNOTATION];
    if (typeof at !== 'string' || at === '') throw errors.invalid(kind, 'apps', name, [{ field: `spec.template.metadata.annotations[${RESTART_ANNOTATION}]`, reason: 'FieldValueRequired', message: 'Required value: a timestamp' }]);
    const change = <T extends { meta: StoredObject['meta']; template: { annotations?: Readonly<Record<string, string>> } }>(cur: T): T => ({
      ...cur,
      meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1 },
      template: { ...cur.template, annotations: { ...cur.template.annotations, [RESTART_ANNOTATION]: at } },
    });
    return {
      after: change(current),
      commit: () => {
        if (resource === 'deployments') cluster.deployments.store.update(key, change);
        else hooks.reviseStatefulSet(key, change(current).template);
        hooks.restart(resource, key, at);
      },
    };
  }
  if (resource === 'horizontalpodautoscalers') {
    const current = cluster.hpas.store.get(key);
    if (!current) throw errors.notFound(resource, 'autoscaling', name);
    onlyKeys(patch, ['spec'], '', 'HorizontalPodAutoscaler', 'autoscaling', name);
    const spec = obj(patch.spec);
    onlyKeys(spec, ['minReplicas', 'maxReplicas'], 'spec.', 'HorizontalPodAutoscaler', 'autoscaling', name);
    const min = spec.minReplicas === undefined ? current.minReplicas : spec.minReplicas;
    const max = spec.maxReplicas === undefined ? current.maxReplicas : spec.maxReplicas;
    if (typeof min !== 'number' || !Number.isInteger(min) || min < 1) {
      throw errors.invalid('HorizontalPodAutoscaler', 'autoscaling', name, [{ field: 'spec.minReplicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(min)}: must be greater than or equal to 1` }]);
    }
    if (typeof max !== 'number' || !Number.isInteger(max) || max < min) {
      throw errors.invalid('HorizontalPodAutoscaler', 'autoscaling', name, [{ field: 'spec.maxReplicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(max)}: must be greater than or equal to \`minReplicas\`` }]);
    }
    const change = (cur: HpaRecord): HpaRecord => ({ ...cur, minReplicas: min, maxReplicas: max, meta: { ...cur.meta, generation: (cur.meta.generation ?? 1) + 1 } });
    return { after: change(current), commit: () => void cluster.hpas.store.update(key, change) };
  }
  if (resource === 'nodes') return cordonPatch(cluster, name, contentType, body, hooks);
  throw new ApiError(405, 'MethodNotAllowed', `the warroom demo platform does not patch ${resource}`, { kind: resource });
}
