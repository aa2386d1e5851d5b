import { glyphs } from '../../terminal/glyphs.js';

// Where the charts of the metrics pane go. Pure: sizes in, placements out.
//
// One column, or two on wide terminals. Every chart shown gets its title, a plot at least
// MIN_PLOT_ROWS tall with its y-axis, the x-axis with times and its whole legend; charts
// that do not fit are not squashed but left for scrolling (j/k), and a line says how many
// are above and below. Height left over goes to the plots, up to MAX_PLOT_ROWS each.

export const MIN_PLOT_ROWS = 4;
export const MAX_PLOT_ROWS = 14;
const TWO_COLUMNS_FROM = 150;
/** Title line and x-axis line. */
const CHART_CHROME = 2;

export interface ChartRow {
  /** Indexes of the charts side by side on this row. */
  charts: number[];
  /** Lines each chart of the row is given (title, plot, x-axis, legend). */
  height: number;
}

export interface ChartGrid {
  columns: number;
  chartWidth: number;
  /** The rows of charts shown, top to bottom. */
  rows: ChartRow[];
  /** The first row of charts shown, after clamping the scroll position. */
  first: number;
  /** Charts before and after the ones shown. */
  above: number;
  below: number;
  /** The "N more below (j/k)" line, when some charts are not shown. */
  more?: string;
}

/** Columns of charts and their width for this many charts. */
export function chartColumns(width: number, charts: number): { columns: number; chartWidth: number } {
  const columns = width >= TWO_COLUMNS_FROM && charts > 1 ? 2 : 1;
  return { columns, chartWidth: Math.floor((width - (columns - 1)) / columns) };
}

/**
 * The grid for `legendRows[i]` legend lines of chart i (laid out at chartColumns' width),
 * in `height` lines, scrolled to row of charts `first`.
 */
export function chartGrid(width: number, height: number, legendRows: readonly number[], first = 0): ChartGrid {
  const { columns, chartWidth } = chartColumns(width, legendRows.length);
  const groups: number[][] = [];
  for (let i = 0; i < legendRows.length; i += columns) groups.push(Array.from({ length: Math.min(columns, legendRows.length - i) }, (_, k) => i + k));
  if (!groups.length) return { columns, chartWidth, rows: [], first: 0, above: 0, below: 0 };
  const fixed = groups.map((g) => CHART_CHROME + Math.max(...g.map((i) => legendRows[i])));
  const need = fixed.map((f) => f + MIN_PLOT_ROWS);

  /** How many rows of charts from `from` fit, and whether a "more" line is needed. */
  const fitFrom = (from: number): { count: number; line: boolean } => {
    const rest = need.slice(from).reduce((a, b) => a + b, 0);
    if (from === 0 && rest <= height) return { count: groups.length, line: false };
    const room = height - 1;
    let used = 0;
    let count = 0;
    while (from + count < groups.length && used + need[from + count] <= room) used += need[from + count++];
    return { count: Math.max(1, count), line: true };
  };
  // Scrolled no further than where the last charts fill the screen.
  let last = groups.length - 1;
  while (last > 0 && last - 1 + fitFrom(last - 1).count >= groups.length) last--;
  const start = Math.max(0, Math.min(first, last));
  const { count, line } = fitFrom(start);
  const shown = groups.slice(start, start + count);
  const room = height - (line ? 1 : 0);
  const used = need.slice(start, start + count).reduce((a, b) => a + b, 0);
  // Spare lines go to the plots, evenly; a chart that does not fit at all gets what there is.
  const spare = room - used;
  const rows: ChartRow[] = shown.map((charts, k) => {
    const i = start + k;
    if (spare < 0) return { charts, height: Math.max(fixed[i] + 1, room) };
    const extra = Math.min(MAX_PLOT_ROWS - MIN_PLOT_ROWS, Math.floor(spare / shown.length) + (k < spare % shown.length ? 1 : 0));
    return { charts, height: need[i] + extra };
  });
  const above = start * columns;
  const below = Math.max(0, legendRows.length - (start + count) * columns);
  let more: string | undefined;
  if (line) {
    const parts = [...(above ? [`${glyphs.up} ${above} above`] : []), ...(below ? [`${glyphs.down} ${below} more below`] : [])];
    more = `${parts.join(` ${glyphs.sep} `)} (j/k)`;
  }
  return { columns, chartWidth, rows, first: start, above, below, more };
}

/** Plot cells of a chart this wide: minus the y-axis gutter and its tick mark. */
export function plotCellsFor(chartWidth: number): number {
  return Math.max(10, chartWidth - 10);
}
