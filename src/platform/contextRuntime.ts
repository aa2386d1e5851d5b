import type { ActionsConfig } from '../config/actionsConfig.js';
import type { AlertsConfig } from '../config/alertsConfig.js';
import type { ExecConfig } from '../config/execConfig.js';
import type { FleetPrometheus } from '../config/fleetsConfig.js';
import type { LogsConfig } from '../config/logsConfig.js';
import type { MetricsConfig } from '../config/metricsConfig.js';
import type { PluginConfig } from '../config/pluginsConfig.js';
import type { KeysConfig } from '../config/keysConfig.js';
import type { TerminalSession } from '../terminal/handoff.js';
import { ActionGate } from './actions/actionGate.js';
import { AuditLog } from './actions/auditLog.js';
import { AlertDetailState } from './alerts/alertRows.js';
import { AlertStore } from './alerts/alertStore.js';
import { SilenceDialogStore } from './alerts/silenceDialogStore.js';
import { ExecLauncher } from './exec/execLauncher.js';
import { PodRuns } from './exec/runOnPodsRuntime.js';
import { readSessionOf, type KubeSession, type ReadSession } from './kube/kubeSession.js';
import type { WatchHandle } from './kube/watchTypes.js';
import type { LogsStore } from './logs/logsStore.js';
import { newLogsStore } from './logs/logsRuntime.js';
import type { MetricsPaneDeps } from './metrics/contextCharts.js';
import type { MetricsPaneStore } from './metrics/metricsPaneStore.js';
import { newMetricsStores } from './metrics/metricsRuntime.js';
import type { SparklineStore } from './metrics/sparklineStore.js';
import { startClusterFeed } from './stores/clusterFeed.js';
import { ClusterStore, type ResourceName } from './stores/clusterStore.js';
import { MarkStore } from './stores/markStore.js';
import type { NavStore } from './stores/navStore.js';
import { PodDetailStore } from './stores/podDetailStore.js';
import { RolloutHistoryStore } from './stores/rolloutHistoryStore.js';
import { feedWho, recentChangeLine, WarroomFeed } from './stores/warroomFeed.js';
import { ReplicaSetStore } from './stores/replicaSetStore.js';
import { ScaleDialogStore } from './stores/scaleDialogStore.js';
import { mapEventRow, mapNodeRow, mapResourceRow, nodeDetailWatch } from './kube/rowMappers.js';
import type { EventRow, NodeRow, ResourceRow } from './kube/rows.js';
import type { RowMapper } from './kube/tableTypes.js';
import type { WatchSpec } from './kube/watchTypes.js';
import type { NodeMetricsStore } from './metrics/nodeMetricsStore.js';
import { DiscoveryStore } from './stores/discoveryStore.js';
import { ObjectDetailStore } from './stores/objectDetailStore.js';
import { ViewTable } from './stores/viewTable.js';
import { ContextTimeline } from './timeline/contextTimeline.js';

// Everything that belongs to one kubeconfig context, built in the constructor below in the
// order a reader needs it (session, cluster store, gate and audit, the dialogs and panes'
// stores) and torn down in dispose(). The screen (ConsoleRuntime) holds one of these and
// replaces it on `:ctx NAME`; nothing here is looked up through a module-level map.
//
// Several side by side (#12, the fleet): nothing in here is global, so a fleet screen builds one
// ContextRuntime per cluster with the same ContextScreen and keeps them in a list; each owns
// its own watches, stores, gate and audit, and a view says which context it reads.

/** What a context runtime borrows from the screen it is shown on. */
export interface ContextScreen {
  /** Where the user is; status-line messages go here. */
  readonly nav: NavStore;
  /** Gives the terminal to a shell or plugin; false when no console can step aside. */
  requestHandoff(session: TerminalSession): boolean;
}

/**
 * The config file's sections, read once by the CLI (cli/consoleConfig.ts) and handed down; the
 * per-context ones are functions of the context name. A bad per-context value throws a
 * ConfigError when the feature is used, and the feature says it.
 */
export interface ConsoleConfig {
  /** Audit, scale limits, read-only contexts (checked at start-up). */
  actions: ActionsConfig;
  /** `:plugin NAME` and plugin keys (checked at start-up). */
  plugins: readonly PluginConfig[];
  /** Users' key bindings and `:` aliases (checked by the UI's keymap at start-up). */
  keys: KeysConfig;
  /** Named fleets: fleet name -> kubeconfig contexts (`--fleet NAME`, `:fleet NAME`). */
  fleets: Record<string, string[]>;
  exec(context: string): ExecConfig;
  logs(context: string): LogsConfig;
  metrics(context: string): MetricsConfig;
  /** One Prometheus for a fleet's clusters (`fleets.<name>.prometheus`), when the config has one for these contexts. */
  fleetPrometheus?(contexts: readonly string[]): FleetPrometheus | undefined;
  /** Where the context's alerts come from (Alertmanager, Prometheus). */
  alerts(context: string): AlertsConfig;
}

