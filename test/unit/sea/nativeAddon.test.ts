import { chmodSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { addonPlaces, extractAddon, loadAddon } from '../../../src/sea/nativeAddon.js';
import { scratchDir } from '../../support/scratchDir.js';

// The single executable writes node-pty's addon to a private folder before it can load it: folders of the
// user's own that nobody else may write to, named by the content's hash, never half-written.

const addon = new Uint8Array(Buffer.from('\x7fELF pretend addon bytes'));
const uid = process.getuid!();
let base: string;

beforeEach(() => {
  base = scratchDir('warroom-addon-');
});

const mode = (p: string) => statSync(p).mode & 0o777;

describe('extracting the addon', () => {
  it('writes it under its hash in folders made 0700, read-only, and reuses it on the next start', () => {
    const file = extractAddon('pty.node', addon, { base: join(base, 'cache'), sub: ['warroom', 'native'] }, uid);
    expect(file).toMatch(new RegExp(`^${base}/cache/warroom/native/[0-9a-f]{16}/pty\\.node$`));
    expect(readFileSync(file)).toEqual(Buffer.from(addon));
    expect([mode(join(base, 'cache', 'warroom')), mode(join(base, 'cache', 'warroom', 'native')), mode(join(file, '..')), mode(file)]).toEqual([0o700, 0o700, 0o700, 0o500]);
    const { ino } = statSync(file);
    expect(extractAddon('pty.node', addon, { base: join(base, 'cache'), sub: ['warroom', 'native'] }, uid)).toBe(file);
    expect(statSync(file).ino).toBe(ino);
  });

  it('replaces a file whose content does not match its hash (a torn or altered copy)', () => {
    const place = { base, sub: ['native'] };
    const file = extractAddon('pty.node', addon, place, uid);
    chmodSync(file, 0o600);
    writeFileSync(file, 'truncated');
    expect(extractAddon('pty.node', addon, place, uid)).toBe(file);
    expect(readFileSync(file)).toEqual(Buffer.from(addon));
  });

  it('another version of the addon goes beside, under its own hash', () => {
    const place = { base, sub: ['native'] };
    const a = extractAddon('pty.node', addon, place, uid);
    const b = extractAddon('pty.node', new Uint8Array(Buffer.from('another build')), place, uid);
    expect(a).not.toBe(b);
    expect(readFileSync(a)).toEqual(Buffer.from(addon));
  });

  it('refuses a folder that others may write to, one that is a link, or one of another user', () => {
    mkdirSync(join(base, 'open'), { mode: 0o777 });
    chmodSync(join(base, 'open'), 0o777);
    expect(() => extractAddon('pty.node', addon, { base, sub: ['open'] }, uid)).toThrow(/may be written by others \(mode 777\)/);
    mkdirSync(join(base, 'real'));
    symlinkSync(join(base, 'real'), join(base, 'link'));
    expect(() => extractAddon('pty.node', addon, { base, sub: ['link'] }, uid)).toThrow(/is not a folder \(a link or a file\)/);
    expect(() => extractAddon('pty.node', addon, { base, sub: ['mine'] }, uid + 1)).toThrow(new RegExp(`belongs to user ${uid}, not to you \\(${uid + 1}\\)`));
  });
});

describe('loading the addon', () => {
  it('takes the first place where it loads; when none does, says first what to set, then every place it tried', () => {
    const opened: string[] = [];
    const places = [{ base, sub: ['noexec'] }, { base, sub: ['ok'] }];
    const result = loadAddon('pty.node', addon, places, (file) => {
      opened.push(file);
      if (file.includes('/noexec/')) throw new Error('failed to map segment from shared object: Operation not permitted');
      return { spawn: 'fn' };
    });
    expect(result).toEqual({ spawn: 'fn' });
    expect(opened.map((f) => f.replace(base, '').split('/')[1])).toEqual(['noexec', 'ok']);
    expect(() => loadAddon('pty.node', addon, [{ base, sub: ['x'] }], () => { throw new Error('Operation not permitted'); }))
      .toThrow(/^cannot load pty\.node carried by this executable: set WARROOM_NATIVE_DIR to a folder of yours that allows executables \(tried .*\/x: Operation not permitted\)$/);
  });

  it('tries $WARROOM_NATIVE_DIR first, then the cache, the runtime folder, and /tmp last', () => {
    const places = addonPlaces({ WARROOM_NATIVE_DIR: '/srv/warroom', XDG_CACHE_HOME: '/home/u/.cache', XDG_RUNTIME_DIR: '/run/user/1000' }, 1000);
    expect(places.map((p) => join(p.base, ...p.sub))).toEqual(['/srv/warroom', '/home/u/.cache/warroom/native', '/run/user/1000/warroom/native', join(tmpdir(), 'warroom-1000', 'native')]);
  });
});
