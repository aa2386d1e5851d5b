import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../platform/errors.js';
import { listPackageFolder, packageRoot, readPackageFile } from './packageRoot.js';

// Themes are YAML files in themes/. A monochrome theme carries no colours at all; it is
// chosen when NO_COLOR is set or the terminal reports no colour support. Without colour a
// row's state is carried by a mark in its first cell (`stateMarks`, always on in monochrome).

export interface ColorPair {
  fg?: string;
  bg?: string;
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

export function wantsMonochrome(env: NodeJS.ProcessEnv, colorDepth: number): boolean {
  return (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb' || colorDepth < 4;
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
  return parseTheme(text, file);
}
