import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { listable, qualifiedName, type ApiResource } from '../../platform/kube/discovery.js';
import type { KindRef, ViewState } from '../../platform/stores/navStore.js';
import { glyphs } from '../../terminal/glyphs.js';

// `:deploy`, `:svc cart`, `:cm -A`, `:promotions`: any kind the cluster serves, by plural,
// singular, short name or kind (discovery's names; the built-in commands were tried first).
// A word discovery does not know reads discovery again once (a CRD installed since) before it
// is called unknown.

export interface KindCommand {
  /** The word typed after `:`. */
  word: string;
  /** `-A`: every system; a word: that system; nothing: the current one. */
  args: string[];
  /** Where a list opens: the stack under it and the view's cluster. */
  open(ref: KindRef, namespace: string | undefined): ViewState[];
  /** The system the view would show without an argument. */
  currentSystem: string | undefined;
  /** Says the word is not a command and not a kind. */
  unknown(detail: string): void;
}

export function kindRef(r: ApiResource): KindRef {
  return { group: r.group, version: r.version, resource: r.resource, kind: r.kind, namespaced: r.namespaced };
}

/** Opens the kind `word` names; false when discovery was read and does not know it either (said by `unknown`). */
export function runKindCommand(runtime: ConsoleRuntime, cmd: KindCommand): void {
  const nav = runtime.nav;
  const ctx = runtime.ctx;
  const go = (r: ApiResource) => {
    if (!listable(r)) return nav.say(`${qualifiedName(r)} cannot be listed (the server allows only: ${r.verbs.join(', ') || 'nothing'})`, 'warn');
    const all = cmd.args[0] === '-A';
    const ns = !r.namespaced || all ? undefined : cmd.args[0] || cmd.currentSystem;
    nav.reset(cmd.open(kindRef(r), ns));
  };
  const known = ctx.discovery.resolve(cmd.word);
  if (known) return go(known);
  const before = nav.getSnapshot().stack;
  nav.say(`looking up '${cmd.word}' in context ${ctx.contextName}${glyphs.ellipsis}`);
  void ctx.discovery.lookup(cmd.word).then((found) => {
    // The user moved on meanwhile: the answer no longer applies.
    if (nav.getSnapshot().stack !== before) return;
    if (found) return go(found);
    const problem = ctx.discovery.problem();
    cmd.unknown(problem ? `the kinds of ${ctx.contextName} could not be read: ${problem}` : `not a kind in ${ctx.contextName} either; :aliases lists them`);
  });
}

