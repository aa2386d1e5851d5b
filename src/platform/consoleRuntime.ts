import type { PluginConfig } from '../config/pluginsConfig.js';
import type { TerminalSession } from '../terminal/handoff.js';
import { ContextRuntime, type ConsoleConfig, type ViewFeedRequest } from './contextRuntime.js';
import { describeError } from './errors.js';
import type { KubeSession } from './kube/kubeSession.js';
import { NavStore, newView, type ViewState } from './stores/navStore.js';

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
  session: KubeSession;
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
  private context: ContextRuntime;
  private readonly config: ConsoleConfig;
  private started = false;
  private quitHandler: (() => void) | undefined;
  private handoffHandler: ((session: TerminalSession) => void) | undefined;

  constructor(opts: ConsoleRuntimeOptions) {
    this.readOnly = opts.readOnly;
    this.namespace = opts.namespace;
    this.config = opts.config;
    this.plugins = opts.config.plugins;
    this.nav = new NavStore(this.homeView());
    this.context = this.contextFor(opts.session);
    // Feeds that only one view needs follow where the user is, not what a render asks for.
    this.nav.subscribe(() => this.context.syncViewFeeds(opts.viewFeeds(this.nav.current)));
  }

  /** The current kubeconfig context's runtime (replaced on `:ctx`; read it, do not keep it). */
  get ctx(): ContextRuntime {
    return this.context;
  }

  start(): void {
    this.started = true;
    this.context.start();
  }

  stop(): void {
    this.started = false;
    this.context.dispose();
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

  /** `:ctx NAME`: dispose the context's runtime (every watch, row, pane store), build the next, start over at home. */
  switchContext(name: string): void {
    let next: KubeSession;
    try {
      next = this.context.sessionFor(name);
    } catch (err) {
      this.nav.say(describeError(err), 'error');
      return;
    }
    this.context.dispose();
    this.context = this.contextFor(next);
    if (this.started) this.context.start();
    // The reset notifies: the UI re-renders against the new context's stores, panes close.
    this.nav.reset([this.homeView()]);
    this.nav.say(`switched to context ${next.contextName} (${next.server})`);
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
    return this.namespace ? newView('apps', { namespace: this.namespace }) : newView('systems');
  }
}
