import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// The keymap as a user meets it, in process: `?` generated and scrolling at 80x24, a key that
// does nothing says so, keys and `:` aliases from the config file. (A conflict stopping the
// start is a start-up error: test/tty/keys.)

const fixture = demoPerFile();

function open(config = ''): Promise<ConsoleScreen> {
  const configPath = join(scratchDir('warroom-keys-'), 'config.yaml');
  writeFileSync(configPath, config);
  return fixture.open({ configPath, cols: 80, rows: 24 });
}

describe('keys', () => {
  it('? at 80x24 lists the view\'s keys from the keymap and scrolls to the end; another key closes it', async () => {
    const c = await open();
    await c.waitFor(/SYSTEM.*APPS/);
    c.press('?');
    let screen = await c.waitFor(/Keys — systems view/);
    expect(screen).toMatch(/Enter\s+applications of the system/);
    expect(screen).toMatch(/lines 1-\d+ of \d+: j\/k PgUp\/PgDn scroll/);
    // Every line fits: nothing is drawn past column 80.
    for (const line of c.lines()) expect(line.length).toBeLessThanOrEqual(80);
    expect(screen).not.toMatch(/quit \(Ctrl-C too\)/);
    c.press('G');
    screen = await c.waitFor(/q\s+quit \(Ctrl-C too\)/);
    expect(screen).toMatch(/Everywhere/);
    c.press('x');
    await c.waitFor(/SYSTEM.*APPS/);
  });

  it('a key with no binding in the view says so instead of doing nothing', async () => {
    const c = await open();
    await c.waitFor(/SYSTEM.*APPS/);
    c.press('z');
    await c.waitFor(/z does nothing here; \? lists the keys of this view/);
    c.press('Z');
    await c.waitFor(/no column sorts with Shift-Z here/);
  });

  it('keys and : aliases from the config file replace the defaults', async () => {
    const c = await open('keys:\n  list.down: [n]\n  row.logs: L\naliases:\n  crt: apps cart\n');
    // The selected system by its name (its counts fill in as the pods arrive).
    const selected = () => c.selectedRow()?.trim().split(/\s{2,}/)[0];
    await c.waitFor(() => selected() !== undefined);
    const first = selected();
    c.press('j');
    await c.waitFor(/j does nothing here/);
    expect(selected()).toBe(first);
    c.press('n');
    await c.waitFor(() => selected() !== first);
    await c.type(':crt');
    c.press(keys.enter);
    await c.waitFor(/Systems › cart › Applications/);
    c.press('?');
    await c.waitFor(/L\s+logs of the application/);
    c.press(keys.esc);
    // Esc and L in one read would be Alt-L: let the help close first, as a typing user does.
    await c.waitFor((s) => !s.includes('Keys —') && /APPLICATION.*KIND/.test(s));
    c.press('L');
    await c.waitFor(/Logs \(application\)/);
  });

  it('a : line longer than the screen scrolls: the end, where you type, stays in view', async () => {
    const c = await open();
    await c.waitFor(/SYSTEM.*APPS/);
    const long = `run sh -c 'echo ${'x'.repeat(90)} && echo the-end-of-the-line'`;
    await c.type(`:${long}`);
    const line = (await c.waitFor(/the-end-of-the-line'█/)).split('\n').find((l) => l.includes('the-end-of-the-line'))!;
    expect(line.startsWith('…')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(80);
    // Ctrl-U clears the line; a short one shows from its start.
    c.press(keys.ctrlU);
    await c.type('pods');
    await c.waitFor(/^:pods█/m);
    c.press(keys.esc);
  });
});
