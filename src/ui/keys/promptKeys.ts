import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ListContext } from '../views/runCommand.js';
import { runCommand } from './commands.js';
import type { KeyScope } from './keymap.js';

// The `/` filter and `:` command line at the foot of the screen.

export interface PromptKeyContext {
  runtime: ConsoleRuntime;
  /** The list shown under the prompt (a command acts on its selected or listed rows). */
  list(): ListContext;
  /** The config file's command aliases. */
  aliases: Readonly<Record<string, string>>;
}

export const promptScope: KeyScope<PromptKeyContext> = {
  id: 'prompt',
  title: 'Filter and command line',
  bindings: [
    { action: 'prompt.accept', keys: ['enter'], help: 'apply the filter / run the command', run: ({ runtime, list, aliases }) => {
      const nav = runtime.nav;
      const { mode, input } = nav.getSnapshot();
      nav.setMode('normal');
      if (mode === 'filter') nav.updateCurrent({ filter: input, cursor: 0, top: 0, selectedKey: undefined });
      else runCommand(runtime, input, list(), aliases);
    } },
    { action: 'prompt.cancel', keys: ['escape'], help: 'leave the line', run: ({ runtime }) => runtime.nav.setMode('normal') },
    { action: 'prompt.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => runtime.nav.setInput(runtime.nav.getSnapshot().input.slice(0, -1)) },
    { action: 'prompt.clear', keys: ['ctrl+u'], help: 'clear the line', run: ({ runtime }) => runtime.nav.setInput('') },
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
