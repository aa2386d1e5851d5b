import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import xtermHeadless from '@xterm/headless';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startDemoFleet, type DemoFleet, type DemoFleetOptions } from '../../src/demo/fleet.js';
import { startDemoPlatform, type DemoPlatform, type DemoPlatformOptions } from '../../src/demo/launch.js';
import { scratchDir } from '../support/scratchDir.js';

// In-process screen tests: the real console root (the providers and App, as runConsole
// mounts them) rendered by Ink into a fake terminal, an @xterm/headless Terminal of the
// given size, and driven by bytes written to a fake stdin. Tests read the screen as the user
// sees it. No PTY and no child process for the console; the demo platform still runs as one.
//
// Ink and the UI are imported lazily (consoleModules) so that CI can be hidden from Ink's
// import, as the CLI does: with CI set Ink draws only the last frame, never a live screen.

const { Terminal } = xtermHeadless;
// The `:` history goes to a scratch file, never the user's own (a test may set its own first).
process.env.WARROOM_HISTORY_FILE ??= join(scratchDir('warroom-history-'), 'history');
type XTerm = InstanceType<typeof Terminal>;

async function importConsoleModules() {
  const hidden = ['CI', 'CONTINUOUS_INTEGRATION'] as const;
  const saved = hidden.map((k) => [k, process.env[k]] as const);
  const savedForceColor = process.env.FORCE_COLOR;
  for (const k of hidden) delete process.env[k];
  // The worker's own stdout is a pipe; the screen under test is a 256-colour terminal, where
  // the selection and search highlights are drawn (chalk reads this when Ink loads it).
  process.env.FORCE_COLOR = '2';
  try {
    const [ink, isInCi, theme, runtime, session, config, app, keyStack, lists, panes, themeContext, size] = await Promise.all([
      import('ink'),
      import('is-in-ci'),
      import('../../src/config/theme.js'),
      import('../../src/platform/consoleRuntime.js'),
      import('../../src/platform/kube/kubeSession.js'),
      import('../../src/cli/consoleConfig.js'),
      import('../../src/ui/App.js'),
      import('../../src/ui/keys/buildKeyStack.js'),
      import('../../src/ui/views/lists/listViews.js'),
      import('../../src/ui/views/panes.js'),
      import('../../src/ui/theme/ThemeContext.js'),
      import('../../src/ui/widgets/TerminalSize.js'),
      import('../../src/ui/views/registerPanes.js'),
    ]);
    if (isInCi.default) throw new Error('Ink was loaded with CI set before this harness hid it: it would draw only the last frame');
    return {
      render: ink.render,
      loadTheme: theme.loadTheme,
      ConsoleRuntime: runtime.ConsoleRuntime,
      loadKubeSession: session.loadKubeSession,
      loadConsoleConfig: config.loadConsoleConfig,
      App: app.App,
      buildKeyStack: keyStack.buildKeyStack,
      viewFeeds: lists.viewFeeds,
      followPanes: panes.followPanes,
      ThemeContext: themeContext.ThemeContext,
      TerminalSizeProvider: size.TerminalSizeProvider,
    };
  } finally {
    for (const [k, v] of saved) if (v !== undefined) process.env[k] = v;
    if (savedForceColor === undefined) delete process.env.FORCE_COLOR;
    else process.env.FORCE_COLOR = savedForceColor;
  }
}

let modules: ReturnType<typeof importConsoleModules> | undefined;
const consoleModules = () => (modules ??= importConsoleModules());

/** What Ink writes to: a terminal of `columns` x `rows` that parses every byte into a screen. */
class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  /** Everything Ink wrote, raw (for escape-sequence assertions such as the search highlight). */
  raw = '';

  constructor(readonly term: XTerm) {
    super();
  }

  get columns(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  write(data: string | Uint8Array, encodingOrCallback?: BufferEncoding | (() => void), callback?: () => void): boolean {
    const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
    this.raw += text;
    const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
    this.term.write(text, done);
    return true;
  }
}

/** What Ink reads keys from: a readable stream that says it is a TTY in raw mode. */
class FakeStdin extends PassThrough {
  readonly isTTY = true;
  isRaw = false;

  setRawMode(raw: boolean): this {
    this.isRaw = raw;
    return this;
  }

  ref(): this {
    return this;
  }

  unref(): this {
    return this;
  }
}

export interface OpenOptions {
  kubeconfig: string;
  context: string;
  /** The warroom config file; /dev/null for none (defaults), never the user's own. */
  configPath: string;
  readOnly?: boolean;
  namespace?: string;
  /** As NO_COLOR=1 does: the monochrome theme. */
  noColor?: boolean;
  cols?: number;
  rows?: number;
  /**
   * Run a session that asks for the whole terminal (an editor in a local pty) here, then mount
   * the console again, as runConsole does; without it such a request ends the console.
   */
  runHandoffs?: boolean;
}

type Wanted = string | RegExp | ((screen: string) => boolean);

