import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from './scratchDir.js';

/**
 * A fresh audit file for the consoles a test file opens ($WARROOM_AUDIT_FILE, read when a
 * console's config is loaded; each test file runs in a process of its own), and its records.
 */
export function testAuditFile(prefix: string): () => Array<Record<string, string>> {
  const path = join(scratchDir(prefix), 'audit.jsonl');
  process.env.WARROOM_AUDIT_FILE = path;
  return () => {
    try {
      return readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
    } catch {
      return [];
    }
  };
}
