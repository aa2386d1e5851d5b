import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { KeyScope } from './keymap.js';

// The `?` page scrolls (it is longer than 24 rows on most views); any other key closes it.

export interface HelpKeyContext {
  runtime: ConsoleRuntime;
  bodyRows: number;
}

function scrollHelp({ runtime }: HelpKeyContext, to: (top: number) => number): void {
  runtime.nav.setHelpTop(Math.max(0, to(runtime.nav.getSnapshot().helpTop)));
}

export const helpScope: KeyScope<HelpKeyContext> = {
  id: 'help',
  title: 'Help page',
  bindings: [
    { action: 'help.down', keys: ['j', 'down'], help: 'scroll down', hint: 'scroll', run: (c) => scrollHelp(c, (t) => t + 1) },
    { action: 'help.up', keys: ['k', 'up'], help: 'scroll up', run: (c) => scrollHelp(c, (t) => t - 1) },
    { action: 'help.page-down', keys: ['pagedown', 'space', 'ctrl+f'], help: 'page down', run: (c) => scrollHelp(c, (t) => t + Math.max(1, c.bodyRows - 2)) },
    { action: 'help.page-up', keys: ['pageup', 'ctrl+b'], help: 'page up', run: (c) => scrollHelp(c, (t) => t - Math.max(1, c.bodyRows - 2)) },
    { action: 'help.top', keys: ['g', 'home'], help: 'top', run: (c) => scrollHelp(c, () => 0) },
    { action: 'help.end', keys: ['G', 'end'], help: 'end', run: (c) => scrollHelp(c, () => Number.MAX_SAFE_INTEGER) },
  ],
};
