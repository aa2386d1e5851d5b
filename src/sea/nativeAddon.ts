// node-pty's native addon inside the single executable. A process can only dlopen a file, so the addon the
// executable carries as an asset is written once to a private folder of the user's (every folder warroom
// makes is 0700 and must be the user's own and writable by nobody else), under a name made of its content's
// hash, and loaded from there. A file already there is loaded only if its content hashes to that name.
// scripts/sea/bundle.mjs points @lydell/node-pty's `requireBinary` here.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRawAsset } from 'node:sea';

/** A folder an addon may be written to: `base` is made if missing (~/.cache on a new account); `sub` folders are made there, private. */
export interface AddonPlace {
  base: string;
  sub: string[];
}

/**
 * Where, best first: $WARROOM_NATIVE_DIR, the user's cache, the session's runtime folder, then the temporary
 * folder (last: jump hosts often mount /tmp noexec, and a noexec folder cannot hold an addon to load).
 */
export function addonPlaces(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): AddonPlace[] {
  const places: AddonPlace[] = [];
  if (env.WARROOM_NATIVE_DIR) places.push({ base: env.WARROOM_NATIVE_DIR, sub: [] });
  places.push({ base: env.XDG_CACHE_HOME || join(homedir(), '.cache'), sub: ['warroom', 'native'] });
  if (env.XDG_RUNTIME_DIR) places.push({ base: env.XDG_RUNTIME_DIR, sub: ['warroom', 'native'] });
  places.push({ base: tmpdir(), sub: [`warroom-${uid}`, 'native'] });
  return places;
}

/** Refuses a folder that is a link, is not the user's, or that others may write to. */
function checkPrivate(dir: string, uid: number): void {
  const st = lstatSync(dir);
  if (st.isSymbolicLink() || !st.isDirectory()) throw new Error(`${dir} is not a folder (a link or a file)`);
  if (st.uid !== uid) throw new Error(`${dir} belongs to user ${st.uid}, not to you (${uid})`);
  if ((st.mode & 0o022) !== 0) throw new Error(`${dir} may be written by others (mode ${(st.mode & 0o777).toString(8)})`);
}

function makePrivate(dir: string, uid: number): void {
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  checkPrivate(dir, uid);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function holds(file: string, hash: string): boolean {
  try {
    return sha256(readFileSync(file)) === hash;
  } catch {
    return false;
  }
}

/** Writes `bytes` as `<place>/<sha256-16>/<name>` unless it is there already; returns its path. */
export function extractAddon(name: string, bytes: Uint8Array, place: AddonPlace, uid = process.getuid?.() ?? 0): string {
  const hash = sha256(bytes);
  mkdirSync(place.base, { recursive: true, mode: 0o700 });
  let dir = place.base;
  for (const part of [...place.sub, hash.slice(0, 16)]) {
    dir = join(dir, part);
    makePrivate(dir, uid);
  }
  const file = join(dir, name);
  if (holds(file, hash)) return file;
  // Written beside, then renamed: another warroom starting at the same time never loads half a file.
  const partial = join(dir, `.${name}.${process.pid}.${randomBytes(4).toString('hex')}`);
  const fd = openSync(partial, 'wx', 0o500);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  return file;
}

/** Extracts to the first place that takes it and loads it there (a noexec folder fails at dlopen: the next is tried). */
export function loadAddon(name: string, bytes: Uint8Array, places: AddonPlace[], dlopen: (file: string) => unknown): unknown {
  const failures: string[] = [];
  for (const place of places) {
    try {
      return dlopen(extractAddon(name, bytes, place));
    } catch (err) {
      failures.push(`${join(place.base, ...place.sub)}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  // What to do first: a status line cut to the terminal's width keeps the start of the message.
  throw new Error(
    `cannot load ${name} carried by this executable: set WARROOM_NATIVE_DIR to a folder of yours that allows executables (tried ${failures.join('; ')})`,
  );
}

const loaded = new Map<string, unknown>();

/** @lydell/node-pty's `requireBinary(file)`, for the single executable. */
export function requireBinary(file: string): unknown {
  if (!loaded.has(file)) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(getRawAsset(`native/${file}`) as ArrayBuffer);
    } catch {
      throw new Error(`this executable carries no native/${file} for ${process.platform}-${process.arch}`);
    }
    loaded.set(
      file,
      loadAddon(file, bytes, addonPlaces(), (path) => {
        const mod = { exports: {} };
        process.dlopen(mod, path);
        return mod.exports;
      }),
    );
  }
  return loaded.get(file);
}
