import { readFile, writeFile } from 'node:fs/promises';
import type { HandedTerminal, SessionResult, TerminalSession } from '../../terminal/handoff.js';
import { DETACH_KEY_NAME } from '../../terminal/handoff.js';
import { withErrorOnTop } from '../actions/editObject.js';
import { runInPty } from './pluginSession.js';
import { glyphs } from '../../terminal/glyphs.js';

// The user's editor on a file, with the terminal handed over (the console steps aside and comes
// back as it was): $VISUAL, else $EDITOR, else vi, run by /bin/sh as git and kubectl do (so
// `code --wait` or `vim -u NONE` work). When the saved file does not read (a YAML error), the
// editor opens again with the error as a comment on top, as kubectl edit does.

export type EditorOutcome = { kind: 'saved'; text: string } | { kind: 'cancelled'; why: string };

export interface EditorRun {
  path: string;
  /** Why the saved text cannot be used (shown on top when the editor reopens); undefined when it can. */
  check(text: string): string | undefined;
  /** The outcome; a line returned is what the status line says when the console comes back. */
  done(outcome: EditorOutcome): SessionResult | undefined;
  env?: NodeJS.ProcessEnv;
}

export function editorCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

export function editorSession(run: EditorRun): TerminalSession {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(run.env ?? process.env)) if (v !== undefined) env[k] = v;
  const editor = editorCommand(run.env);
  const cancelled = (why: string, level: SessionResult['level'] = 'warn'): SessionResult => {
    return run.done({ kind: 'cancelled', why }) ?? { line: `edit cancelled: ${why}`, level };
  };
  return {
    raw: true,
    async run(term: HandedTerminal): Promise<SessionResult> {
      for (;;) {
        const exit = await runInPty(term, { file: '/bin/sh', args: ['-c', `${editor} "$1"`, 'warroom-edit', run.path], env });
        if ('error' in exit) return cancelled(`cannot start the editor (${editor}): ${exit.error}`, 'error');
        if ('detached' in exit) return cancelled(`detached with ${DETACH_KEY_NAME}; nothing was sent`);
        if (exit.code !== 0) return cancelled(`the editor (${editor}) exited with code ${exit.code}; nothing was sent`);
        const text = await readFile(run.path, 'utf8');
        const problem = run.check(text);
        if (problem === undefined) {
          return run.done({ kind: 'saved', text }) ?? { line: `edit saved: asking the server for a dry-run${glyphs.ellipsis}`, level: 'info' };
        }
        await writeFile(run.path, withErrorOnTop(text, problem), { mode: 0o600 });
      }
    },
  };
}
