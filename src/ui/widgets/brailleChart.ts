import { formatWithScale, unitScale, type Unit } from '../../platform/metrics/units.js';
import { glyphs } from '../../terminal/glyphs.js';

// A line chart drawn with braille characters: each cell holds 2x4 dots, so a chart 60
// cells wide has 120 x-positions. In ASCII a cell shows where the line passes through it
// (glyphs.plot: `'` `-` `.` or `|`). Pure: series in, lines of coloured segments out, with a
// y-axis in the chart's unit, an x-axis with times and a legend. The Ink component only
// paints the segments (one <Text> per line).

/** A run of characters drawn in one style. `series` >= 0 colours it as that series. */
export interface Segment {
  text: string;
  series?: number;
  role?: 'axis' | 'title' | 'dim' | 'cursor' | 'warn';
  /** Drawn inverse: the cursor column. */
  inverse?: boolean;
}

export type ChartLine = Segment[];

// Dot bits per (row within the cell, left/right column), as the Unicode braille block numbers them.
const DOT_BITS = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

export interface YRange {
  lo: number;
  hi: number;
}

/**
 * The y range for these series: finite values only, zero included, rounded out to nice
 * numbers in the display unit (`divisor`: 1 MiB rounds 536,870,912 bytes to 600 MiB, not 6e8 B).
 */
export function yRange(series: ReadonlyArray<ArrayLike<number>>, includeZero = true, divisor = 1): YRange {
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (lo === Infinity) return { lo: 0, hi: 1 };
  if (includeZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (lo === hi) return lo === 0 ? { lo: 0, hi: 1 } : { lo: lo - Math.abs(lo) / 2, hi: hi + Math.abs(hi) / 2 };
  const d = divisor > 0 && Number.isFinite(divisor) ? divisor : 1;
  return { lo: lo < 0 ? -niceCeil(-lo / d) * d : lo, hi: hi > 0 ? niceCeil(hi / d) * d : hi };
}

/** Smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 x 10^k that is >= v (v > 0). */
export function niceCeil(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) return v;
  const exp = Math.floor(Math.log10(v));
  const base = 10 ** exp;
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    const c = m * base;
    if (c >= v * (1 - 1e-12)) return Number.isFinite(c) ? c : v;
  }
  return v;
}

export interface PlotOptions {
  width: number;
  height: number;
  lo: number;
  hi: number;
  /** Sample index under the cursor: its column is marked. */
  cursor?: number;
  /** Sample indexes of changes (rollouts, scale changes): their empty cells show the marker glyph. */
  markers?: readonly number[];
  /** Series indexes in drawing order (later ones win shared cells); default 0..n-1. */
  drawOrder?: readonly number[];
}

/**
 * The plot area only: `height` lines of `width` cells. Series are drawn in order, a later
 * series owning (colouring) a cell it shares with an earlier one. NaN/Infinity are gaps.
 */
export function plotBraille(series: ReadonlyArray<ArrayLike<number>>, opts: PlotOptions): ChartLine[] {
  const width = Math.max(1, Math.floor(opts.width));
  const height = Math.max(1, Math.floor(opts.height));
  const W = width * 2;
  const H = height * 4;
  const mask = new Uint8Array(width * height);
  const owner = new Int16Array(width * height).fill(-1);
  const { lo, hi } = opts;
  const yOf = (v: number): number => {
    // Halves keep (v - lo) finite for values near ±Number.MAX_VALUE.
    const frac = hi > lo ? (v / 2 - lo / 2) / (hi / 2 - lo / 2) : 0.5;
    const y = H - 1 - Math.round(Math.min(1, Math.max(0, frac)) * (H - 1));
    return y;
  };
  const points = series.reduce((n, s) => Math.max(n, s.length), 0);
  const xOf = (i: number): number => (points <= 1 ? W - 1 : Math.round((i * (W - 1)) / (points - 1)));
  const set = (x: number, y: number, s: number) => {
    const cell = (y >> 2) * width + (x >> 1);
    mask[cell] |= DOT_BITS[y & 3][x & 1];
    owner[cell] = s;
  };
  const order = opts.drawOrder ?? series.map((_, i) => i);
  for (const s of order) {
    const values = series[s];
    if (!values) continue;
    let px = -1;
    let py = -1;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) {
        px = -1;
        continue;
      }
      const x = xOf(i);
      const y = yOf(v);
      if (px < 0) set(x, y, s);
      else line(px, py, x, y, (lx, ly) => set(lx, ly, s));
      px = x;
      py = y;
    }
  }
  const cursorCol = opts.cursor !== undefined && points > 0 ? xOf(Math.min(points - 1, Math.max(0, opts.cursor))) >> 1 : -1;
  const markerCols = new Set((opts.markers ?? []).map((i) => xOf(Math.min(points - 1, Math.max(0, i))) >> 1));
  const { plot, rule, marker } = glyphs;
  const out: ChartLine[] = [];
  for (let row = 0; row < height; row++) {
    const segs: Segment[] = [];
    for (let col = 0; col < width; col++) {
      const cell = row * width + col;
      const ch = plot(mask[cell]);
      const seg: Segment =
        col === cursorCol ? { text: mask[cell] ? ch : rule, role: 'cursor', inverse: mask[cell] > 0 }
        : owner[cell] >= 0 ? { text: ch, series: owner[cell] }
        : markerCols.has(col) ? { text: marker, role: 'warn' }
        : { text: ' ' };
      const last = segs[segs.length - 1];
      if (last && last.series === seg.series && last.role === seg.role && last.inverse === seg.inverse) last.text += seg.text;
      else segs.push(seg);
    }
    out.push(segs);
  }
  return out;
}

