import type { TerminalSession } from '../terminal/handoff.js';
import { loadActionsConfig, type ActionsConfig } from '../config/actionsConfig.js';
import { ActionGate } from './actions/actionGate.js';
import { AuditLog } from './actions/auditLog.js';
import { readSessionOf, type KubeSession, type ReadSession } from './kube/kubeSession.js';
import type { WatchHandle } from './kube/watchTypes.js';
import { describeError } from './errors.js';
import { ClusterStore, type ResourceName } from './stores/clusterStore.js';
import { startClusterFeed } from './stores/clusterFeed.js';
import { labelSelectorOf, NavStore, newView, type ViewState } from './stores/navStore.js';
import { PodDetailStore } from './stores/podDetailStore.js';
import { ReplicaSetStore } from './stores/replicaSetStore.js';
import { ScaleDialogStore } from './stores/scaleDialogStore.js';
import { MarkStore } from './stores/markStore.js';
import type { LogsStore } from './logs/logsStore.js';
import { newLogsStore } from './logs/logsRuntime.js';
import type { MetricsPaneStore } from './metrics/metricsPaneStore.js';
import type { SparklineStore } from './metrics/sparklineStore.js';
import { newMetricsStores } from './metrics/metricsRuntime.js';
import { ExecLauncher } from './exec/execLauncher.js';
import { PodRuns } from './exec/runOnPodsRuntime.js';

// Everything one console session holds, without React: the connection, the live cluster
// store, where the user is, and the on-demand reads. The UI calls its methods; it never
// talks to the API itself.

export interface ConsoleRuntimeOptions {
  session: KubeSession;
  readOnly: boolean;
  /** The config file's actions section (default: read from the config file). */
  actionsConfig?: ActionsConfig;
  /** Restrict to one system (--namespace). */
  namespace?: string;
}

interface SelectorFeed {
  key: string;
  store: ClusterStore;
  handle: WatchHandle;
}

export class ConsoleRuntime {
  /** Only the runtime holds the full session: it builds the gate from it and hands out the read side. */
  private fullSession: KubeSession;
  /** What views, stores and sources use: reads, lists, watches; no method that mutates. */
  session: ReadSession;
  /** The one path for every change (read-only guard, audit); the only holder of a mutating client. */
  readonly gate: ActionGate;
  readonly actionsConfig: ActionsConfig;
  /** The scale / restart dialog over the list views. */
  readonly scale: ScaleDialogStore;
  /** Marked applications (Space), per list. */
  readonly marks = new MarkStore();
  readonly logs: LogsStore;
  /** The charts pane and the CPU/MEM sparklines of the tables. */
  readonly metrics: MetricsPaneStore;
  readonly sparklines: SparklineStore;
  /** Shells into pods (container picker, access review, hand-off). */
  readonly exec: ExecLauncher;
  /** `:run` over the listed pods, one run at a time. */
  readonly runs: PodRuns;
  readonly readOnly: boolean;
  readonly namespace?: string;
  readonly store = new ClusterStore();
  readonly nav: NavStore;
  readonly podDetail: PodDetailStore;
  private feed: WatchHandle | undefined;
  private selectorFeed: SelectorFeed | undefined;
  private replicaSetFeed: { key: string; store: ReplicaSetStore } | undefined;
  private quitHandler: (() => void) | undefined;
  private handoffHandler: ((session: TerminalSession) => void) | undefined;

