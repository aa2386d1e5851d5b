import type { HandedTerminal, SessionResult, TerminalSession } from '../../terminal/handoff.js';
import { DETACH_KEY_NAME } from '../../terminal/handoff.js';

// A plugin (a local program) in a pseudo-terminal of its own, with the terminal handed over:
// keys go to it raw, its output to the screen, its size follows the terminal. node-pty is
// imported on first use so the console's start-up does not pay for the native addon.

export interface PluginRun {
  name: string;
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Printed before the program starts (who/where, how to get back). */
  banner: string;
}

let ptyModule: Promise<typeof import('@lydell/node-pty')> | undefined;

/** How a program run in a pty ended: its exit code, the detach key, or why it did not start. */
export type PtyExit = { code: number } | { detached: true } | { error: string };

/** Runs `file args` in a pty on the handed-over terminal until it exits or the user detaches (SIGHUP then). */
export async function runInPty(term: HandedTerminal, run: Pick<PluginRun, 'file' | 'args' | 'env'>): Promise<PtyExit> {
  ptyModule ??= import('@lydell/node-pty');
  const pty = await ptyModule;
  let child: import('@lydell/node-pty').IPty;
  try {
    child = pty.spawn(run.file, run.args, { name: process.env.TERM ?? 'xterm-256color', cols: term.columns, rows: term.rows, cwd: process.cwd(), env: run.env });
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  const onInput = (d: Buffer) => child.write(d.toString('utf8'));
  const onResize = () => child.resize(term.columns, term.rows);
  term.input.on('data', onInput);
  term.on('resize', onResize);
  const output = child.onData((d) => term.write(d));
  try {
    const exit = await Promise.race([
      new Promise<{ exitCode: number; signal?: number }>((resolve) => child.onExit(resolve)),
      term.detached.then(() => undefined),
    ]);
    if (!exit) {
      child.kill('SIGHUP');
      return { detached: true };
    }
    // node-pty reports "exec failed" as exit code 1 after printing the reason into the pty.
    return { code: exit.signal ? 128 + exit.signal : exit.exitCode };
  } finally {
    output.dispose();
    term.input.off('data', onInput);
    term.off('resize', onResize);
  }
}

export function pluginSession(run: PluginRun): TerminalSession {
  return {
    raw: true,
    async run(term: HandedTerminal): Promise<SessionResult> {
      term.write(run.banner);
      const exit = await runInPty(term, run);
      if ('error' in exit) return { line: `plugin ${run.name}: cannot start ${run.file}: ${exit.error}`, level: 'error' };
      if ('detached' in exit) return { line: `plugin ${run.name}: detached with ${DETACH_KEY_NAME}; the program was sent SIGHUP`, level: 'warn' };
      return { line: `plugin ${run.name} (${run.file}) exited with code ${exit.code}`, level: exit.code === 0 ? 'info' : 'warn' };
    },
  };
}