export interface ContextRuntimeOptions {
  session: KubeSession;
  /** --readonly */
  readOnly: boolean;
  /** The config file, read once by the CLI; this context's sections are taken from it. */
  config: ConsoleConfig;
  /** Restrict to one system (--namespace). */
  namespace?: string;
  screen: ContextScreen;
}

/** The rows of a `/-l` filter: these resources listed and watched with the selector. */
export interface SelectorFeedRequest {
  kind: 'selector';
  resources: ResourceName[];
  namespace?: string;
  selector: string;
}

/** What the rows of a table feed are: any kind's cells, events, nodes. */
export interface TableRowTypes {
  cells: ResourceRow;
  events: EventRow;
  nodes: NodeRow;
}

const tableMappers: { [K in keyof TableRowTypes]: RowMapper<TableRowTypes[K]> } = { cells: mapResourceRow, events: mapEventRow, nodes: mapNodeRow };

/** One list+watch of any resource (the generic kinds view, events, nodes with a selector). */
export interface TableFeedRequest {
  kind: 'table';
  spec: WatchSpec;
  rows: keyof TableRowTypes;
}

/** A view feed beyond the cluster-wide one, as a list view's descriptor asks for it. */
export type ViewFeedRequest =
  | SelectorFeedRequest
  | { kind: 'replicasets'; namespace?: string; selector?: string }
  | TableFeedRequest
  /** The Nodes view: its rows (whole node objects, with the selector if any) and per-node usage from Prometheus. */
  | { kind: 'nodes'; selector?: string };

interface SelectorFeed {
  key: string;
  store: ClusterStore;
  handle: WatchHandle;
}

export class ContextRuntime {
  readonly contextName: string;
  /** Only the context runtime holds the full session: it builds the gate from it and hands out the read side. */
  private readonly fullSession: KubeSession;
  /** What views, stores and sources use: reads, lists, watches; no method that mutates. */
  readonly session: ReadSession;
  readonly readOnly: boolean;
  readonly namespace?: string;
  /** Read from the screen on each use: the console builds its contexts before its NavStore. */
  get nav(): NavStore {
    return this.screen.nav;
  }
  /** The live rows and counters of the cluster-wide feed. */
  readonly store: ClusterStore;
  /** The one path for every change (read-only guard, audit); the only holder of a mutating client. */
  readonly gate: ActionGate;
  readonly actionsConfig: ActionsConfig;
  /** The scale / restart dialog over the list views. */
  readonly scale: ScaleDialogStore;
  /** Marked applications (Space), per list. */
  readonly marks = new MarkStore();
  readonly podDetail: PodDetailStore;
  /** An application's revisions, diff and rollback (`H`). */
  readonly history: RolloutHistoryStore;
  /** Other warroom consoles' changes on this cluster (audit.kubernetesEvents), `:feed`. */
  readonly warroomFeed: WarroomFeed;
  readonly logs: LogsStore;
  /** The charts pane and the CPU/MEM sparklines of the tables. */
  readonly metrics: MetricsPaneStore;
  readonly sparklines: SparklineStore;
  /** This context's Prometheus and application pods, for the fleet's charts too. */
  readonly metricsDeps: MetricsPaneDeps;
  /** CPU and memory per node (the Nodes view), where Prometheus answers. */
  readonly nodeMetrics: NodeMetricsStore;
  /** What the cluster serves: `:KIND` resolves here (read on the first `:KIND` or `:aliases`, not at start-up). */
  readonly discovery: DiscoveryStore;
  /** The object behind a row, for its YAML and its description. */
  readonly objects: ObjectDetailStore;
  /** Shells into pods (container picker, access review, hand-off). */
  readonly exec: ExecLauncher;
  /** `:run` over the listed pods, one run at a time. */
  readonly runs: PodRuns;
  /** The context's alerts and silences, polled while it is open (`:alerts`, the header's count). */
  readonly alerts: AlertStore;
  /** `S` on an alert, `x` on a silence. */
  readonly silenceDialog: SilenceDialogStore;
  /** `i` on an alert of this context. */
  readonly alertDetail = new AlertDetailState();
  /** The timeline's sources in this context (`T`) and the charts' change markers. */
  readonly timeline: ContextTimeline;
  private readonly config: ConsoleConfig;
  private readonly screen: ContextScreen;
  private feed: WatchHandle | undefined;
  private selectorFeed: SelectorFeed | undefined;
  private replicaSetFeed: { key: string; store: ReplicaSetStore } | undefined;
  private tableFeed: { key: string; rows: keyof TableRowTypes; table: ViewTable<TableRowTypes[keyof TableRowTypes]> } | undefined;

