import { asciiForDisplay } from '../platform/text/sanitize.js';
import type { ColorDepth } from './capabilities.js';
import { asciiGlyphs } from './glyphs.js';
import { LineDiff } from './lineDiff.js';
import { nearestColor, xtermRgb, type Rgb } from './palette.js';

// The last step before the terminal: what the console writes, made fit for the terminal it
// runs in, and no more of it than changed (lineDiff.ts). The themes are already mapped to the terminal's colours (config/theme.ts) and the
// glyphs to its character set (glyphs.ts); what is left is text the console does not choose —
// a log line's own colours (kept by the sanitiser), a pod name in another script — and any
// colour a library picks. With fewer colours no 256-colour or RGB sequence is ever sent; in
// ASCII every character beyond ASCII becomes `?` (as many as the columns it takes).

export interface TerminalAbilities {
  ascii: boolean;
  /** Bits per colour (capabilities.ts): 1 none, 3 eight, 4 sixteen, 8 the 256 xterm colours, 24 any RGB. */
  colors: ColorDepth;
  /** The theme is drawn on a light background: the bright black (grey) of 16 colours becomes black, not white, with 8. */
  lightBackground?: boolean;
}

const SGR = /\x1b\[([0-9;:]*)m/g;

/** `text` as this terminal can show it. */
export function adaptOutput(text: string, t: TerminalAbilities): string {
  let out = text;
  if (t.colors !== 24 && out.includes('\x1b[')) out = out.replace(SGR, (seq, params: string) => downgradeSgr(params, t));
  // Ink cuts a line too long for its box with its own `…`: the table's cut mark instead.
  if (t.ascii) out = asciiForDisplay(out.replace(/\u2026/g, asciiGlyphs.cut));
  return out;
}

/** One SGR sequence's parameters rewritten for `t.colors`; '' drops the sequence. */
function downgradeSgr(params: string, t: TerminalAbilities): string {
  if (params === '' || params === '0') return `\x1b[${params}m`;
  // Colon forms (38:5:n, 38:2::r:g:b) are read like the semicolon ones.
  const p = params.split(/[;:]/).map((s) => (s === '' ? NaN : Number(s)));
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) {
    const n = p[i];
    if ((n === 38 || n === 48) && (p[i + 1] === 5 || p[i + 1] === 2)) {
      if (p[i + 1] === 5) {
        const index = clamp(p[i + 2]);
        out.push(...extendedColor(n === 48, xtermRgb(index), index, t));
        i += 2;
      } else {
        // 38;2;r;g;b, 38:2:r:g:b, or 38:2::r:g:b with an empty colour-space id.
        const at = i + 2 + (Number.isNaN(p[i + 2]) ? 1 : 0);
        out.push(...extendedColor(n === 48, [clamp(p[at]), clamp(p[at + 1]), clamp(p[at + 2])], undefined, t));
        i = at + 2;
      }
    } else if ((n >= 30 && n <= 37) || (n >= 40 && n <= 47)) {
      if (t.colors > 1) out.push(n);
    } else if ((n >= 90 && n <= 97) || (n >= 100 && n <= 107)) {
      if (t.colors > 1) out.push(basicColor(n >= 100, n - (n >= 100 ? 100 : 90) + 8, t));
    } else if (!Number.isNaN(n)) out.push(n);
  }
  return out.length ? `\x1b[${out.join(';')}m` : '';
}

function clamp(v: number | undefined): number {
  return v === undefined || Number.isNaN(v) ? 0 : Math.max(0, Math.min(255, Math.round(v)));
}

/** A 256-colour or RGB colour as the parameters this terminal takes (none without colours). */
function extendedColor(background: boolean, rgb: Rgb, index: number | undefined, t: TerminalAbilities): number[] {
  if (t.colors === 1) return [];
  if (t.colors >= 8) return [background ? 48 : 38, 5, index ?? nearestColor(rgb, 256)];
  return [basicColor(background, index !== undefined && index < 16 ? index : nearestColor(rgb, t.colors === 3 ? 8 : 16), t)];
}

/**
 * ANSI colour `n` (0-15) as an SGR parameter. With 8 colours a bright colour is its normal
 * form, and bright black (grey, the dim text of most themes) the theme's foreground side:
 * white on a dark background, black on a light one.
 */
function basicColor(background: boolean, n: number, t: TerminalAbilities): number {
  let c = n;
  if (t.colors === 3 && c >= 8) c = c === 8 ? (t.lightBackground ? 0 : 7) : c - 8;
  return c < 8 ? (background ? 40 : 30) + c : (background ? 100 : 90) + c - 8;
}

/**
 * `stdout` for Ink with every write adapted, then cut to the cells that changed; the stream
 * itself (its size, its 'resize' events, isTTY) is the real one. One per screen: it
 * remembers what the rows hold. While `onScreen()` is false (the terminal given back on exit,
 * or handed to a shell) Ink's writes are dropped: a last frame Ink draws as the process ends
 * (the clock ticked) would land on the user's own screen.
 */
export function adaptedStdout(stdout: NodeJS.WriteStream, t: TerminalAbilities, onScreen: () => boolean = () => true): NodeJS.WriteStream {
  const diff = new LineDiff();
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    if (!onScreen()) {
      const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      done?.();
      return true;
    }
    return (stdout.write as (...a: unknown[]) => boolean)(typeof chunk === 'string' ? diff.write(adaptOutput(chunk, t)) : chunk, ...rest);
  };
  return new Proxy(stdout, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
