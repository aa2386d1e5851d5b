import { describe, expect, it } from 'vitest';
import { chartGrid, MAX_PLOT_ROWS, MIN_PLOT_ROWS } from '../../../src/ui/views/metricsGrid.js';
import { layoutChart, legendRowCount, lineText, type ChartSeriesInput } from '../../../src/ui/widgets/brailleChart.js';

// The metrics pane's grid at the sizes users have: every chart shown has its title, a plot
// of at least MIN_PLOT_ROWS with its y-axis, the x-axis with times and its whole legend;
// charts that do not fit are left for scrolling with a line that says so.

/** Lines the pane body has for charts at a terminal size: minus header, breadcrumb, status, and the pane's two lines. */
const chartLines = (rows: number) => rows - 1 - 3 - 2;

const times = Array.from({ length: 120 }, (_, i) => 1_765_000_000 + i * 30);
const pods = (n: number): ChartSeriesInput[] => [
  ...Array.from({ length: n }, (_, i) => ({ label: `cart-api-tjknnxwzmj-${'bcdfghjklm'[i]}8k42`, values: times.map((_, t) => 0.01 * (1 + ((t + i) % 7))) })),
  { label: 'requests', values: times.map(() => 1), reference: true },
];
const charts = [
  { title: 'CPU', unit: 'cores' as const, series: pods(8) },
  { title: 'Memory (working set)', unit: 'bytes' as const, series: pods(8).map((s) => ({ ...s, values: Array.from(s.values, (v) => v * 5e10) })) },
  { title: 'Restarts', unit: 'count' as const, series: pods(1) },
  { title: 'Network', unit: 'bytesPerSecond' as const, series: pods(2) },
  { title: 'Requests', unit: 'requestsPerSecond' as const, series: pods(3) },
  { title: 'Latency', unit: 'seconds' as const, series: pods(3) },
];

function screen(cols: number, rows: number, first = 0) {
  const height = chartLines(rows);
  const width = (columns: number) => Math.floor((cols - (columns - 1)) / columns) - (columns > 1 ? 1 : 0);
  const w1 = width(cols >= 150 ? 2 : 1);
  const legends = charts.map((c) => legendRowCount({ series: c.series, unit: c.unit, width: w1 }));
  const grid = chartGrid(cols, height, legends, first);
  const drawn = grid.rows.flatMap((row) => row.charts.map((i) => ({ i, height: row.height, lines: layoutChart({ ...charts[i], times, width: w1, height: row.height, cursor: 60 }).lines.map(lineText) })));
  return { grid, drawn, height, legends };
}

describe('metrics chart grid', () => {
  for (const [cols, rows] of [
    [80, 24],
    [120, 30],
    [160, 45],
  ] as const) {
    it(`at ${cols}x${rows} every chart shown is whole: title, plot, y-axis, x-axis times, legend; nothing overflows`, () => {
      const { grid, drawn, height, legends } = screen(cols, rows);
      expect(drawn.length).toBeGreaterThan(0);
      const used = grid.rows.reduce((n, r) => n + r.height, 0) + (grid.more ? 1 : 0);
      expect(used).toBeLessThanOrEqual(height);
      for (const c of drawn) {
        // Exactly the lines it was given: nothing runs into the next chart.
        expect(c.lines).toHaveLength(c.height);
        expect(c.lines[0].startsWith(` ${charts[c.i].title} (`)).toBe(true);
        const plot = c.lines.slice(1, c.lines.length - 1 - legends[c.i]);
        expect(plot.length).toBeGreaterThanOrEqual(MIN_PLOT_ROWS);
        expect(plot.length).toBeLessThanOrEqual(MAX_PLOT_ROWS);
        for (const l of plot) expect(l).toMatch(/┤/);
        expect(c.lines[c.lines.length - 1 - legends[c.i]]).toMatch(/\d\d:\d\d {2,}\d\d:\d\d/);
        const legend = c.lines.slice(c.lines.length - legends[c.i]).join(' ');
        expect(legend).toContain('requests');
        // The cursor's time is in the title of every chart shown.
        expect(c.lines[0]).toMatch(/@ \d\d:\d\d/);
      }
      const shown = drawn.length;
      if (shown < charts.length) expect(grid.more).toBe(`↓ ${charts.length - shown} more below (j/k)`);
      else expect(grid.more).toBeUndefined();
    });
  }

  it('at 80x24 the first chart is not squashed to make room for the second', () => {
    const { grid, drawn } = screen(80, 24);
    // CPU's legend of 8 pods takes lines: the memory chart goes below, reached with j.
    expect(drawn.map((d) => d.i)).toEqual([0]);
    expect(grid.more).toBe('↓ 5 more below (j/k)');
  });

  it('scrolls by rows of charts, says what is above, and stops where the last charts fill the screen', () => {
    const second = screen(80, 24, 1);
    expect(second.drawn[0].i).toBe(1);
    expect(second.grid.more).toBe('↑ 1 above · ↓ 4 more below (j/k)');
    const end = screen(80, 24, 99);
    expect(end.drawn[end.drawn.length - 1].i).toBe(5);
    expect(end.grid.more).toMatch(/^↑ \d above \(j\/k\)$/);
    // Scrolled to the end, one row less would not show more charts.
    expect(screen(80, 24, end.grid.first - 1).drawn.length).toBeLessThanOrEqual(end.drawn.length + 1);
  });

  it('160x45 puts charts side by side, two to a row', () => {
    const { grid } = screen(160, 45);
    expect(grid.columns).toBe(2);
    expect(grid.rows[0].charts).toEqual([0, 1]);
  });

  it('no charts, no rows', () => {
    expect(chartGrid(80, 18, []).rows).toEqual([]);
  });
});
