import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error a build script, plain JavaScript
import { inkPatches } from '../../../scripts/inkPatches.mjs';

// The build's patch to Ink's Output (rows kept across frames, scripts/inkPatches.mjs) must draw
// every frame exactly as Ink's own Output does: the same operations go to both, frame after frame.

interface Op {
  type: 'write' | 'clip' | 'unclip';
  x?: number;
  y?: number;
  text?: string;
  transformers?: Array<(line: string, index: number) => string>;
  clip?: { x1?: number; x2?: number; y1?: number; y2?: number };
}
interface OutputLike {
  write(x: number, y: number, text: string, opts: { transformers: Op['transformers'] }): void;
  clip(c: NonNullable<Op['clip']>): void;
  unclip(): void;
  get(): { output: string; height: number };
}
type OutputClass = new (o: { width: number; height: number }) => OutputLike;

const root = join(import.meta.dirname, '..', '..', '..');
let dir: string;
let original: OutputClass;
let patched: OutputClass;

async function bundle(name: string, plugins: unknown[]): Promise<OutputClass> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    stdin: { contents: `export { default } from ${JSON.stringify(join(root, 'node_modules', 'ink', 'build', 'output.js'))};`, resolveDir: root },
    bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error', plugins: plugins as never,
  });
  return ((await import(pathToFileURL(outfile).href)) as { default: OutputClass }).default;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warroom-ink-output-'));
  original = await bundle('original', []);
  patched = await bundle('patched', [inkPatches]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function frame(Output: OutputClass, width: number, height: number, ops: Op[]): string {
  const out = new Output({ width, height });
  for (const op of ops) {
    if (op.type === 'write') out.write(op.x!, op.y!, op.text!, { transformers: op.transformers ?? [] });
    else if (op.type === 'clip') out.clip(op.clip!);
    else out.unclip();
  }
  return out.get().output;
}

const red = (s: string) => `\x1b[31m${s}\x1b[39m`;
const inverse = (s: string) => `\x1b[7m${s}\x1b[27m`;
const row = (i: number, age: string) => `pod-${String(i).padStart(5, '0')}   dc${(i % 2) + 1}   Running   ${age}`;

/** Frames like a table's: rows shift and ages tick, a selected row, a coloured cell, text over text. */
function frames(): Array<{ width: number; height: number; ops: Op[] }> {
  const out: Array<{ width: number; height: number; ops: Op[] }> = [];
  for (let f = 0; f < 12; f++) {
    const ops: Op[] = [{ type: 'write', x: 0, y: 0, text: `header ${red('✗ 2 critical')} fleet of 2` }];
    for (let r = 0; r < 8; r++) {
      const text = row(r + (f >> 2), `${(f % 3) + 1}s`);
      ops.push({ type: 'write', x: 1, y: r + 1, text: r === f % 8 ? inverse(text) : text });
    }
    // Wide characters (CJK, emoji) and an overlapping write over them.
    ops.push({ type: 'write', x: 0, y: 9, text: `名前 ⚠ 🚀 ${f % 2 ? 'a' : 'b'}` });
    ops.push({ type: 'write', x: 3, y: 9, text: 'X' });
    // A clipped box: horizontally and vertically, partly outside.
    ops.push({ type: 'clip', clip: { x1: 2, x2: 20, y1: 10, y2: 12 } });
    ops.push({ type: 'write', x: 0, y: 9, text: `clipped ${red('line one that is long')}\nline two ${f}\nline three\nline four` });
    ops.push({ type: 'unclip' });
    ops.push({ type: 'write', x: 5, y: 13, text: 'transformed', transformers: [(l, i) => `${i}:${l.toUpperCase()}`] });
    // The same text at another place in another frame.
    ops.push({ type: 'write', x: f % 3, y: 14, text: 'moved' });
    // Beyond the bottom: dropped.
    ops.push({ type: 'write', x: 0, y: 30, text: 'never seen' });
    out.push({ width: f < 10 ? 40 : 24, height: 16, ops });
  }
  return out;
}

describe("Ink's Output as the build patches it", () => {
  it('draws every frame exactly as Ink does, frame after frame (rows kept from earlier frames, resized)', () => {
    let drawn = 0;
    for (const f of [...frames(), ...frames()]) {
      const expected = frame(original, f.width, f.height, f.ops);
      expect(frame(patched, f.width, f.height, f.ops)).toBe(expected);
      expect(expected).toContain('pod-');
      drawn++;
    }
    expect(drawn).toBe(24);
  });

  it('an empty frame is empty lines, as Ink', () => {
    expect(frame(patched, 10, 3, [])).toBe(frame(original, 10, 3, []));
  });
});

describe("ansi-tokenize's styled characters as the build patches them", () => {
  type StyledChars = (line: string) => Array<{ type: string; value: string; fullWidth: boolean; styles: unknown[] }>;
  const lines = [...Array.from({ length: 40 }, (_, i) => row(i, `${i}s`)), `header ${red('✗ 2 critical')} fleet`, inverse(`${red('名前')} ⚠ 🚀 \x1b[1mbold\x1b[2mdim\x1b[22m`), '\x1b[38;5;208morange\x1b[0m plain'];

  async function bundleTokenizer(name: string, plugins: unknown[]): Promise<string> {
    const outfile = join(dir, `${name}.mjs`);
    await build({
      stdin: { contents: "import { styledCharsFromTokens, tokenize } from '@alcalzone/ansi-tokenize'; export const styledChars = (line) => styledCharsFromTokens(tokenize(line));", resolveDir: root },
      bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'error', plugins: plugins as never,
    });
    return outfile;
  }

  it('are the characters and styles ansi-tokenize gives, and share one hidden class', async () => {
    const originalFile = await bundleTokenizer('tokenizer-original', []);
    const patchedFile = await bundleTokenizer('tokenizer-patched', [inkPatches]);
    const load = async (file: string) => ((await import(pathToFileURL(file).href)) as { styledChars: StyledChars }).styledChars;
    const [before, after] = [await load(originalFile), await load(patchedFile)];
    for (const line of lines) expect(after(line)).toEqual(before(line));
    // V8's own view of the objects: one hidden class for every character, against one each before.
    const { execFileSync } = await import('node:child_process');
    const sameShape = (file: string) => execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', `
      const { styledChars } = await import(${JSON.stringify(pathToFileURL(file).href)});
      const chars = ${JSON.stringify(lines)}.flatMap(styledChars);
      process.stdout.write(String(chars.filter((c) => %HaveSameMap(c, chars[0])).length / chars.length));`], { encoding: 'utf8' });
    expect(Number(sameShape(patchedFile))).toBe(1);
    // Node 20's V8 gives each copy made by the spread a class of its own (Node 24's shares them).
    if (process.versions.node.startsWith('20.')) expect(Number(sameShape(originalFile))).toBeLessThan(0.1);
  });
});