  constructor(opts: ContextRuntimeOptions) {
    this.fullSession = opts.session;
    this.session = readSessionOf(opts.session);
    this.contextName = opts.session.contextName;
    this.store = new ClusterStore(this.contextName);
    this.readOnly = opts.readOnly;
    this.namespace = opts.namespace;
    this.config = opts.config;
    this.screen = opts.screen;
    this.actionsConfig = opts.config.actions;
    this.gate = new ActionGate({
      session: () => this.fullSession,
      policy: { global: opts.readOnly, contexts: this.actionsConfig.readOnlyContexts },
      audit: new AuditLog(this.actionsConfig.auditPath),
      kubernetesEvents: this.actionsConfig.kubernetesEvents,
    });
    this.warroomFeed = new WarroomFeed({
      session: () => this.session,
      ownConsole: () => this.gate.consoleId,
      namespace: this.namespace,
      // A notice when another console changes something in the system on screen.
      announce: (e) => {
        // A cluster-scoped object's change (a node cordoned) is announced on the views of the whole cluster.
        if ((e.namespace || undefined) === this.nav.current.namespace) this.nav.say(`war room: ${feedWho(e)} ${e.action} ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}: ${e.message}`, 'warn');
      },
    });
    const recentChange = (ref: { namespace: string; kind: string; name: string }) => {
      const e = this.warroomFeed.recentChange(ref);
      return e && recentChangeLine(e, Date.now());
    };
    this.scale = new ScaleDialogStore({
      gate: () => this.gate,
      config: () => this.actionsConfig,
      store: () => this.store,
      say: (text, level) => (text ? this.nav.say(text, level) : this.nav.clearMessage()),
      recentChange,
    });
    this.podDetail = new PodDetailStore(() => this.session);
    this.history = new RolloutHistoryStore({ gate: () => this.gate, timeoutMs: () => this.actionsConfig.scale.readyTimeoutMs, recentChange });
    this.logs = newLogsStore({ session: this.session, logsConfig: () => this.config.logs(this.contextName) });
    ({ metrics: this.metrics, sparklines: this.sparklines, deps: this.metricsDeps, nodeMetrics: this.nodeMetrics } = newMetricsStores({
      session: this.session,
      store: this.store,
      metricsConfig: () => this.config.metrics(this.contextName),
    }));
    this.nodeMetrics.subscribe(() => this.store.touch());
    this.discovery = new DiscoveryStore(() => this.session);
    this.objects = new ObjectDetailStore(() => this.session);
    this.exec = new ExecLauncher(this);
    this.runs = new PodRuns(this);
    const say = (text: string, level?: 'info' | 'warn' | 'error') => this.nav.say(text, level);
    this.alerts = new AlertStore({ context: this.contextName, config: () => this.config.alerts(this.contextName), session: () => this.session, say });
    this.silenceDialog = new SilenceDialogStore({ context: this.contextName, gate: () => this.gate, alerts: this.alerts, config: () => this.config.alerts(this.contextName), say });
    this.timeline = new ContextTimeline({
      context: this.contextName,
      session: this.session,
      metrics: this.metricsDeps,
      alerts: this.alerts,
      logsConfig: () => this.config.logs(this.contextName),
      feed: this.warroomFeed,
      feedOn: () => this.actionsConfig.kubernetesEvents,
      auditPath: () => this.actionsConfig.auditPath,
    });
    // The charts and the logs strip mark the scope's rollouts and scale changes.
    this.metrics.markers = this.timeline.chartMarkers;
    this.logs.markers = this.timeline.logMarkers;
  }

  /** Starts the cluster-wide list+watch; view feeds follow navigation (syncViewFeeds). */
  start(): void {
    this.feed = startClusterFeed(this.session, this.store, { namespace: this.namespace });
    this.alerts.start();
    if (this.actionsConfig.kubernetesEvents) this.warroomFeed.start();
  }

  /** Stops every watch, poll and run this context started and drops its rows. */
  dispose(): void {
    this.feed?.stop();
    this.feed = undefined;
    this.dropSelectorFeed();
    this.dropReplicaSetFeed();
    this.dropTableFeed();
    this.nodeMetrics.stop();
    this.discovery.dispose();
    this.objects.close();
    this.podDetail.close();
    this.history.close();
    this.warroomFeed.stop();
    this.runs.cancel();
    this.exec.cancel();
    this.scale.close();
    this.logs.dispose();
    this.metrics.close();
    this.sparklines.stop();
    this.silenceDialog.close();
    this.alertDetail.close();
    this.alerts.stop();
    this.store.dispose();
  }

