// Where the charts of the metrics pane go: one column, or two on wide terminals; each
// chart at least MIN_CHART_ROWS tall; the rest reached by scrolling (j/k).

export const MIN_CHART_ROWS = 9;
const MAX_CHART_ROWS = 16;
const TWO_COLUMNS_FROM = 150;

export interface ChartGrid {
  columns: number;
  chartWidth: number;
  chartHeight: number;
  /** Rows of charts that fit. */
  visibleRows: number;
}

export function chartGrid(width: number, height: number, charts: number): ChartGrid {
  const columns = width >= TWO_COLUMNS_FROM && charts > 1 ? 2 : 1;
  const chartWidth = Math.floor((width - (columns - 1)) / columns);
  const rowsOfCharts = Math.max(1, Math.ceil(charts / columns));
  const fitted = Math.max(MIN_CHART_ROWS, Math.min(MAX_CHART_ROWS, Math.floor(height / rowsOfCharts)));
  const visibleRows = Math.max(1, Math.min(rowsOfCharts, Math.floor(height / fitted)));
  // When scrolling is needed anyway, the charts that show share all the height.
  const chartHeight = visibleRows < rowsOfCharts ? Math.max(1, Math.floor(height / visibleRows)) : Math.min(fitted, height);
  return { columns, chartWidth, chartHeight, visibleRows };
}

/** Plot cells of a chart this wide: minus the y-axis gutter and its tick mark. */
export function plotCellsFor(chartWidth: number): number {
  return Math.max(10, chartWidth - 10);
}
