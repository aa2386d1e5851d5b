import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleUnderTest, demoPerFile, keys } from './harness.js';

// `e` in the real console: the editor gets the terminal (the console's alternate screen left,
// keys reaching the editor in its pty) and the console comes back with the edit's preview.

const fixture = demoPerFile();

describe('edit: the terminal handed to $VISUAL and back', () => {
  it('the editor runs on the normal screen with the user\'s keys, then the console shows the dry-run diff and applies it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warroom-edit-tty-'));
    const script = join(dir, 'editor.sh');
    // A person at an editor: it shows what it edits, waits for a key press line, then saves a change.
    writeFileSync(script, '#!/bin/sh\nprintf "editing %s\\n" "$(basename "$1")"\nread answer\nsed -i "s/^    app.kubernetes.io\\/name: cart-api$/    app.kubernetes.io\\/name: cart-api\\n    edited-by: $answer/" "$1"\n');
    chmodSync(script, 0o755);
    const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context], { cols: 80, rows: 24, env: { VISUAL: script, XDG_CONFIG_HOME: join(dir, 'config'), XDG_STATE_HOME: join(dir, 'state'), WARROOM_CONFIG: undefined, WARROOM_AUDIT_FILE: undefined } });
    fixture.track(c);
    await c.waitFor('● live');
    await c.type(':deploy cart');
    c.press(keys.enter);
    await c.waitFor('cart-api');
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('cart-api'));
    c.press('e');
    await c.waitFor('editing deployment-cart-api.yaml', 30_000);
    expect(c.bufferType).toBe('normal');
    await c.type('alice\r');
    await c.waitFor('Enter applies it, e edits again', 30_000);
    expect(c.bufferType).toBe('alternate');
    expect(c.text()).toMatch(/\+ +edited-by: alice/);
    c.press(keys.enter);
    await c.waitFor('edited Deployment cart/cart-api (metadata)');
  });
});
