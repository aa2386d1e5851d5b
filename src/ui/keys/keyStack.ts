import type { PluginConfig } from '../../config/pluginsConfig.js';
import { CommandHistory } from '../../platform/commandHistory.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { describeError } from '../../platform/errors.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { ListModels } from '../views/lists/listModels.js';
import type { AnyListModel, ListModel, ListViewId, RowKeyContext } from '../views/lists/listView.js';
import { isListView, listViews } from '../views/lists/listViews.js';
import type { RowTypes } from '../views/lists/listView.js';
import { openOverlay, overlayList, type Overlay } from '../views/overlays.js';
import { paneFor, paneList, type PaneKeyContext } from '../views/panes.js';
import { pluginKeys, type PluginKeys } from '../views/pluginActions.js';
import { globalScope } from './globalKeys.js';
import { helpScope, type HelpKeyContext } from './helpKeys.js';
import { displayKey, type KeyPress } from './keyPress.js';
import { Keymap, type Binding, type KeyOverrides, type KeyScope } from './keymap.js';
import { listScope, objectKeys, sortScope } from './listKeys.js';
import { promptScope, typeIntoPrompt } from './promptKeys.js';
import { clampCursor, clampTop } from './listCursor.js';

// The key stack: where a key press goes. From the top:
//
//   an open dialog (scale, run confirmation)  modal: its keys, else typed into its field
//   the prompt (/ filter, : command)          modal: its keys, else typed
//   the help page                             modal: scroll keys, any other key closes it
//   the pane (logs, metrics, pod detail...)   or the list view's own keys, its sorts, the list keys
//   the global keys                           back, :, ?, q
//
// A binding that does not apply now returns false and the key goes on down. A key nothing
// takes says so in the status line instead of doing nothing silently.

export interface KeyStackOptions {
  /** Actions the config file binds to other keys. */
  overrides?: KeyOverrides;
  plugins?: readonly PluginConfig[];
  /** `:` command aliases from the config file: `dp: apps`. */
  aliases?: Readonly<Record<string, string>>;
  /** The `:` line's history (↑/↓); default: this run only. */
  history?: CommandHistory;
}

/** The body's size as last drawn: page keys move by it. */
export interface ScreenLayout {
  /** Rows of a list view's table (without its header). */
  listRows: number;
  /** Rows of the body (panes, help). */
  bodyRows: number;
}

type ListKeyContext = RowKeyContext<ListViewId>;

interface Layer {
  scope: KeyScope<never>;
  /** Runs the binding of `name` in this layer, if there is one that applies. */
  press(name: string): boolean;
  /** Typed text, for modal layers with a field. */
  type?(text: string): void;
  /** Takes every key (a dialog, the prompt, the help page). */
  modal?: boolean;
  /** A key the modal layer has no binding for (help: close). */
  otherwise?(): void;
}

export class KeyStack {
  readonly keymap: Keymap;
  readonly layout: ScreenLayout = { listRows: 10, bodyRows: 10 };
  private readonly plugins: PluginKeys;
  private readonly aliases: Readonly<Record<string, string>>;
  private models: ListModels | undefined;
  readonly history: CommandHistory;
  /** What the last Tab left in the `:` line, and what it could still become. */
  private completion: { line: string; candidates: readonly string[]; waiting?: string } | undefined;
  /** Ends the wait of the last Tab for candidates still being listed. */
  private stopWaiting: (() => void) | undefined;

  constructor(private readonly runtime: ConsoleRuntime, opts: KeyStackOptions = {}) {
    this.keymap = new Keymap(opts.overrides);
    this.plugins = pluginKeys(opts.plugins ?? []);
    this.aliases = opts.aliases ?? {};
    this.history = opts.history ?? new CommandHistory(undefined);
  }

  /** Tab's candidates while the `:` line is as Tab left it: undefined once it is edited. */
  completionFor(line: string): { candidates: readonly string[]; waiting?: string } | undefined {
    return this.completion?.line === line ? this.completion : undefined;
  }

