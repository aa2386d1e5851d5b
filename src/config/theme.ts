import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../platform/errors.js';
import { ANSI_NAMES, colorRgb, lightness, nearestColor } from '../terminal/palette.js';
import { listPackageFolder, packageRoot, readPackageFile } from './packageRoot.js';

// Themes are YAML files in themes/. A monochrome theme carries no colours at all; it is
// chosen when NO_COLOR is set or the terminal reports no colour support. Without colour a
// row's state is carried by a mark in its first cell (`stateMarks`, always on in monochrome).
// On a terminal of 8 or 16 colours every colour of the theme is mapped to the nearest it has,
// so no 256-colour or RGB sequence is sent (themeForDepth).

export interface ColorPair {
  fg?: string;
  bg?: string;
  /** Drawn in inverse video: the pair's colours became one on this terminal. */
  inverse?: boolean;
}

export interface Theme {
  name: string;
  monochrome: boolean;
  /** Rows carry a state mark in their first cell (`!` warn, `✗` error, `?` unknown, `·` dim); always on in monochrome. */
  stateMarks: boolean;
  header: ColorPair;
  readonly: ColorPair;
  selection: ColorPair;
  breadcrumb?: string;
  title?: string;
  text?: string;
  dim?: string;
  accent?: string;
  ok?: string;
  warn?: string;
  error?: string;
  changed?: string;
  prompt?: string;
}

const colorKeys = ['breadcrumb', 'title', 'text', 'dim', 'accent', 'ok', 'warn', 'error', 'changed', 'prompt'] as const;

export function themesDir(): string {
  return join(packageRoot(), 'themes');
}

/** The built-in themes (the package's themes/, embedded in the single executable), or those in `dir`. */
export function availableThemes(dir?: string): string[] {
  const files = dir === undefined ? listPackageFolder('themes') : existsSync(dir) ? readdirSync(dir) : [];
  return files.filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

export function parseTheme(text: string, source: string): Theme {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UserError(`theme ${source} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!doc || typeof doc !== 'object') throw new UserError(`theme ${source} is empty or not a mapping`);
  const d = doc as Record<string, unknown>;
  const str = (k: string): string | undefined => {
    const v = d[k];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new UserError(`theme ${source}: '${k}' must be a colour name or #rrggbb`);
    return v;
  };
  const pair = (k: string): ColorPair => {
    const v = d[k];
    if (v === undefined) return {};
    if (typeof v !== 'object' || v === null) throw new UserError(`theme ${source}: '${k}' must be {fg, bg}`);
    const p = v as Record<string, unknown>;
    return { fg: typeof p.fg === 'string' ? p.fg : undefined, bg: typeof p.bg === 'string' ? p.bg : undefined };
  };
  if (d.stateMarks !== undefined && typeof d.stateMarks !== 'boolean') throw new UserError(`theme ${source}: 'stateMarks' must be true or false`);
  const theme: Theme = {
    name: str('name') ?? source,
    monochrome: d.monochrome === true,
    stateMarks: d.stateMarks === true,
    header: pair('header'),
    readonly: pair('readonly'),
    selection: pair('selection'),
  };
  for (const k of colorKeys) theme[k] = str(k);
  if (theme.monochrome) return monochromeOf(theme);
  return theme;
}

function monochromeOf(t: Theme): Theme {
  return { name: t.name, monochrome: true, stateMarks: true, header: {}, readonly: {}, selection: {} };
}

/** `colorDepth` in bits, as capabilities.ts and Node's getColorDepth count: below 3, no colours. */
export function wantsMonochrome(env: NodeJS.ProcessEnv, colorDepth: number): boolean {
  return (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb' || colorDepth < 3;
}

export function loadTheme(name: string | undefined, env: NodeJS.ProcessEnv, colorDepth: number): Theme {
  const chosen = wantsMonochrome(env, colorDepth) ? 'monochrome' : (name ?? 'dark');
  const file = chosen.includes('/') ? chosen : `themes/${chosen}.yaml`;
  const text = chosen.includes('/') ? (existsSync(file) ? readFileSync(file, 'utf8') : undefined) : readPackageFile(file);
  if (text === undefined) {
    throw new UserError(
      `unknown theme '${chosen}'`,
      `available themes: ${availableThemes().join(', ')} (or a path to a .yaml file)`,
    );
  }
  return themeForDepth(parseTheme(text, file), colorDepth);
}

/** The theme is made for a light background: its text colour is dark. */
export function lightBackground(theme: Theme): boolean {
  const rgb = theme.text ? colorRgb(theme.text) : undefined;
  return rgb !== undefined && lightness(rgb) < 0.5;
}

/**
 * The theme as a terminal of `colorDepth` bits shows it. 256 colours and more: as written.
 * 16 (bits 4) or 8 (bits 3): each colour becomes the nearest ANSI colour (named ones keep
 * their name; with 8 a bright colour is its normal form and grey is the foreground side of
 * the background: white on a dark theme, black on a light one). A text colour that lands on
 * the background's own colour takes the other side; a pair (header, selection) whose two
 * colours became one is drawn in inverse video instead, so the selection stays visible.
 */
export function themeForDepth(theme: Theme, colorDepth: number): Theme {
  if (theme.monochrome || colorDepth >= 8) return theme;
  const count = colorDepth >= 4 ? 16 : 8;
  const light = lightBackground(theme);
  const index = (color: string): number | undefined => {
    const named = (ANSI_NAMES as readonly string[]).indexOf(color);
    const rgb = colorRgb(color);
    let n = named >= 0 ? named : color === 'gray' || color === 'grey' ? 8 : rgb ? nearestColor(rgb, count) : undefined;
    if (n !== undefined && count === 8 && n >= 8) n = n === 8 ? (light ? 0 : 7) : n - 8;
    return n;
  };
  const tone = (color: string | undefined): string | undefined => {
    if (color === undefined) return undefined;
    let n = index(color);
    if (n === undefined) return color;
    // Text in the background's colour would not be seen.
    if (n === (light ? 7 : 0) || (light && n === 15)) n = light ? 0 : 7;
    return ANSI_NAMES[n];
  };
  const pair = (p: ColorPair): ColorPair => {
    const fg = p.fg === undefined ? undefined : index(p.fg);
    const bg = p.bg === undefined ? undefined : index(p.bg);
    if (fg !== undefined && fg === bg) return { inverse: true };
    return { fg: fg === undefined ? p.fg : ANSI_NAMES[fg], bg: bg === undefined ? p.bg : ANSI_NAMES[bg] };
  };
  const out: Theme = { ...theme, header: pair(theme.header), readonly: pair(theme.readonly), selection: pair(theme.selection) };
  for (const k of colorKeys) out[k] = tone(theme[k]);
  return out;
}