/** The console as a user at a terminal sees it: keys in, screen lines out. */
export class ConsoleScreen {
  /** Set when the console quit (q, Ctrl-C, :q) or asked for the terminal (a shell). */
  ended: string | undefined;
  /** Sessions run with the terminal handed over (with runHandoffs). */
  handoffs = 0;

  private constructor(
    private readonly term: XTerm,
    private readonly stdout: FakeStdout,
    private readonly stdin: FakeStdin,
    private readonly teardown: () => Promise<void>,
    /** The console's runtime, for checks a screen cannot show (no cluster's tail left running). */
    readonly runtime: import('../../src/platform/consoleRuntime.js').ConsoleRuntime,
  ) {}

  static async open(opts: OpenOptions): Promise<ConsoleScreen> {
    const m = await consoleModules();
    // convertEol: a terminal's line discipline turns Ink's \n into \r\n (onlcr); here nothing else does.
    const term = new Terminal({ cols: opts.cols ?? 120, rows: opts.rows ?? 30, allowProposedApi: true, convertEol: true });
    const stdout = new FakeStdout(term);
    const stdin = new FakeStdin();
    // As runConsole builds and starts a console (minus the preflight, the alternate screen, the
    // hand-off loop and what cuts the writes to the changed cells of a UTF-8, 256-colour terminal:
    // Ink's incremental rendering needs the fix the bundle is built with; test/tty covers them
    // through a real process).
    const theme = m.loadTheme(undefined, opts.noColor ? { NO_COLOR: '1' } : {}, 8);
    const config = m.loadConsoleConfig(opts.configPath, () => undefined);
    // `context` may name several (`a,b`): a fleet, as with --context.
    const names = opts.context ? opts.context.split(',') : [undefined];
    const sessions = names.map((context) => m.loadKubeSession({ kubeconfig: opts.kubeconfig, context, namespace: opts.namespace }));
    const runtime = new m.ConsoleRuntime({ sessions, readOnly: opts.readOnly ?? false, config, namespace: opts.namespace, viewFeeds: m.viewFeeds });
    const keys = m.buildKeyStack(runtime, config);
    runtime.start();
    const stopPanes = m.followPanes(runtime);
    const { ThemeContext, TerminalSizeProvider, App } = m;
    const mount = () => m.render(
      <ThemeContext.Provider value={theme}>
        <TerminalSizeProvider stdout={stdout as unknown as NodeJS.WriteStream}>
          <App runtime={runtime} keys={keys} />
        </TerminalSizeProvider>
      </ThemeContext.Provider>,
      {
        stdout: stdout as unknown as NodeJS.WriteStream,
        stdin: stdin as unknown as NodeJS.ReadStream,
        stderr: stdout as unknown as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 60,
      },
    );
    let instance = mount();
    let unmounted = false;
    let stopped: Promise<void> | undefined;
    const screen = new ConsoleScreen(term, stdout, stdin, () => {
      if (stopped) return stopped;
      if (!unmounted) instance.unmount();
      unmounted = true;
      stdin.destroy();
      stopPanes();
      keys.dispose();
      stopped = runtime.stop();
      term.dispose();
      return stopped;
    }, runtime);
    runtime.onQuit(() => {
      screen.ended = 'quit';
      unmounted = true;
      instance.unmount();
    });
    runtime.onHandoff((session) => {
      if (!opts.runHandoffs) {
        screen.ended = 'asked for the whole terminal (a hand-off: test it in test/tty, or open with runHandoffs)';
        unmounted = true;
        instance.unmount();
        return;
      }
      // As runConsole's loop: unmount, run the session on this terminal, say its line, mount again.
      instance.unmount();
      screen.handoffs++;
      void import('../../src/terminal/handoff.js').then(async ({ runHandoff }) => {
        const result = await runHandoff(session, { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream });
        if (unmounted) return;
        runtime.nav.say(result.line, result.level);
        instance = mount();
      });
    });
    return screen;
  }

  /** Sends bytes as one read, like a burst from a terminal: `press('jj\r')`, `press('\x1b')`. */
  press(bytes: string): void {
    this.stdin.write(bytes);
  }

  /** Types a key at a time, 5 ms apart, as a person at a keyboard. */
  async type(keys: string): Promise<void> {
    for (const k of keys) {
      this.stdin.write(k);
      await sleep(5);
    }
  }

  resize(cols: number, rows: number): void {
    this.term.resize(cols, rows);
    this.stdout.emit('resize');
  }

  /** Everything the console wrote, escape sequences included. */
  get raw(): string {
    return this.stdout.raw;
  }

