import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleUnderTest, demoPerFile, keys, launcher, repoRoot } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// The terminals of jump hosts, through the real built console in a pseudo-terminal (locale and
// TERM are the process's): a C locale gets ASCII only, TERM=screen 8 colours only, an
// xterm-256color the 256 colours, TERM=dumb or a pipe a refusal; under screen and tmux the
// terminal is given back whole on every exit path.

const fixture = demoPerFile();
const home = scratchDir('warroom-termmodes-');

/** The console on the demo (its log store and Prometheus) at 100x30, with this environment. */
function open(env: Record<string, string | undefined>, args: string[] = [], size = { cols: 100, rows: 30 }): ConsoleUnderTest {
  const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context, ...args], {
    ...size,
    env: { WARROOM_CONFIG: fixture.demo.configPath, WARROOM_AUDIT_FILE: join(home, 'audit.jsonl'), ...env },
  });
  fixture.track(c);
  return c;
}

/** SGR sequences that pick a 256-colour or an RGB colour. */
const EXTENDED_SGR = /\x1b\[[0-9;:]*(?:38|48)[;:][25][;:]/;
/** Bytes at or above 0x80 in what the console wrote (node-pty hands it over as UTF-8 text). */
const highBytes = (raw: string) => [...Buffer.from(raw, 'utf8')].filter((b) => b >= 0x80).length;

/** Systems, then a system's pods, their charts (m), back, their logs (l): every kind of screen. */
async function tour(c: ConsoleUnderTest, live: string): Promise<void> {
  await c.waitFor(live, 30_000);
  await c.waitFor(/SYSTEM/);
  c.press('p');
  await c.waitFor((s) => /Pods/.test(c.lines()[1]) && /Running/.test(s));
  c.press('m');
  await c.waitFor(/CPU \((cores|millicores)\)/, 20_000);
  await c.waitFor((s) => /\d\d:\d\d {2,}\d\d:\d\d/.test(s));
  c.press(keys.esc);
  await c.waitFor(() => /Pods/.test(c.lines()[1]) && !/Metrics/.test(c.lines()[1]));
  c.press('l');
  await c.waitFor(/lines \d+ err/, 20_000);
  await c.waitFor(() => c.lines().filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l)).length >= 3, 20_000);
}

