import { TimelineStore } from './timeline/timelineStore.js';
import type { PluginConfig } from '../config/pluginsConfig.js';
import type { TerminalSession } from '../terminal/handoff.js';
import { ContextRuntime, type ConsoleConfig, type ViewFeedRequest } from './contextRuntime.js';
import { describeError } from './errors.js';
import { FleetLogsStore } from './logs/fleetLogsStore.js';
import { TemplateDriftStore } from './stores/templateDriftStore.js';
import { FleetCharts, FleetMetricsStore, fleetSourceLookup } from './metrics/fleetCharts.js';
import { FleetSparklines } from './metrics/fleetSparklines.js';
import type { KubeSession } from './kube/kubeSession.js';
import { NavStore, newView, type ViewState } from './stores/navStore.js';
import { PickerStore } from './stores/pickerStore.js';
import { ScaleDialogStore } from './stores/scaleDialogStore.js';
import { PortForwards } from './exec/portForwards.js';
import { NodeActionStore } from './stores/nodeActionStore.js';
import { PortForwardDialogStore } from './stores/portForwardDialogStore.js';
import { DeleteDialogStore } from './stores/deleteDialogStore.js';
import { EditStore } from './stores/editStore.js';

// The screen's side of a console, without React: where the user is (nav), quitting, handing the
// terminal to a shell, and the current kubeconfig context's runtime (`ctx`), which owns the
// session, stores, gate and panes' stores (see contextRuntime.ts). The UI reads `runtime.nav`
// and `runtime.ctx.<service>`; it never talks to the API itself.
//
// How a console is assembled: the CLI reads the config file once and connects; it builds a
// ConsoleRuntime from the session and the file; the ConsoleRuntime builds one ContextRuntime,
// and `:ctx NAME` disposes it and builds the next. Navigation drives the context's view feeds
// (syncViewFeeds) and the panes (ui/views/panes.ts followPanes), never a render.

export interface ConsoleRuntimeOptions {
  /** One session per kubeconfig context: one for a single cluster, several for a fleet. */
  sessions: readonly KubeSession[];
  readOnly: boolean;
  /** The config file's sections, read once by the CLI before the screen is taken. */
  config: ConsoleConfig;
  /** Restrict to one system (--namespace). */
  namespace?: string;
  /**
   * The list+watch a view needs beyond the cluster-wide feed (its `/-l` selector, the
   * ReplicaSets view): the UI's view descriptors answer it (ui/views/lists/listViews.ts).
   */
  viewFeeds(view: ViewState): ViewFeedRequest | undefined;
}

export class ConsoleRuntime {
  readonly readOnly: boolean;
  readonly namespace?: string;
  readonly nav: NavStore;
  readonly plugins: readonly PluginConfig[];
  /** Named fleets from the config file (`:fleet NAME`). */
  readonly fleets: Readonly<Record<string, string[]>>;
  /** The config file's `:` aliases (`dp: apps`), for `:aliases`. */
  readonly aliases: Readonly<Record<string, string>>;
  /**
   * `s` on a fleet row: one scale operation over every cluster, each through its own gate
   * (the same dialog model as a context's `ctx.scale`; its targets name their cluster).
   */
  readonly fleetScale: ScaleDialogStore;
  /** `l` on a fleet application or system: its logs from every cluster, merged by time. */
  readonly fleetLogs: FleetLogsStore;
  /** `i` on a fleet application with template drift: each cluster's template against the first's. */
  readonly templateDrift = new TemplateDriftStore();
  /** `m` on a fleet application or system: its charts with a series per cluster. */
  readonly fleetMetrics: FleetMetricsStore;
  /** The CPU/MEM sparklines of the fleet's tables, from every cluster's Prometheus. */
  readonly fleetSparklines = new FleetSparklines(() => this.runtimes);
  /** The pick list over the view (`:ctx`, `:ns` with no name). */
  readonly picker = new PickerStore();
  /** Port-forwards (`:pf`): they outlive `:ctx` and end when stopped or when the console stops. */
  readonly portForwards = new PortForwards();
  /** Shift-F: the port picker before a forward starts. */
  readonly portForwardDialog = new PortForwardDialogStore({ forwards: this.portForwards, say: (text, level) => this.nav.say(text, level) });
  /** `c` cordon / uncordon and `D` drain on the Nodes view (through the gate of the view's cluster). */
  readonly nodeActions = new NodeActionStore();
  /** Ctrl-D / Ctrl-K on rows: preview, confirmation, deletion in each row's cluster. */
  readonly deletion: DeleteDialogStore;
  /** `e` on a row: the object in $EDITOR, then the server's dry-run as a diff, applied through the gate. */
  readonly edits: EditStore;
  /** `T`: what changed and what went wrong in a scope, over the view's cluster or every cluster of the fleet. */
  readonly timeline = new TimelineStore();
  private runtimes: readonly ContextRuntime[];
  private readonly viewFeeds: ConsoleRuntimeOptions['viewFeeds'];
  private readonly config: ConsoleConfig;
  private started = false;
  private quitHandler: (() => void) | undefined;
  private handoffHandler: ((session: TerminalSession) => void) | undefined;

