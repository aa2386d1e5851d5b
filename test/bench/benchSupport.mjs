import { join } from 'node:path';
import { launcherNodeFlags } from '../../scripts/launcherFlags.mjs';

// What the benchmarks that drive the console share: a headless terminal's screen to wait on
// (the demo platform they run it against: demoChild.mjs).

/** The screen of an @xterm/headless terminal as lines, and a wait for what it shows (returns when, performance.now()). */
export function screenOf(term, rows) {
  const flush = () => new Promise((r) => term.write('', r));
  const screen = () => {
    const b = term.buffer.active;
    return Array.from({ length: rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  };
  async function waitFor(pred, ms = 120_000, pollMs = 2) {
    const start = performance.now();
    for (;;) {
      await flush();
      const s = screen();
      if (pred(s)) return performance.now();
      if (performance.now() - start > ms) throw new Error(`timeout; screen:\n${s.join('\n')}`);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
  return { flush, screen, waitFor };
}

/** node's arguments that start the console as bin/warroom does: its node flags, then `nodeFlags`, then bin/warroom. */
export function warroomArgs(nodeFlags = []) {
  return [...launcherNodeFlags(), ...nodeFlags, join(import.meta.dirname, '..', '..', 'bin', 'warroom')];
}