/** Bresenham from (x0,y0) to (x1,y1), both ends included. */
function line(x0: number, y0: number, x1: number, y1: number, plot: (x: number, y: number) => void): void {
  const dx = Math.abs(x1 - x0);
  const dy = -Math.abs(y1 - y0);
  const sx = x0 < x1 ? 1 : -1;
  const sy = y0 < y1 ? 1 : -1;
  let err = dx + dy;
  for (;;) {
    plot(x0, y0);
    if (x0 === x1 && y0 === y1) return;
    const e2 = 2 * err;
    if (e2 >= dy) {
      err += dy;
      x0 += sx;
    }
    if (e2 <= dx) {
      err += dx;
      y0 += sy;
    }
  }
}

export interface ChartSeriesInput {
  label: string;
  values: ArrayLike<number>;
  /** Requests/limits: drawn in the dim colour, listed after the data. */
  reference?: boolean;
}

export interface ChartInput {
  title: string;
  unit: Unit;
  /** Unix seconds of each sample slot. */
  times: readonly number[];
  series: readonly ChartSeriesInput[];
  width: number;
  height: number;
  cursor?: number;
  /** Unix seconds of changes (rollouts, scale changes) to mark on the plot, where they fall in `times`. */
  markers?: readonly number[];
  /** Formats a time for the x-axis; default local HH:MM (or MM-DD HH:MM over two days). */
  formatTime?: (unixSeconds: number, spanSeconds: number) => string;
  /** One-line message drawn in the middle instead of the plot ("no data ..."). */
  message?: string;
  /** Extra text after the title (age, error, range). */
  note?: Segment;
}

export interface ChartOutput {
  lines: ChartLine[];
  range: YRange;
}

export function defaultTimeFormat(t: number, span: number): string {
  const d = new Date(t * 1000);
  const hm = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (span <= 36 * 3600) return hm;
  return `${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${hm}`;
}

function chartScale(input: Pick<ChartInput, 'series' | 'unit'>): ReturnType<typeof unitScale> {
  const raw = yRange(input.series.map((s) => s.values), true);
  return unitScale(input.unit, Math.max(Math.abs(raw.lo), Math.abs(raw.hi)));
}

/** Lines the legend of this chart takes (the grid keeps room for all of them). */
export function legendRowCount(input: Pick<ChartInput, 'series' | 'unit' | 'width' | 'cursor'>): number {
  return legendLines(input, chartScale(input), Math.max(20, Math.floor(input.width))).length;
}

/** A complete chart: title line, plot with y-axis labels, x-axis with times, legend. */
export function layoutChart(input: ChartInput): ChartOutput {
  const width = Math.max(20, Math.floor(input.width));
  const fmtTime = input.formatTime ?? defaultTimeFormat;
  const scale = chartScale(input);
  const range = yRange(input.series.map((s) => s.values), true, scale.divisor);
  const legend = legendLines(input, scale, width);
  const plotHeight = Math.max(1, input.height - 2 - legend.length);
  const yLabels = axisLabels(range, plotHeight, (v) => formatWithScale(v, scale));
  const gutter = Math.max(...yLabels.map((l) => l.length)) + 1;
  const plotWidth = Math.max(4, width - gutter - 1);

  const title: ChartLine = [{ text: ` ${input.title} `, role: 'title' }, { text: `(${scale.label})`, role: 'dim' }];
  if (input.cursor !== undefined && input.times[input.cursor] !== undefined) {
    title.push({ text: `  @ ${fmtTime(input.times[input.cursor], spanOf(input.times))}`, role: 'cursor' });
  }
  if (input.note) title.push({ text: '  ' }, input.note);

  const plot = input.message
    ? messagePlot(input.message, plotWidth, plotHeight)
    : plotBraille(
        // Reference lines first, so data drawn over them keeps its colour.
        input.series.map((s) => s.values),
        { width: plotWidth, height: plotHeight, lo: range.lo, hi: range.hi, cursor: input.cursor, markers: markerSlots(input.times, input.markers), drawOrder: drawOrder(input.series) },
      );
  const lines: ChartLine[] = [title];
  plot.forEach((row, i) => {
    lines.push([{ text: yLabels[i].padStart(gutter - 1) + ' ', role: 'axis' }, { text: glyphs.axis, role: 'axis' }, ...recolourReference(row, input.series)]);
  });
  lines.push([{ text: ' '.repeat(gutter), role: 'axis' }, { text: xAxis(input.times, plotWidth, fmtTime), role: 'axis' }]);
  lines.push(...legend);
  return { lines, range };
}

