import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The node flags bin/warroom starts the console with (its `exec node FLAGS "$0"` line): the single
// executable carries the same (scripts/package.mjs) and the benchmarks start the console with them,
// so what is measured is what a user runs.

const launcher = join(import.meta.dirname, '..', 'bin', 'warroom');

export function launcherNodeFlags() {
  const line = /^":" \/\/; exec node (.*) "\$0" "\$@"$/m.exec(readFileSync(launcher, 'utf8'));
  if (!line) throw new Error(`${launcher}: no 'exec node FLAGS "$0" "$@"' line`);
  return line[1].split(' ').filter(Boolean);
}
