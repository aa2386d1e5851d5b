import { homedir } from 'node:os';
import { join } from 'node:path';
import * as z from 'zod';
import type { ConfigFile } from './configFile.js';
import { mapping, nonEmptyString, parseSection, wholeNumber } from './configValues.js';

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

const commandSchema = z.union(
  [
    z.string().refine((v) => v.trim() !== '').transform((v) => v.trim().split(/\s+/)),
    z.array(z.string().min(1)).min(1),
  ],
  { error: 'must be a command, as a list of words (["/bin/bash", "-l"]) or a string' },
);

export const execSchema = mapping({
  shell: commandSchema.nullish(),
  concurrency: wholeNumber(1, 256).optional(),
  timeoutSeconds: wholeNumber(1, 3600).optional(),
  confirmThreshold: wholeNumber(0, 100_000).optional(),
  resultsDir: nonEmptyString('a directory path').nullish(),
});

/** This section's keys under `contexts.<name>.exec`. */
export const contextExecSchema = mapping({ shell: commandSchema.nullish() });

export const DEFAULT_RUN_CONFIRM_THRESHOLD = 10;

export function execConfigFrom(file: ConfigFile, contextName: string): ExecConfig {
  const top = parseSection(execSchema.nullish(), file, 'exec') ?? {};
  const ctx = parseSection(contextExecSchema.nullish(), file, 'contexts', contextName, 'exec') ?? {};
  const dir = top.resultsDir ?? undefined;
  return {
    configPath: file.path,
    shell: ctx.shell ?? top.shell ?? undefined,
    concurrency: top.concurrency ?? 10,
    timeoutMs: (top.timeoutSeconds ?? 60) * 1000,
    confirmThreshold: top.confirmThreshold ?? DEFAULT_RUN_CONFIRM_THRESHOLD,
    resultsDir: dir?.startsWith('~/') ? join(homedir(), dir.slice(2)) : dir,
  };
}