/** The sample slot nearest each marker time inside the chart's times (those outside are left out). */
export function markerSlots(times: readonly number[], markers: readonly number[] | undefined): number[] {
  if (!markers?.length || times.length === 0) return [];
  const step = times.length > 1 ? times[1] - times[0] : 1;
  const first = times[0];
  const last = times[times.length - 1];
  return markers.filter((t) => t >= first - step / 2 && t <= last + step / 2).map((t) => Math.round((t - first) / step));
}

function drawOrder(series: readonly ChartSeriesInput[]): number[] {
  const idx = series.map((_, i) => i);
  return [...idx.filter((i) => series[i].reference), ...idx.filter((i) => !series[i].reference)];
}

function recolourReference(row: ChartLine, series: readonly ChartSeriesInput[]): ChartLine {
  return row.map((seg) => (seg.series !== undefined && series[seg.series]?.reference ? { ...seg, role: 'dim' as const } : seg));
}

function spanOf(times: readonly number[]): number {
  return times.length > 1 ? times[times.length - 1] - times[0] : 0;
}

/** A y label for the first, last and every ~4th row; the value at that row's middle. */
function axisLabels(range: YRange, rows: number, fmt: (v: number) => string): string[] {
  const every = rows >= 8 ? 4 : rows >= 4 ? Math.ceil(rows / 2) : rows;
  return Array.from({ length: rows }, (_, r) => {
    if (r !== 0 && r !== rows - 1 && r % every !== 0) return '';
    // Row r spans pixels 4r..4r+3 of H = 4*rows; label the top row with hi and the bottom with lo.
    const frac = rows === 1 ? 1 : 1 - r / (rows - 1);
    return fmt(range.lo + (range.hi - range.lo) * frac);
  });
}

/** Times under the plot: one label every ~14 columns, starting at the left edge. */
function xAxis(times: readonly number[], width: number, fmt: (t: number, span: number) => string): string {
  if (times.length === 0) return '';
  const span = spanOf(times);
  const sample = fmt(times[0], span);
  const spacing = sample.length + 4;
  let out = '';
  for (let col = 0; col + sample.length <= width; col += spacing) {
    const i = times.length === 1 ? 0 : Math.round((col / Math.max(1, width - 1)) * (times.length - 1));
    out = out.padEnd(col, ' ') + fmt(times[i], span);
  }
  return out;
}

function messagePlot(message: string, width: number, height: number): ChartLine[] {
  const mid = Math.floor((height - 1) / 2);
  return Array.from({ length: height }, (_, r) => {
    if (r !== mid) return [{ text: ' '.repeat(width) }];
    const text = message.length > width - 2 ? `${message.slice(0, Math.max(0, width - 3))}${glyphs.cut}` : message;
    const pad = Math.max(0, Math.floor((width - text.length) / 2));
    return [{ text: `${' '.repeat(pad)}${text}`.padEnd(width), role: 'dim' as const }];
  });
}

/** "■ label value" per series, packed into as few lines as fit; value at the cursor or the newest. */
function legendLines(input: Pick<ChartInput, 'series' | 'cursor'>, scale: ReturnType<typeof unitScale>, width: number): ChartLine[] {
  const lines: ChartLine[] = [];
  let current: ChartLine = [{ text: ' ' }];
  let used = 1;
  input.series.forEach((s, i) => {
    const v = input.cursor !== undefined ? s.values[input.cursor] : lastFinite(s.values);
    const value = v === undefined || Number.isNaN(v) ? '-' : formatWithScale(v, scale);
    const label = s.label.length > 40 ? `${s.label.slice(0, 39)}${glyphs.cut}` : s.label;
    const text = `${label} ${value}  `;
    const need = 2 + text.length;
    if (used + need > width && used > 1) {
      lines.push(current);
      current = [{ text: ' ' }];
      used = 1;
    }
    current.push(s.reference ? { text: `${glyphs.dashed} `, role: 'dim' } : { text: `${glyphs.swatch} `, series: i }, { text });
    used += need;
  });
  if (used > 1) lines.push(current);
  return lines;
}

function lastFinite(values: ArrayLike<number>): number | undefined {
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return undefined;
}

/** The plain text of a line (tests, snapshots). */
export function lineText(line: ChartLine): string {
  return line.map((s) => s.text).join('');
}
