// Every character beyond ASCII that the console draws, with the ASCII form it draws instead on a
// terminal that cannot show it: a locale that is not UTF-8 (LANG=C, LC_ALL=POSIX), or --ascii.
// One table, chosen once at start-up (setCharset) and read when text is drawn, never at import.
// Views, panes, widgets and the messages of the platform take their glyphs from here; text from
// the cluster or a log store is made ASCII at the display layer (asciiForDisplay in
// platform/text/sanitize.ts), never where it is held, so copies and exports keep it whole.
// It lives beside the terminal (not in ui/) because the platform's messages use it too.

export type Charset = 'unicode' | 'ascii';

const TABLE = {
  /** Marks text cut to fit: one column in both forms. */
  cut: ['…', '~'],
  /** Something still under way: "loading…". */
  ellipsis: ['…', '...'],
  /** Between clauses of a message: "refused — why". */
  dash: ['—', '-'],
  /** Between items of a line: "cart · 15m · errors". */
  sep: ['·', '|'],
  /** Between the levels of a breadcrumb: "Systems › cart". */
  crumb: ['›', '>'],
  warn: ['⚠', '!'],
  cross: ['✗', 'X'],
  check: ['✓', '+'],
  /** A row's state mark: finished or going away. */
  finished: ['·', '.'],
  /** Where the user types. */
  caret: ['█', '_'],
  up: ['↑', '^'],
  down: ['↓', 'v'],
  /** The up and down keys in a hint. */
  upDown: ['↑↓', 'Up/Down'],
  pointer: ['▸', '>'],
  times: ['×', 'x'],
  /** From one thing to the next: "group → receivers", "16:20 → now". */
  to: ['→', '->'],
  /** Connection states in the header. */
  live: ['●', '*'],
  pending: ['◌', 'o'],
  failed: ['✖', 'X'],
  /** A vertical rule: a table's column separator, the chart cursor's column. */
  rule: ['│', '|'],
  /** A chart's y-axis beside the plot. */
  axis: ['┤', '|'],
  /** A series' mark in a chart legend, and a reference line's (requests, limits). */
  swatch: ['■', '#'],
  dashed: ['┄', '-'],
  /** Progress bars. */
  barFull: ['█', '#'],
  barEmpty: ['░', '.'],
  /** Sparkline and histogram levels, lowest first: eight each. */
  levels: ['▁▂▃▄▅▆▇█', '.:-=+*#@'],
  spinner: ['⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏', '|/-\\'],
  /** A change (rollout, scale) marked on a chart's or the logs strip's column. */
  marker: ['┊', ':'],
  /** The timeline's kinds of entry. */
  tlRollout: ['↻', 'R'],
  tlScale: ['⇕', 'S'],
  tlRestart: ['↺', 'r'],
  tlOom: ['✖', 'O'],
  tlWarning: ['⚠', '!'],
  tlFired: ['✗', 'A'],
  tlResolved: ['✓', '+'],
  tlSpike: ['▲', 'E'],
  tlAudit: ['✎', 'W'],
} as const;

type Name = keyof typeof TABLE;
export type Glyphs = { readonly [K in Name]: string } & { readonly charset: Charset; plot(mask: number): string };

// Braille dot bits of each row of a cell (left and right column), as chart plots set them.
const ROW_BITS = [0x01 | 0x08, 0x02 | 0x10, 0x04 | 0x20, 0x40 | 0x80];

/**
 * A chart cell in ASCII: which of the cell's four dot rows the line passes through. A steep
 * stretch is `|`; otherwise the line's height in the cell: `'` high, `-` middle, `.` low.
 */
function asciiPlot(mask: number): string {
  let top = -1;
  let bottom = -1;
  for (let r = 0; r < 4; r++) {
    if (!(mask & ROW_BITS[r])) continue;
    if (top < 0) top = r;
    bottom = r;
  }
  if (top < 0) return ' ';
  if (bottom - top >= 2) return '|';
  const mid = (top + bottom) / 2;
  return mid < 0.75 ? "'" : mid < 2.25 ? '-' : '.';
}

function build(charset: Charset): Glyphs {
  const i = charset === 'ascii' ? 1 : 0;
  const g = Object.fromEntries(Object.entries(TABLE).map(([k, v]) => [k, v[i]])) as { [K in Name]: string };
  return { ...g, charset, plot: i ? asciiPlot : (mask) => String.fromCharCode(0x2800 + mask) };
}

const UNICODE = build('unicode');
/** The ASCII forms, whatever is in use (the display layer maps Ink's own `…` to `asciiGlyphs.cut`). */
export const asciiGlyphs = build('ascii');

/** The glyphs in use: read them when drawing (`glyphs.cut`), so the choice made at start-up holds. */
export let glyphs: Glyphs = UNICODE;

export function setCharset(charset: Charset): void {
  glyphs = charset === 'ascii' ? asciiGlyphs : UNICODE;
}

/** How prose written with the table's glyphs reads in ASCII (arrows in key hints become key names). */
const PROSE: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(TABLE).filter(([u]) => [...u].length === 1).map(([u, a]) => [u, a])),
  '…': '...',
  '·': '|',
  '↑': 'Up',
  '↓': 'Down',
  '←': 'Left',
  '→': 'Right',
};
const PROSE_RE = new RegExp(`[${Object.keys(PROSE).join('')}]`, 'gu');

/**
 * Text written once with Unicode glyphs (a key hint, a usage line) as the terminal can show it:
 * unchanged in Unicode, each glyph in its ASCII form otherwise.
 */
export function glyphText(text: string): string {
  if (glyphs.charset === 'unicode' || /^[\x00-\x7f]*$/.test(text)) return text;
  return text.replace(PROSE_RE, (found) => PROSE[found]);
}
