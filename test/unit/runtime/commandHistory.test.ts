import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandHistory, defaultHistoryPath, redactSecrets } from '../../../src/platform/commandHistory.js';
import { scratchDir } from '../../support/scratchDir.js';

const scratch = () => join(scratchDir('warroom-history-'), 'state', 'warroom', 'history');

describe(': command history', () => {
  it('lives in the XDG state dir unless WARROOM_HISTORY_FILE names a file', () => {
    expect(defaultHistoryPath({ XDG_STATE_HOME: '/s' }, '/home/u')).toBe('/s/warroom/history');
    expect(defaultHistoryPath({}, '/home/u')).toBe('/home/u/.local/state/warroom/history');
    expect(defaultHistoryPath({ WARROOM_HISTORY_FILE: '/x/h', XDG_STATE_HOME: '/s' }, '/home/u')).toBe('/x/h');
  });

  it('is kept across runs in a 0600 file, newest last, a repeated command moved to the end', () => {
    const path = scratch();
    const first = new CommandHistory(path);
    first.add('pods cart');
    first.add('ctx warroom-demo');
    first.add('pods cart');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const next = new CommandHistory(path);
    expect(next.list()).toEqual(['ctx warroom-demo', 'pods cart']);
  });

  it('is bounded: the oldest commands go first', () => {
    const path = scratch();
    const h = new CommandHistory(path, 3);
    for (const c of ['a', 'b', 'c', 'd', 'e']) h.add(c);
    expect(new CommandHistory(path, 3).list()).toEqual(['c', 'd', 'e']);
    writeFileSync(path, 'x\ny\nz\nw\n');
    expect(new CommandHistory(path, 3).list()).toEqual(['y', 'z', 'w']);
  });

  it('never writes what follows a flag named like a token or password', () => {
    expect(redactSecrets('run curl -H x --token abc123 http://a')).toBe('run curl -H x --token *** http://a');
    expect(redactSecrets('run login --password=hunter2 --user bob')).toBe('run login --password=*** --user bob');
    expect(redactSecrets('run env API_KEY=s3cr3t x --api-key k --client-secret q')).toBe('run env API_KEY=*** x --api-key *** --client-secret ***');
    expect(redactSecrets('pods cart')).toBe('pods cart');
    const path = scratch();
    const h = new CommandHistory(path);
    h.add('run deploy --token abc123 --password=hunter2');
    const file = readFileSync(path, 'utf8');
    expect(file).not.toMatch(/abc123|hunter2/);
    expect(file).toBe('run deploy --token *** --password=***\n');
  });

  it('↑ walks older commands (those starting with what was typed), ↓ comes back to the typed line', () => {
    const h = new CommandHistory(undefined);
    for (const c of ['pods cart', 'ctx dc1', 'pods trade', 'apps']) h.add(c);
    expect(h.older('')).toBe('apps');
    expect(h.older('apps')).toBe('pods trade');
    expect(h.older('pods trade')).toBe('ctx dc1');
    expect(h.newer('ctx dc1')).toBe('pods trade');
    expect(h.newer('pods trade')).toBe('apps');
    expect(h.newer('apps')).toBe('');
    // A typed start narrows the walk; editing a recalled line starts a new walk from it.
    h.reset();
    expect(h.older('po')).toBe('pods trade');
    expect(h.older('pods trade')).toBe('pods cart');
    expect(h.older('pods cart')).toBeUndefined();
    expect(h.newer('pods cart')).toBe('pods trade');
    expect(h.newer('pods trade')).toBe('po');
    expect(h.older('ctx')).toBe('ctx dc1');
  });

  it('a missing or unwritable file is no error at start; a failed save is said', () => {
    const said: string[] = [];
    // A file where a folder should be: the folder cannot be made.
    const blocker = join(scratchDir('warroom-history-'), 'a-file');
    writeFileSync(blocker, '');
    const h = new CommandHistory(join(blocker, 'warroom', 'history'), 10, (m) => said.push(m));
    expect(h.list()).toEqual([]);
    h.add('pods');
    expect(said[0]).toMatch(/command history not saved to .*a-file\/warroom\/history/);
  });
});
