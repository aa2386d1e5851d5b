import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { KeyScope } from './keymap.js';

// Keys that work on every view, below the view's own: back, help, the command line, quit.
// (Ctrl-C always quits, whatever the stack holds; it is not in the keymap.)

export interface GlobalKeyContext {
  runtime: ConsoleRuntime;
}

export const globalScope: KeyScope<GlobalKeyContext> = {
  id: 'global',
  title: 'Everywhere',
  bindings: [
    // A pane's filter (a log search) is cleared first, as a list's is: Esc never leaves a view with its filter in effect.
    { action: 'back', keys: ['escape'], help: 'clear the filter, else go back', hint: 'back', run: ({ runtime }) => (runtime.nav.current.filter ? runtime.nav.updateCurrent({ filter: '', cursor: 0, top: 0 }) : runtime.nav.back()) || undefined },
    { action: 'command', keys: [':'], help: 'command line (the commands are listed at the end of this page)', hint: 'command', run: ({ runtime }) => runtime.nav.setMode('command', '') },
    { action: 'help', keys: ['?'], help: 'the keys of this view', hint: 'help', run: ({ runtime }) => runtime.nav.setMode('help') },
    { action: 'quit', keys: ['q'], help: 'quit (Ctrl-C too)', hint: 'quit', run: ({ runtime }) => runtime.quit() },
  ],
};
