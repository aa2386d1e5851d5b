// The terminal colours as xterm draws them by default, and the nearest of them to any colour:
// what a theme colour or a log line's colour becomes on a terminal with fewer colours.

export type Rgb = readonly [number, number, number];

/** The 16 ANSI colours by chalk/Ink name, in SGR order (30-37, then the bright 90-97). */
export const ANSI_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright'] as const;
export type AnsiName = (typeof ANSI_NAMES)[number];

const ANSI_RGB: readonly Rgb[] = [
  [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0], [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
  [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0], [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
];

/** RGB of xterm colour `n` (0-255): the 16 ANSI colours, the 6x6x6 cube, the 24 greys. */
export function xtermRgb(n: number): Rgb {
  if (n < 16) return ANSI_RGB[n];
  if (n < 232) {
    const level = (v: number) => (v === 0 ? 0 : 55 + v * 40);
    const i = n - 16;
    return [level(Math.floor(i / 36)), level(Math.floor(i / 6) % 6), level(i % 6)];
  }
  const grey = 8 + (n - 232) * 10;
  return [grey, grey, grey];
}

const GREYS_8 = [0, 7];
const GREYS_16 = [0, 8, 7, 15];

/**
 * The xterm colour (index below `count`: 8, 16 or 256) nearest to `rgb`. A grey among 8 or 16
 * colours is one of their greys (black, grey, white), never the nearest hue.
 */
export function nearestColor(rgb: Rgb, count: 8 | 16 | 256): number {
  const grey = Math.max(...rgb) - Math.min(...rgb) < 24;
  const candidates = grey && count < 256 ? (count === 8 ? GREYS_8 : GREYS_16) : Array.from({ length: count }, (_, n) => n);
  let best = 0;
  let bestDistance = Infinity;
  for (const n of candidates) {
    const [r, g, b] = xtermRgb(n);
    // Weighted as the eye sees it (the "redmean" approximation).
    const rm = (r + rgb[0]) / 2;
    const d = (2 + rm / 256) * (r - rgb[0]) ** 2 + 4 * (g - rgb[1]) ** 2 + (2 + (255 - rm) / 256) * (b - rgb[2]) ** 2;
    if (d < bestDistance) {
      best = n;
      bestDistance = d;
    }
  }
  return best;
}

export function hexRgb(hex: string): Rgb | undefined {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(hex.trim());
  if (!m) return undefined;
  const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

/** Perceived brightness, 0 (black) to 1 (white). */
export function lightness([r, g, b]: Rgb): number {
  return (0.299 * r + 0.587 * g + 0.114 * b) / 255;
}

/** RGB of an Ink colour: a name (gray and grey included), #rrggbb, ansi256(n) or rgb(r,g,b). */
export function colorRgb(color: string): Rgb | undefined {
  if (color === 'gray' || color === 'grey') return ANSI_RGB[8];
  const named = (ANSI_NAMES as readonly string[]).indexOf(color);
  if (named >= 0) return ANSI_RGB[named];
  const ansi = /^ansi256\(\s?(\d+)\s?\)$/.exec(color);
  if (ansi) return xtermRgb(Math.min(255, Number(ansi[1])));
  const rgb = /^rgb\(\s?(\d+),\s?(\d+),\s?(\d+)\s?\)$/.exec(color);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  return hexRgb(color);
}
