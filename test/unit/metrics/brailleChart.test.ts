import { describe, expect, it } from 'vitest';
import { layoutChart, lineText, plotBraille, yRange } from '../../../src/ui/widgets/brailleChart.js';

const text = (lines: ReturnType<typeof plotBraille>) => lines.map(lineText);

describe('plotBraille', () => {
  it('draws a rising line from the bottom-left dot to the top-right dot', () => {
    const rows = text(plotBraille([[0, 1, 2, 3]], { width: 2, height: 1, lo: 0, hi: 3 }));
    // 4 samples over W=4 x-positions, H=4 rows: (0,3) (1,2) (2,1) (3,0).
    // Cell 0: dot row3 left (0x40) + row2 right (0x20); cell 1: row1 left (0x02) + row0 right (0x08).
    expect(rows).toEqual([String.fromCharCode(0x2800 + 0x60, 0x2800 + 0x0a)]);
  });

  it('leaves a gap for NaN and missing samples instead of joining across it', () => {
    const joined = text(plotBraille([[1, 1, 1, 1, 1, 1]], { width: 3, height: 1, lo: 0, hi: 2 }))[0];
    const gapped = text(plotBraille([[1, NaN, NaN, NaN, NaN, 1]], { width: 3, height: 1, lo: 0, hi: 2 }))[0];
    expect(joined).not.toContain(' ');
    // Only the first and last x-positions are set: the middle cell stays empty.
    expect(gapped[1]).toBe(' ');
    expect(gapped[0]).not.toBe(' ');
    expect(gapped[2]).not.toBe(' ');
  });

  it('draws an isolated sample between gaps as a single dot', () => {
    const row = text(plotBraille([[NaN, NaN, 5, NaN, NaN]], { width: 3, height: 1, lo: 0, hi: 10 }))[0];
    const dots = [...row].filter((c) => c !== ' ' && c !== '\u2800');
    expect(dots).toHaveLength(1);
  });

  it('colours a cell by the series drawn last there', () => {
    const rows = plotBraille([[1, 1], [1, 1]], { width: 1, height: 1, lo: 0, hi: 2 });
    expect(rows[0].find((s) => s.series !== undefined)?.series).toBe(1);
    const reordered = plotBraille([[1, 1], [1, 1]], { width: 1, height: 1, lo: 0, hi: 2, drawOrder: [1, 0] });
    expect(reordered[0].find((s) => s.series !== undefined)?.series).toBe(0);
  });

  it('marks the cursor column', () => {
    const rows = plotBraille([[0, 0, 0, 0, 0, 0, 0, 0, 0]], { width: 4, height: 2, lo: 0, hi: 1, cursor: 4 });
    // Sample 4 of 9 on W=8 -> x=round(4*7/8)=4 -> column 2.
    const cursorCols: number[] = [];
    for (const r of rows) {
      let col = 0;
      for (const seg of r) {
        if (seg.role === 'cursor') cursorCols.push(col);
        col += seg.text.length;
      }
    }
    // Every row of the plot has the cursor, and only in column 2.
    expect(cursorCols).toEqual(rows.map(() => 2));
    expect(rows.flat().some((s) => s.role === 'cursor')).toBe(true);
  });

  it('does not overflow with values near the largest double', () => {
    const big = [-1.7e308, 0, 1.7e308];
    const r = yRange([big]);
    const rows = text(plotBraille([big], { width: 2, height: 2, lo: r.lo, hi: r.hi }));
    expect(rows.join('')).not.toBe('    ');
    expect(Number.isFinite(r.lo) && Number.isFinite(r.hi)).toBe(true);
  });
});

describe('yRange', () => {
  it('includes zero and rounds the top up to a nice number', () => {
    expect(yRange([[0.31, 0.42]])).toEqual({ lo: 0, hi: 0.5 });
  });
  it('keeps negative values below zero', () => {
    const r = yRange([[-3, 2]]);
    expect(r.lo).toBeLessThanOrEqual(-3);
    expect(r.hi).toBeGreaterThanOrEqual(2);
  });
  it('gives a flat line room instead of a zero-height range', () => {
    expect(yRange([[0, 0, 0]])).toEqual({ lo: 0, hi: 1 });
    const r = yRange([[-4, -4]], false);
    expect(r.hi).toBeGreaterThan(r.lo);
  });
  it('falls back to 0..1 with no finite value', () => {
    expect(yRange([[NaN, Infinity]])).toEqual({ lo: 0, hi: 1 });
  });
});

describe('layoutChart', () => {
  const times = Array.from({ length: 61 }, (_, i) => 1_700_000_000 + i * 60);
  const base = { title: 'Memory', unit: 'bytes' as const, times, width: 60, height: 12 };

  it('labels the y-axis in the chart unit and lists each series with its newest value', () => {
    const values = times.map((_, i) => (200 + i) * 1024 * 1024);
    const out = layoutChart({ ...base, series: [{ label: 'order-api-1', values }, { label: 'limits', values: times.map(() => 512 * 1024 * 1024), reference: true }] });
    const all = out.lines.map(lineText);
    expect(all[0]).toContain('Memory');
    expect(all[0]).toContain('MiB');
    expect(all.join('\n')).toMatch(/600 MiB/); // nice top of 0..512 MiB
    expect(all.join('\n')).toContain('order-api-1 260 MiB');
    expect(all.join('\n')).toContain('limits 512 MiB');
    expect(out.lines).toHaveLength(12);
  });

  it('shows times under the plot', () => {
    const out = layoutChart({ ...base, series: [{ label: 'a', values: times.map(() => 1) }], formatTime: (t) => `T${(t - times[0]) / 60}` });
    const axis = lineText(out.lines[out.lines.length - 2]);
    expect(axis).toContain('T0');
    expect(axis).toMatch(/T\d+\s+T\d+/);
  });

  it('shows the values at the cursor instead of the newest', () => {
    const values = times.map((_, i) => i);
    const out = layoutChart({ ...base, unit: 'count', series: [{ label: 'restarts', values }], cursor: 10, formatTime: (t) => `T${(t - times[0]) / 60}` });
    const all = out.lines.map(lineText).join('\n');
    expect(all).toContain('restarts 10 ');
    expect(lineText(out.lines[0])).toContain('@ T10');
  });

  it('draws a message instead of an empty frame', () => {
    const out = layoutChart({ ...base, series: [], message: 'no data for these pods' });
    expect(out.lines.map(lineText).join('\n')).toContain('no data for these pods');
    expect(out.lines.map(lineText).join('')).not.toMatch(/[\u2801-\u28ff]/);
  });

  it('keeps every line within the width', () => {
    const many = Array.from({ length: 8 }, (_, k) => ({ label: `pod-with-a-long-name-${k}`, values: times.map((_, i) => Math.sin(i / 5 + k) * 1e9) }));
    const out = layoutChart({ ...base, width: 50, series: many });
    for (const l of out.lines) expect(lineText(l).length).toBeLessThanOrEqual(50 + 45);
    for (const l of out.lines.slice(1, -3)) expect(lineText(l).length).toBeLessThanOrEqual(50);
  });
});
