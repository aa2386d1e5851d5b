import { actionsConfigFrom } from '../config/actionsConfig.js';
import { loadConfigFile } from '../config/configFile.js';
import { execConfigFrom } from '../config/execConfig.js';
import { logsConfigFrom } from '../config/logsConfig.js';
import { metricsConfigFrom } from '../config/metricsConfig.js';
import { pluginsFrom } from '../config/pluginsConfig.js';
import type { ConsoleConfig } from '../platform/contextRuntime.js';

// The config file, read once at start-up (--config PATH, else $WARROOM_CONFIG, else the XDG
// default) and turned into the sections the console runtime is built with. The actions and
// plugins sections are checked here, so a bad value there stops the start before the screen
// is taken; the per-context sections are parsed when a context's feature first needs them.

export function loadConsoleConfig(path: string | undefined): ConsoleConfig {
  const file = loadConfigFile({ path });
  return {
    actions: actionsConfigFrom(file),
    plugins: pluginsFrom(file),
    exec: (context) => execConfigFrom(file, context),
    logs: (context) => logsConfigFrom(file, context),
    metrics: (context) => metricsConfigFrom(file, context),
  };
}
