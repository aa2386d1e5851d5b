import type { Key } from 'ink';
import type { ReactNode } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ViewKind, ViewState } from '../../platform/stores/navStore.js';

// Views that are not row lists (pod detail, and later logs, metrics, exec results) plug in
// here: the App draws the header, breadcrumb and status line, the pane draws the body and
// takes the keys it wants before the App's common keys.

export interface PaneProps {
  runtime: ConsoleRuntime;
  view: ViewState;
  width: number;
  height: number;
  now: number;
}

export interface Pane {
  /** Breadcrumb tail, e.g. "Logs (application)". */
  title(view: ViewState): string;
  render(props: PaneProps): ReactNode;
  /** Returns true when the key was consumed. `height` is the body height (for paging). */
  onKey(runtime: ConsoleRuntime, input: string, key: Key, height: number): boolean;
  /** One-line key hints for the status line. */
  hints: string;
  /** Lines for the `?` page. */
  help: Array<[string, string]>;
  /** Called when the pane becomes the current view / stops being it. */
  open?(runtime: ConsoleRuntime, view: ViewState): void;
  close?(runtime: ConsoleRuntime): void;
}

const registry = new Map<ViewKind, Pane>();

export function registerPane(kind: ViewKind, pane: Pane): void {
  registry.set(kind, pane);
}

export function paneFor(kind: ViewKind): Pane | undefined {
  return registry.get(kind);
}

/**
 * Opens the current view's pane and closes the one left as navigation changes (the runtime's
 * navigation store notifies synchronously, on the key), never from a render; a remount after
 * a hand-off to a shell finds its pane still open. Returns the stop function.
 */
export function followPanes(runtime: ConsoleRuntime): () => void {
  let current: { pane: Pane; scope: string } | undefined;
  const sync = () => {
    const view = runtime.nav.current;
    const pane = paneFor(view.kind);
    // A pane opens once per scope, not on every scroll or cursor move.
    const scope = `${view.kind}|${view.namespace ?? ''}|${view.pod ?? ''}|${view.app ? `${view.app.kind}/${view.app.name}` : ''}`;
    if (current?.pane === pane && current?.scope === scope) return;
    current?.pane.close?.(runtime);
    current = pane ? { pane, scope } : undefined;
    pane?.open?.(runtime, view);
  };
  sync();
  const unsubscribe = runtime.nav.subscribe(sync);
  return () => {
    unsubscribe();
    current?.pane.close?.(runtime);
    current = undefined;
  };
}

/**
 * A key that acts on the selected row of a list view (`l` logs, `m` metrics, `s` shell or
 * scale, ...). The App offers it on the listed views and shows it in the `?` page.
 */
export interface RowAction {
  key: string;
  description: string;
  views: ViewKind[];
  /**
   * `row` is the list view's row: SystemRow, AppRow or PodRow (see tableDefs.ts); `visible`
   * the rows the list shows now (filtered and sorted), for actions over all of them.
   */
  run(runtime: ConsoleRuntime, view: ViewState, row: unknown, visible?: readonly unknown[]): void;
}

const rowActions: RowAction[] = [];

export function registerRowAction(action: RowAction): void {
  rowActions.push(action);
}

export function rowActionsFor(kind: ViewKind): RowAction[] {
  return rowActions.filter((a) => a.views.includes(kind));
}
