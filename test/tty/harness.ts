import xtermHeadless from '@xterm/headless';
import pty from '@lydell/node-pty';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startDemoPlatform, type DemoPlatform } from '../../src/demo/launch.js';

// Runs the real built console in a pseudo-terminal and reads the screen through a headless
// terminal emulator, so tests assert on what a user would see.

const { Terminal } = xtermHeadless;
export const repoRoot = join(import.meta.dirname, '..', '..');
export const launcher = join(repoRoot, 'bin', 'warroom');

export interface SpawnOptions {
  cols?: number;
  rows?: number;
  env?: Record<string, string | undefined>;
  /** The program and its first arguments (default: this Node running bin/warroom). */
  command?: string[];
  /** Working directory (default: the repository; `w` in the logs pane writes there). */
  cwd?: string;
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export class ConsoleUnderTest {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  /** Everything the program wrote, raw (for escape-sequence assertions). */
  raw = '';
  exitCode: number | undefined;
  readonly exited: Promise<number>;

  constructor(args: string[], opts: SpawnOptions = {}) {
    const cols = opts.cols ?? 120;
    const rows = opts.rows ?? 30;
    this.term = new Terminal({ cols, rows, allowProposedApi: true });
    const [file, ...before] = opts.command ?? [process.execPath, launcher];
    // node-pty sets TERM to `name`: the TERM asked for, and none at all (env -u) when it is given as undefined.
    const unsetTerm = opts.env !== undefined && 'TERM' in opts.env && opts.env.TERM === undefined;
    const [spawned, argv] = unsetTerm ? ['/usr/bin/env', ['-u', 'TERM', file, ...before, ...args]] : [file, [...before, ...args]];
    this.proc = pty.spawn(spawned, argv, {
      name: opts.env?.TERM ?? 'xterm-256color',
      cols,
      rows,
      cwd: opts.cwd ?? repoRoot,
      // Not CI: Node reports a 2-colour terminal when CI is set, and the console would pick the monochrome theme.
      // A UTF-8 locale whatever the machine's (a fresh CI box may have none: the console would draw ASCII).
      env: cleanEnv({ ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: undefined, LC_CTYPE: undefined, NO_COLOR: undefined, FORCE_COLOR: undefined, CI: undefined, ...opts.env }),
    });
    this.proc.onData((d) => {
      this.raw += d;
      this.term.write(d);
    });
    // Resolves once the last output is on the screen: the exit can be reported before the pty's
    // last bytes are read, and the emulator parses what it is given asynchronously.
    this.exited = new Promise((resolve) => this.proc.onExit(({ exitCode }) => {
      this.exitCode = exitCode;
      setTimeout(() => this.term.write('', () => resolve(exitCode)), 50);
    }));
  }

  private flush(): Promise<void> {
    return new Promise((r) => this.term.write('', r));
  }

  lines(): string[] {
    const b = this.term.buffer.active;
    return Array.from({ length: this.term.rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  }

  text(): string {
    return this.lines().join('\n');
  }

  get bufferType(): string {
    return this.term.buffer.active.type;
  }

  async waitFor(what: string | RegExp | ((screen: string) => boolean), timeoutMs = 15_000): Promise<string> {
    const pred = typeof what === 'function' ? what : typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    const t0 = Date.now();
    for (;;) {
      await this.flush();
      const screen = this.text();
      if (pred(screen)) return screen;
      if (this.exitCode !== undefined) throw new Error(`console exited (${this.exitCode}) while waiting for ${String(what)}:\n${screen}\n--- raw tail ---\n${JSON.stringify(this.raw.slice(-600))}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${String(what)}; screen:\n${screen}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The screen row containing `text`, or undefined. */
  rowWith(text: string): string | undefined {
    return this.lines().find((l) => l.includes(text));
  }

  /** The row drawn with the selection highlight (inverse or the theme's selection background). */
  selectedRow(): string | undefined {
    const b = this.term.buffer.active;
    for (let y = 0; y < this.term.rows; y++) {
      const line = b.getLine(b.viewportY + y);
      const cell = line?.getCell(1);
      if (cell && (cell.isInverse() || !cell.isBgDefault()) && y > 1) return line!.translateToString(true);
    }
    return undefined;
  }

  press(keys: string): void {
    this.proc.write(keys);
  }

  async type(keys: string): Promise<void> {
    for (const k of keys) {
      this.proc.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  resize(cols: number, rows: number): void {
    this.proc.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** Cursor visibility and screen as the program left them (last DECTCEM / 1049 sequence wins). */
  terminalRestored(): { cursorShown: boolean; normalScreen: boolean } {
    const lastShow = this.raw.lastIndexOf('\x1b[?25h');
    const lastHide = this.raw.lastIndexOf('\x1b[?25l');
    const lastLeave = this.raw.lastIndexOf('\x1b[?1049l');
    const lastEnter = this.raw.lastIndexOf('\x1b[?1049h');
    return { cursorShown: lastShow > lastHide, normalScreen: lastLeave > lastEnter && this.bufferType === 'normal' };
  }

  async quit(): Promise<number> {
    if (this.exitCode === undefined) this.press('\x03');
    const timeout = new Promise<number>((r) => setTimeout(() => r(-1), 5000));
    const code = await Promise.race([this.exited, timeout]);
    if (code === -1) this.proc.kill('SIGKILL');
    return code;
  }
}

export const keys = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  ctrlC: '\x03',
  backspace: '\x7f',
};

/**
 * One demo platform per test file, and every console a test opens quit after it: the
 * set-up the screen-test files share. `track` registers a console for clean-up.
 */
export function demoPerFile(options: { pods?: number; churn?: boolean; seed?: number; listPageDelayMs?: number } = {}) {
  let demo: DemoPlatform | undefined;
  let running: ConsoleUnderTest[] = [];
  beforeAll(async () => {
    demo = await startDemoPlatform({ pods: 300, churn: false, seed: 7, ...options });
  });
  afterAll(async () => {
    await demo?.stop();
  });
  afterEach(async () => {
    for (const c of running) await c.quit();
    running = [];
  });
  return {
    get demo(): DemoPlatform {
      if (!demo) throw new Error('the demo platform is not started yet (use it inside a test or hook)');
      return demo;
    },
    track(c: ConsoleUnderTest): ConsoleUnderTest {
      running.push(c);
      return c;
    },
  };
}
