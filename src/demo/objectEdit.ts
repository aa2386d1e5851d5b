// `kubectl edit` / `kubectl replace` on the demo: PUT of a whole object and a JSON merge patch (or a
// strategic merge patch, applied as a merge patch: the demo's editable fields are maps and
// scalars, where the two agree) of any field of the kinds kept as JSON (Services, ConfigMaps,
// Jobs, CronJobs, Ingresses, the CRD's objects) and of the labels and annotations of every kind; a
// Deployment's, StatefulSet's or ReplicaSet's spec.replicas (and a Deployment's spec.paused) too.
// Another change to a compact record (a pod's spec, a Deployment's template) is refused with 422
// naming the field, never silently ignored. A metadata.resourceVersion in the body is a
// precondition: another value than the stored one is a 409 Conflict, as on a real API server.
// status is the status subresource's: a change to it in the main resource is ignored.
import { errors } from './apiErrors.js';
import type { Served } from './cluster.js';
import type { Controller } from './controller.js';
import { finalizersOf } from './garbageCollector.js';
import type { JsonRecord } from './jsonKinds.js';
import type { Json } from './objectJson.js';
import type { PatchResult } from './objectPatch.js';
import type { Labels, StoredObject } from './store.js';

type JsonObject = Record<string, unknown>;

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** RFC 7386: null removes a key, an object merges, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Metadata the server sets: a value sent for them is ignored, as the API server does. */
const SERVER_METADATA = new Set(['resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink', 'uid']);
/** Top-level fields outside an object's content. */
const ENVELOPE = new Set(['kind', 'apiVersion', 'metadata', 'status']);
const SCALABLE = new Set(['deployments', 'statefulsets', 'replicasets']);

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!same(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/** The path of the first field where `a` and `b` differ ("spec.template.spec.containers"). */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (same(a, b)) return undefined;
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      const d = firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
  }
  return path;
}

function stringMap(v: unknown, field: string, invalid: (field: string, message: string) => Error): Labels | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) throw invalid(field, 'Invalid value: must be a map of strings');
  for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') throw invalid(`${field}[${k}]`, `Invalid value: ${JSON.stringify(x)}: must be a string`);
  return v as Labels;
}

/**
 * The object as `edited` says (a PUT's body, or the current object with a merge patch applied):
 * checked like the API server would, then `commit()` stores it (not called for a dry-run).
 */
