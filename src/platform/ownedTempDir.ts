import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temporary directory this process made for itself (mode 0700, as mkdtemp makes it). */
export interface OwnedTempDir {
  readonly path: string;
  /** Removes it now (idempotent). */
  remove(): void;
}

/**
 * A new directory `<base>/<prefix>XXXXXX`, removed by remove() or else when the process exits:
 * 'exit' runs on process.exit (warroom's signal handlers and stop paths end that way), when
 * the event loop empties and after an uncaught error. Nothing runs on SIGKILL, or on a signal
 * the process has no handler for: then the directory stays.
 */
export function ownedTempDir(prefix: string, base: string = tmpdir()): OwnedTempDir {
  const path = mkdtempSync(join(base, prefix));
  const remove = () => {
    process.off('exit', remove);
    removeDir(path);
  };
  process.on('exit', remove);
  return { path, remove };
}

/**
 * Removes a directory and what it holds; one that is gone already or cannot be removed is left
 * as it is (no throw: this runs while exiting or closing). Tried again a few times when a file
 * appears meanwhile (ENOTEMPTY): a demo shell ending with its platform writes its history then.
 */
export function removeDir(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  } catch {
    // not ours to fix here
  }
}
