import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, YAMLParseError } from 'yaml';
import { UserError } from '../platform/errors.js';

// warroom's own config file (YAML): `--config PATH`, else $WARROOM_CONFIG, else
// $XDG_CONFIG_HOME/warroom/config.yaml, else ~/.config/warroom/config.yaml. A missing default
// file is an empty config; a missing explicit file or bad YAML is an error naming the file.
// Values are checked against the sections' zod schemas, composed in configSchema.ts; each
// section (e.g. logsConfig.ts) builds its settings from `ConfigFile.data`.

export class ConfigError extends UserError {
  constructor(file: string, key: string, problem: string, hint?: string) {
    super(`config file ${file}: ${key ? `${key}: ` : ''}${problem}`, hint ?? 'fix the file, or point --config elsewhere');
    this.name = 'ConfigError';
  }
}

export interface ConfigFile {
  /** The file read, or the path that would have been read (for messages). */
  path: string;
  exists: boolean;
  data: Record<string, unknown>;
}

export interface ConfigLocation {
  /** --config PATH */
  path?: string;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
}

export function configPath(loc: ConfigLocation = {}): { path: string; explicit: boolean } {
  const env = loc.env ?? process.env;
  const given = loc.path ?? env.WARROOM_CONFIG;
  if (given) return { path: given, explicit: true };
  const base = env.XDG_CONFIG_HOME || join(loc.homeDir ?? homedir(), '.config');
  return { path: join(base, 'warroom', 'config.yaml'), explicit: false };
}

/**
 * Reads the file once; the CLI calls this before the screen is taken and passes the result to
 * the console runtime (nothing reads the file again, nothing holds its path globally).
 */
export function loadConfigFile(loc: ConfigLocation = {}): ConfigFile {
  const { path, explicit } = configPath(loc);
  let file: ConfigFile;
  if (!existsSync(path)) {
    if (explicit) throw new ConfigError(path, '', 'no such file', 'create it (see the README, "Configuration"), or drop --config / WARROOM_CONFIG');
    file = { path, exists: false, data: {} };
  } else {
    let data: unknown;
    try {
      data = parse(readFileSync(path, 'utf8'));
    } catch (err) {
      if (err instanceof YAMLParseError) {
        const at = err.linePos?.[0];
        throw new ConfigError(path, '', `not valid YAML${at ? ` at line ${at.line}, column ${at.col}` : ''}: ${err.message.split('\n')[0]}`);
      }
      throw new ConfigError(path, '', `cannot read it: ${(err as Error).message}`);
    }
    if (data === null || data === undefined) data = {};
    if (typeof data !== 'object' || Array.isArray(data)) throw new ConfigError(path, '', 'the top level must be a mapping (key: value)');
    file = { path, exists: true, data: data as Record<string, unknown> };
  }
  return file;
}

/** Value at a dotted path of plain mappings (`contexts.prod.elasticsearch`), or undefined. */
export function section(data: Record<string, unknown>, ...keys: string[]): unknown {
  let v: unknown = data;
  for (const k of keys) {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}
