// Content negotiation (Accept header) and serialisation of objects, lists, Table rows and watch events
// into the representation a client asked for.
import { errors } from './apiErrors.js';
import type { Json } from './objectJson.js';
import { apiVersionOf, type ResourceKind } from './resourceKinds.js';
import type { StoredObject } from './store.js';
import { COLUMNS, PRINTERS } from './tablePrinters.js';
import { partialObjectMetadataText } from './metadataText.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export type Representation =
  | { as: 'json' }
  | { as: 'table'; groupVersion: string; includeObject: IncludeObject }
  | { as: 'partial'; groupVersion: string; list: boolean };

interface MediaRange {
  type: string;
  params: Record<string, string>;
  q: number;
  index: number;
}

function parseAcceptHeader(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part, index) => {
      const [type, ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0) params[p.slice(0, eq).trim().toLowerCase()] = p.slice(eq + 1).trim().replace(/^"|"$/g, '');
      }
      const q = params.q !== undefined ? Number(params.q) : 1;
      delete params.q;
      return { type: type.toLowerCase(), params, q: Number.isNaN(q) ? 1 : q, index };
    })
    .filter((m) => m.type !== '' && m.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
}

/**
 * Picks the representation for a request like the apiserver's negotiation: the first acceptable media range wins;
 * `as=Table;g=meta.k8s.io;v=v1|v1beta1` asks for server-side Table output; protobuf-only clients get 406.
 */
export function negotiate(acceptHeader: string | undefined, includeObjectParam: string | null, isList: boolean): Representation {
  if (!acceptHeader || acceptHeader.trim() === '') return { as: 'json' };
  for (const m of parseAcceptHeader(acceptHeader)) {
    const jsonish = m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*';
    if (!jsonish) continue;
    const as = m.params.as;
    if (!as) {
      if (m.params.g || m.params.v) continue;
      return { as: 'json' };
    }
    if (m.params.g !== 'meta.k8s.io' || (m.params.v !== 'v1' && m.params.v !== 'v1beta1')) continue;
    const groupVersion = `meta.k8s.io/${m.params.v}`;
    if (as === 'Table') {
      const include = includeObjectParam ?? 'Metadata';
      if (include !== 'None' && include !== 'Metadata' && include !== 'Object') {
        throw errors.badRequest(`Unable to convert to Table as requested: includeObject: Unsupported value: "${include}": supported values: "Metadata", "None", "Object"`);
      }
      return { as: 'table', groupVersion, includeObject: include as IncludeObject };
    }
    if (as === 'PartialObjectMetadata' && !isList) return { as: 'partial', groupVersion, list: false };
    if (as === 'PartialObjectMetadataList' && isList) return { as: 'partial', groupVersion, list: true };
  }
  throw errors.notAcceptable();
}

export function representationKey(rep: Representation): string {
  if (rep.as === 'json') return 'json';
  if (rep.as === 'table') return `table|${rep.groupVersion}|${rep.includeObject}`;
  return `partial|${rep.groupVersion}`;
}

/** Object with kind/apiVersion first, as a single GET or a watch event carries it. */
export function typedObject<T extends StoredObject>(kind: ResourceKind<T>, obj: Json): Json {
  return { kind: kind.kind, apiVersion: apiVersionOf(kind), ...obj };
}

/**
 * One Table row as JSON text: JSON.stringify({cells, conditions?, object}) written in parts, the object as text
 * straight from the record (metadataText.ts) where the row carries only its metadata, as pod lists do.
 */
export function tableRowText<T extends StoredObject>(kind: ResourceKind<T>, obj: T, rep: { groupVersion: string; includeObject: IncludeObject }, now: number): string {
  const full = kind.tableRow && rep.includeObject !== 'Object' ? undefined : kind.toJson(obj);
  const printed = full ? PRINTERS[kind.resource](full, now) : kind.tableRow!(obj, now);
  let text = `{"cells":${JSON.stringify(printed.cells)}`;
  if (printed.conditions) text += `,"conditions":${JSON.stringify(printed.conditions)}`;
  if (rep.includeObject === 'Metadata') text += `,"object":${partialObjectMetadataText(obj.meta, rep.groupVersion)}}`;
  else if (rep.includeObject === 'Object') text += `,"object":${JSON.stringify(typedObject(kind, full ?? kind.toJson(obj)))}}`;
  else text += ',"object":null}';
  return text;
}

