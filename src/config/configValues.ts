import * as z from 'zod';
import { ConfigError, type ConfigFile } from './configFile.js';

// Schemas for values of the config file, shared by its sections (logs, metrics, exec, ...), and
// the reading of a schema's verdict: each problem becomes one line naming the file, the key
// path, the value and what is allowed; a key no schema knows is a warning naming the closest
// known key, and is ignored.

/** Every message says what is allowed; the value given is added when the line is written. */
export function wholeNumber(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

export function numberFrom(min: number, max: number) {
  const error = `must be a number from ${min} to ${max}`;
  return z.number({ error }).min(min, { error }).max(max, { error });
}

export function nonEmptyString(what = 'a non-empty string') {
  const error = `must be ${what}`;
  return z.string({ error }).refine((s) => s.trim() !== '', { error });
}

export const trueOrFalse = z.boolean({ error: 'must be true or false' });

/** A mapping with these keys only (others are warned about and ignored). */
export function mapping<S extends z.core.$ZodLooseShape>(shape: S, what = 'a mapping (key: value)') {
  return z.strictObject(shape, { error: `must be ${what}` });
}

/**
 * An http(s) URL without credentials in it (they belong in environment variables or files
 * named by the config), with trailing slashes removed.
 */
export function httpUrl(example: string, credentialsHint: string) {
  return z
    .string({ error: `must be an http:// or https:// URL (e.g. ${example})` })
    .superRefine((s, ctx) => {
      let u: URL;
      try {
        u = new URL(s);
      } catch {
        ctx.addIssue({ code: 'custom', message: `is not a URL (e.g. ${example})` });
        return;
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
      else if (u.username || u.password) ctx.addIssue({ code: 'custom', message: `must not carry credentials; use ${credentialsHint}` });
    })
    .transform((s) => s.replace(/\/+$/, ''));
}

/** Secrets are named, never written: the name of the environment variable holding one. */
export const envVarName = nonEmptyString('the name of an environment variable');

/** `basicAuth: {username, passwordEnv}`; a password in the file is refused. */
export const basicAuthSchema = mapping(
  {
    password: z.never({ error: 'passwords do not go into the file; name an environment variable with passwordEnv' }).optional(),
    username: nonEmptyString(),
    passwordEnv: envVarName,
  },
  'a mapping with username and passwordEnv',
);

export interface ConfigVerdict<T> {
  ok: boolean;
  /** The parsed value (when ok). */
  data?: T;
  /** One line per invalid value: `config file F: key.path: what is allowed, got VALUE`. */
  problems: string[];
  /** One line per unknown key: `config file F: key.path: unknown key, ignored (did you mean K?)`. */
  warnings: string[];
}

/**
 * Checks `value` (the file's data, or one section of it at `at`) against `schema`. Unknown keys
 * are dropped and reported as warnings, so a typo never stops the console; every other problem
 * is reported with the value found.
 */
export function checkConfig<T>(schema: z.ZodType<T>, value: unknown, file: string, at: PropertyKey[] = []): ConfigVerdict<T> {
  const warnings: string[] = [];
  let input = value;
  for (let round = 0; round < 20; round++) {
    const r = schema.safeParse(input);
    if (r.success) return { ok: true, data: r.data, problems: [], warnings };
    const unknown = r.error.issues.filter((i): i is z.core.$ZodIssueUnrecognizedKeys => i.code === 'unrecognized_keys');
    const others = r.error.issues.filter((i) => i.code !== 'unrecognized_keys');
    if (unknown.length === 0 || others.length > 0) {
      for (const u of unknown) warnings.push(...unknownKeyLines(schema, file, at, u));
      return { ok: false, problems: others.flatMap((i) => problemLines(file, at, i, input)), warnings };
    }
    input = structuredClone(input);
    for (const u of unknown) {
      warnings.push(...unknownKeyLines(schema, file, at, u));
      const holder = valueAt(input, u.path) as Record<string, unknown>;
      for (const k of u.keys) delete holder[k];
    }
  }
  throw new Error('config check did not settle');
}

/** Parses one section for a feature; a problem (already reported at start-up) is a ConfigError. */
export function parseSection<T>(schema: z.ZodType<T>, file: ConfigFile, ...keys: string[]): T {
  const verdict = checkConfig(schema, valueAt(file.data, keys), file.path, keys);
  if (!verdict.ok) throw new ConfigError(file.path, '', (verdict.problems[0] ?? '').slice(`config file ${file.path}: `.length));
  return verdict.data as T;
}

export function keyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let v = value;
  for (const p of path) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function problemLines(file: string, at: PropertyKey[], issue: z.core.$ZodIssue, input: unknown): string[] {
  // A union ("a preset name or a mapping"): when the value's type chose a branch, say what is
  // wrong inside it; else say what the union allows.
  if (issue.code === 'invalid_union') {
    const branch = issue.errors.find((e) => e.length > 0 && e.every((i) => i.path.length > 0 || (i.code !== 'invalid_type' && i.code !== 'invalid_value')));
    if (branch) return branch.flatMap((i) => problemLines(file, at, { ...i, path: [...issue.path, ...i.path] }, input));
  }
  const value = valueAt(input, issue.path);
  const key = keyPath([...at, ...issue.path]);
  return [`config file ${file}: ${key ? `${key}: ` : ''}${issue.message}, got ${shown(value)}`];
}

function unknownKeyLines(schema: z.ZodType, file: string, at: PropertyKey[], issue: z.core.$ZodIssueUnrecognizedKeys): string[] {
  const known = knownKeysAt(schema, issue.path);
  return issue.keys.map((k) => {
    const closest = closestKey(k, known);
    const hint = closest ? `did you mean ${closest}?` : known.length ? `known: ${known.join(', ')}` : '';
    return `config file ${file}: ${keyPath([...at, ...issue.path, k])}: unknown key, ignored${hint ? ` (${hint})` : ''}`;
  });
}

/** The keys the object schema at `path` knows (through optionals, defaults, records, lists, unions, pipes). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let candidates: z.core.$ZodType[] = [schema];
  for (const p of [...path, undefined]) {
    const next: z.core.$ZodType[] = [];
    const objects: z.core.$ZodType[] = [];
    const queue = [...candidates];
    while (queue.length) {
      const s = queue.shift()!;
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'prefault' || def.type === 'catch' || def.type === 'readonly') queue.push(def.innerType as z.core.$ZodType);
      else if (def.type === 'pipe') queue.push(def.in as z.core.$ZodType);
      else if (def.type === 'union') queue.push(...(def.options as z.core.$ZodType[]));
      else objects.push(s);
    }
    if (p === undefined) {
      const keys = objects.flatMap((s) => (s._zod.def.type === 'object' ? Object.keys((s as z.ZodObject).shape) : []));
      return [...new Set(keys)];
    }
    for (const s of objects) {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
      if (def.type === 'object' && typeof p === 'string') {
        const child = (s as z.ZodObject).shape[p];
        if (child) next.push(child);
      } else if (def.type === 'record') next.push(def.valueType as z.core.$ZodType);
      else if (def.type === 'array' && typeof p === 'number') next.push(def.element as z.core.$ZodType);
    }
    candidates = next;
  }
  return [];
}

/** The known key nearest to a typo (edit distance at most a third of its length, and 3). */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (!best || d < best.d) best = { key: k, d };
  }
  if (!best) return undefined;
  return best.d <= Math.min(3, Math.max(1, Math.ceil(best.key.length / 3))) ? best.key : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}
