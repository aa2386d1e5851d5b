import { CommandHistory, defaultHistoryPath } from '../../platform/commandHistory.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ConsoleConfig } from '../../platform/contextRuntime.js';
import { UserError } from '../../platform/errors.js';
import { KeymapError } from './keymap.js';
import { KeyStack } from './keyStack.js';

/**
 * The console's key stack from the config file (users' keys, `:` aliases, plugin keys). A key
 * name that is not one, an unknown action, or one key bound to two actions in one view is a
 * start-up error naming both, before the screen is taken.
 */
export function buildKeyStack(runtime: ConsoleRuntime, config: Pick<ConsoleConfig, 'keys' | 'plugins'>): KeyStack {
  let keys: KeyStack;
  try {
    // The `:` history of earlier runs; a file that cannot be written is said, never fatal.
    const history = new CommandHistory(defaultHistoryPath(), undefined, (line) => runtime.nav.say(line, 'warn'));
    keys = new KeyStack(runtime, { overrides: config.keys.overrides, aliases: config.keys.aliases, plugins: config.plugins, history });
  } catch (err) {
    if (err instanceof KeymapError) throw new UserError(err.message, 'fix the keys section of the config file');
    throw err;
  }
  const problems = keys.problems();
  if (problems.length) throw new UserError(problems.join('\n'), 'give one of them another key in the config file (keys: or the plugin\'s key:)');
  return keys;
}
