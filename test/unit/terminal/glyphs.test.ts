import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { glyphs, glyphText, setCharset } from '../../../src/terminal/glyphs.js';
import { fit } from '../../../src/ui/format.js';
import { progressBar } from '../../../src/ui/views/scaleDialogLines.js';
import { connectionState } from '../../../src/ui/widgets/connectionState.js';
import { histogramCells } from '../../../src/ui/widgets/histogramStrip.js';
import { layoutChart, lineText, plotBraille } from '../../../src/ui/widgets/brailleChart.js';
import { sparkline } from '../../../src/ui/widgets/sparkline.js';
import { stateMark, tableHeader } from '../../../src/ui/widgets/VirtualTable.js';
import { displayKey } from '../../../src/ui/keys/keyPress.js';
import { Keymap } from '../../../src/ui/keys/keymap.js';

// ASCII mode (LANG=C, --ascii): every glyph the console draws has an ASCII form that reads.

const ascii = (s: string) => /^[\x00-\x7f]*$/.test(s);

afterEach(() => setCharset('unicode'));

describe('the glyph table', () => {
  it('has an ASCII form for every glyph, as wide as the Unicode one where layouts count on it', () => {
    setCharset('unicode');
    const unicode = { ...glyphs };
    setCharset('ascii');
    for (const [name, value] of Object.entries(glyphs)) {
      if (typeof value !== 'string' || name === 'charset') continue;
      expect(ascii(value), `${name}: ${value}`).toBe(true);
      // Prose forms may be longer ("..."); a mark that sits in a column keeps its width.
      if (!['ellipsis', 'spinner', 'to', 'upDown'].includes(name)) expect(value.length, name).toBe([...(unicode[name as keyof typeof unicode] as string)].length);
    }
  });

  it('is read when text is drawn: the same function gives Unicode, then ASCII after setCharset', () => {
    expect(fit('cart-api-7d9f', 8)).toBe('cart-ap…');
    setCharset('ascii');
    expect(fit('cart-api-7d9f', 8)).toBe('cart-ap~');
    expect(stateMark('error')).toBe('X');
    expect(stateMark('dim')).toBe('.');
    expect(progressBar(1, 2, 4)).toBe('[##..]');
    expect(connectionState([], 0).text).toBe('* live');
  });

  it('writes prose and key names in ASCII: arrows as the key names users type', () => {
    setCharset('ascii');
    expect(glyphText('←/→ cursor')).toBe('Left/Right cursor');
    expect(glyphText(':ctx [NAME[,NAME…]]')).toBe(':ctx [NAME[,NAME...]]');
    expect(displayKey('shift+left')).toBe('Shift-Left');
    expect(new Keymap().hints([{ id: 'x', title: 'X', bindings: [{ action: 'a', keys: ['left'], help: 'h', hint: '←/→ cursor', run: () => undefined }] }])).toBe('Left/Right cursor');
    setCharset('unicode');
    expect(glyphText('←/→ cursor')).toBe('←/→ cursor');
  });
});

describe('charts, sparklines and the histogram strip in ASCII', () => {
  it('a sparkline climbs through eight ASCII levels', () => {
    setCharset('ascii');
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('.:-=+*#@');
    expect(sparkline([1, NaN, 1], 3, { lo: 0, hi: 1 })).toBe('@ @');
  });

  it('the histogram strip: blank for no lines, then the same levels', () => {
    setCharset('ascii');
    const cells = histogramCells({ buckets: [0, 1, 4, 8].map((count, i) => ({ at: i, count, errors: 0 })), intervalMs: 1000 } as never, 4);
    expect(cells.map((c) => c.ch).join('')).toBe(' .=@');
  });

  it('a line chart shows where the line passes in each cell: low ., middle -, high \', steep |', () => {
    setCharset('ascii');
    const rising = Array.from({ length: 40 }, (_, i) => i);
    const rows = plotBraille([rising], { width: 20, height: 1, lo: 0, hi: 39 }).map(lineText);
    expect(rows[0]).toMatch(/^\.+-+'+$/);
    const steep = plotBraille([[0, 39]], { width: 1, height: 1, lo: 0, hi: 39 }).map(lineText);
    expect(steep[0]).toBe('|');
  });

  it('a whole chart (axis, legend, cursor) is ASCII', () => {
    setCharset('ascii');
    const times = Array.from({ length: 61 }, (_, i) => 1_700_000_000 + i * 60);
    const out = layoutChart({ title: 'CPU', unit: 'cores', times, width: 60, height: 12, cursor: 30, series: [{ label: 'a', values: times.map((_, i) => Math.sin(i / 5) + 1) }, { label: 'limits', values: times.map(() => 2.5), reference: true }] });
    const text = out.lines.map(lineText).join('\n');
    expect(ascii(text)).toBe(true);
    expect(text).toMatch(/ \| ?[-.'| ]+/);
    expect(text).toContain('# a ');
    expect(text).toContain('- limits');
  });

  it('table headers mark the sort column with ^ and v', () => {
    setCharset('ascii');
    const def = { columns: [{ id: 'name', title: 'NAME', width: 'flex' as const, text: (r: string) => r }], key: (r: string) => r, tone: () => 'normal' as const, defaultSort: 'name' };
    expect(tableHeader(def, 40).text).toContain('NAME^');
    expect(tableHeader(def, 40, { column: 'name', descending: true }).text).toContain('NAMEv');
  });
});

describe('no glyph is written outside the table', () => {
  // A character beyond ASCII in the source, outside comments, would reach an ASCII terminal as
  // `?`. Each file listed here keeps some for a reason; anything new goes through glyphs.ts.
  const allowed: Record<string, string> = {
    'src/terminal/glyphs.ts': 'the table',
    'src/ui/keys/keyPress.ts': 'key names drawn through glyphText; arrows typed in the config file',
    'src/ui/keys/commands.ts': 'the command list, drawn through glyphText',
    'src/ui/views/runCommand.ts': 'the usage line, drawn through glyphText',
    'src/ui/views/rolloutActions.ts': 'the usage line, drawn through glyphText',
    'src/ui/views/MetricsPane.tsx': 'a key hint, drawn through glyphText',
    'src/ui/views/lists/fleetClusters.ts': "a key's help line, drawn through glyphText",
    'src/cli/args.ts': 'the usage, printed through glyphText',
    'src/platform/actions/replicaMath.ts': 'input: × typed for a factor',
    'src/platform/logs/logQuery.ts': 'input: – typed between two times',
  };
  const root = join(import.meta.dirname, '..', '..', '..');
  const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : /\.tsx?$/.test(n) ? [p] : [];
  });

  it('src/ (but the demo platform, which stands in for a cluster) has none outside comments', () => {
    const found: string[] = [];
    for (const file of files(join(root, 'src')).filter((f) => !f.includes(`${join('src', 'demo')}`))) {
      const rel = relative(root, file);
      if (allowed[rel]) continue;
      readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(line)) return;
        const code = line.replace(/\/\/.*$/, '');
        if (!ascii(code)) found.push(`${rel}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});
