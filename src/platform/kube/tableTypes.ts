// The server-side Table format (meta.k8s.io/v1) as list and watch responses carry it when asked
// with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io` and `includeObject=Metadata`.

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

export interface TableColumnDefinition {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface OwnerReference {
  apiVersion?: string;
  kind: string;
  name: string;
  uid?: string;
  controller?: boolean;
}

/** The metadata of a PartialObjectMetadata row object: all we keep besides the cells. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
}

/** A row's object: PartialObjectMetadata (includeObject=Metadata) or the whole object (includeObject=Object). */
export interface RowObject {
  kind?: string;
  apiVersion?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface TableRow {
  cells: unknown[];
  object?: RowObject;
  /** Set by some printers: a finished pod's `Completed` condition. */
  conditions?: Array<{ type: string; status: string; reason?: string; message?: string }>;
}

export interface Table {
  kind: 'Table' | string;
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions?: TableColumnDefinition[] | null;
  rows?: TableRow[] | null;
}

/** Column name -> index into a row's cells. Mappers look columns up by name, never by position. */
export type ColumnIndex = ReadonlyMap<string, number>;

/**
 * Turns one Table row into a compact row; null skips it (and removes it if it was shown). `object` is the
 * row's whole object when the watch asked for it (includeObject=Object): read what the row needs, keep none of it.
 */
export type RowMapper<Row> = (cells: readonly unknown[], columns: ColumnIndex, meta: ObjectMeta, object?: RowObject) => Row | null;

export function columnIndexOf(defs: readonly TableColumnDefinition[]): ColumnIndex {
  const index = new Map<string, number>();
  defs.forEach((d, i) => index.set(d.name, i));
  return index;
}