export function columnDefinitionsText<T extends StoredObject>(kind: ResourceKind<T>): string {
  return JSON.stringify(COLUMNS[kind.resource]);
}

export interface ListMeta {
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

function listMetaText(meta: ListMeta): string {
  const out: Json = { resourceVersion: meta.resourceVersion };
  if (meta.continue) out.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) out.remainingItemCount = meta.remainingItemCount;
  return JSON.stringify(out);
}

/** Opening of a list response up to the items array; items follow comma-separated, then listClose(). */
export function listOpen<T extends StoredObject>(kind: ResourceKind<T>, rep: Representation, meta: ListMeta): string {
  if (rep.as === 'table') {
    return `{"kind":"Table","apiVersion":"${rep.groupVersion}","metadata":${listMetaText(meta)},"columnDefinitions":${columnDefinitionsText(kind)},"rows":[`;
  }
  if (rep.as === 'partial') {
    return `{"kind":"PartialObjectMetadataList","apiVersion":"${rep.groupVersion}","metadata":${listMetaText(meta)},"items":[`;
  }
  return `{"kind":"${kind.listKind}","apiVersion":"${apiVersionOf(kind)}","metadata":${listMetaText(meta)},"items":[`;
}

export function listClose(): string {
  return ']}';
}

export function listItemText<T extends StoredObject>(kind: ResourceKind<T>, obj: T, rep: Representation, now: number): string {
  if (rep.as === 'table') return tableRowText(kind, obj, rep, now);
  if (rep.as === 'partial') return partialObjectMetadataText(obj.meta, rep.groupVersion);
  return JSON.stringify(kind.toJson(obj));
}

/** A single object in the requested representation (GET, create, delete responses and watch event objects). */
export function objectText<T extends StoredObject>(kind: ResourceKind<T>, obj: T, rep: Representation, now: number, withHeaders = true): string {
  if (rep.as === 'table') {
    const columns = withHeaders ? columnDefinitionsText(kind) : 'null';
    return `{"kind":"Table","apiVersion":"${rep.groupVersion}","metadata":{"resourceVersion":"${obj.meta.rv}"},"columnDefinitions":${columns},"rows":[${tableRowText(kind, obj, rep, now)}]}`;
  }
  if (rep.as === 'partial') return partialObjectMetadataText(obj.meta, rep.groupVersion);
  return JSON.stringify(typedObject(kind, kind.toJson(obj)));
}

/**
 * A BOOKMARK's object: the watch cache sends an empty object of the resource's type carrying only
 * metadata.resourceVersion. For a Table watch the apiserver converts that empty object like any other,
 * giving a Table with one row printed from the empty object and a PartialObjectMetadata with the resourceVersion.
 */
export function bookmarkObjectText<T extends StoredObject>(kind: ResourceKind<T>, rv: number, rep: Representation, now: number, withHeaders: boolean): string {
  const empty = typedObject(kind, kind.emptyObject());
  (empty.metadata as Json).resourceVersion = String(rv);
  if (rep.as === 'json') return JSON.stringify(empty);
  const partial = { kind: 'PartialObjectMetadata', apiVersion: rep.groupVersion, metadata: { resourceVersion: String(rv), creationTimestamp: null } };
  if (rep.as === 'partial') return JSON.stringify(partial);
  const printed = PRINTERS[kind.resource](empty, now);
  const row: Json = { cells: printed.cells };
  if (rep.includeObject === 'Metadata') row.object = partial;
  else if (rep.includeObject === 'Object') row.object = empty;
  else row.object = null;
  const columns = withHeaders ? columnDefinitionsText(kind) : 'null';
  return `{"kind":"Table","apiVersion":"${rep.groupVersion}","metadata":{"resourceVersion":"${rv}"},"columnDefinitions":${columns},"rows":[${JSON.stringify(row)}]}`;
}