  private setWait(stop: (() => void) | undefined): void {
    this.stopWaiting?.();
    this.stopWaiting = stop;
  }

  /** The list models of the console's clusters (new ones after `:ctx`). */
  lists(): ListModels {
    if (this.models?.contexts !== this.runtime.contexts) {
      this.models?.dispose();
      this.models = new ListModels(this.runtime);
    }
    return this.models;
  }

  /** The model of the list view shown, if the view is a list. */
  model(view: ViewState = this.runtime.nav.current): ListModel | undefined {
    return this.lists().get(view);
  }

  dispose(): void {
    this.setWait(undefined);
    this.models?.dispose();
    this.models = undefined;
  }

  /** Handles one key press. A failing action is said in the status line; it never ends the console. */
  press(key: KeyPress): void {
    const nav = this.runtime.nav;
    if (key.name === 'ctrl+c') return this.runtime.quit();
    try {
      for (const layer of this.layers()) {
        if (layer.press(key.name)) return;
        if (layer.modal) {
          if (key.text && layer.type) layer.type(key.text);
          else layer.otherwise?.();
          return;
        }
      }
      if (key.name !== 'unknown') this.sayUnbound(key);
    } catch (err) {
      // A key must never take the console down in a war room: say what failed instead.
      nav.say(`that key failed: ${describeError(err)}`, 'error');
    }
  }

  /** The scopes of the view shown, for `?` (top first) and the status-line hints. */
  viewScopes(view: ViewState = this.runtime.nav.current): Array<KeyScope<never>> {
    const pane = paneFor(view.kind);
    if (pane) return [{ id: `pane:${view.kind}`, title: pane.helpTitle, bindings: pane.keys }, globalScope];
    if (!isListView(view.kind)) return [globalScope];
    const model = this.model(view);
    const sorts = model ? [sortScope(widen(model).def)] : [];
    return [this.listViewScope(view.kind), ...sorts, listScope, globalScope];
  }

  /** The dialog shown over the view, if any. */
  overlay(): Overlay | undefined {
    return openOverlay(this.runtime);
  }

  /**
   * Every binding conflict and unknown action, one line each (checked at start-up): every list
   * view with its sorts, every pane, every dialog, the prompt and the help page.
   */
  problems(): string[] {
    const stacks: Array<Array<KeyScope<never>>> = [];
    for (const id of Object.keys(listViews) as ListViewId[]) {
      // Sorts of the widest table (every optional column): a sort key is a key like any other.
      stacks.push([this.listViewScope(id), sortScope<RowTypes[ListViewId]>(listViews[id].widestTable()), listScope, globalScope]);
    }
    for (const { kind, pane } of paneList()) stacks.push([{ id: `pane:${kind}`, title: pane.helpTitle, bindings: pane.keys }, globalScope]);
    for (const o of overlayList()) stacks.push([{ id: 'overlay', title: o.helpTitle, bindings: o.keys }]);
    stacks.push([promptScope], [helpScope]);
    return this.keymap.problems(stacks);
  }

  private listViewScope(id: ListViewId): KeyScope<ListKeyContext> {
    const d = listViews[id];
    const plugins: ReadonlyArray<Binding<ListKeyContext>> = id === 'apps' ? this.plugins.apps : id === 'pods' ? this.plugins.pods : [];
    const keys: ReadonlyArray<Binding<ListKeyContext>> = d.keys;
    // y, d, E on views whose rows are Kubernetes objects.
    // A view with a key of its own for an action (the Applications' Space mark) keeps it.
    const objectBindings = d.ref ? objectKeys.filter((b) => !keys.some((k) => k.action === b.action)) : [];
    return { id: `view:${id}`, title: `${d.title} view`, bindings: [...keys, ...plugins, ...objectBindings] };
  }

