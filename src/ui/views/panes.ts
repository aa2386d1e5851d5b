import type { ReactNode } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ContextRuntime } from '../../platform/contextRuntime.js';
import type { ViewKind, ViewState } from '../../platform/stores/navStore.js';
import type { Binding } from '../keys/keymap.js';

// Views that are not row lists (pod detail, and later logs, metrics, exec results) plug in
// here: the App draws the header, breadcrumb and status line, the pane draws the body and
// declares its keys, a layer of the key stack above the global keys (see keys/keyStack.ts).

export interface PaneProps {
  runtime: ConsoleRuntime;
  view: ViewState;
  width: number;
  height: number;
  now: number;
}

/** What a pane's key gets. */
export interface PaneKeyContext {
  runtime: ConsoleRuntime;
  view: ViewState;
  /** The body height (for paging). */
  height: number;
}

export interface Pane {
  /** Breadcrumb tail, e.g. "Logs (application)". */
  title(view: ViewState): string;
  render(props: PaneProps): ReactNode;
  /** The pane's keys (a layer of the key stack above the global keys); those with a hint show in the status line. */
  keys: ReadonlyArray<Binding<PaneKeyContext>>;
  /** Section title on the `?` page: 'Logs'. */
  helpTitle: string;
  /**
   * Called when the pane becomes the current view / stops being it, with the runtime of the
   * cluster it shows (in a fleet, the view's context): it is closed in the cluster it was opened in.
   */
  open?(ctx: ContextRuntime, view: ViewState, runtime: ConsoleRuntime): void;
  close?(ctx: ContextRuntime, view: ViewState, runtime: ConsoleRuntime): void;
}

/** A view over the whole fleet (no cluster of its own): its logs and charts are every cluster's. */
export function fleetWide(runtime: ConsoleRuntime, view: ViewState): boolean {
  return runtime.fleet && view.context === undefined;
}

const registry = new Map<ViewKind, Pane>();

export function registerPane(kind: ViewKind, pane: Pane): void {
  registry.set(kind, pane);
}

export function paneFor(kind: ViewKind): Pane | undefined {
  return registry.get(kind);
}

/** Every registered pane (the keymap checks their keys at start-up). */
export function paneList(): Array<{ kind: ViewKind; pane: Pane }> {
  return [...registry].map(([kind, pane]) => ({ kind, pane }));
}

/**
 * Opens the current view's pane and closes the one left as navigation changes (the runtime's
 * navigation store notifies synchronously, on the key), never from a render; a remount after
 * a hand-off to a shell finds its pane still open. Returns the stop function.
 */
export function followPanes(runtime: ConsoleRuntime): () => void {
  let current: { pane: Pane; scope: string; ctx: ContextRuntime; view: ViewState } | undefined;
  const sync = () => {
    const view = runtime.nav.current;
    const pane = paneFor(view.kind);
    const ctx = runtime.ctx;
    // A pane opens once per scope (the cluster included: ledger-db-0 is in every data centre),
    // not on every scroll or cursor move.
    // A fleet's merged view (no context) is not the first cluster's own.
    const scope = `${fleetWide(runtime, view) ? 'fleet' : ctx.contextName}|${view.kind}|${view.namespace ?? ''}|${view.pod ?? ''}|${view.app ? `${view.app.kind}/${view.app.name}` : ''}`;
    if (current?.pane === pane && current?.scope === scope && current.ctx === ctx) return;
    current?.pane.close?.(current.ctx, current.view, runtime);
    current = pane ? { pane, scope, ctx, view } : undefined;
    pane?.open?.(ctx, view, runtime);
  };
  sync();
  const unsubscribe = runtime.nav.subscribe(sync);
  return () => {
    unsubscribe();
    current?.pane.close?.(current.ctx, current.view, runtime);
    current = undefined;
  };
}
