// ObjectMeta as JSON text, byte for byte JSON.stringify(metadataJson(meta)), written straight from the record:
// the bulk of every pod Table row (includeObject=Metadata), so a 75,000-pod list builds no metadata objects.
// Labels, annotations, owner references and managed fields are shared between records (a ReplicaSet's pods
// share one labels map and one owner list) and never changed in place (a change replaces the record and the
// map), so their text is kept per shared object: a few hundred texts for a whole cluster, not one per pod.
import { rfc3339 } from './duration.js';
import { managedFieldsJson } from './managedFields.js';
import type { ObjectMeta } from './store.js';

const shared = new WeakMap<object, string>();

/** The JSON text of a shared map or list, written once; '' when metadataJson leaves the field out. */
function sharedText<T extends object>(value: T, write: (value: T) => string): string {
  let text = shared.get(value);
  if (text === undefined) {
    text = write(value);
    shared.set(value, text);
  }
  return text;
}

/** Anything JSON.stringify escapes (quotes, backslashes, control characters, surrogates): only then is it called. */
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

/** JSON.stringify(s) for a string, cheaper for the plain names and uids of nearly every object. */
export function jsonString(s: string): string {
  return ESCAPED.test(s) ? JSON.stringify(s) : `"${s}"`;
}

const writeMap = (map: Readonly<Record<string, string>>) => (Object.keys(map).length > 0 ? JSON.stringify(map) : '');
const writeList = (list: readonly unknown[]) => (list.length > 0 ? JSON.stringify(list) : '');
const writeManagers = (list: Parameters<typeof managedFieldsJson>[0]) => (list.length > 0 ? JSON.stringify(managedFieldsJson(list)) : '');

export function metadataText(m: ObjectMeta): string {
  let text = `{"name":${jsonString(m.name)}`;
  if (m.generateName) text += `,"generateName":${jsonString(m.generateName)}`;
  if (m.namespace) text += `,"namespace":${jsonString(m.namespace)}`;
  text += `,"uid":${jsonString(m.uid)},"resourceVersion":"${m.rv}"`;
  if (m.generation !== undefined) text += `,"generation":${JSON.stringify(m.generation)}`;
  text += `,"creationTimestamp":"${rfc3339(m.created)}"`;
  if (m.deletionTs !== undefined) {
    text += `,"deletionTimestamp":"${rfc3339(m.deletionTs)}"`;
    if (m.deletionGrace !== undefined) text += `,"deletionGracePeriodSeconds":${JSON.stringify(m.deletionGrace)}`;
  }
  const labels = m.labels && sharedText(m.labels, writeMap);
  if (labels) text += `,"labels":${labels}`;
  const annotations = m.annotations && sharedText(m.annotations, writeMap);
  if (annotations) text += `,"annotations":${annotations}`;
  const owners = m.owners && sharedText(m.owners, writeList);
  if (owners) text += `,"ownerReferences":${owners}`;
  const finalizers = m.finalizers && sharedText(m.finalizers, writeList);
  if (finalizers) text += `,"finalizers":${finalizers}`;
  const managers = m.managers && sharedText(m.managers, writeManagers);
  if (managers) text += `,"managedFields":${managers}`;
  return `${text}}`;
}

/** A PartialObjectMetadata (a Table row's object with includeObject=Metadata, or a partial list's item) as JSON text. */
export function partialObjectMetadataText(m: ObjectMeta, groupVersion: string): string {
  return `{"kind":"PartialObjectMetadata","apiVersion":${JSON.stringify(groupVersion)},"metadata":${metadataText(m)}}`;
}
