import { writeSync } from 'node:fs';

// The alternate screen and its restoration. Whatever ends the process — q, Ctrl-C,
// SIGTERM, SIGHUP, an uncaught error — the user gets their shell back: raw mode off,
// normal screen, cursor shown.

const ENTER = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
const LEAVE = '\x1b[?25h\x1b[?1049l';

let active = false;

export function enterFullScreen(stdout: NodeJS.WriteStream = process.stdout): void {
  if (active) return;
  active = true;
  stdout.write(ENTER);
}

/** Idempotent and synchronous, so it is safe from 'exit' handlers. */
export function restoreTerminal(stdout: NodeJS.WriteStream = process.stdout, stdin: NodeJS.ReadStream = process.stdin): void {
  if (!active) return;
  active = false;
  try {
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
  } catch {
    // stdin may already be destroyed; the screen still has to be restored
  }
  try {
    // Synchronous: an 'exit' handler cannot wait for an asynchronous write.
    const fd = (stdout as NodeJS.WriteStream & { fd?: number }).fd;
    if (fd !== undefined) writeSync(fd, LEAVE);
    else stdout.write(LEAVE);
  } catch {
    stdout.write(LEAVE);
  }
}

export function isFullScreen(): boolean {
  return active;
}

export interface ExitGuards {
  /** Called once, before the process exits for any reason other than a normal quit. */
  onFatal: (reason: string, err?: unknown) => void;
}

/**
 * Restores the terminal on signals and uncaught errors, then exits with the
 * conventional code (128 + signal number for signals, 1 for errors).
 */
export function installExitGuards(guards: ExitGuards): void {
  process.on('exit', () => restoreTerminal());
  const signals: Array<[NodeJS.Signals, number]> = [['SIGTERM', 15], ['SIGHUP', 1], ['SIGINT', 2], ['SIGQUIT', 3]];
  for (const [sig, num] of signals) {
    process.on(sig, () => {
      restoreTerminal();
      guards.onFatal(sig);
      process.exit(128 + num);
    });
  }
  process.on('uncaughtException', (err) => {
    restoreTerminal();
    guards.onFatal('uncaught error', err);
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    restoreTerminal();
    guards.onFatal('unhandled rejection', err);
    process.exit(1);
  });
}
