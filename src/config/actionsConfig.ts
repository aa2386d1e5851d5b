import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, section, type ConfigFile } from './configFile.js';

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

function mapping(file: string, key: string, v: unknown): Record<string, unknown> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(file, key, 'must be a mapping (key: value)');
  return v as Record<string, unknown>;
}

function int(file: string, key: string, v: unknown, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ConfigError(file, key, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

function bool(file: string, key: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new ConfigError(file, key, `must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

export interface ActionsConfigOverrides {
  /** --audit-file */
  auditFile?: string;
  env?: NodeJS.ProcessEnv;
  home?: string;
}

export function actionsConfigFrom(file: ConfigFile, o: ActionsConfigOverrides = {}): ActionsConfig {
  const env = o.env ?? process.env;
  const home = o.home ?? homedir();
  const p = file.path;
  const audit = mapping(p, 'audit', section(file.data, 'audit')) ?? {};
  const scale = mapping(p, 'scale', section(file.data, 'scale')) ?? {};
  let auditPath = defaultAuditPath(env, home);
  if (audit.path !== undefined) {
    if (typeof audit.path !== 'string' || audit.path.trim() === '') throw new ConfigError(p, 'audit.path', `must be a file path, got ${JSON.stringify(audit.path)}`);
    auditPath = expandHome(audit.path, home);
  }
  if (env.WARROOM_AUDIT_FILE) auditPath = env.WARROOM_AUDIT_FILE;
  if (o.auditFile) auditPath = o.auditFile;
  const maxFactor = scale.maxFactor === undefined ? DEFAULT_SCALE_SETTINGS.maxFactor : scale.maxFactor;
  if (typeof maxFactor !== 'number' || !(maxFactor > 1) || maxFactor > 1000) throw new ConfigError(p, 'scale.maxFactor', `must be a number above 1 (e.g. 3), got ${JSON.stringify(maxFactor)}`);
  const readOnlyContexts = new Set<string>();
  const contexts = mapping(p, 'contexts', section(file.data, 'contexts')) ?? {};
  for (const [name, v] of Object.entries(contexts)) {
    const ctx = mapping(p, `contexts.${name}`, v);
    if (ctx && bool(p, `contexts.${name}.readOnly`, ctx.readOnly, false)) readOnlyContexts.add(name);
  }
  return {
    configPath: p,
    auditPath,
    kubernetesEvents: bool(p, 'audit.kubernetesEvents', audit.kubernetesEvents, false),
    scale: {
      bulkConfirmThreshold: int(p, 'scale.bulkConfirmThreshold', scale.bulkConfirmThreshold, 1, 100_000, DEFAULT_SCALE_SETTINGS.bulkConfirmThreshold),
      maxFactor,
      concurrency: int(p, 'scale.concurrency', scale.concurrency, 1, 512, DEFAULT_SCALE_SETTINGS.concurrency),
      readyTimeoutMs: int(p, 'scale.readyTimeoutSeconds', scale.readyTimeoutSeconds, 5, 86_400, DEFAULT_SCALE_SETTINGS.readyTimeoutMs / 1000) * 1000,
    },
    readOnlyContexts,
  };
}

