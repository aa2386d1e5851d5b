import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import type { ConfigFile } from './configFile.js';
import { mapping, nonEmptyString, parseSection, trueOrFalse, wholeNumber } from './configValues.js';

// The mutation part of the config file: where the audit file is, the limits of scale
// operations, and which kubeconfig contexts are read-only.
//
//   audit:
//     path: ~/.local/state/warroom/audit.jsonl   # default; $WARROOM_AUDIT_FILE or --audit-file win
//     kubernetesEvents: false                    # also record an Event on the scaled object
//   scale:
//     bulkConfirmThreshold: 5    # a bulk operation over more applications needs the system name typed
//     maxFactor: 3               # warn when a change multiplies or divides replicas by more
//     concurrency: 32            # requests in flight during a bulk operation
//     readyTimeoutSeconds: 300   # how long the progress view waits for replicas to become ready
//   contexts:
//     prod-eu:
//       readOnly: true

export interface ScaleSettings {
  bulkConfirmThreshold: number;
  maxFactor: number;
  concurrency: number;
  readyTimeoutMs: number;
}

export interface ActionsConfig {
  configPath: string;
  auditPath: string;
  kubernetesEvents: boolean;
  scale: ScaleSettings;
  /** Contexts the config file marks `readOnly: true`. */
  readOnlyContexts: Set<string>;
}

export const DEFAULT_SCALE_SETTINGS: ScaleSettings = { bulkConfirmThreshold: 5, maxFactor: 3, concurrency: 32, readyTimeoutMs: 300_000 };

export function defaultAuditPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const base = env.XDG_STATE_HOME || join(home, '.local', 'state');
  return join(base, 'warroom', 'audit.jsonl');
}

function expandHome(p: string, home: string): string {
  return p === '~' ? home : p.startsWith('~/') ? join(home, p.slice(2)) : p;
}

export const auditSchema = mapping({
  path: nonEmptyString('a file path').optional(),
  kubernetesEvents: trueOrFalse.optional(),
});

export const scaleSchema = mapping({
  bulkConfirmThreshold: wholeNumber(1, 100_000).optional(),
  maxFactor: z
    .number({ error: 'must be a number above 1 and at most 1000 (e.g. 3)' })
    .gt(1, { error: 'must be a number above 1 and at most 1000 (e.g. 3)' })
    .max(1000, { error: 'must be a number above 1 and at most 1000 (e.g. 3)' })
    .optional(),
  concurrency: wholeNumber(1, 512).optional(),
  readyTimeoutSeconds: wholeNumber(5, 86_400).optional(),
});

/** This section's keys under `contexts.<name>`. */
export const contextActionsShape = { readOnly: trueOrFalse.optional() };

/** The part of the file this section reads (the rest is other sections' and passes through). */
const actionsPart = z.looseObject({
  audit: auditSchema.nullish(),
  scale: scaleSchema.nullish(),
  contexts: z.record(z.string(), z.looseObject(contextActionsShape).nullish(), { error: 'must be a mapping of kubeconfig context names' }).nullish(),
});

export interface ActionsConfigOverrides {
  /** --audit-file */
  auditFile?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export function actionsConfigFrom(file: ConfigFile, o: ActionsConfigOverrides = {}): ActionsConfig {
  const env = o.env ?? process.env;
  const home = o.home ?? homedir();
  const part = parseSection(actionsPart, file);
  const audit = part.audit ?? {};
  const scale = part.scale ?? {};
  let auditPath = audit.path === undefined ? defaultAuditPath(env, home) : expandHome(audit.path, home);
  if (env.WARROOM_AUDIT_FILE) auditPath = env.WARROOM_AUDIT_FILE;
  if (o.auditFile) auditPath = o.auditFile;
  const readOnlyContexts = new Set<string>();
  for (const [name, ctx] of Object.entries(part.contexts ?? {})) if (ctx?.readOnly) readOnlyContexts.add(name);
  return {
    configPath: file.path,
    auditPath,
    kubernetesEvents: audit.kubernetesEvents ?? false,
    scale: {
      bulkConfirmThreshold: scale.bulkConfirmThreshold ?? DEFAULT_SCALE_SETTINGS.bulkConfirmThreshold,
      maxFactor: scale.maxFactor ?? DEFAULT_SCALE_SETTINGS.maxFactor,
      concurrency: scale.concurrency ?? DEFAULT_SCALE_SETTINGS.concurrency,
      readyTimeoutMs: (scale.readyTimeoutSeconds ?? DEFAULT_SCALE_SETTINGS.readyTimeoutMs / 1000) * 1000,
    },
    readOnlyContexts,
  };
}
