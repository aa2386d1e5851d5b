import { actionsConfigFrom } from '../config/actionsConfig.js';
import { alertsConfigFrom } from '../config/alertsConfig.js';
import { loadConfigFile } from '../config/configFile.js';
import { checkConfigFile } from '../config/configSchema.js';
import { execConfigFrom } from '../config/execConfig.js';
import { fleetPrometheusFor, fleetsFrom } from '../config/fleetsConfig.js';
import { logsConfigFrom } from '../config/logsConfig.js';
import { metricsConfigFrom } from '../config/metricsConfig.js';
import { pluginsFrom } from '../config/pluginsConfig.js';
import { keysConfigFrom } from '../config/keysConfig.js';
import { terminalConfigFrom, type TerminalConfig } from '../config/terminalConfig.js';
import type { ConsoleConfig } from '../platform/contextRuntime.js';
import { UserError } from '../platform/errors.js';

// The config file, read once at start-up (--config PATH, else $WARROOM_CONFIG, else the XDG
// default), checked whole against the config schema (configSchema.ts) before the screen is
// taken, and turned into the sections the console runtime is built with. Any invalid value
// stops the start with one line per problem; an unknown key is a warning and is ignored.

/** The runtime's sections, and what the CLI alone reads (the terminal's). */
export type CliConfig = ConsoleConfig & { terminal: TerminalConfig };

export function loadConsoleConfig(path: string | undefined, warn: (line: string) => void): CliConfig {
  const file = loadConfigFile({ path });
  const { problems, warnings } = checkConfigFile(file);
  for (const line of warnings) warn(line);
  if (problems.length > 0) {
    throw new UserError(problems.join('\n'), `fix ${problems.length === 1 ? 'this value' : `these ${problems.length} values`} in the file, or point --config elsewhere (the README shows every key)`);
  }
  return {
    actions: actionsConfigFrom(file),
    plugins: pluginsFrom(file),
    keys: keysConfigFrom(file),
    fleets: fleetsFrom(file),
    terminal: terminalConfigFrom(file),
    exec: (context) => execConfigFrom(file, context),
    logs: (context) => logsConfigFrom(file, context),
    metrics: (context) => metricsConfigFrom(file, context),
    fleetPrometheus: (contexts) => fleetPrometheusFor(file, contexts),
    alerts: (context) => alertsConfigFrom(file, context),
  };
}