export function editObject(served: Served<StoredObject>, controller: Controller, key: string, edited: unknown, expectedRv: unknown): PatchResult {
  const kind = served.kind;
  const current = served.store.get(key);
  const name = key.slice(key.indexOf('/') + 1);
  if (!current) throw errors.notFound(kind.resource, kind.group, name);
  if (!isObject(edited)) throw errors.badRequest('the object must be a JSON object');
  if (typeof expectedRv === 'string' && expectedRv !== '' && expectedRv !== String(current.meta.rv)) {
    throw errors.conflict(kind.resource, kind.group, name, 'the object has been modified; please apply your changes to the latest version and try again');
  }
  const invalid = (field: string, message: string) => errors.invalid(kind.kind, kind.group, name, [{ field, reason: 'FieldValueInvalid', message }]);
  const forbidden = (field: string) => errors.invalid(kind.kind, kind.group, name, [{ field, reason: 'FieldValueForbidden', message: `Forbidden: the warroom demo platform edits only labels and annotations of a ${kind.kind}${SCALABLE.has(kind.resource) ? ', spec.replicas' : ''}${kind.resource === 'deployments' ? ', spec.paused' : ''}` }]);
  const now = kind.toJson(current) as JsonObject;
  const meta = isObject(edited.metadata) ? edited.metadata : {};
  const nowMeta = isObject(now.metadata) ? now.metadata : {};
  if (meta.name !== undefined && meta.name !== current.meta.name) throw errors.badRequest(`the name of the object (${String(meta.name)}) does not match the name on the URL (${current.meta.name})`);
  if (meta.namespace !== undefined && (meta.namespace || '') !== current.meta.namespace) throw errors.badRequest(`the namespace of the object (${String(meta.namespace)}) does not match the namespace on the URL (${current.meta.namespace})`);
  if (meta.uid !== undefined && meta.uid !== current.meta.uid) {
    throw errors.conflict(kind.resource, kind.group, name, `Precondition failed: UID in precondition: ${String(meta.uid)}, UID in object meta: ${current.meta.uid}`);
  }
  for (const k of new Set([...Object.keys(meta), ...Object.keys(nowMeta)])) {
    if (SERVER_METADATA.has(k) || k === 'labels' || k === 'annotations' || k === 'finalizers' || k === 'name' || k === 'namespace') continue;
    if (meta[k] !== undefined && !same(meta[k], nowMeta[k])) throw forbidden(`metadata.${k}`);
  }
  const labels = stringMap(meta.labels, 'metadata.labels', invalid) ?? {};
  const finalizers = finalizersOf(meta.finalizers);
  if (current.meta.deletionTs !== undefined && (finalizers ?? []).some((f) => !current.meta.finalizers?.includes(f))) {
    throw forbidden('metadata.finalizers');
  }
  const annotations = stringMap(meta.annotations, 'metadata.annotations', invalid) ?? {};
  const content = (o: JsonObject): JsonObject => Object.fromEntries(Object.entries(o).filter(([k]) => !ENVELOPE.has(k)));
  const withMeta = <T extends StoredObject>(cur: T, generationUp: boolean): T => ({
    ...cur,
    meta: { ...cur.meta, labels, annotations, finalizers, ...(generationUp ? { generation: (cur.meta.generation ?? 1) + 1 } : {}) },
  });
  // The last finalizer of a Terminating object removed: the object goes, as on a real server.
  const finish = (updated: StoredObject | undefined) => {
    if (updated?.meta.deletionTs !== undefined && !updated.meta.finalizers?.length) served.store.remove(key);
  };
  const nowContent = content(now);
  const newContent = content(edited);
  const record = current as StoredObject & { body?: Json };
  if (record.body !== undefined) {
    // A JSON kind: its body is what it serves, so any field but status may change.
    const status = isObject(record.body) ? record.body.status : undefined;
    const body: Json = { ...newContent, ...(status !== undefined ? { status } : {}) };
    const change = (cur: JsonRecord): JsonRecord => ({ ...withMeta(cur, !same(newContent.spec, nowContent.spec)), body });
    const after = change(current as JsonRecord) as StoredObject;
    return { after, commit: () => finish((served as unknown as Served<JsonRecord>).store.update(key, change)) };
  }
  const spec = isObject(newContent.spec) ? newContent.spec : undefined;
  const nowSpec = isObject(nowContent.spec) ? nowContent.spec : undefined;
  const replicas = SCALABLE.has(kind.resource) && spec && nowSpec && spec.replicas !== nowSpec.replicas ? spec.replicas : undefined;
  const paused = kind.resource === 'deployments' && spec && nowSpec && (spec.paused ?? false) !== (nowSpec.paused ?? false) ? spec.paused : undefined;
  const ignored = (o: JsonObject): JsonObject => (isObject(o.spec) ? { ...o, spec: { ...o.spec, replicas: undefined, paused: undefined } } : o);
  const differs = firstDifference(ignored(nowContent), ignored(newContent), '');
  if (differs) throw forbidden(differs);
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) throw invalid('spec.replicas', `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`);
  if (paused !== undefined && typeof paused !== 'boolean') throw invalid('spec.paused', `Invalid value: ${JSON.stringify(paused)}: must be true or false`);
  const change = (cur: StoredObject): StoredObject => {
    const next = withMeta(cur, paused !== undefined);
    return paused !== undefined ? ({ ...next, paused } as StoredObject) : next;
  };
  const preview = change(current) as StoredObject & { replicas?: number };
  const after = replicas !== undefined ? ({ ...preview, replicas } as StoredObject) : preview;
  return {
    after,
    commit: () => {
      if (!same(labels, current.meta.labels ?? {}) || !same(annotations, current.meta.annotations ?? {}) || !same(finalizers, current.meta.finalizers) || paused !== undefined) finish(served.store.update(key, change));
      if (replicas !== undefined) controller.scale(kind.resource as 'deployments' | 'statefulsets' | 'replicasets', key, replicas as number);
    },
  };
}