  private layers(): Layer[] {
    const runtime = this.runtime;
    const nav = runtime.nav;
    const snap = nav.getSnapshot();
    const layers: Layer[] = [];
    const overlay = this.overlay();
    if (overlay) {
      const ctx = { runtime };
      return [{ scope: { id: 'overlay', title: overlay.helpTitle, bindings: overlay.keys }, press: (name) => this.run({ id: 'overlay', title: overlay.helpTitle, bindings: overlay.keys }, name, ctx), type: (text) => overlay.type(runtime, text), modal: true }];
    }
    if (snap.mode === 'filter' || snap.mode === 'command') {
      const ctx = { runtime, list: () => ({ model: this.model(), cursor: this.cursor() }), aliases: this.aliases, history: this.history, setCandidates: (line: string, candidates: readonly string[], waiting?: string) => (this.completion = { line, candidates, waiting }), setWait: (stop: (() => void) | undefined) => this.setWait(stop) };
      return [{ scope: promptScope, press: (name) => this.run(promptScope, name, ctx), type: (text) => typeIntoPrompt(runtime, text), modal: true }];
    }
    if (snap.mode === 'help') {
      const ctx: HelpKeyContext = { runtime, bodyRows: this.layout.bodyRows };
      return [{ scope: helpScope, press: (name) => this.run(helpScope, name, ctx), modal: true, otherwise: () => nav.setMode('normal') }];
    }
    const view = nav.current;
    const pane = paneFor(view.kind);
    if (pane) {
      const ctx: PaneKeyContext = { runtime, view, height: this.layout.bodyRows };
      const scope: KeyScope<PaneKeyContext> = { id: `pane:${view.kind}`, title: pane.helpTitle, bindings: pane.keys };
      layers.push({ scope, press: (name) => this.run(scope, name, ctx) });
    } else if (isListView(view.kind)) {
      const model = this.model(view);
      if (model) {
        const ctx = this.listContext(view, model);
        for (const scope of [this.listViewScope(view.kind), sortScope(widen(model).def), listScope]) layers.push({ scope, press: (name) => this.run(scope, name, ctx) });
      }
    }
    const globalCtx = { runtime };
    layers.push({ scope: globalScope, press: (name) => this.run(globalScope, name, globalCtx) });
    return layers;
  }

  private run<C>(scope: KeyScope<C>, name: string, ctx: C): boolean {
    const binding = this.keymap.find(scope, name);
    return binding !== undefined && binding.run(ctx) !== false;
  }

  private cursor(): number {
    const view = this.runtime.nav.current;
    const model = this.model(view);
    return model ? clampCursor(model, view) : 0;
  }

  private listContext(view: ViewState, model: AnyListModel): ListKeyContext {
    const nav = this.runtime.nav;
    const cursor = clampCursor(model, view);
    const pageRows = this.layout.listRows;
    return {
      runtime: this.runtime,
      view,
      model,
      row: model.rows[cursor],
      cursor,
      pageRows,
      moveTo: (to) => {
        const length = model.rows.length;
        const next = Math.max(0, Math.min(Math.max(0, length - 1), to));
        const row = model.rows[next];
        nav.updateCurrent({ cursor: next, top: clampTop(clampTop(view.top, cursor, pageRows, length), next, pageRows, length), selectedKey: row !== undefined ? model.def.key(row) : undefined });
      },
    };
  }

  private sayUnbound(key: KeyPress): void {
    const nav = this.runtime.nav;
    const view = nav.current;
    if (/^[A-Z]$/.test(key.name) && isListView(view.kind)) return nav.say(`no column sorts with Shift-${key.name} here; ? lists the sort keys`, 'warn');
    nav.say(`${displayKey(key.name)} does nothing here; ? lists the keys of this view`, 'warn');
  }
}

/** A list view's model as one of any list (its def and rows still belong together). */
function widen(model: ListModel): AnyListModel {
  return model;
}
