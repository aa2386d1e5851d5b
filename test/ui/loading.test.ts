import { describe, expect, it } from 'vitest';
import { demoPerFile, keys } from './harness.js';

// A slow API server (every list page after the first answered 2.5 s later): while the first
// paged list of pods runs, a view whose pods have not arrived says how far the list has got
// instead of looking like an empty system.

const fixture = demoPerFile({ pods: 3000, listPageDelayMs: 2500 });

describe('loading states on a slow API server', () => {
  it('a pods view whose pods have not arrived says "loading pods… X of N", then lists them', async () => {
    const c = await fixture.open();
    // The Systems view has its rows; their pod counts are still coming.
    await c.waitFor(/Systems\s+\(\d+, loading…\)/);
    // trade sorts last: its own list starts after other systems' (six lists at once, each page
    // after a list's first one slow), so its pods arrive after the first pages of the others.
    await c.type(':pods trade');
    c.press(keys.enter);
    const screen = await c.waitFor(/loading pods… [1-9][\d,]* of \d,\d{3}/);
    expect(screen).toMatch(/Systems › trade › Pods\s+\(loading…\)/);
    expect(screen).not.toMatch(/Pods\s+\(0\)/);
    expect(screen).not.toContain('no pods in trade');
    await c.waitFor(/Systems › trade › Pods\s+\(\d+\)/, 30_000);
    await c.waitFor(/\s\d+\/\d+\s+Running\s/);
    expect(c.screen()).not.toContain('loading pods…');
  }, 60_000);
});
