import type { CommandHistory } from '../../platform/commandHistory.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ListContext } from '../views/runCommand.js';
import { commandNames, runCommand } from './commands.js';
import { complete } from './completion.js';
import type { KeyScope } from './keymap.js';

// The `/` filter and `:` command line at the foot of the screen. In the `:` line, ↑/↓ walk the
// history (kept across runs) and Tab completes; what Tab could still become is shown beside it.

export interface PromptKeyContext {
  runtime: ConsoleRuntime;
  /** The list shown under the prompt (a command acts on its selected or listed rows). */
  list(): ListContext;
  /** The config file's command aliases. */
  aliases: Readonly<Record<string, string>>;
  history: CommandHistory;
  /** The candidates Tab found for the line it left (shown while the line is unchanged), or what they wait for. */
  setCandidates(line: string, candidates: readonly string[], waiting?: string): void;
  /** Keeps `stop` until the next Tab or the console's end, and calls it then (a wait for candidates). */
  setWait(stop: (() => void) | undefined): void;
}

/**
 * Tab: completes the line now, and when its candidates are still being listed (the systems
 * before a cluster's first list) again as they arrive, as long as the line is left as it was.
 */
function tab({ runtime, aliases, setCandidates, setWait }: PromptKeyContext): void {
  const nav = runtime.nav;
  const once = () => {
    const done = complete(nav.getSnapshot().input, commandNames(), { runtime, aliases });
    setCandidates(done.line, done.candidates, done.waiting);
    nav.setInput(done.line);
    return done;
  };
  const { line, waiting } = once();
  if (!waiting) return setWait(undefined);
  const offs = runtime.contexts.map((c) =>
    c.store.subscribe(() => {
      const now = nav.getSnapshot();
      if (now.mode !== 'command' || now.input !== line || !once().waiting) setWait(undefined);
    }),
  );
  setWait(() => offs.forEach((off) => off()));
}

function recall(runtime: ConsoleRuntime, line: string | undefined): boolean | void {
  if (runtime.nav.getSnapshot().mode !== 'command') return false;
  if (line !== undefined) runtime.nav.setInput(line);
}

export const promptScope: KeyScope<PromptKeyContext> = {
  id: 'prompt',
  title: 'Filter and command line',
  bindings: [
    { action: 'prompt.accept', keys: ['enter'], help: 'apply the filter / run the command', run: ({ runtime, list, aliases, history }) => {
      const nav = runtime.nav;
      const { mode, input } = nav.getSnapshot();
      nav.setMode('normal');
      if (mode === 'filter') nav.updateCurrent({ filter: input, cursor: 0, top: 0, selectedKey: undefined });
      else {
        history.add(input);
        runCommand(runtime, input, list(), aliases);
      }
    } },
    { action: 'prompt.cancel', keys: ['escape'], help: 'leave the line', run: ({ runtime, history }) => {
      history.reset();
      runtime.nav.setMode('normal');
    } },
    { action: 'prompt.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => runtime.nav.setInput(runtime.nav.getSnapshot().input.slice(0, -1)) },
    { action: 'prompt.clear', keys: ['ctrl+u'], help: 'clear the line', run: ({ runtime }) => runtime.nav.setInput('') },
    { action: 'prompt.history-older', keys: ['up', 'ctrl+p'], help: ': line: the command before (those starting with what is typed; kept across runs)', run: ({ runtime, history }) => recall(runtime, history.older(runtime.nav.getSnapshot().input)) },
    { action: 'prompt.history-newer', keys: ['down', 'ctrl+n'], help: ': line: the command after, then the line as typed', run: ({ runtime, history }) => recall(runtime, history.newer(runtime.nav.getSnapshot().input)) },
    { action: 'prompt.complete', keys: ['tab'], help: ': line: complete the command, context, system or fleet name', run: (ctx) => {
      if (ctx.runtime.nav.getSnapshot().mode !== 'command') return false;
      tab(ctx);
    } },
  ],
};

/** Text typed into the line. A text filter applies as you type; a label selector waits for Enter (it is a server request). */
export function typeIntoPrompt(runtime: ConsoleRuntime, text: string): void {
  const nav = runtime.nav;
  const { mode, input } = nav.getSnapshot();
  const next = input + text;
  nav.setInput(next);
  if (mode === 'filter' && !next.trim().startsWith('-l')) nav.updateCurrent({ filter: next, cursor: 0, top: 0, selectedKey: undefined });
}
