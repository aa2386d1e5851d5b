// Kinds the demo keeps as their served JSON body (spec, status, data, ...) beside the compact metadata: objects
// that are few (Services and their endpoints, ConfigMaps, Jobs, CronJobs, Ingresses, a CRD and its objects), so a
// record need not be compact. Each registers its Table columns and printer with the others in tablePrinters.ts.
import { metadataJson, type Json } from './objectJson.js';
import type { ResourceKind } from './resourceKinds.js';
import type { StoredObject } from './store.js';
import { COLUMNS, PRINTERS, type ColumnDefinition, type PrintedRow } from './tablePrinters.js';

export interface JsonRecord extends StoredObject {
  /** Everything but metadata, as served (`{spec, status}`, `{data}`, `{subsets}`, ...). */
  readonly body: Json;
}

export interface KindSpec<T extends StoredObject> {
  resource: string;
  singular: string;
  kind: string;
  group: string;
  version: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: string[];
  columns: ColumnDefinition[];
  // Printers walk loosely typed Kubernetes JSON, as the real ones walk Go structs.
  print(obj: Record<string, any>, now: number): PrintedRow;
  /** Extra field selectors beyond metadata.name / metadata.namespace. */
  fields?: Record<string, (o: T) => string>;
  /** The full object without kind/apiVersion; default: the metadata and a JsonRecord's body. */
  toJson?(o: T): Json;
}

const allVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A kind served from JsonRecords (its body as stored). */
export function jsonKind(spec: KindSpec<JsonRecord>): ResourceKind<JsonRecord> {
  return defineKind({ toJson: (o) => ({ metadata: metadataJson(o.meta), ...o.body }), ...spec });
}

/** A kind with its Table columns and printer registered beside the built-in ones. */
export function defineKind<T extends StoredObject>(spec: KindSpec<T> & { toJson(o: T): Json }): ResourceKind<T> {
  COLUMNS[spec.resource] = spec.columns;
  PRINTERS[spec.resource] = spec.print;
  return {
    resource: spec.resource,
    singular: spec.singular,
    kind: spec.kind,
    listKind: `${spec.kind}List`,
    group: spec.group,
    version: spec.version,
    namespaced: spec.namespaced,
    shortNames: spec.shortNames,
    categories: spec.categories,
    verbs: allVerbs,
    subresources: spec.subresources,
    toJson: spec.toJson,
    fields: { 'metadata.name': (o: T) => o.meta.name, 'metadata.namespace': (o: T) => o.meta.namespace, ...spec.fields },
    emptyObject: () => ({ metadata: { resourceVersion: '', creationTimestamp: null } }),
  };
}

/** labels.FormatLabels: `k=v,k=v` sorted by key, `<none>` when empty. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(',') : '<none>';
}

/** metav1.FormatLabelSelector for matchLabels selectors (`<none>` when empty). */
export function formatSelector(selector: { matchLabels?: Record<string, string> } | undefined): string {
  return formatLabels(selector?.matchLabels);
}

/** The apiserver's "name" column definition, shared by every printer. */
export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
export const CREATED_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export function column(name: string, type: string, description: string, priority = 0, format = ''): ColumnDefinition {
  return { name, type, format, description, priority };
}
export const nameColumn = (): ColumnDefinition => column('Name', 'string', NAME_DESCRIPTION, 0, 'name');
export const ageColumn = (): ColumnDefinition => column('Age', 'string', CREATED_DESCRIPTION);

/** A JSON timestamp as epoch ms, undefined when absent or unreadable. */
export function timestamp(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** Container names and images of a pod template, comma-separated (layoutContainerCells). */
export function containerCells(containers: Array<{ name?: string; image?: string }> | undefined): [string, string] {
  const list = containers ?? [];
  return [list.map((c) => c.name ?? '').join(','), list.map((c) => c.image ?? '').join(',')];
}
