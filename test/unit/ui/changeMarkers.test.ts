import { describe, expect, it } from 'vitest';
import { layoutChart, lineText, markerSlots, plotBraille } from '../../../src/ui/widgets/brailleChart.js';
import { histogramCells } from '../../../src/ui/widgets/histogramStrip.js';
import { glyphs } from '../../../src/terminal/glyphs.js';

// The change markers (rollouts, scale changes) on the charts and the logs strip: a column glyph
// at the change's time, where nothing else is drawn in that cell.

describe('change markers', () => {
  const times = Array.from({ length: 61 }, (_, i) => 1_000_000 + i * 60);

  it('a marker time goes to the nearest sample slot; times outside the chart are left out', () => {
    expect(markerSlots(times, [1_000_000, 1_000_000 + 30 * 60 + 20, 1_000_000 + 3600 + 10, 1_000_000 + 3600 + 70, 999_000])).toEqual([0, 30, 60]);
    expect(markerSlots(times, undefined)).toEqual([]);
  });

  it('the plot shows the marker glyph down the empty cells of the change column, the data stays on top', () => {
    const flat = Array.from({ length: 61 }, () => 0);
    const rows = plotBraille([flat], { width: 30, height: 4, lo: 0, hi: 1, markers: [30] });
    const col = (row: number) => rows[row].map((s) => s.text).join('');
    for (let r = 0; r < 3; r++) expect(col(r)[15]).toBe(glyphs.marker);
    // The bottom row carries the series: the data keeps its cell.
    expect(col(3)[15]).not.toBe(glyphs.marker);
    expect(rows[0].some((s) => s.text.includes(glyphs.marker) && s.role === 'warn')).toBe(true);
    const none = plotBraille([flat], { width: 30, height: 4, lo: 0, hi: 1 });
    expect(none.map((r) => r.map((s) => s.text).join('')).join('')).not.toContain(glyphs.marker);
  });

  it('a whole chart marks the changes given in unix seconds', () => {
    const chart = layoutChart({ title: 'CPU', unit: 'cores', times, series: [{ label: 'a', values: times.map(() => 0.1) }], width: 60, height: 8, markers: [times[10], times[40]] });
    const marked = chart.lines.map(lineText).filter((l) => l.includes(glyphs.marker));
    expect(marked.length).toBeGreaterThan(0);
    expect([...marked[0]].filter((ch) => ch === glyphs.marker)).toHaveLength(2);
  });

  it('the logs strip shows the marker in the bucket the change fell in', () => {
    const h = { from: 0, to: 600_000, intervalMs: 60_000, buckets: Array.from({ length: 10 }, (_, i) => ({ start: i * 60_000, count: 10, errors: 0 })) };
    const cells = histogramCells(h, 10, undefined, [125_000]);
    expect(cells.map((c) => c.marked === true)).toEqual([false, false, true, false, false, false, false, false, false, false]);
    expect(cells[2].ch).toBe(glyphs.marker);
    expect(histogramCells(h, 10).some((c) => c.marked)).toBe(false);
  });
});
