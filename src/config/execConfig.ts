import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, section, type ConfigFile } from './configFile.js';

// The exec part of the config file:
//
//   exec:
//     shell: ["/bin/bash", "-l"]        # instead of /bin/bash falling back to /bin/sh
//     concurrency: 10                   # run-on-all-pods: commands in flight
//     timeoutSeconds: 60                # run-on-all-pods: per pod
//     confirmThreshold: 10              # run-on-all-pods: on more pods, the system name is typed
//     resultsDir: ~/warroom-runs        # where `w` writes run results (default: working directory)
//   contexts:
//     prod-eu:
//       exec:
//         shell: ["/bin/sh"]            # per context, wins over the top level

export interface ExecConfig {
  configPath: string;
  shell?: string[];
  concurrency: number;
  timeoutMs: number;
  /** A run on more pods than this needs the system name typed before it starts. */
  confirmThreshold: number;
  resultsDir?: string;
}

function command(file: string, key: string, v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string' && v.trim() !== '') return v.trim().split(/\s+/);
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '')) return v as string[];
  throw new ConfigError(file, key, `must be a command, as a list of words (["/bin/bash", "-l"]) or a string, got ${JSON.stringify(v)}`);
}

function dir(file: string, key: string, v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(file, key, `must be a directory path, got ${JSON.stringify(v)}`);
  return v.startsWith('~/') ? join(homedir(), v.slice(2)) : v;
}

function int(file: string, key: string, v: unknown, min: number, max: number, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new ConfigError(file, key, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

export const DEFAULT_RUN_CONFIRM_THRESHOLD = 10;

export function execConfigFrom(file: ConfigFile, contextName: string): ExecConfig {
  const p = file.path;
  const top = (section(file.data, 'exec') ?? {}) as Record<string, unknown>;
  const ctx = (section(file.data, 'contexts', contextName, 'exec') ?? {}) as Record<string, unknown>;
  return {
    configPath: p,
    shell: command(p, `contexts.${contextName}.exec.shell`, ctx.shell) ?? command(p, 'exec.shell', top.shell),
    concurrency: int(p, 'exec.concurrency', top.concurrency, 1, 256, 10),
    timeoutMs: int(p, 'exec.timeoutSeconds', top.timeoutSeconds, 1, 3600, 60) * 1000,
    confirmThreshold: int(p, 'exec.confirmThreshold', top.confirmThreshold, 0, 100_000, DEFAULT_RUN_CONFIRM_THRESHOLD),
    resultsDir: dir(p, 'exec.resultsDir', top.resultsDir),
  };
}

