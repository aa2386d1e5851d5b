import type { TableColumnDefinition } from './tableTypes.js';
// The contract between a Kubernetes list+watch and whatever keeps its rows (a store).

export type WatchStatus =
  | { kind: 'listing' }
  | { kind: 'live' }
  /** Connection lost; retrying with backoff. Rows are kept and shown as stale. */
  | { kind: 'reconnecting'; since: number; reason: string; attempt: number }
  /** 403: names the resource and namespace; the rest of the console keeps working. */
  | { kind: 'forbidden'; message: string }
  /**
   * A failure retrying cannot fix (401, 404 for the resource, a bad selector). `code` is the
   * HTTP status when the API answered, so a caller can tell "resource not served" (404) apart.
   */
  | { kind: 'failed'; message: string; code?: number };

/** How far a paged list has got: items received so far, and how many the server says remain. */
export interface ListProgress {
  /** Items in the pages received so far of this list (before mapping to rows). */
  received: number;
  /** The last page's `metadata.remainingItemCount`; undefined when the server did not say (e.g. with a selector). */
  remaining?: number;
}

export interface RowSink<Row> {
  /**
   * One page of a (re)list. `generation` grows with each relist. On the page with
   * `done: true`, rows of older generations that were not seen again are removed.
   * `progress` counts the items of this list so far, for "loading 12,000 of 20,000".
   */
  listPage(rows: Row[], generation: number, done: boolean, progress?: ListProgress): void;
  upsert(row: Row): void;
  remove(uid: string): void;
  status(status: WatchStatus): void;
  /** The server's column definitions, when they arrive (a generic view shows them as they are). */
  columns?(definitions: readonly TableColumnDefinition[]): void;
}

export interface WatchSpec {
  /** API path prefix of the resource's group/version: `/api/v1` or `/apis/apps/v1`. */
  groupVersionPath: string;
  /** Plural resource name: pods, deployments, ... */
  resource: string;
  /** Omit for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size of the list; default 500. */
  pageSize?: number;
  /** What each row carries besides its cells; default Metadata. Object is for small kinds whose rows need a field the cells lack (nodes, events). */
  includeObject?: 'Metadata' | 'Object';
  /**
   * A cluster-wide list longer than one page goes on per namespace, this many lists at once
   * (then one cluster-wide watch). A real API server converts each list's pages to Table rows
   * on its own goroutine, so a long list is not one page after another.
   */
  parallelNamespaces?: number;
}

export interface WatchHandle {
  stop(): void;
}
