import type { Charset } from './glyphs.js';

// What the terminal can show, read once at start-up from the environment, as terminfo-aware
// programs (tmux, less, vim) read it, without spawning `tput`: the character set from the
// locale, the colours from TERM / COLORTERM / NO_COLOR / FORCE_COLOR, and whether it can hold a
// full-screen program at all.

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The locale's character set, as the C library picks it: LC_ALL, else LC_CTYPE, else LANG (the
 * first one set and not empty). UTF-8 only when that names it (`en_US.UTF-8`, `C.utf8`); `C`,
 * `POSIX`, another codeset (`de_DE.ISO-8859-1`) or none at all is ASCII, as tmux decides.
 */
export function localeCharset(env: Env): Charset {
  const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && /utf-?8/i.test(locale) ? 'unicode' : 'ascii';
}

/** `--ascii` (or `terminal.ascii: true`) forces ASCII; `terminal.ascii: false` forces Unicode; else the locale. */
export function chooseCharset(env: Env, ascii: boolean | undefined): Charset {
  if (ascii === true) return 'ascii';
  if (ascii === false) return 'unicode';
  return localeCharset(env);
}

/**
 * Colours the terminal shows, in bits as Node's `getColorDepth` counts them: 1 none (2 colours),
 * 3 the 8 ANSI colours, 4 those and their bright forms (16), 8 the 256 xterm colours, 24 any RGB.
 */
export type ColorDepth = 1 | 3 | 4 | 8 | 24;

// TERM names and families as terminfo describes them (`tput -T NAME colors`).
const TERM_DEPTHS: ReadonlyArray<[RegExp, ColorDepth]> = [
  [/-direct$|^xterm-kitty$|^iterm2?$|^wezterm$/, 24],
  [/256/, 8],
  [/-88color$/, 4],
  [/16color$/, 4],
  [/^(xterm|screen|tmux|linux|vt1\d\d|vt2\d\d|rxvt|ansi|cygwin|putty|konsole|gnome|eterm|st|alacritty|foot|mlterm|kterm|aixterm|dtterm|cons25|interix)|color/i, 3],
];

/**
 * The colours to use. NO_COLOR (any value) always means none; FORCE_COLOR as chalk and Node
 * read it (0 or false: none, 1 or true or empty: 16, 2: 256, 3: any RGB); TERM=dumb, none;
 * COLORTERM=truecolor or 24bit: any RGB; then TERM: `*-256color` 256, `xterm`, `screen`, `tmux`,
 * `linux`, `vt100`, ... 8 (what terminfo says; bright colours are not sent to them). An unknown
 * TERM is taken as 8 when COLORTERM says the terminal has colours, else none.
 */
export function colorDepth(env: Env): ColorDepth {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 1;
  const force = env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 1;
    if (force === '2') return 8;
    if (force === '3') return 24;
    return 4;
  }
  const term = env.TERM ?? '';
  if (term === '' || term === 'dumb') return 1;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 24;
  for (const [re, depth] of TERM_DEPTHS) if (re.test(term)) return depth;
  return env.COLORTERM ? 3 : 1;
}

/**
 * Why this terminal cannot hold the full-screen console, in one line that fits 80 columns, or
 * undefined when it can. Checked before the screen is taken (and before `warroom demo` starts
 * its platform).
 */
export function terminalProblem(env: Env, stdin: { isTTY?: boolean }, stdout: { isTTY?: boolean }): string | undefined {
  if (!stdout.isTTY) return 'needs a terminal to draw on, but its output is a pipe or a file';
  if (!stdin.isTTY) return 'needs a terminal to read keys from, but its input is a pipe or a file';
  const term = env.TERM ?? '';
  if (term === '') return 'TERM is not set: set it to your terminal (e.g. TERM=xterm-256color)';
  if (term === 'dumb') return 'TERM=dumb cannot draw a screen: run it in xterm, tmux or screen';
  return undefined;
}
