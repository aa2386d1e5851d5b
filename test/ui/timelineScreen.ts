import type { ConsoleScreen } from './harness.js';

/** On the timeline: moves the cursor down (from where it is) until the selected entry matches. */
export async function selectEntry(c: ConsoleScreen, wanted: RegExp): Promise<string> {
  for (let i = 0; i < 80; i++) {
    const row = c.selectedRow() ?? '';
    if (wanted.test(row)) return row;
    c.press('j');
    await c.waitFor(() => (c.selectedRow() ?? '') !== row, 5000).catch(() => undefined);
  }
  throw new Error(`no timeline entry matches ${wanted}:\n${c.screen()}`);
}
