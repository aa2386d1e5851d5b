import { UserError } from '../platform/errors.js';
import { forDisplay, sanitize } from '../platform/text/sanitize.js';
import { chooseCharset, colorDepth } from '../terminal/capabilities.js';
import { glyphText, setCharset } from '../terminal/glyphs.js';
import { isFullScreen, restoreTerminal } from '../terminal/screen.js';
import { parseCli, USAGE, type CliOptions } from './args.js';
import { versionText } from './version.js';

// Entry point: argv -> options -> console or demo. Errors are printed as one clear
// message (plus a hint) without a stack trace unless --debug.

function printError(err: unknown, debug: boolean): number {
  if (isFullScreen()) restoreTerminal();
  if (err instanceof UserError) {
    // Messages may quote a server's answer: printed without control sequences. A message of
    // several lines (every problem of a config file) is printed a line each.
    for (const line of err.message.split('\n')) process.stderr.write(`warroom: ${forDisplay(sanitize(line))}\n`);
    if (err.hint) process.stderr.write(`  ${forDisplay(sanitize(err.hint))}\n`);
    if (debug && err.stack) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`warroom: unexpected error: ${forDisplay(sanitize(e?.message ?? String(err)))}\n`);
  process.stderr.write(debug && e?.stack ? `${e.stack}\n` : '  run again with --debug for details\n');
  return 70;
}

/**
 * Ink decides once, when it is first imported, whether it runs in CI (CI or
 * CONTINUOUS_INTEGRATION set), and then draws only the last frame. A console on a terminal
 * is interactive whatever the environment says, so those variables are hidden from that
 * import and put back afterwards (shells and plugins still see them). Its colours (chalk)
 * are also decided then, from a shorter list of terminals than ours: FORCE_COLOR gives it the
 * depth warroom read (capabilities.ts), so a terminal known to have colours gets them.
 */
async function importInteractively<T>(load: () => Promise<T>): Promise<T> {
  const keys = ['CI', 'CONTINUOUS_INTEGRATION', 'FORCE_COLOR'] as const;
  const saved = keys.map((k) => [k, process.env[k]] as const);
  const chalkLevel = { 1: '0', 3: '1', 4: '1', 8: '2', 24: '3' }[colorDepth(process.env)];
  if (process.stdout.isTTY) {
    for (const k of keys) delete process.env[k];
    process.env.FORCE_COLOR = chalkLevel;
  }
  try {
    return await load();
  } finally {
    for (const [k, v] of saved) {
      if (v !== undefined) process.env[k] = v;
      else delete process.env[k];
    }
  }
}

async function main(argv: string[]): Promise<number> {
  let opts: CliOptions | undefined;
  // The locale and --ascii decide the glyphs before anything is written, even an error about
  // the arguments (the config file's `terminal.ascii` may decide it in runConsole, before the
  // screen is taken).
  setCharset(chooseCharset(process.env, argv.includes('--ascii') ? true : undefined));
  try {
    opts = parseCli(argv);
    if (opts.help) {
      process.stdout.write(`${glyphText(USAGE)}\n`);
      return 0;
    }
    if (opts.version) {
      process.stdout.write(`${versionText()}\n`);
      return 0;
    }
    const { runConsole } = await importInteractively(() => import('./runConsole.js'));
    return await runConsole(opts);
  } catch (err) {
    return printError(err, opts?.debug ?? argv.includes('--debug'));
  }
}

// No top-level await: the single executable's bundle is CommonJS (src/sea/main.ts).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // Watches, timers and the demo child must not keep a finished console alive.
  setTimeout(() => process.exit(code), 200).unref();
});
