import { writeSync } from 'node:fs';

// The alternate screen and its restoration. Whatever ends the process — q, Ctrl-C,
// SIGTERM, SIGHUP, an uncaught error — the user gets their shell back: raw mode off,
// normal screen, cursor shown.

const ENTER = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
/**
 * Leaving: end a synchronized update a frame may have left open (tmux would hold the output
 * back until its timeout), reset the colours (the shell prompt is not drawn in the theme's),
 * show the cursor, leave the alternate screen. The same in xterm, tmux (TERM=tmux-256color,
 * screen) and GNU screen: these are the sequences their terminfo entries name (smcup/rmcup
 * 1049, cnorm 25h, sgr0), and a terminal that does not know 2026 ignores it.
 */
export const LEAVE = '\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l';
/**
 * Erases the normal screen and homes the cursor. Every hand-off starts and ends with it: a
 * session's banner is never drawn over the last session's transcript (or what the user had
 * before warroom), and after `q` the normal screen does not still hold a shell's output.
 */
const CLEAR_NORMAL_SCREEN = '\x1b[H\x1b[2J';

let active = false;

export function enterFullScreen(stdout: NodeJS.WriteStream = process.stdout): void {
  if (active) return;
  active = true;
  holdWarnings();
  stdout.write(ENTER);
}

/**
 * Node prints its warnings (a deprecation, too many listeners) on stderr, which is the screen:
 * a line written there shifts what the console drew, and as only changed lines are redrawn it
 * would stay shifted. While the console holds the terminal they are kept, and printed after it
 * is given back.
 */
let nodeWarningListeners: Array<(w: Error) => void> | undefined;
const heldWarnings: string[] = [];
const holdWarning = (w: Error) => {
  if (heldWarnings.length < 20) heldWarnings.push(`(node:${process.pid}) ${w.name}: ${w.message}`);
};

function holdWarnings(): void {
  if (nodeWarningListeners) return;
  nodeWarningListeners = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', holdWarning);
}

function releaseWarnings(): void {
  if (!nodeWarningListeners) return;
  process.off('warning', holdWarning);
  for (const l of nodeWarningListeners) process.on('warning', l);
  nodeWarningListeners = undefined;
  for (const line of heldWarnings.splice(0)) process.stderr.write(`${line}\n`);
}

/**
 * Modes a remote full-screen program (vi, top, less) may have switched on and, when its
 * connection dies, never switched off: application cursor keys and keypad, mouse reporting,
 * bracketed paste, a scroll region, colours, origin mode, auto-wrap off, its alternate screen.
 */
const RESET_REMOTE_MODES = '\x1b[0m\x1b[r\x1b[?6l\x1b[?7h\x1b[?1l\x1b>\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h';

/** Idempotent and synchronous, so it is safe from 'exit' handlers. */
export function restoreTerminal(stdout: NodeJS.WriteStream = process.stdout, stdin: NodeJS.ReadStream = process.stdin): void {
  // Raw mode first and whatever the screen state: during a hand-off the alternate screen is
  // already left but the session holds raw mode.
  setRaw(stdin, false);
  if (handedOver) {
    handedOver = false;
    writeNow(stdout, RESET_REMOTE_MODES);
  }
  if (!active) {
    releaseWarnings();
    return;
  }
  active = false;
  try {
    // Synchronous: an 'exit' handler cannot wait for an asynchronous write.
    const fd = (stdout as NodeJS.WriteStream & { fd?: number }).fd;
    if (fd !== undefined) writeSync(fd, LEAVE);
    else stdout.write(LEAVE);
  } catch {
    stdout.write(LEAVE);
  }
  releaseWarnings();
}

export function isFullScreen(): boolean {
  return active;
}

let handedOver = false;

function setRaw(stdin: NodeJS.ReadStream, raw: boolean): void {
  try {
    if (stdin.isTTY && stdin.isRaw !== raw) stdin.setRawMode(raw);
  } catch {
    // stdin may already be destroyed; the screen still has to be restored
  }
}

function writeNow(stdout: NodeJS.WriteStream, text: string): void {
  try {
    const fd = (stdout as NodeJS.WriteStream & { fd?: number }).fd;
    if (fd !== undefined) writeSync(fd, text);
    else stdout.write(text);
  } catch {
    stdout.write(text);
  }
}

/**
 * Gives the terminal to a session (exec shell, plugin): the normal screen, cleared, cursor shown, and raw
 * mode when the other side does its own line discipline (a remote or local pty), so Ctrl-C
 * and every other key reach it as bytes. The console's UI must be unmounted first.
 */
export function handTerminalOver(raw: boolean, stdout: NodeJS.WriteStream = process.stdout, stdin: NodeJS.ReadStream = process.stdin): void {
  if (active) {
    active = false;
    writeNow(stdout, LEAVE);
  }
  writeNow(stdout, CLEAR_NORMAL_SCREEN);
  handedOver = true;
  setRaw(stdin, raw);
}

/**
 * Takes the terminal back after a session, however it ended: raw mode off (Ink switches it on
 * again when it mounts), the remote program's modes reset, the normal screen cleared.
 * enterFullScreen follows.
 */
export function takeTerminalBack(stdout: NodeJS.WriteStream = process.stdout, stdin: NodeJS.ReadStream = process.stdin): void {
  setRaw(stdin, false);
  if (handedOver) {
    handedOver = false;
    // The modes first: a remote program's own alternate screen is left, so the clear reaches
    // the normal screen, and with the remote colours reset it is cleared to the default.
    writeNow(stdout, RESET_REMOTE_MODES + CLEAR_NORMAL_SCREEN);
  }
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
