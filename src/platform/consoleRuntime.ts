import type { TerminalSession } from '../terminal/handoff.js';
import type { KubeSession } from './kube/kubeSession.js';
import type { WatchHandle } from './kube/watchTypes.js';
import { describeError } from './errors.js';
import { ClusterStore, type ResourceName } from './stores/clusterStore.js';
import { startClusterFeed } from './stores/clusterFeed.js';
import { NavStore, newView, type ViewState } from './stores/navStore.js';
import { PodDetailStore } from './stores/podDetailStore.js';
import { ReplicaSetStore } from './stores/replicaSetStore.js';

// Everything one console session holds, without React: the connection, the live cluster
// store, where the user is, and the on-demand reads. The UI calls its methods; it never
// talks to the API itself.

export interface ConsoleRuntimeOptions {
  session: KubeSession;
  readOnly: boolean;
  /** Restrict to one system (--namespace). */
  namespace?: string;
}

interface SelectorFeed {
  key: string;
  store: ClusterStore;
  handle: WatchHandle;
}

export class ConsoleRuntime {
  session: KubeSession;
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
    this.session = opts.session;
    this.readOnly = opts.readOnly;
    this.namespace = opts.namespace;
    this.nav = new NavStore(opts.namespace ? newView('apps', { namespace: opts.namespace }) : newView('systems'));
    this.podDetail = new PodDetailStore(() => this.session);
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
      next = this.session.withContext(name);
    } catch (err) {
      this.nav.say(describeError(err), 'error');
      return;
    }
    this.feed?.stop();
    this.dropSelectorFeed();
    this.dropReplicaSetFeed();
    this.podDetail.close();
    this.store.clear();
    this.session = next;
    this.nav.reset([this.namespace ? newView('apps', { namespace: this.namespace }) : newView('systems')]);
    this.start();
    this.nav.say(`switched to context ${next.contextName} (${next.server})`);
  }

  /**
   * Rows for a view filtered with `/-l selector`: a separate list+watch with the selector
   * sent to the server. One such feed at a time; it stops when the view no longer needs it.
   */
  selectorStore(view: ViewState, selector: string): ClusterStore {
    const resources: ResourceName[] =
      view.kind === 'systems' ? ['namespaces'] : view.kind === 'apps' ? ['deployments', 'statefulsets'] : ['pods'];
    const key = `${resources.join(',')}|${view.namespace ?? ''}|${selector}`;
    if (this.selectorFeed?.key === key) return this.selectorFeed.store;
    this.dropSelectorFeed();
    const store = new ClusterStore();
    const handle = startClusterFeed(this.session, store, { namespace: view.namespace, labelSelector: selector, resources });
    // The view reads counters from the main store and rows from this one: re-render on both.
    store.subscribe(() => this.store.notifyNow());
    this.selectorFeed = { key, store, handle };
    return store;
  }

  dropSelectorFeed(): void {
    if (!this.selectorFeed) return;
    this.selectorFeed.handle.stop();
    this.selectorFeed.store.dispose();
    this.selectorFeed = undefined;
  }

  /**
   * ReplicaSets and ReplicationControllers of a system (all systems when undefined), for the
   * ReplicaSets view: watched only while that view is open, one feed at a time.
   */
  replicaSetStore(namespace: string | undefined, labelSelector?: string): ReplicaSetStore {
    const key = `${namespace ?? ''}|${labelSelector ?? ''}`;
    if (this.replicaSetFeed?.key === key) return this.replicaSetFeed.store;
    this.dropReplicaSetFeed();
    const store = new ReplicaSetStore(this.session, namespace, labelSelector);
    // The view re-renders on the main store's notifications: forward ours there.
    store.subscribe(() => this.store.notifyNow());
    this.replicaSetFeed = { key, store };
    return store;
  }

  dropReplicaSetFeed(): void {
    this.replicaSetFeed?.store.stop();
    this.replicaSetFeed = undefined;
  }
}
