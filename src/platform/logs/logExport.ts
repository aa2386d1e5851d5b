import { accessSync, constants, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRing } from './logRing.js';
import { describeScope, type LogScope } from './logScope.js';

// `w` in the logs pane: the lines held (the current result) to a plain-text file, one line
// each with its time, (in a fleet) cluster, pod and container, colour removed. Written next to the user (the
// working directory) when possible, else in the temp directory; readable by the owner only.

export function exportFileName(scope: LogScope, now = new Date(), prefix?: string): string {
  const what = `${prefix ? `${prefix}-` : ''}${describeScope(scope)}`.replace(/[^a-zA-Z0-9._-]+/g, '-').replace(/-+$/, '');
  return `warroom-logs-${what}-${now.toISOString().replace(/[:.]/g, '-').slice(0, 19)}.log`;
}

/** `prefix`: a word before the scope in the file name (`fleet`). A fleet's lines carry their cluster first. */
export function writeLogs(ring: LogRing, scope: LogScope, dir?: string, prefix?: string): { path: string; lines: number } {
  let target = dir ?? process.cwd();
  try {
    accessSync(target, constants.W_OK);
  } catch {
    target = tmpdir();
  }
  const path = join(target, exportFileName(scope, new Date(), prefix));
  const out: string[] = [];
  for (const l of ring.lines()) out.push(`${new Date(l.ts).toISOString()} ${l.cluster !== undefined ? `${l.cluster} ` : ''}${l.pod}/${l.container} ${l.cont ? '  ' : ''}${l.plain}`);
  writeFileSync(path, out.length ? `${out.join('\n')}\n` : '', { mode: 0o600 });
  return { path, lines: out.length };
}