  constructor(opts: ConsoleRuntimeOptions) {
    this.readOnly = opts.readOnly;
    this.namespace = opts.namespace;
    this.config = opts.config;
    this.plugins = opts.config.plugins;
    this.fleets = opts.config.fleets;
    this.aliases = opts.config.keys.aliases;
    if (opts.sessions.length === 0) throw new Error('a console needs at least one kubeconfig context');
    this.viewFeeds = opts.viewFeeds;
    this.runtimes = opts.sessions.map((s) => this.contextFor(s));
    this.fleetScale = new ScaleDialogStore({
      gate: () => this.runtimes[0].gate,
      config: () => this.config.actions,
      store: () => this.runtimes[0].store,
      say: (text, level) => (text ? this.nav.say(text, level) : this.nav.clearMessage()),
      fleet: {
        contexts: () => this.runtimes.map((c) => c.contextName),
        cluster: (name) => {
          const c = this.contextNamed(name);
          return c && { gate: c.gate, store: c.store };
        },
      },
    });
    this.fleetLogs = new FleetLogsStore(() => this.runtimes.map((c) => ({ contextName: c.contextName, logs: c.logs })));
    this.fleetMetrics = new FleetMetricsStore(
      new FleetCharts({ members: () => this.runtimes, fleetSource: fleetSourceLookup((contexts) => this.config.fleetPrometheus?.(contexts), () => this.runtimes[0].session) }),
    );
    // A change in any cluster marks the fleet's charts (a cluster not answering marks none).
    this.fleetMetrics.markers = async (target, from, to, signal) =>
      (await Promise.all(this.runtimes.map((c) => c.timeline.chartMarkers(target, from, to, signal).catch(() => [])))).flat();
    this.deletion = new DeleteDialogStore({
      cluster: (name) => {
        const c = this.contextNamed(name);
        return c && { gate: c.gate, resources: async () => (c.discovery.resources().length ? c.discovery.resources() : (await c.discovery.load(), c.discovery.resources())) };
      },
      say: (text, level) => this.nav.say(text, level),
    });
    this.edits = new EditStore({
      cluster: (name) => this.contextNamed(name),
      handoff: (session) => this.requestHandoff(session),
      say: (text, level) => this.nav.say(text, level),
      clearMessage: () => this.nav.clearMessage(),
    });
    this.nav = new NavStore(this.homeView());
    // Feeds that only one view needs follow where the user is, not what a render asks for.
    this.nav.subscribe(() => this.syncViewFeeds());
  }

  /**
   * The runtime of the cluster the current view is routed to (`view.context`: a pod, its logs,
   * a shell, an application opened in one cluster), else the first one. Replaced on `:ctx`;
   * read it, do not keep it.
   */
  get ctx(): ContextRuntime {
    return this.contextNamed(this.nav.current.context) ?? this.runtimes[0];
  }

  /** Every cluster of the console (one, or a fleet), in the order given. */
  get contexts(): readonly ContextRuntime[] {
    return this.runtimes;
  }

  /** Several clusters at once: the fleet views merge them. */
  get fleet(): boolean {
    return this.runtimes.length > 1;
  }

  contextNamed(name: string | undefined): ContextRuntime | undefined {
    return name === undefined ? undefined : this.runtimes.find((c) => c.contextName === name);
  }

  start(): void {
    this.started = true;
    for (const c of this.runtimes) c.start();
  }

  /** Stops everything; settles once what must be audited on the way out (port-forwards' ends, open edits) is written. */
  stop(): Promise<void> {
    this.started = false;
    this.nodeActions.close();
    const audited = Promise.allSettled([this.portForwards.stopAll(), this.edits.close()]);
    this.fleetScale.close();
    this.deletion.close();
    this.fleetLogs.dispose();
    this.fleetMetrics.close();
    this.timeline.close();
    for (const c of this.runtimes) c.dispose();
    return audited.then(() => undefined);
  }

  /** A fleet-level view's feed goes to every cluster; a view routed to one cluster, to that one. */
  private syncViewFeeds(): void {
    const view = this.nav.current;
    const request = this.viewFeeds(view);
    for (const c of this.runtimes) c.syncViewFeeds(view.context === undefined || view.context === c.contextName ? request : undefined);
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

  /**
   * `:ctx NAME` or `:ctx A,B` (a fleet): dispose every context's runtime (every watch, row, pane
   * store), build the next ones, start over at home.
   */
  switchContext(names: readonly string[]): void {
    let next: KubeSession[];
    try {
      next = names.map((n) => this.runtimes[0].sessionFor(n));
    } catch (err) {
      this.nav.say(describeError(err), 'error');
      return;
    }
    this.fleetScale.close();
    this.fleetLogs.close();
    this.fleetMetrics.close();
    this.picker.close();
    for (const c of this.runtimes) c.dispose();
    this.runtimes = next.map((s) => this.contextFor(s));
    if (this.started) for (const c of this.runtimes) c.start();
    // The reset notifies: the UI re-renders against the new contexts' stores, panes close.
    this.nav.reset([this.homeView()]);
    this.nav.say(next.length === 1 ? `switched to context ${next[0].contextName} (${next[0].server})` : `switched to the fleet ${next.map((s) => s.contextName).join(', ')}`);
  }

  private contextFor(session: KubeSession): ContextRuntime {
    return new ContextRuntime({
      session,
      readOnly: this.readOnly,
      config: this.config,
      namespace: this.namespace,
      screen: this,
    });
  }

  private homeView(): ViewState {
    if (this.runtimes.length > 1) return this.namespace ? newView('fleet-apps', { namespace: this.namespace }) : newView('fleet-systems');
    return this.namespace ? newView('apps', { namespace: this.namespace }) : newView('systems');
  }
}
