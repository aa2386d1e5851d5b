import type { ConsoleRuntime } from '../../../platform/consoleRuntime.js';
import type { ViewFeedRequest } from '../../../platform/contextRuntime.js';
import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { AlertRow, SilenceRow } from '../../../platform/alerts/alertRows.js';
import type { ObjectRef } from '../../../platform/kube/objects.js';
import type { PodRow, ReplicaSetRow, ResourceRow } from '../../../platform/kube/rows.js';
import type { EventGroupRow } from '../../../platform/stores/eventGroups.js';
import type { NodeListRow } from './nodesView.js';
import type { AppRow, SystemRow } from '../../../platform/stores/clusterQueries.js';
import type { FleetAppRow, FleetSystemRow } from '../../../platform/stores/fleetQueries.js';
import type { SparkRow } from '../../../platform/metrics/sparklineStore.js';
import type { FleetSparkRow } from '../../../platform/metrics/fleetSparklines.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import type { Binding } from '../../keys/keymap.js';
import type { ListState } from '../../../platform/stores/listState.js';
import type { ParsedFilter, TableDef } from '../tableModel.js';

// A list view as one typed descriptor: its rows and columns, the feed it needs beyond the
// cluster-wide watch, where Enter goes, the keys that act on its rows, its `:` command names.
// The registry (listViews.ts) holds one per view; App, the keys, the command line and the
// runtime's view feeds read descriptors, never `view.kind === ...` chains.

/** The row type of each list view. A new list view adds its row type here. */
export interface RowTypes {
  systems: SystemRow;
  apps: AppRow;
  pods: PodRow;
  replicasets: ReplicaSetRow;
  resources: ResourceRow;
  nodes: NodeListRow;
  events: EventGroupRow;
  'fleet-systems': FleetSystemRow;
  'fleet-apps': FleetAppRow;
  'fleet-pods': PodRow;
  alerts: AlertRow;
  silences: SilenceRow;
}

export type ListViewId = keyof RowTypes;

export interface ListModelOf<K extends ListViewId> {
  kind: K;
  /** The view's descriptor: its keys, drill-down, feeds. */
  descriptor: ListViewDescriptor<K>;
  def: TableDef<RowTypes[K]>;
  /** Filtered and sorted. */
  rows: readonly RowTypes[K][];
  /** Rows before filtering, for "12 of 340". */
  total: number;
  filter: ParsedFilter;
  filterError?: string;
  /** A watch problem that concerns this view (403 on its resource, reconnecting). */
  problem?: string;
  changedAt(row: RowTypes[K]): number | undefined;
  /** Why no row is listed (loading, forbidden, no such system, empty, filtered) and the breadcrumb's count (ListModels adds it). */
  state: ListState;
}

/** The model of whichever list view is shown: switch on `kind` to reach typed rows. */
export type ListModel = { [K in ListViewId]: ListModelOf<K> }[ListViewId];

/**
 * Any list view's model, for code that does not look into rows (cursor, table drawing, keys of
 * every list): a `ListModel` is one, and its def, rows and descriptor still belong together.
 */
export type AnyListModel = ListModelOf<ListViewId>;

/** What a descriptor computes its model from. */
export interface ModelInput {
  /** The cluster the view shows (its `context`, else the first). */
  ctx: ContextRuntime;
  /** Every cluster of the console (the fleet views merge them). */
  contexts: readonly ContextRuntime[];
  view: ViewState;
  filter: ParsedFilter;
  filterError?: string;
  /** CPU/MEM samples per row key, when Prometheus answers for this context. */
  spark?: SparkLookup;
  now: number;
  /**
   * State a view keeps between models (a sorted index of its rows): built again only when
   * `key` changes, stopped when replaced or when the view's models are dropped.
   */
  keep<T extends { stop(): void }>(key: string, build: () => T): T;
}

/** CPU and memory samples of a row (by its key), when Prometheus answers for this context. */
export type SparkLookup = (key: string) => { cpu: ArrayLike<number>; memory: ArrayLike<number>; scale: { cpu: number; memory: number } } | undefined;

/** What a row key's action gets: the selected row (if any) and the list it is on. */
export interface RowKeyContext<K extends ListViewId> {
  runtime: ConsoleRuntime;
  view: ViewState;
  model: ListModelOf<K>;
  /** The row under the cursor; undefined on an empty list. */
  row: RowTypes[K] | undefined;
  cursor: number;
  /** Rows a page key moves. */
  pageRows: number;
  /** Moves the cursor (clamped to the list). */
  moveTo(index: number): void;
}

/** A view to open: the nav stack's `push` argument. */
export type ViewInit = Omit<ViewState, 'cursor' | 'top' | 'filter'> & Partial<ViewState>;

export interface ListViewDescriptor<K extends ListViewId> {
  id: K;
  /** Breadcrumb and help title: 'Pods'. */
  title: string;
  /** `:` command names, the first one canonical: ['pods', 'pod', 'po']. */
  commands: readonly string[];
  /** The table, rows filtered and sorted (called at most once per store change; see ListModels). */
  model(input: ModelInput): Omit<ListModelOf<K>, 'state'>;
  /** A view over every cluster of a fleet (it changes with any cluster's rows). */
  fleet?: boolean;
  /**
   * A view of the whole context (or fleet), not of a system: `:NAME` opens it above the home
   * view, and its rows come from stores of its own (`version` says when they change).
   */
  topLevel?: boolean;
  /** What the rows depend on beyond the cluster stores (a store's version), for the models' cache. */
  version?(ctx: ContextRuntime, contexts: readonly ContextRuntime[]): string;
  /** The table with every optional column (the keymap checks its sort keys at start-up). */
  widestTable(): TableDef<RowTypes[K]>;
  /** Where Enter on a row goes. */
  drill?(row: RowTypes[K], view: ViewState): ViewInit | undefined;
  /** One line for `?` on what Enter opens. */
  drillHelp?: string;
  /** Keys that act on the selected row or on the list. */
  keys: ReadonlyArray<Binding<RowKeyContext<K>>>;
  /** The list+watch this view needs beyond the cluster-wide feed, for its `/-l` selector. */
  feed?(view: ViewState, selector: string | undefined): ViewFeedRequest | undefined;
  /** The visible rows that want CPU/MEM sparklines (one query for all of them). */
  sparkRows?(ctx: ContextRuntime, visible: readonly RowTypes[K][]): SparkRow[];
  /** A fleet view's: each visible row's parts in each cluster (each cluster's store asks its own Prometheus). */
  fleetSparkRows?(contexts: readonly ContextRuntime[], visible: readonly RowTypes[K][]): FleetSparkRow[];
  /**
   * The Kubernetes object a row stands for (its YAML, its description, its events: the keys of
   * every list act on it), in the row's cluster; undefined for a row that is no one object.
   */
  ref?(row: RowTypes[K], view: ViewState): RowRef | undefined;
}

/** An object a row stands for, and the cluster it is in (a fleet row's; undefined: the view's). */
export type RowRef = ObjectRef & { context?: string };

/** A key on a list row that needs a row (does nothing, and falls through, on an empty list). */
export function rowKey<K extends ListViewId>(
  action: string,
  keys: readonly string[],
  help: string,
  run: (row: RowTypes[K], ctx: RowKeyContext<K>) => void,
): Binding<RowKeyContext<K>> {
  return {
    action,
    keys,
    help,
    run: (ctx) => {
      if (ctx.row === undefined) return false;
      run(ctx.row, ctx);
    },
  };
}
