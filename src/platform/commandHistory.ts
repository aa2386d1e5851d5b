import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

// The `:` command line's history, kept across runs in one small file under the XDG state dir
// (one line a command, oldest first, at most LIMIT). ↑/↓ in the prompt walk it; a typed start
// narrows the walk to the commands that begin with it. What follows a flag named like a secret
// (--token, --password, ...) is never written to the file: the line is stored with `***` there.

export const HISTORY_LIMIT = 500;

/** `$WARROOM_HISTORY_FILE`, else `$XDG_STATE_HOME/warroom/history`, else `~/.local/state/warroom/history`. */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  if (env.WARROOM_HISTORY_FILE) return env.WARROOM_HISTORY_FILE;
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'warroom', 'history');
}

const SECRET_NAME = /token|passw(or)?d|passwd|secret|api[-_]?key|credential|bearer|auth/i;

/** The line as it may be written down: values of secret-named flags (and NAME=value pairs) replaced by `***`. */
export function redactSecrets(line: string): string {
  const words = line.split(/(\s+)/);
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const eq = /^(-{0,2}[A-Za-z_][\w.-]*)=(.+)$/.exec(w);
    if (eq && SECRET_NAME.test(eq[1])) words[i] = `${eq[1]}=***`;
    else if (/^--?[A-Za-z]/.test(w) && SECRET_NAME.test(w) && i + 2 < words.length && !words[i + 2].startsWith('-')) words[i + 2] = '***';
  }
  return words.join('');
}

export class CommandHistory {
  private readonly entries: string[];
  /** Where ↑/↓ stand: an index into entries (entries.length = the line being typed). */
  private at = 0;
  private draft = '';
  private shown: string | undefined;

  /** `path` undefined: a history for this run only (nothing read or written). */
  constructor(private readonly path?: string, private readonly limit = HISTORY_LIMIT, private readonly onError?: (message: string) => void) {
    this.entries = path ? readLines(path).slice(-limit) : [];
    this.at = this.entries.length;
  }

  /** Oldest first. */
  list(): readonly string[] {
    return this.entries;
  }

  /** A command run: the newest entry (an earlier copy moves here); the file is rewritten, secrets left out. */
  add(line: string): void {
    const text = line.trim();
    this.reset();
    if (!text) return;
    const earlier = this.entries.indexOf(text);
    if (earlier >= 0) this.entries.splice(earlier, 1);
    this.entries.push(text);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    this.reset();
    this.save();
  }

  /** Forgets where ↑/↓ stood (the prompt opened or closed). */
  reset(): void {
    this.at = this.entries.length;
    this.draft = '';
    this.shown = undefined;
  }

  /**
   * ↑: the next older command starting with what was typed before the walk began, or
   * undefined when there is none. `current` is the line now (edited lines start a new walk).
   */
  older(current: string): string | undefined {
    this.restartIfEdited(current);
    for (let i = this.at - 1; i >= 0; i--) {
      if (this.entries[i].startsWith(this.draft) && this.entries[i] !== current) return this.show(i);
    }
    return undefined;
  }

  /** ↓: the next newer match, else the line as it was typed before the walk. */
  newer(current: string): string | undefined {
    this.restartIfEdited(current);
    if (this.at >= this.entries.length) return undefined;
    for (let i = this.at + 1; i < this.entries.length; i++) {
      if (this.entries[i].startsWith(this.draft) && this.entries[i] !== current) return this.show(i);
    }
    this.at = this.entries.length;
    this.shown = this.draft;
    return this.draft;
  }

  private restartIfEdited(current: string): void {
    if (this.shown === current) return;
    this.at = this.entries.length;
    this.draft = current;
  }

  private show(i: number): string {
    this.at = i;
    this.shown = this.entries[i];
    return this.shown;
  }

  private save(): void {
    if (!this.path) return;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const tmp = `${this.path}.${process.pid}.tmp`;
      writeFileSync(tmp, this.entries.map(redactSecrets).join('\n') + '\n', { mode: 0o600 });
      chmodSync(tmp, 0o600);
      renameSync(tmp, this.path);
    } catch (err) {
      this.onError?.(`command history not saved to ${this.path}: ${(err as Error).message}`);
    }
  }
}

function readLines(path: string): string[] {
  try {
    return readFileSync(path, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  } catch {
    // No file yet (first run) or unreadable: start empty; the next command writes it.
    return [];
  }
}