  /** The exec section for this context (throws a ConfigError on a bad value, said where used). */
  execConfig(): ExecConfig {
    return this.config.exec(this.contextName);
  }

  /** The session for another kubeconfig context (throws when there is no such context). */
  sessionFor(name: string): KubeSession {
    return this.fullSession.withContext(name);
  }

  get server(): string {
    return this.fullSession.server;
  }

  requestHandoff(session: TerminalSession): boolean {
    return this.screen.requestHandoff(session);
  }

  /** The rows of the current view's `/-l` filter, when it has one (see syncViewFeeds). */
  viewSelectorStore(): ClusterStore | undefined {
    return this.selectorFeed?.store;
  }

  /** The ReplicaSets view's rows, while that view is open. */
  viewReplicaSets(): ReplicaSetStore | undefined {
    return this.replicaSetFeed?.store;
  }

  /**
   * Starts the list+watch the current view needs beyond the cluster-wide feed, and stops the
   * one it no longer needs: the rows of a `/-l selector` filter (the selector goes to the
   * server) or the ReplicaSets view. One of each at a time. The screen calls it on every
   * navigation change with what the view's descriptor asks for, before the UI draws, so a view
   * only ever reads stores.
   */
  syncViewFeeds(request: ViewFeedRequest | undefined): void {
    if (request?.kind === 'replicasets') this.ensureReplicaSetFeed(request.namespace, request.selector);
    else this.dropReplicaSetFeed();
    if (request?.kind === 'selector') this.ensureSelectorFeed(request);
    else this.dropSelectorFeed();
    const table: TableFeedRequest | undefined =
      request?.kind === 'table' ? request : request?.kind === 'nodes' ? { kind: 'table', spec: { ...nodeDetailWatch.spec, ...(request.selector ? { labelSelector: request.selector } : {}) }, rows: 'nodes' } : undefined;
    if (table) this.ensureTableFeed(table);
    else this.dropTableFeed();
    if (request?.kind === 'nodes') this.nodeMetrics.start();
    else this.nodeMetrics.stop();
  }

  /** The rows of the current view's own list+watch, when it is of `rows` (see syncViewFeeds). */
  viewTable<K extends keyof TableRowTypes>(rows: K): ViewTable<TableRowTypes[K]> | undefined {
    return this.tableFeed?.rows === rows ? (this.tableFeed.table as unknown as ViewTable<TableRowTypes[K]>) : undefined;
  }

  private ensureTableFeed({ spec, rows }: TableFeedRequest): void {
    const key = `${rows}|${JSON.stringify(spec)}`;
    if (this.tableFeed?.key === key) return;
    this.dropTableFeed();
    const map = tableMappers[rows] as RowMapper<TableRowTypes[keyof TableRowTypes]>;
    // The view re-renders on the main store's notifications: ours go there, coalesced with the rest.
    this.tableFeed = { key, rows, table: new ViewTable(this.session, spec, map, () => this.store.touch()) };
  }

  private dropTableFeed(): void {
    this.tableFeed?.table.stop();
    this.tableFeed = undefined;
  }

  private ensureSelectorFeed({ resources, namespace, selector }: SelectorFeedRequest): void {
    const key = `${resources.join(',')}|${namespace ?? ''}|${selector}`;
    if (this.selectorFeed?.key === key) return;
    this.dropSelectorFeed();
    const store = new ClusterStore(this.contextName);
    const handle = startClusterFeed(this.session, store, { namespace, labelSelector: selector, resources });
    // The view reads counters from the main store and rows from this one: re-render on both.
    store.subscribe(() => this.store.notifyNow());
    this.selectorFeed = { key, store, handle };
  }

  private dropSelectorFeed(): void {
    if (!this.selectorFeed) return;
    this.selectorFeed.handle.stop();
    this.selectorFeed.store.dispose();
    this.selectorFeed = undefined;
  }

  /** ReplicaSets and ReplicationControllers of a system (all systems when undefined). */
  private ensureReplicaSetFeed(namespace: string | undefined, labelSelector?: string): void {
    const key = `${namespace ?? ''}|${labelSelector ?? ''}`;
    if (this.replicaSetFeed?.key === key) return;
    this.dropReplicaSetFeed();
    const store = new ReplicaSetStore(this.session, namespace, labelSelector);
    // The view re-renders on the main store's notifications: forward ours there.
    store.subscribe(() => this.store.notifyNow());
    this.replicaSetFeed = { key, store };
  }

  private dropReplicaSetFeed(): void {
    this.replicaSetFeed?.store.stop();
    this.replicaSetFeed = undefined;
  }
}
