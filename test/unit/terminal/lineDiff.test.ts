import xtermHeadless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { LineDiff } from '../../../src/terminal/lineDiff.js';

// Only the changed cells of a line are written, and the terminal shows exactly what Ink's whole
// lines would have shown: two emulators, one fed Ink's frames, one fed what LineDiff makes of
// them, compared cell by cell (character, colours, attributes) after every frame.

const { Terminal } = xtermHeadless;
const COLS = 60;
const ROWS = 12;

/** Ink's incremental output (6.8 with the ink#910 fix): the first frame whole, then changed lines. */
function inkFrames(frames: string[][]): string[] {
  const out: string[] = [];
  let previous: string[] | undefined;
  for (const lines of frames) {
    if (!previous) out.push(`${lines.join('\n')}\n`);
    else out.push(`\x1b[${previous.length}A${lines.map((l, i) => (l === previous![i] ? '\x1b[E' : `\x1b[1G${l}\x1b[K\n`)).join('')}`);
    previous = lines;
  }
  return out;
}

async function screenOf(writes: string[]): Promise<string[]> {
  const term = new Terminal({ cols: COLS, rows: ROWS, allowProposedApi: true, convertEol: true });
  for (const w of writes) await new Promise<void>((r) => term.write(w, r));
  const b = term.buffer.active;
  const rows: string[] = [];
  for (let y = 0; y < ROWS; y++) {
    const line = b.getLine(y)!;
    const cells: string[] = [];
    for (let x = 0; x < COLS; x++) {
      const c = line.getCell(x)!;
      cells.push(`${c.getChars() || ' '}|${c.getFgColorMode()}:${c.getFgColor()}|${c.getBgColorMode()}:${c.getBgColor()}|${c.isBold()}${c.isDim()}${c.isInverse()}${c.isUnderline()}`);
    }
    rows.push(cells.join(' '));
  }
  return rows;
}

/** A deterministic pseudo-random source, so a failure can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
}

const STYLES = ['', '1', '2', '7', '36', '1;33', '38;5;208', '48;5;25;38;5;231', '38;2;10;200;30', '90', '46;30', '4'];

/** A line of COLS cells in styled runs, as Ink writes them (each run opened and closed). */
function styledLine(text: string, styleAt: (i: number) => string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const style = styleAt(i);
    let j = i + 1;
    while (j < text.length && styleAt(j) === style) j++;
    out += style ? `\x1b[${style}m${text.slice(i, j)}\x1b[0m` : text.slice(i, j);
    i = j;
  }
  return out;
}

describe('LineDiff', () => {
  it('writes only the changed cells, and the screen is the same as with whole lines (random frames)', async () => {
    const rand = rng(7);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const rows = ROWS - 1;
    let texts = Array.from({ length: rows }, (_, r) => `row ${r} `.padEnd(COLS, 'abcdefghij'[r % 10]));
    let styles = Array.from({ length: rows }, () => Array.from({ length: COLS }, () => ''));
    const frames: string[][] = [];
    for (let f = 0; f < 40; f++) {
      texts = texts.map((t, r) => {
        if (rand() < 0.6) return t;
        const chars = [...t];
        const at = Math.floor(rand() * COLS);
        const len = 1 + Math.floor(rand() * 6);
        for (let i = at; i < Math.min(COLS, at + len); i++) chars[i] = pick([...'0123456789 xyz-:.⠤⣀●']);
        // Now and then a row takes a wide character: written whole.
        if (r === 3 && rand() < 0.2) chars.splice(10, 2, '名');
        return chars.join('');
      });
      styles = styles.map((s) => (rand() < 0.3 ? s.map((x, i) => (i >= 20 && i < 30 ? pick(STYLES) : x)) : s));
      frames.push(texts.map((t, r) => styledLine(t, (i) => styles[r][i] ?? '')));
    }
    const whole = inkFrames(frames);
    const diff = new LineDiff();
    const diffed = whole.map((w) => diff.write(w));
    for (let n = 1; n <= whole.length; n++) {
      expect(await screenOf(diffed.slice(0, n)), `after frame ${n}`).toEqual(await screenOf(whole.slice(0, n)));
    }
    const bytes = (ws: string[]) => ws.slice(1).reduce((sum, w) => sum + Buffer.byteLength(w), 0);
    expect(bytes(diffed)).toBeLessThan(bytes(whole) / 2);
  });

  it("a pod's age ticking costs its own cells, not the row", () => {
    const row = (age: string) => `\x1b[37m account-api-7d9f-x2k4p   2/2 Running   0 ${age.padStart(7)} worker-c-126   10.64.128.79\x1b[39m`;
    const diff = new LineDiff();
    diff.write(`\x1b[1A\x1b[1G${row('8m58s')}\x1b[K\n`);
    const out = diff.write(`\x1b[1A\x1b[1G${row('8m59s')}\x1b[K\n`);
    const column = row('8m59s').replace(/\x1b\[\d+m/g, '').indexOf('8m59s') + 3 + 1; // the 9 of 59s
    expect(out).toBe(`\x1b[1A\x1b[${column}G\x1b[0;37m9\x1b[0m\n`);
  });

  it('passes through what is not an incremental frame, and then forgets the rows', () => {
    const diff = new LineDiff();
    diff.write('\x1b[1A\x1b[1Gabc\x1b[K\n');
    expect(diff.write('\x1b[?2026h')).toBe('\x1b[?2026h');
    expect(diff.write('\x1b[1A\x1b[1Gabd\x1b[K\n')).toBe('\x1b[1A\x1b[3Gd\n');
    // A clear (a resize, a remount): written as it is; the next change is written whole.
    expect(diff.write('\x1b[2J\x1b[3J\x1b[Habd\n')).toBe('\x1b[2J\x1b[3J\x1b[Habd\n');
    expect(diff.write('\x1b[1A\x1b[1Gabe\x1b[K\n')).toBe('\x1b[1A\x1b[1Gabe\x1b[K\n');
  });
});
