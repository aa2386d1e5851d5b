import { canonicalKey, displayKey } from './keyPress.js';
import { glyphText } from '../../terminal/glyphs.js';
import type { HintGroup } from '../format.js';

// The keymap: every binding of the console is named once, in the scope it belongs to, with the
// action it runs and one line for the `?` page. A scope is one layer of the key stack:
//
//   overlay (a dialog over the view) > prompt (/ and :) > help > pane or list view > list > global
//
// A key goes down the stack until a binding takes it: a binding that does not apply right now
// (e.g. `Enter` on a histogram when no bar is chosen) returns false and the key falls through.
// The help page, the status-line hints and the start-up conflict check all read the same
// bindings; the config file may give an action other keys (`keys: {list.down: [j, ctrl+n]}`).

export interface Binding<C> {
  /** Stable id users rebind in the config file: 'list.down', 'logs.pause', 'row.logs'. */
  action: string;
  /** Default keys (keymap names: 'j', 'enter', 'ctrl+f', 'shift+left', 'space'). */
  keys: readonly string[];
  /** One line for the `?` page. */
  help: string;
  /** Short label for the status line ('pause', or 'j/k scroll' naming its keys); bindings without one are only in `?`. */
  hint?: string;
  /** The hint is shown only when the status line has room for it: the first to go at 80 columns. */
  spareHint?: boolean;
  /**
   * The action of a lower layer this one comes before on the same key, on purpose (Esc cancels
   * a search, else goes back): not a conflict. Any other key shared in one stack is.
   */
  before?: string;
  /** Runs the action; false when it does not apply now (the key falls through the stack). */
  run(ctx: C): boolean | void;
}

export interface KeyScope<C> {
  /** 'global', 'list', 'view:pods', 'pane:logs', 'overlay:scale', 'prompt', 'help'. */
  id: string;
  /** Section title on the `?` page. */
  title: string;
  bindings: readonly Binding<C>[];
}

/** Key names users may give per action id (from the config file's `keys:` section). */
export type KeyOverrides = Readonly<Record<string, readonly string[]>>;

export class Keymap {
  private readonly overrides: ReadonlyMap<string, readonly string[]>;

  constructor(overrides: KeyOverrides = {}) {
    const canonical = new Map<string, string[]>();
    for (const [action, written] of Object.entries(overrides)) {
      const names = written.map((w) => {
        const name = canonicalKey(w);
        if (!name) throw new KeymapError(`keys.${action}: '${w}' is not a key name (examples: j, J, Enter, Esc, Space, Tab, PgUp, Home, Ctrl-F, Alt-x, Shift-Left)`);
        return name;
      });
      canonical.set(action, names);
    }
    this.overrides = canonical;
  }

  /** The keys that run `binding` (the user's, else its defaults). */
  keysOf(binding: Binding<never>): readonly string[] {
    return this.overrides.get(binding.action) ?? binding.keys;
  }

  /** The binding of `scope` that `keyName` runs, if any. */
  find<C>(scope: KeyScope<C>, keyName: string): Binding<C> | undefined {
    return scope.bindings.find((b) => this.keysOf(b).includes(keyName));
  }

  /** The keys of a binding as the help page writes them: 'j ↓'. */
  display(binding: Binding<never>): string {
    return this.keysOf(binding).map(displayKey).join(' ');
  }

  /** Status-line hints of the scopes, in order: '<esc> back  space pause ...'. */
  hints(scopes: ReadonlyArray<KeyScope<never>>): string {
    return this.hintGroups(scopes).map((g) => g.text).join('  ');
  }

  /** The same hints one by one, each marked spare when its binding says so (hintLine drops those first). */
  hintGroups(scopes: ReadonlyArray<KeyScope<never>>): HintGroup[] {
    const parts: HintGroup[] = [];
    for (const s of scopes) {
      for (const b of s.bindings) {
        if (!b.hint || !this.keysOf(b).length) continue;
        const key = displayKey(this.keysOf(b)[0]);
        // A hint that names its keys itself ('j/k scroll', '1-5 range') is shown as it is.
        const hint = glyphText(b.hint);
        const text = hint.startsWith(key) && !/^[A-Za-z]/.test(hint.slice(key.length)) ? hint : `${key} ${hint}`;
        parts.push(b.spareHint ? { text, spare: true } : { text });
      }
    }
    return parts;
  }

  /**
   * Conflicts and unknown actions, one line each. `stacks` are the scopes that are active
   * together (a view's own keys, the list keys and the global keys): a key bound twice in one
   * stack would hide one action, so it is refused at start-up, naming both.
   */
  problems(stacks: ReadonlyArray<ReadonlyArray<KeyScope<never>>>): string[] {
    const out = new Set<string>();
    const known = new Set<string>();
    for (const stack of stacks) {
      const seen = new Map<string, { scope: KeyScope<never>; binding: Binding<never> }>();
      for (const scope of stack) {
        for (const binding of scope.bindings) {
          known.add(binding.action);
          for (const key of this.keysOf(binding)) {
            const first = seen.get(key);
            if (first && first.binding.action !== binding.action && first.binding.before !== binding.action) {
              out.add(`key ${displayKey(key)} is bound twice in ${stack[0].title}: to ${first.binding.action} (${first.binding.help}) in ${first.scope.title} and to ${binding.action} (${binding.help}) in ${scope.title}`);
            } else if (!first) seen.set(key, { scope, binding });
          }
        }
      }
    }
    for (const action of this.overrides.keys()) {
      if (!known.has(action)) out.add(`keys.${action}: no such action${closest(action, known) ? `; did you mean ${closest(action, known)}?` : ''}`);
    }
    return [...out];
  }
}

export class KeymapError extends Error {}

function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