  constructor(opts: ConsoleRuntimeOptions) {
    this.fullSession = opts.session;
    this.session = readSessionOf(opts.session);
    this.readOnly = opts.readOnly;
    // Read before the screen is taken, so an invalid actions section is a start-up error.
    this.actionsConfig = opts.actionsConfig ?? loadActionsConfig();
    this.gate = new ActionGate({
      session: () => this.fullSession,
      policy: { global: opts.readOnly, contexts: this.actionsConfig.readOnlyContexts },
      audit: new AuditLog(this.actionsConfig.auditPath),
      kubernetesEvents: this.actionsConfig.kubernetesEvents,
    });
    this.scale = new ScaleDialogStore({
      gate: () => this.gate,
      config: () => this.actionsConfig,
      store: () => this.store,
      say: (text, level) => (text ? this.nav.say(text, level) : this.nav.clearMessage()),
    });
    this.logs = newLogsStore(this);
    ({ metrics: this.metrics, sparklines: this.sparklines } = newMetricsStores(this));
    this.exec = new ExecLauncher(this);
    this.runs = new PodRuns(this);
    this.namespace = opts.namespace;
    this.nav = new NavStore(opts.namespace ? newView('apps', { namespace: opts.namespace }) : newView('systems'));
    this.podDetail = new PodDetailStore(() => this.session);
    // Feeds that only one view needs follow where the user is, not what a render asks for.
    this.nav.subscribe(() => this.syncViewFeeds());
  }

  start(): void {
    this.feed = startClusterFeed(this.session, this.store, { namespace: this.namespace });
  }

  stop(): void {
    this.feed?.stop();
    this.feed = undefined;
    this.dropSelectorFeed();
    this.dropReplicaSetFeed();
    this.podDetail.close();
    this.runs.cancel();
    this.logs.dispose();
    this.metrics.close();
    this.sparklines.stop();
    this.store.dispose();
  }

  onQuit(handler: () => void): void {
    this.quitHandler = handler;
  }

  quit(): void {
    this.quitHandler?.();
  }

  onHandoff(handler: (session: TerminalSession) => void): void {
    this.handoffHandler = handler;
  }

  /**
   * Gives the whole terminal to `session` (exec shell, plugin): the UI unmounts, the session
   * runs, the UI comes back where it was. False when no console is there to step aside.
   */
  requestHandoff(session: TerminalSession): boolean {
    if (!this.handoffHandler) return false;
    this.handoffHandler(session);
    return true;
  }

  /** `:ctx NAME`: drop every watch and row, connect to the other context, start over at Systems. */
  switchContext(name: string): void {
    let next: KubeSession;
    try {
      next = this.fullSession.withContext(name);
    } catch (err) {
      this.nav.say(describeError(err), 'error');
      return;
    }
    this.feed?.stop();
    this.dropSelectorFeed();
    this.dropReplicaSetFeed();
    this.podDetail.close();
    this.store.clear();
    this.fullSession = next;
    this.session = readSessionOf(next);
    this.nav.reset([this.namespace ? newView('apps', { namespace: this.namespace }) : newView('systems')]);
    this.start();
    this.nav.say(`switched to context ${next.contextName} (${next.server})`);
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
   * one it no longer needs: a `/-l selector` filter (the selector goes to the server) or the
   * ReplicaSets view. One of each at a time. Runs on every navigation change, before the UI
   * draws, so a view only ever reads stores.
   */
  private syncViewFeeds(): void {
    const view = this.nav.current;
    const selector = labelSelectorOf(view.filter);
    if (view.kind === 'replicasets') {
      this.dropSelectorFeed();
      this.ensureReplicaSetFeed(view.namespace, selector);
      return;
    }
    this.dropReplicaSetFeed();
    if (selector && (view.kind === 'systems' || view.kind === 'apps' || view.kind === 'pods')) this.ensureSelectorFeed(view, selector);
    else this.dropSelectorFeed();
  }

  private ensureSelectorFeed(view: ViewState, selector: string): void {
    const resources: ResourceName[] =
      view.kind === 'systems' ? ['namespaces'] : view.kind === 'apps' ? ['deployments', 'statefulsets'] : ['pods'];
    const key = `${resources.join(',')}|${view.namespace ?? ''}|${selector}`;
    if (this.selectorFeed?.key === key) return;
    this.dropSelectorFeed();
    const store = new ClusterStore();
    const handle = startClusterFeed(this.session, store, { namespace: view.namespace, labelSelector: selector, resources });
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