  lines(): string[] {
    const b = this.term.buffer.active;
    return Array.from({ length: this.term.rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  }

  screen(): string {
    return this.lines().join('\n');
  }

  /** The screen row containing `text`, or undefined. */
  rowWith(text: string): string | undefined {
    return this.lines().find((l) => l.includes(text));
  }

  /** The row drawn with the selection highlight (inverse or the theme's selection background). */
  selectedRow(): string | undefined {
    const b = this.term.buffer.active;
    for (let y = 2; y < this.term.rows; y++) {
      const line = b.getLine(b.viewportY + y);
      const cell = line?.getCell(1);
      if (cell && (cell.isInverse() || !cell.isBgDefault())) return line!.translateToString(true);
    }
    return undefined;
  }

  /** Waits until the screen shows `what` (text, pattern or test of the whole screen); returns the screen. */
  async waitFor(what: Wanted, timeoutMs = 15_000): Promise<string> {
    const pred = typeof what === 'function' ? what : typeof what === 'string' ? (s: string) => s.includes(what) : (s: string) => what.test(s);
    const t0 = Date.now();
    for (;;) {
      await new Promise<void>((r) => this.term.write('', r));
      const screen = this.screen();
      if (pred(screen)) return screen;
      if (this.ended) throw new Error(`the console ${this.ended} while waiting for ${String(what)}:\n${screen}`);
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${String(what)}; screen:\n${screen}`);
      await sleep(10);
    }
  }

  /** Unmounts the UI and stops the runtime (watches, feeds, timers); settles once what it audits on the way out is written. Once only. */
  close(): Promise<void> {
    return this.teardown();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const keys = {
  enter: '\r',
  esc: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  pageDown: '\x1b[6~',
  pageUp: '\x1b[5~',
  ctrlC: '\x03',
  ctrlU: '\x15',
  backspace: '\x7f',
  tab: '\t',
};

/**
 * One demo platform per test file, and every console a test opens closed after it.
 * `open()` opens a console on the demo (its admin context and its config file unless given).
 */
export function demoPerFile(options: DemoPlatformOptions = {}) {
  let demo: DemoPlatform | undefined;
  let opened: ConsoleScreen[] = [];
  beforeAll(async () => {
    [demo] = await Promise.all([startDemoPlatform({ pods: 300, churn: false, seed: 7, ...options }), consoleModules()]);
  });
  afterEach(() => {
    for (const c of opened) c.close();
    opened = [];
  });
  afterAll(async () => {
    await demo?.stop();
  });
  const fixture = {
    get demo(): DemoPlatform {
      if (!demo) throw new Error('the demo platform is not started yet (use it inside a test or hook)');
      return demo;
    },
    async open(opts: Partial<OpenOptions> = {}): Promise<ConsoleScreen> {
      const c = await ConsoleScreen.open({ kubeconfig: fixture.demo.kubeconfigPath, context: fixture.demo.context, configPath: fixture.demo.configPath, ...opts });
      opened.push(c);
      return c;
    },
  };
  return fixture;
}

/**
 * One demo fleet (a platform process per data centre) for a test file, started before its
 * tests; `open` opens a console on some of its contexts (`a,b,c`) and closes it after the test.
 */
export function demoFleetPerFile(options: DemoFleetOptions) {
  let fleet: DemoFleet | undefined;
  let opened: ConsoleScreen[] = [];
  beforeAll(async () => {
    [fleet] = await Promise.all([startDemoFleet(options), consoleModules()]);
  }, 60_000);
  afterEach(() => {
    for (const c of opened) c.close();
    opened = [];
  });
  afterAll(async () => {
    await fleet?.close();
  });
  const fixture = {
    get fleet(): DemoFleet {
      if (!fleet) throw new Error('the demo fleet is not started yet (use it inside a test or hook)');
      return fleet;
    },
    async open(context: string, opts: Partial<OpenOptions> = {}): Promise<ConsoleScreen> {
      const c = await ConsoleScreen.open({ kubeconfig: fixture.fleet.kubeconfigPath, context, configPath: fixture.fleet.configPath, ...opts });
      opened.push(c);
      return c;
    },
  };
  return fixture;
}

/** On a live console: the Applications of `system`, filtered to `app` and with it selected. */
export async function selectApp(c: ConsoleScreen, system: string, app: string): Promise<void> {
  await c.waitFor('● live', 30_000);
  await c.type(`:apps ${system}`);
  c.press(keys.enter);
  await c.waitFor(app);
  await c.type(`/${app}`);
  c.press(keys.enter);
  await c.waitFor((s) => c.selectedRow()?.includes(app) === true && s.includes(`filter: ${app}`));
}

/**
 * On a console over the fleet dc1, dc2, dc3 (each live): the fleet's Applications of `system`,
 * filtered to `app` and with it selected.
 */
export async function selectFleetApp(c: ConsoleScreen, system: string, app: string): Promise<void> {
  await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
  await c.type(`:apps ${system}`);
  c.press(keys.enter);
  await c.waitFor(/APPLICATION.*DRIFT/);
  await c.type(`/${app}`);
  c.press(keys.enter);
  await c.waitFor((s) => s.includes(`filter: ${app}`) && (c.selectedRow() ?? '').includes(app));
}
