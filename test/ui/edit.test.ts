import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';
import { demoApi } from './demoApi.js';
import { scratchDir } from '../support/scratchDir.js';

// `e` on any row: the object in $VISUAL/$EDITOR (a script here, run in a pty with the terminal
// handed over, as a person's vi would be), the server's dry-run of the edit as a diff over the
// view, Enter applies it; an unchanged file sends nothing, a YAML error reopens the editor with
// the error on top, a change made meanwhile is a conflict and `e` edits again. At 80x24.

const fixture = demoPerFile();
const small = { cols: 80, rows: 24, runHandoffs: true };
const scripts = scratchDir('warroom-editor-');

/** An "editor": a shell script given the file as $1. */
function editor(name: string, body: string): string {
  const path = join(scripts, name);
  writeFileSync(path, `#!/bin/sh\nf="$1"\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

afterEach(() => {
  delete process.env.VISUAL;
});

const api = demoApi(() => fixture.demo);

async function settings(name: string): Promise<void> {
  expect((await api('POST', '/api/v1/namespaces/cart/configmaps', { metadata: { name }, data: { level: 'info' } })).status).toBe(201);
}

const level = async (name: string) => (await api('GET', `/api/v1/namespaces/cart/configmaps/${name}`)).json.data.level;

async function select(c: ConsoleScreen, name: string): Promise<void> {
  await c.waitFor('● live');
  await c.type(':cm cart');
  c.press(keys.enter);
  await c.waitFor(name);
  await c.type(`/${name}`);
  c.press(keys.enter);
  await c.waitFor((s) => s.includes(`filter: ${name}`) && (c.selectedRow() ?? '').includes(name));
}

describe('e edits the object behind a row', () => {
  it('the editor\'s change is previewed as the server\'s dry-run diff, Enter applies it, and the console comes back where it was', async () => {
    await settings('edit-settings');
    process.env.VISUAL = editor('debug.sh', `sed -i 's/level: info/level: debug/' "$f"`);
    const c = await fixture.open(small);
    await select(c, 'edit-settings');
    c.press('e');
    await c.waitFor('Edit ConfigMap cart/edit-settings');
    const preview = await c.waitFor('Enter applies it, e edits again, Esc cancels');
    expect(preview).toMatch(/^ +- +level: info/m);
    expect(preview).toMatch(/^ +\+ +level: debug/m);
    expect(preview).toMatch(/the server's dry-run: 1 lines added, 1 removed/);
    expect(c.handoffs).toBe(1);
    expect(await level('edit-settings')).toBe('info');
    c.press(keys.enter);
    await c.waitFor('edited ConfigMap cart/edit-settings (data)');
    expect(await level('edit-settings')).toBe('debug');
    // Back in the ConfigMaps view with the filter kept.
    expect(c.screen()).toContain('filter: edit-settings');
    const audit = (await readFile(c.runtime.ctx.gate.auditPath, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    expect(audit.some((r) => r.action === 'edit' && r.name === 'edit-settings' && r.outcome === 'applied')).toBe(true);
  });

  it('an unchanged file sends nothing', async () => {
    await settings('same-settings');
    process.env.VISUAL = 'true';
    const c = await fixture.open(small);
    await select(c, 'same-settings');
    c.press('e');
    await c.waitFor('edit cancelled: nothing changed; nothing was sent');
    expect(c.screen()).not.toContain('Edit ConfigMap');
  });

  it('a YAML error reopens the editor with the error as a comment on top', async () => {
    await settings('broken-settings');
    const seen = join(scripts, 'seen-on-second-run.yaml');
    process.env.VISUAL = editor('break-then-fix.sh', [
      `if grep -q '^# error:' "$f"; then cp "$f" ${seen}; sed -i -e 's/level: info: :/level: warn/' "$f"`,
      `else sed -i 's/level: info/level: info: :/' "$f"; fi`,
    ].join('\n'));
    const c = await fixture.open(small);
    await select(c, 'broken-settings');
    c.press('e');
    await c.waitFor(/^ +\+ +level: warn/m);
    expect(c.handoffs).toBe(1);
    expect(readFileSync(seen, 'utf8')).toMatch(/^# error: .*\n(# {3}.*\n)*# Edit ConfigMap cart\/broken-settings/);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Edit ConfigMap'));
    expect(await level('broken-settings')).toBe('info');
  });

  it('a change made on the server meanwhile is a conflict; e edits the object as it is now, and that applies', async () => {
    await settings('raced-settings');
    const seen = join(scripts, 'seen-after-conflict.yaml');
    process.env.VISUAL = editor('to-debug.sh', `cp "$f" ${seen}; sed -i 's/^  level: .*/  level: debug/' "$f"`);
    const c = await fixture.open(small);
    await select(c, 'raced-settings');
    c.press('e');
    await c.waitFor('Enter applies it');
    expect((await api('PATCH', '/api/v1/namespaces/cart/configmaps/raced-settings', { data: { level: 'warn' } })).status).toBe(200);
    c.press(keys.enter);
    await c.waitFor('changed on the server since you opened it');
    await c.waitFor('e edits again from the object as it is now');
    expect(await level('raced-settings')).toBe('warn');
    c.press('e');
    await c.waitFor(/^ +- +level: warn/m);
    expect(readFileSync(seen, 'utf8')).toContain('#   The object changed on the server since you opened it');
    c.press(keys.enter);
    await c.waitFor('edited ConfigMap cart/raced-settings (data)');
    expect(await level('raced-settings')).toBe('debug');
  });

  it('e works from the object\'s YAML too, and the YAML shows the edit afterwards', async () => {
    await settings('yaml-settings');
    process.env.VISUAL = editor('warn.sh', `sed -i 's/level: info/level: warn/' "$f"`);
    const c = await fixture.open(small);
    await select(c, 'yaml-settings');
    c.press('y');
    await c.waitFor(/^ +level: info/m);
    c.press('e');
    await c.waitFor('Enter applies it');
    c.press(keys.enter);
    await c.waitFor('edited ConfigMap cart/yaml-settings (data)');
    await c.waitFor(/^ +level: warn/m, 15_000);
  });

  it('read-only: refused before the editor opens', async () => {
    await settings('ro-settings');
    process.env.VISUAL = editor('never.sh', 'exit 3');
    const c = await fixture.open({ ...small, readOnly: true });
    await select(c, 'ro-settings');
    c.press('e');
    await c.waitFor(/edit refused: context '.*' is read-only/);
    expect(c.handoffs).toBe(0);
  });
});
