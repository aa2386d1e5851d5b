import { chmodSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scratchDir } from '../support/scratchDir.js';
import { ConsoleUnderTest, demoPerFile, keys } from './harness.js';

// `e` in the real console: the editor gets the terminal (the console's alternate screen left,
// keys reaching the editor in its pty) and the console comes back with the edit's preview.

const fixture = demoPerFile();

/** A console whose $VISUAL is `editor` (a shell script given the file as $1), with `e` pressed on cart/cart-api. */
async function editCartApi(editor: string, env: Record<string, string> = {}): Promise<ConsoleUnderTest> {
  const dir = scratchDir('warroom-edit-tty-');
  const script = join(dir, 'editor.sh');
  writeFileSync(script, `#!/bin/sh\n${editor}\n`);
  chmodSync(script, 0o755);
  const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context], { cols: 80, rows: 24, env: { VISUAL: script, XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state'), WARROOM_CONFIG: undefined, WARROOM_AUDIT_FILE: undefined, ...env } });
  fixture.track(c);
  await c.waitFor('● live');
  await c.type(':deploy cart');
  c.press(keys.enter);
  await c.waitFor('cart-api');
  await c.type('/cart-api');
  c.press(keys.enter);
  await c.waitFor(() => (c.selectedRow() ?? '').includes('cart-api'));
  c.press('e');
  return c;
}

/** The editor's change: a label line (`key: value`) under the object's own name label. */
const addLabel = (label: string) => `sed -i "s/^    app.kubernetes.io\\/name: cart-api$/    app.kubernetes.io\\/name: cart-api\\n    ${label}/" "$1"`;

describe('edit: the terminal handed to $VISUAL and back', () => {
  it('the editor runs on the normal screen with the user\'s keys, then the console shows the dry-run diff and applies it', async () => {
    // A person at an editor: it shows what it edits, waits for a key press line, then saves a change.
    const c = await editCartApi(`printf "editing %s\\n" "$(basename "$1")"\nread answer\n${addLabel('edited-by: $answer')}`);
    await c.waitFor('editing deployment-cart-api.yaml', 30_000);
    expect(c.bufferType).toBe('normal');
    await c.type('alice\r');
    await c.waitFor('Enter applies it, e edits again', 30_000);
    expect(c.bufferType).toBe('alternate');
    expect(c.text()).toMatch(/\+ +edited-by: alice/);
    c.press(keys.enter);
    await c.waitFor('edited Deployment cart/cart-api (metadata)');
  });

  it('SIGTERM with an edit open (its preview on screen) leaves no copy of the object in the temp directory', async () => {
    const tmp = join(scratchDir('warroom-edit-tty-'), 'tmp');
    mkdirSync(tmp);
    const c = await editCartApi(addLabel('left-open: sigterm'), { TMPDIR: tmp });
    await c.waitFor('Enter applies it, e edits again', 30_000);
    expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^warroom-edit-/)]);
    c.proc.kill('SIGTERM');
    expect(await c.exited).toBe(128 + 15);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
