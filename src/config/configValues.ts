import { ConfigError } from './configFile.js';

// Checks for values read from the config file, shared by its sections (logs, metrics, ...):
// each names the file and the key in its error.

export function str(file: string, key: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(file, key, `must be a non-empty string, got ${JSON.stringify(v)}`);
  return v;
}

export function num(file: string, key: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw new ConfigError(file, key, `must be a number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return v;
}

export function mapping(file: string, key: string, v: unknown): Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(file, key, 'must be a mapping');
  return v as Record<string, unknown>;
}

/**
 * An http(s) URL without credentials in it (they belong in environment variables or files
 * named by the config), with trailing slashes removed.
 */
export function httpUrl(file: string, key: string, v: unknown, example: string, credentialsHint: string): string {
  const s = str(file, key, v);
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new ConfigError(file, key, `'${s}' is not a URL (e.g. ${example})`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(file, key, `'${s}' must be http:// or https://`);
  if (u.username || u.password) throw new ConfigError(file, key, `must not carry credentials; use ${credentialsHint}`);
  return s.replace(/\/+$/, '');
}
