import { PassThrough } from 'node:stream';
import { handTerminalOver, takeTerminalBack } from './screen.js';

// The console steps aside for a program that needs the whole terminal (a shell in a pod, a
// plugin in a local pty) and comes back afterwards. runConsole unmounts the UI, calls
// runHandoff, then mounts the UI again; where the user was lives in stores, so the view
// comes back identical. This module is the only place, besides Ink itself and the exit-path
// restore in screen.ts, that touches raw mode and stdin.

/** Ctrl-] (0x1d), as telnet: detaches from the session and returns to the console. */
export const DETACH_BYTE = 0x1d;
export const DETACH_KEY_NAME = 'Ctrl-]';

/** What a session gets: the user's keys, the screen, its size, and the detach signal. */
export interface HandedTerminal {
  /** The user's raw key bytes, the detach key removed. */
  readonly input: PassThrough;
  /** How many key bytes the user has sent so far. */
  readonly typed: number;
  /** The real terminal; the session writes the remote program's output here unfiltered. */
  write(data: string | Uint8Array): void;
  readonly columns: number;
  readonly rows: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
  /** Resolves when the user presses the detach key. */
  readonly detached: Promise<void>;
}

export interface SessionResult {
  /** One line for the console's status line, e.g. "shell in cart/web-1 ended (exit 0)". */
  line: string;
  level: 'info' | 'warn' | 'error';
}

export interface TerminalSession {
  /** Raw mode while the session runs: true when the other side is a pty (remote or local). */
  raw: boolean;
  run(term: HandedTerminal): Promise<SessionResult>;
}

export interface HandoffIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** Runs the session with the terminal handed over; the terminal is taken back on every path. */
export async function runHandoff(session: TerminalSession, io: HandoffIo = { stdin: process.stdin, stdout: process.stdout }): Promise<SessionResult> {
  const { stdin, stdout } = io;
  const input = new PassThrough();
  let onDetach!: () => void;
  const detached = new Promise<void>((resolve) => (onDetach = resolve));
  let typed = 0;
  const onData = (chunk: Buffer | string): void => {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    const at = bytes.indexOf(DETACH_BYTE);
    const keys = at < 0 ? bytes : bytes.subarray(0, at);
    if (keys.length > 0) {
      typed += keys.length;
      input.write(keys);
    }
    if (at >= 0) onDetach();
  };
  const term: HandedTerminal = {
    input,
    get typed() {
      return typed;
    },
    write: (data) => {
      stdout.write(data);
    },
    get columns() {
      return stdout.columns ?? 80;
    },
    get rows() {
      return stdout.rows ?? 24;
    },
    on: (event, listener) => stdout.on(event, listener),
    off: (event, listener) => stdout.off(event, listener),
    detached,
  };
  handTerminalOver(session.raw, stdout, stdin);
  stdin.on('data', onData);
  stdin.resume();
  try {
    return await session.run(term);
  } catch (err) {
    return { line: err instanceof Error ? err.message : String(err), level: 'error' };
  } finally {
    stdin.off('data', onData);
    // No stdin.pause(): a paused stdin never tells Ink's next 'readable' listener about new
    // keys (reproduced in a pty with Ink 6.8), so the remounted console would be deaf.
    input.destroy();
    takeTerminalBack(stdout, stdin);
  }
}
