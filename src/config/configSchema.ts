import * as z from 'zod';
import { auditSchema, contextActionsShape, scaleSchema } from './actionsConfig.js';
import { alertmanagerSchema } from './alertsConfig.js';
import type { ConfigFile } from './configFile.js';
import { checkConfig, mapping } from './configValues.js';
import { contextExecSchema, execSchema } from './execConfig.js';
import { fleetsSchema } from './fleetsConfig.js';
import { elasticsearchSchema, logsSchema } from './logsConfig.js';
import { prometheusSchema } from './metricsConfig.js';
import { pluginsSchema } from './pluginsConfig.js';
import { aliasesSchema, keysSchema } from './keysConfig.js';
import { terminalSchema } from './terminalConfig.js';

// The whole config file as one schema, put together from the sections' own schemas (each
// section's file exports its part). A new section adds its schema here: a top-level key in
// `topSections`, or a key under `contexts.<name>` in `contextSections`. The CLI checks the file
// against it before the screen is taken (see checkConfigFile).

const contextSections = {
  ...contextActionsShape,
  exec: contextExecSchema.nullish(),
  elasticsearch: elasticsearchSchema.nullish(),
  prometheus: prometheusSchema.nullish(),
  alertmanager: alertmanagerSchema.nullish(),
};

const topSections = {
  audit: auditSchema.nullish(),
  scale: scaleSchema.nullish(),
  exec: execSchema.nullish(),
  logs: logsSchema.nullish(),
  plugins: pluginsSchema.nullish(),
  keys: keysSchema.nullish(),
  aliases: aliasesSchema.nullish(),
  fleets: fleetsSchema.nullish(),
  terminal: terminalSchema.nullish(),
  contexts: z
    .record(z.string(), mapping(contextSections, 'a mapping of this context\'s settings (readOnly, exec, elasticsearch, prometheus, alertmanager)').nullish(), {
      error: 'must be a mapping of kubeconfig context names',
    })
    .nullish(),
};

export const configFileSchema = mapping(topSections, 'a mapping (key: value)');

export interface ConfigCheck {
  /** One line per invalid value (file, key path, value, what is allowed): the console does not start. */
  problems: string[];
  /** One line per unknown key (with the closest known key): said on stderr, the key is ignored. */
  warnings: string[];
}

/** Checks every section of the file at once, so a start-up lists every problem, not the first. */
export function checkConfigFile(file: ConfigFile): ConfigCheck {
  const { problems, warnings } = checkConfig(configFileSchema, file.data, file.path);
  return { problems, warnings };
}
