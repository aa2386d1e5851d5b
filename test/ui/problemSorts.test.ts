import { describe, expect, it } from 'vitest';
import { demoPerFile, keys } from './harness.js';

// Sorts that start with the problems, where a k9s user looks for them: Shift-W on pods and
// applications (failing, not ready, restarting first), and the first Shift-R / Shift-Y on a
// count of trouble puts the most on top. Monochrome, so each row's state is its first cell.

const fixture = demoPerFile();

// ✗ failing, ! needs a look, blank healthy, · finished: the order Shift-W promises.
const rank: Record<string, number> = { '✗': 0, '!': 1, ' ': 3, '·': 5 };

describe('problems first', () => {
  it('Shift-W on pods lists failing, then not ready, then restarting pods above the healthy ones', async () => {
    const c = await fixture.open({ cols: 100, rows: 40, noColor: true });
    await c.waitFor(/SYSTEM.*APPS/);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    // The header is drawn before the pods arrive on a loaded machine: the sort is checked on the rows.
    await c.waitFor((s) => (s.match(/^. ?cart-\S+\s.*\d+\/\d+/gm) ?? []).length > 10);
    c.press('W');
    await c.waitFor('sorted by problems first (failing, not ready, restarting)');
    const rows = c.lines()
      .map((l) => /^(.)[ *](\S+)\s.*?\s(\d+)\/(\d+)\s+(\S+)\s+(\d+)\s/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null && m[2].startsWith('cart-'));
    expect(rows.length).toBeGreaterThan(10);
    const ranks = rows.map((m) => (m[1] === ' ' && Number(m[6]) > 0 ? 2 : rank[m[1]]));
    expect(ranks[0]).toBeLessThan(3);
    expect(ranks).toContain(3);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    // Within the healthy pods that restarted, the most restarts first.
    const restarted = rows.filter((m) => m[1] === ' ' && Number(m[6]) > 0).map((m) => Number(m[6]));
    expect([...restarted].sort((a, b) => b - a)).toEqual(restarted);
    c.press('?');
    await c.waitFor(/Shift-W\s+sort by problems first/);
  });

  it('the first Shift-R puts the most restarts on top; Shift-W on applications puts the not fully ready first', async () => {
    const c = await fixture.open({ cols: 100, rows: 40, noColor: true });
    await c.waitFor(/SYSTEM.*APPS/);
    await c.type(':pods');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press('R');
    await c.waitFor('sorted by restarts (descending)');
    const restarts = c.lines()
      .map((l) => /^..(\S+)\s+.*?\d+\/\d+\s+\S+\s+(\d+)\s/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[2]));
    expect(restarts[0]).toBeGreaterThan(0);
    expect([...restarts].sort((a, b) => b - a)).toEqual(restarts);

    await c.type(':apps');
    c.press(keys.enter);
    await c.waitFor(/APPLICATION.*DESIRED/);
    c.press('W');
    await c.waitFor('sorted by problems first');
    const apps = c.lines()
      .map((l) => /^(.)[ *](\S+)\s+\S+\s+\S+\s+(?:HPA\s+)?(\d+)\s+(\d+)\s/.exec(l))
      .filter((m): m is RegExpExecArray => m !== null);
    expect(apps.length).toBeGreaterThan(5);
    const notReady = apps.map((m) => Number(m[4]) < Number(m[3]));
    expect(notReady[0]).toBe(true);
    // Every application short of ready is above every one that is ready.
    expect(notReady.lastIndexOf(true)).toBeLessThan(notReady.indexOf(false));
  });
});
