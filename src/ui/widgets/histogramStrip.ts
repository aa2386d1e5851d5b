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
}

export function histogramCells(h: Histogram | undefined, width: number, selected?: number): StripCell[] {
  if (!h || h.buckets.length === 0 || width <= 0) return [];
  const buckets = h.buckets.slice(-width);
  const offset = h.buckets.length - buckets.length;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const levels = glyphs.levels;
  return buckets.map((b, i) => {
    const level = b.count === 0 ? 0 : Math.max(1, Math.round((b.count / max) * 8));
    return { ch: level === 0 ? ' ' : levels[level - 1], errors: b.errors > 0, selected: selected === i + offset };
  });
}

/** Groups cells into runs of equal styling, for one <Text> per row with few spans. */
export function cellRuns(cells: StripCell[]): Array<{ text: string; errors: boolean; selected: boolean }> {
  const runs: Array<{ text: string; errors: boolean; selected: boolean }> = [];
  for (const c of cells) {
    const last = runs[runs.length - 1];
    if (last && last.errors === c.errors && last.selected === c.selected) last.text += c.ch;
    else runs.push({ text: c.ch, errors: c.errors, selected: c.selected });
  }
  return runs;
}
