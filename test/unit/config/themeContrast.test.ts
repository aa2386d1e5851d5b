import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTheme, themesDir, type Theme } from '../../../src/config/theme.js';

// The light theme must be readable on a white terminal: every colour has a WCAG contrast
// ratio of at least 4.5:1 against white (its text on white, a header's text on its
// background), both as written and as the 256-colour terminal shows it (Ink's chalk maps
// #rrggbb to the nearest xterm colour when the terminal does not announce truecolor, which
// is common over SSH).

type Rgb = [number, number, number];

function hexRgb(hex: string): Rgb {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) throw new Error(`'${hex}' is not #rrggbb: a named colour's shade depends on the terminal's palette`);
  return [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)];
}

/** chalk's (ansi-styles') #rrggbb -> xterm-256 code, then that code's colour in xterm's palette. */
function as256(rgb: Rgb): Rgb {
  const [r, g, b] = rgb;
  let code: number;
  if (r === g && g === b) code = r < 8 ? 16 : r > 248 ? 231 : Math.round(((r - 8) / 247) * 24) + 232;
  else code = 16 + 36 * Math.round((r / 255) * 5) + 6 * Math.round((g / 255) * 5) + Math.round((b / 255) * 5);
  if (code >= 232) {
    const v = 8 + (code - 232) * 10;
    return [v, v, v];
  }
  const levels = [0, 95, 135, 175, 215, 255];
  const c = code - 16;
  return [levels[Math.floor(c / 36)], levels[Math.floor(c / 6) % 6], levels[c % 6]];
}

/** WCAG 2 relative luminance and contrast ratio. */
function luminance([r, g, b]: Rgb): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE: Rgb = [255, 255, 255];
const textKeys = ['breadcrumb', 'title', 'text', 'dim', 'accent', 'ok', 'warn', 'error', 'changed', 'prompt'] as const;
const pairKeys = ['header', 'readonly', 'selection'] as const;

/** Every [what, foreground, background] pair the theme draws. */
function pairs(theme: Theme): Array<[string, string, string | undefined]> {
  const out: Array<[string, string, string | undefined]> = [];
  for (const k of textKeys) out.push([k, theme[k] ?? '(unset)', '#ffffff']);
  for (const k of pairKeys) out.push([`${k}.fg on ${k}.bg`, theme[k].fg ?? '(unset)', theme[k].bg]);
  return out;
}

describe('the light theme is readable on white', () => {
  const file = join(themesDir(), 'light.yaml');
  const theme = parseTheme(readFileSync(file, 'utf8'), file);

  it('the ratio is computed as WCAG does (a check of the check)', () => {
    expect(contrastRatio([0, 0, 0], WHITE)).toBeCloseTo(21, 5);
    expect(contrastRatio(hexRgb('#767676'), WHITE)).toBeCloseTo(4.54, 2);
    // The old warning colour: 3.2:1 as written, 2.1:1 as a 256-colour terminal shows it.
    expect(contrastRatio(hexRgb('#b58900'), WHITE)).toBeLessThan(4.5);
    expect(contrastRatio(as256(hexRgb('#b58900')), WHITE)).toBeLessThan(2.2);
  });

  it.each(pairs(theme))('%s (%s) has a contrast of at least 4.5:1, in truecolor and in 256 colours', (_what, fg, bg) => {
    const f = hexRgb(fg);
    const b = bg === undefined ? WHITE : hexRgb(bg);
    expect(contrastRatio(f, b)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(as256(f), as256(b))).toBeGreaterThanOrEqual(4.5);
  });
});
