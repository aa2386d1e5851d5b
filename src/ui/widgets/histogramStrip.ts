import type { Histogram } from '../../platform/logs/logSource.js';
import { glyphs } from '../../terminal/glyphs.js';

// One row of block characters (or their ASCII levels), one per time bucket, height by line
// count; a bucket with errors is marked so a spike of errors shows at a glance. Pure: the pane
// colours the cells.

export interface StripCell {
  ch: string;
  /** Share of errors in the bucket > 0. */
  errors: boolean;
  selected: boolean;
  /** A rollout or scale change fell in this bucket: the cell shows the marker glyph. */
  marked?: boolean;
}

export function histogramCells(h: Histogram | undefined, width: number, selected?: number, markers: readonly number[] = []): StripCell[] {
  if (!h || h.buckets.length === 0 || width <= 0) return [];
  const buckets = h.buckets.slice(-width);
  const offset = h.buckets.length - buckets.length;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const levels = glyphs.levels;
  return buckets.map((b, i) => {
    const level = b.count === 0 ? 0 : Math.max(1, Math.round((b.count / max) * 8));
    const marked = markers.some((t) => t >= b.start && t < b.start + h.intervalMs);
    return { ch: marked ? glyphs.marker : level === 0 ? ' ' : levels[level - 1], errors: b.errors > 0, selected: selected === i + offset, marked };
  });
}

/** Groups cells into runs of equal styling, for one <Text> per row with few spans. */
export function cellRuns(cells: StripCell[]): Array<{ text: string; errors: boolean; selected: boolean; marked: boolean }> {
  const runs: Array<{ text: string; errors: boolean; selected: boolean; marked: boolean }> = [];
  for (const c of cells) {
    const last = runs[runs.length - 1];
    const marked = c.marked === true;
    if (last && last.errors === c.errors && last.selected === c.selected && last.marked === marked) last.text += c.ch;
    else runs.push({ text: c.ch, errors: c.errors, selected: c.selected, marked });
  }
  return runs;
}
