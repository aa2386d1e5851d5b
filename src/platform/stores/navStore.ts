import type { ObjectRef } from '../kube/objects.js';
import type { WorkloadKind } from '../kube/rows.js';
import { sanitize } from '../text/sanitize.js';

// Where the user is: the stack of views with their cursor, scroll, filter and sort.
// It lives outside React so it survives a remount (the terminal is handed to an exec
// session and back) and so keys change it synchronously; it notifies at once.

export type ViewKind =
  | 'systems' | 'apps' | 'pods' | 'replicasets' | 'resources' | 'nodes' | 'events'
  | 'fleet-systems' | 'fleet-apps' | 'fleet-pods'
  | 'pod' | 'logs' | 'metrics' | 'exec-pick' | 'run-results' | 'yaml' | 'describe' | 'aliases'
  | 'alerts' | 'silences' | 'history' | 'feed' | 'port-forwards' | 'timeline' | 'drift';

/** A kind as discovery names it: what the generic kinds view lists. */
export interface KindRef {
  /** '' for the core group. */
  group: string;
  version: string;
  /** Plural: deployments. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

export interface SortState {
  column: string;
  descending: boolean;
}

export interface ViewState {
  kind: ViewKind;
  /**
   * The kubeconfig context (cluster) the view shows, in a fleet: a pod, its logs, an application
   * opened in one data centre. Undefined: the fleet's merged view, or the only cluster.
   */
  context?: string;
  /** System (namespace) for apps, pods and pod; undefined = all systems. */
  namespace?: string;
  /** Application for a pods view (`Deployment/name`); undefined = every pod of the system. */
  app?: { kind: WorkloadKind; name: string };
  /** Pod name for the pod detail view. */
  pod?: string;
  /** The kind a generic kinds view lists (`:deploy`, `:svc`, a CRD's plural). */
  resource?: KindRef;
  /** The node whose pods a pods view lists (Enter on a node). */
  node?: string;
  /** The object a YAML or describe view shows. */
  object?: ObjectRef;
  /** The object whose events an events view lists (`E` on a row); undefined: every event of the scope. */
  involved?: { kind: string; name: string; namespace?: string; uid?: string };
  cursor: number;
  /** Key (uid) of the selected row, so the cursor follows it when rows move. */
  selectedKey?: string;
  top: number;
  /** Raw filter text as typed: `text`, `re:regex` or `-l selector`. */
  filter: string;
  sort?: SortState;
}

export type Mode = 'normal' | 'filter' | 'command' | 'help';

export interface Message {
  text: string;
  level: 'info' | 'warn' | 'error';
  at: number;
}

export interface NavSnapshot {
  stack: ViewState[];
  mode: Mode;
  input: string;
  /** First line of the `?` page shown (it scrolls). */
  helpTop: number;
  message?: Message;
}

export class NavStore {
  private listeners = new Set<() => void>();
  private snap: NavSnapshot;

  constructor(initial: ViewState) {
    this.snap = { stack: [initial], mode: 'normal', input: '', helpTop: 0 };
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  get current(): ViewState {
    return this.snap.stack[this.snap.stack.length - 1];
  }

  private set(next: Partial<NavSnapshot>): void {
    this.snap = { ...this.snap, ...next };
    for (const l of [...this.listeners]) l();
  }

  updateCurrent(patch: Partial<ViewState>): void {
    const stack = this.snap.stack.slice();
    stack[stack.length - 1] = { ...this.current, ...patch };
    this.set({ stack });
  }

  /** Opens a view above the current one; it stays in the current view's cluster unless it names one. */
  push(view: Omit<ViewState, 'cursor' | 'top' | 'filter'> & Partial<ViewState>): void {
    this.set({ stack: [...this.snap.stack, { cursor: 0, top: 0, filter: '', context: this.current.context, ...view }], message: undefined });
  }

  /** Replaces the whole stack (a `:` command jumps rather than drills). */
  reset(stack: ViewState[]): void {
    this.set({ stack, mode: 'normal', input: '', message: undefined });
  }

  back(): boolean {
    if (this.snap.stack.length <= 1) return false;
    this.set({ stack: this.snap.stack.slice(0, -1), message: undefined });
    return true;
  }

  setMode(mode: Mode, input = ''): void {
    this.set({ mode, input, helpTop: 0 });
  }

  setHelpTop(helpTop: number): void {
    this.set({ helpTop });
  }

  setInput(input: string): void {
    this.set({ input });
  }

  /** Messages often quote the cluster or a log store: sanitised so they cannot drive the terminal. */
  say(text: string, level: Message['level'] = 'info'): void {
    this.set({ message: { text: sanitize(text, { maxLength: 1000 }), level, at: Date.now() } });
  }

  clearMessage(): void {
    if (this.snap.message) this.set({ message: undefined });
  }
}

export function newView(kind: ViewKind, extra: Partial<ViewState> = {}): ViewState {
  return { kind, cursor: 0, top: 0, filter: '', ...extra };
}

/** The label selector of a `/-l key=value` filter (sent to the server), or undefined. */
export function labelSelectorOf(filter: string): string | undefined {
  const text = filter.trim();
  if (!(text.startsWith('-l ') || text === '-l')) return undefined;
  return text.slice(2).trim() || undefined;
}
