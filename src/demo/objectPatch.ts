// PATCH of whole objects, for the two changes warroom makes besides scaling: a rollout restart (the pod
// template annotation kubectl.kubernetes.io/restartedAt on a Deployment or StatefulSet) and an HPA's
// min/max. Merge and strategic merge patches; dryRun=All validates and answers without changing anything.
// Other fields are refused with 422 rather than silently ignored.
import { ApiError, errors } from './apiErrors.js';
import type { Cluster } from './cluster.js';
import type { HpaRecord } from './records.js';
import { objectKey, type StoredObject } from './store.js';

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
}

export function patchObject(cluster: Cluster, resource: string, namespace: string, name: string, contentType: string, body: unknown, hooks: PatchHooks): PatchResult {
  if (contentType !== 'application/merge-patch+json' && contentType !== 'application/strategic-merge-patch+json') throw errors.unsupportedMediaType(contentType);
  const key = objectKey(namespace, name);
  const patch = obj(body);
  if (resource === 'deployments' || resource === 'statefulsets') {
    const served = resource === 'deployments' ? cluster.deployments : cluster.statefulSets;
    const kind = resource === 'deployments' ? 'Deployment' : 'StatefulSet';
    const current = served.store.get(key);
    if (!current) throw errors.notFound(resource, 'apps', name);
    onlyKeys(patch, ['spec'], '', kind, 'apps', name);
    const spec = obj(patch.spec);
    onlyKeys(spec, ['template'], 'spec.', kind, 'apps', name);
    const template = obj(spec.template);
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
        else cluster.statefulSets.store.update(key, change);
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
  throw new ApiError(405, 'MethodNotAllowed', `the warroom demo platform does not patch ${resource}`, { kind: resource });
}
