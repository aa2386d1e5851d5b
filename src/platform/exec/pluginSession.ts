import type { IPty } from '@lydell/node-pty';
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

export function pluginSession(run: PluginRun): TerminalSession {
  return {
    raw: true,
    async run(term: HandedTerminal): Promise<SessionResult> {
      ptyModule ??= import('@lydell/node-pty');
      const pty = await ptyModule;
      term.write(run.banner);
      let child: IPty;
      try {
        child = pty.spawn(run.file, run.args, { name: process.env.TERM ?? 'xterm-256color', cols: term.columns, rows: term.rows, cwd: process.cwd(), env: run.env });
      } catch (err) {
        return { line: `plugin ${run.name}: cannot start ${run.file}: ${err instanceof Error ? err.message : String(err)}`, level: 'error' };
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
          return { line: `plugin ${run.name}: detached with ${DETACH_KEY_NAME}; the program was sent SIGHUP`, level: 'warn' };
        }
        // node-pty reports "exec failed" as exit code 1 after printing the reason into the pty.
        const code = exit.signal ? 128 + exit.signal : exit.exitCode;
        return { line: `plugin ${run.name} (${run.file}) exited with code ${code}`, level: code === 0 ? 'info' : 'warn' };
      } finally {
        output.dispose();
        term.input.off('data', onInput);
        term.off('resize', onResize);
      }
    },
  };
}
