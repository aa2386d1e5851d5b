import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

// Scratch directories a test file makes (a kubeconfig, an audit file, a history file, a config),
// removed after the file's last test: each test file runs in a process of its own and imports
// this module afresh, so the hook below belongs to that file. Registered first (at import),
// it runs after the file's own afterAll hooks, which may still write there (a console closing).

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new directory `<tmp>/<prefix>XXXXXX`, removed after this test file's tests. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
