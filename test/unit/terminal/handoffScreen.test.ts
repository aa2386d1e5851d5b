import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import xtermHeadless from '@xterm/headless';
import { describe, expect, it, vi } from 'vitest';
import { runHandoff, type HandedTerminal, type TerminalSession } from '../../../src/terminal/handoff.js';
import { enterFullScreen, restoreTerminal } from '../../../src/terminal/screen.js';

// What the user's terminal shows around hand-offs to sessions (shells, plugins): everything the
// console writes goes through a headless terminal emulator, and the screen is read back.

const { Terminal } = xtermHeadless;

function terminal() {
  const term = new Terminal({ cols: 60, rows: 12, allowProposedApi: true });
  const out = Object.assign(new EventEmitter(), {
    columns: 60,
    rows: 12,
    write(data: string | Uint8Array) {
      term.write(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'));
      return true;
    },
  }) as unknown as NodeJS.WriteStream;
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  const screen = async () => {
    await new Promise<void>((r) => term.write('', r));
    const b = term.buffer.active;
    return { type: b.type, lines: Array.from({ length: term.rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '').filter((l) => l.trim() !== '') };
  };
  return { term, out, stdin, screen };
}

/** A session that prints a banner and some output, like a shell that is then detached. */
function session(banner: string, output: string, seen?: (t: HandedTerminal) => Promise<void>): TerminalSession {
  return {
    raw: true,
    async run(t) {
      t.write(`\r\n${banner}\r\n`);
      t.write(output);
      await seen?.(t);
      return { line: 'ended', level: 'info' };
    },
  };
}

describe('hand-off screens', () => {
  it('a second shell starts on a clear screen with its banner alone, and after quitting the normal screen holds no transcript', async () => {
    const { out, stdin, screen } = terminal();
    out.write('user@laptop:~$ warroom\r\n');
    enterFullScreen(out);
    out.write('console frame');
    // The first shell leaves a long line and a prompt in the middle of the screen.
    let during: Awaited<ReturnType<typeof screen>> | undefined;
    await runHandoff(session('warroom exec  user warroom-demo-admin', 'first-transcript-line\r\n\x1b[5;1Hroot@cart-api-1:/# echo adminmin'), { stdin, stdout: out });
    enterFullScreen(out);
    out.write('console frame again');
    await runHandoff(
      session('warroom exec  user warroom-demo-admin', '', async () => {
        during = await screen();
      }),
      { stdin, stdout: out },
    );
    expect(during).toEqual({ type: 'normal', lines: ['warroom exec  user warroom-demo-admin'] });
    enterFullScreen(out);
    expect((await screen()).type).toBe('alternate');
    restoreTerminal(out, stdin);
    expect(await screen()).toEqual({ type: 'normal', lines: [] });
  });

  it('a remote program that left its own alternate screen and colours on does not keep them: the console gets a clean normal screen back', async () => {
    const { out, stdin, screen } = terminal();
    enterFullScreen(out);
    await runHandoff(session('banner', '\x1b[?1049h\x1b[44mvi screen\x1b[3;1Hstill vi'), { stdin, stdout: out });
    expect(await screen()).toEqual({ type: 'normal', lines: [] });
    restoreTerminal(out, stdin);
  });
});

describe("Node's warnings while the console holds the screen", () => {
  it('are not written over the screen (only changed lines are redrawn: a shifted screen would stay so); they are printed once it is given back', async () => {
    const { out, stdin } = terminal();
    const written = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      enterFullScreen(out);
      process.emitWarning('11 abort listeners added to [AbortSignal]', 'MaxListenersExceededWarning');
      await new Promise((r) => setTimeout(r, 10));
      expect(written).not.toHaveBeenCalled();
      restoreTerminal(out, stdin);
      expect(written.mock.calls.map((c) => String(c[0])).join('')).toMatch(/^\(node:\d+\) MaxListenersExceededWarning: 11 abort listeners/);
    } finally {
      written.mockRestore();
    }
  });
});
