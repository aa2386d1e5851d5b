import { createHash } from 'node:crypto';

// A workload's pod template compared as text: keys sorted, without what the controllers add
// (the ReplicaSet's pod-template-hash label). Rollout history compares revisions this way; the
// fleet compares one application's template across clusters by its fingerprint.

type Json = Record<string, unknown>;

export const TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** `kubectl rollout restart` stamps this; a restart in one cluster is not a difference between clusters. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});

export function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Json)[k])]));
  return v;
}

/** The template without the label the Deployment controller adds to each ReplicaSet's. */
export function withoutHash(template: Json): Json {
  const metadata = obj(template.metadata);
  if (!metadata.labels || !(TEMPLATE_HASH_LABEL in obj(metadata.labels))) return template;
  const labels = { ...obj(metadata.labels) };
  delete labels[TEMPLATE_HASH_LABEL];
  return { ...template, metadata: { ...metadata, labels } };
}

/**
 * JSON with every object's keys sorted, written straight out: no sorted copy of the object is
 * built (copies key by key would leave V8 a new hidden class per key set, kept for good).
 */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map((x) => (x === undefined ? 'null' : stableJson(x))).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Json;
    const parts: string[] = [];
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) parts.push(`${JSON.stringify(k)}:${stableJson(o[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function canonicalTemplate(template: Json): string {
  return stableJson(withoutHash(template));
}

/** The template as the clusters of a fleet are compared: without the restart stamp. */
export function fleetComparable(template: Json): Json {
  const metadata = obj(template.metadata);
  if (!(RESTARTED_AT_ANNOTATION in obj(metadata.annotations))) return template;
  const annotations = { ...obj(metadata.annotations) };
  delete annotations[RESTARTED_AT_ANNOTATION];
  return { ...template, metadata: { ...metadata, annotations } };
}

/** A short fingerprint of a workload's pod template: equal templates, equal fingerprints ('' without one). */
export function templateFingerprint(template: unknown): string {
  if (!template || typeof template !== 'object') return '';
  return createHash('sha1').update(canonicalTemplate(fleetComparable(template as Json))).digest('hex').slice(0, 12);
}