describe('LANG=C: ASCII only', () => {
  it('systems, pods, charts and logs are drawn without one byte beyond ASCII, in forms that read', async () => {
    const c = open({ LANG: 'C', TERM: 'xterm-256color' });
    await tour(c, '* live');
    // Logs: the source line and its strip, in ASCII.
    expect(c.text()).toMatch(/^\s+\S.* \| last 15m \| all levels \| FOLLOWING/m);
    c.press(keys.esc);
    // Esc alone first: Esc and m together are Alt-m.
    await c.waitFor(() => !/Logs/.test(c.lines()[1]));
    c.press('m');
    const charts = await c.waitFor(/CPU \((cores|millicores)\)/, 20_000);
    expect(charts).toMatch(/^ *\S+ \|[-.'| ]*[-.'|]/m); // a plot row: y label, axis, the line
    expect(charts).toMatch(/^ # \S+ [0-9.]+/m); // the legend
    expect(c.lines()[1]).toMatch(/^ Systems > \S+ > Pods > \S+ > Metrics|^ Systems > \S+ > Metrics/);
    expect(await c.quit()).toBe(0);
    expect(highBytes(c.raw)).toBe(0);
  }, 60_000);

  it('--ascii, or terminal.ascii: true in the config file, does the same in a UTF-8 locale; terminal.ascii: false keeps UTF-8 in a C locale', async () => {
    const config = (ascii: boolean) => {
      const file = join(home, `config-ascii-${ascii}.yaml`);
      writeFileSync(file, `${readFileSync(fixture.demo.configPath, 'utf8')}\nterminal:\n  ascii: ${ascii}\n`);
      return file;
    };
    for (const c of [open({ LANG: 'en_US.UTF-8' }, ['--ascii']), open({ LANG: 'en_US.UTF-8', WARROOM_CONFIG: config(true) })]) {
      await c.waitFor('* live', 30_000);
      await c.waitFor(/SYSTEM/);
      expect(await c.quit()).toBe(0);
      expect(highBytes(c.raw)).toBe(0);
    }
    const unicode = open({ LANG: 'C', WARROOM_CONFIG: config(false) });
    await unicode.waitFor('● live', 30_000);
    expect(await unicode.quit()).toBe(0);
  }, 60_000);
});

describe('TERM=screen: 8 colours', () => {
  it('sends no 256-colour or RGB sequence, with the light theme (written in #rrggbb) too, and the selection stays visible', async () => {
    for (const theme of ['dark', 'light']) {
      const c = open({ TERM: 'screen' }, ['--theme', theme]);
      await tour(c, '● live');
      c.press(keys.esc);
      await c.waitFor(() => c.selectedRow() !== undefined);
      const b = c.term.buffer.active;
      const y = c.lines().indexOf(c.selectedRow()!);
      const cell = b.getLine(b.viewportY + y)!.getCell(3)!;
      // The selected row: inverse, or a background of the eight colours.
      expect(cell.isInverse() || (cell.isBgPalette() && cell.getBgColor() < 8), theme).toBe(true);
      expect(await c.quit()).toBe(0);
      expect(c.raw).not.toMatch(EXTENDED_SGR);
      // Foreground colours used: only 30-37 (and 39, default).
      const fgs = [...c.raw.matchAll(/\x1b\[([0-9;]*)m/g)].flatMap((m) => m[1].split(';')).filter((p) => /^(9[0-7]|10[0-7])$/.test(p));
      expect(fgs, theme).toEqual([]);
    }
  }, 120_000);
});

describe('TERM=xterm-256color: 256 colours', () => {
  it('the light theme is drawn in 256-colour sequences', async () => {
    const c = open({ TERM: 'xterm-256color' }, ['--theme', 'light']);
    await c.waitFor('● live', 30_000);
    await c.waitFor(/SYSTEM/);
    expect(await c.quit()).toBe(0);
    expect(c.raw).toMatch(/\x1b\[[0-9;]*38;5;\d+m/);
    expect(c.raw).toMatch(/\x1b\[[0-9;]*48;5;\d+m/);
  });
});

describe('a terminal that cannot hold the console is refused before the screen is taken', () => {
  it('TERM=dumb, and TERM unset: one line, exit code 2, for warroom and warroom demo alike', async () => {
    for (const [env, args, said] of [
      [{ TERM: 'dumb' }, ['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context], /^warroom: TERM=dumb cannot draw a screen: run it in xterm, tmux or screen$/],
      [{ TERM: 'dumb' }, ['demo'], /^warroom: TERM=dumb cannot draw a screen/],
      [{ TERM: undefined }, ['demo'], /^warroom: TERM is not set/],
    ] as const) {
      // At 80 columns: the line fits a jump host's terminal.
      const c = new ConsoleUnderTest([...args], { cols: 80, rows: 24, env: { ...env } });
      fixture.track(c);
      expect(await c.exited).toBe(2);
      const lines = c.lines().filter((l) => l.trim());
      expect(lines, `${JSON.stringify(env)} ${args.join(' ')}: ${lines.join(' / ')}`).toHaveLength(1);
      expect(lines[0]).toMatch(said);
      expect(c.raw).not.toContain('\x1b[?1049h');
      // warroom demo stopped before it started its platform.
      expect(c.raw).not.toContain('demo platform');
    }
  });

  it('output or input that is not a terminal (a pipe): one line, exit code 2; --help and --version still answer', () => {
    const run = (args: string[], env: Record<string, string | undefined> = {}) =>
      spawnSync(process.execPath, [launcher, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 20_000, env: { ...process.env, TERM: 'xterm-256color', ...env } });
    const piped = run(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context]);
    expect(piped.status).toBe(2);
    expect(piped.stderr.trim().split('\n')).toEqual(['warroom: needs a terminal to draw on, but its output is a pipe or a file']);
    const demo = run(['demo'], { TERM: 'dumb' });
    expect(demo.status).toBe(2);
    expect(demo.stdout).toBe('');
    for (const env of [{ TERM: 'dumb' }, { TERM: undefined }]) {
      const help = run(['--help'], env);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^warroom - a full-screen operations console|^warroom — a full-screen/);
      expect(run(['--version'], env).stdout).toMatch(/^warroom \d+\.\d+\.\d+/);
    }
    // In a C locale --help is ASCII.
    expect(highBytes(run(['--help'], { LANG: 'C', LC_ALL: undefined }).stdout)).toBe(0);
  });
});

describe('under screen and tmux the terminal is given back whole', () => {
  const RESTORE = '\x1b[?2026l\x1b[0m\x1b[?25h\x1b[?1049l';
  /** After the restore: nothing but a cursor shown again (Ink's own exit), never a frame. */
  function expectRestoredEnd(c: ConsoleUnderTest, how: string): void {
    const at = c.raw.lastIndexOf(RESTORE);
    expect(at, how).toBeGreaterThan(c.raw.indexOf('\x1b[?1049h'));
    expect(c.raw.slice(at + RESTORE.length).replace(/\x1b\[\?25h/g, ''), how).toBe('');
    expect(c.terminalRestored(), how).toEqual({ cursorShown: true, normalScreen: true });
  }

  for (const term of ['screen', 'tmux-256color']) {
    it(`TERM=${term}: the alternate screen and a hidden cursor while running; q, SIGTERM and SIGHUP restore them`, async () => {
      for (const how of ['q', 'SIGTERM', 'SIGHUP'] as const) {
        const c = open({ TERM: term });
        await c.waitFor('● live', 30_000);
        expect(c.bufferType).toBe('alternate');
        expect(c.raw.indexOf('\x1b[?25l')).toBeGreaterThan(c.raw.indexOf('\x1b[?1049h'));
        if (how === 'q') c.press('q');
        else c.proc.kill(how);
        await c.exited;
        expectRestoredEnd(c, `${term} ${how}`);
      }
    }, 90_000);
  }

  it('an uncaught error under TERM=screen: the same restore, then exit code 1', async () => {
    // The console's own exit guards (src/terminal/screen.ts), in a program that throws.
    const { build } = await import('esbuild');
    const program = join(home, 'throws.mjs');
    await build({
      stdin: { contents: "import { enterFullScreen, installExitGuards } from './src/terminal/screen.ts';\ninstallExitGuards({ onFatal: () => undefined });\nenterFullScreen();\nsetTimeout(() => { throw new Error('boom'); }, 300);\n", resolveDir: repoRoot, loader: 'ts' },
      bundle: true, platform: 'node', format: 'esm', outfile: program, logLevel: 'error',
    });
    const pty = (await import('@lydell/node-pty')).default;
    const p = pty.spawn(process.execPath, [program], { name: 'screen', cols: 80, rows: 24, env: { ...process.env, TERM: 'screen' } as Record<string, string> });
    let raw = '';
    p.onData((d) => (raw += d));
    const code = await new Promise<number>((r) => p.onExit(({ exitCode }) => r(exitCode)));
    expect(code).toBe(1);
    expect(raw.lastIndexOf(RESTORE)).toBeGreaterThan(raw.indexOf('\x1b[?1049h'));
    expect(raw.slice(raw.lastIndexOf(RESTORE) + RESTORE.length)).toBe('');
  });

  const tmuxVersion = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
  it.skipIf(tmuxVersion.status !== 0)('inside a real tmux: the pane leaves the alternate screen with its cursor shown, and shows what was there before', async () => {
    const sock = join(home, 'tmux.sock');
    const conf = join(home, 'tmux.conf');
    writeFileSync(conf, 'set -g default-terminal "tmux-256color"\n');
    const script = join(home, 'in-tmux.sh');
    writeFileSync(script, `printf 'shell before warroom\\n'\n'${process.execPath}' '${launcher}' --kubeconfig '${fixture.demo.kubeconfigPath}' --context '${fixture.demo.context}'\necho "warroom exited $?"\nsleep 60\n`);
    const tmux = (...args: string[]) => spawnSync('tmux', ['-S', sock, '-f', conf, ...args], { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', WARROOM_CONFIG: fixture.demo.configPath, TMUX: undefined } });
    const pane = (format: string) => tmux('display-message', '-p', '-t', 'w', format).stdout.trim();
    const screen = () => tmux('capture-pane', '-p', '-t', 'w').stdout;
    const waitFor = async (what: () => boolean, label: string) => {
      for (let t0 = Date.now(); !what(); ) {
        if (Date.now() - t0 > 30_000) throw new Error(`timed out waiting for ${label}:\n${screen()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    try {
      expect(tmux('new-session', '-d', '-s', 'w', '-x', '100', '-y', '30', `sh '${script}'`).status).toBe(0);
      await waitFor(() => screen().includes('● live'), 'the console');
      expect(pane('#{alternate_on} #{cursor_flag}')).toBe('1 0');
      expect(screen()).not.toContain('shell before warroom');
      tmux('send-keys', '-t', 'w', 'q');
      await waitFor(() => screen().includes('warroom exited'), 'the exit');
      expect(pane('#{alternate_on} #{cursor_flag}')).toBe('0 1');
      const after = screen();
      expect(after).toContain('shell before warroom');
      expect(after).toContain('warroom exited 0');
      expect(after).not.toContain('live');
    } finally {
      tmux('kill-server');
    }
  }, 60_000);
});
