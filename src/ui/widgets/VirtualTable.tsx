import { Box, Text } from 'ink';
import { memo } from 'react';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Column, TableDef, Tone } from '../views/tableModel.js';
import { glyphs } from '../../terminal/glyphs.js';

// Renders only the rows that fit: one pre-padded <Text> per row, whatever the row count.
// Where the theme has state marks (monochrome, NO_COLOR), each row's first cell carries its
// state, so a failing row does not look like a healthy one without colour.

export interface VirtualTableProps<R> {
  def: TableDef<R>;
  rows: readonly R[];
  cursor: number;
  top: number;
  height: number;
  width: number;
  now: number;
  sort?: { column: string; descending: boolean };
  changedAt?: (row: R) => number | undefined;
  /** Keys (def.key) of rows marked with space: drawn with a `*` in the first cell. */
  marked?: ReadonlySet<string>;
  /**
   * Another value whenever the rows may have changed (the list model they come from): a sorted
   * index reuses its arrays, so the same `rows` can hold other rows than when last drawn.
   */
  revision?: unknown;
}

export const HIGHLIGHT_MS = 1500;

/** The flex column (names) keeps at least this many cells; optional columns give way first. */
const FLEX_MIN = 30;

/** The mark of a row's state in its first cell: the same in every list view. */
export function stateMark(tone: Tone): string {
  switch (tone) {
    case 'warn':
      return '!';
    case 'error':
      return glyphs.cross;
    case 'unknown':
      return '?';
    case 'dim':
      return glyphs.finished;
    default:
      return ' ';
  }
}

/** `gutter`: cells before the first column (the `*` of a marked row, and the state mark). */
export function visibleColumns<R>(def: TableDef<R>, width: number, gutter = 1): Array<Column<R> & { w: number }> {
  let cols = def.columns.filter((c) => !c.minTerminalWidth || width >= c.minTerminalWidth);
  const fixedWidth = (cs: Column<R>[]) => cs.reduce((n, c) => n + (c.width === 'flex' ? 0 : c.width + 1), 0);
  // Drop optional columns, widest requirement first, until the names fit.
  const optional = cols.filter((c) => c.minTerminalWidth).sort((a, b) => (b.minTerminalWidth ?? 0) - (a.minTerminalWidth ?? 0));
  const flexMin = def.flexMin ?? FLEX_MIN;
  while (width - gutter - fixedWidth(cols) < flexMin && optional.length) {
    const drop = optional.shift();
    cols = cols.filter((c) => c !== drop);
  }
  const flex = Math.max(8, width - gutter - fixedWidth(cols));
  return cols.map((c) => ({ ...c, w: c.width === 'flex' ? flex : c.width }));
}

/** Columns of the view left out at this width, in the view's order. */
export function hiddenColumns<R>(def: TableDef<R>, width: number, gutter = 1): Array<Column<R>> {
  const shown = new Set(visibleColumns(def, width, gutter).map((c) => c.id));
  return def.columns.filter((c) => !shown.has(c.id));
}

/**
 * What the header says about the hidden columns, in the room the names' column leaves after
 * its title: the longest wording that fits, down to `+2 cols`; '' when nothing is hidden.
 */
export function hiddenNote(hidden: ReadonlyArray<{ title: string }>, room: number): string {
  if (!hidden.length) return '';
  const names = hidden.map((c) => c.title).join(' ');
  const wordings = [`${hidden.length} hidden: ${names} (wider terminal)`, `hidden: ${names}`, `+${names}`, `+${hidden.length} hidden`, `+${hidden.length} cols`, `+${hidden.length}`];
  return wordings.find((w) => w.length <= room) ?? '';
}

export interface HeaderLine {
  /** The whole header, `width` cells. */
  text: string;
  /** Where the hidden-columns note sits in `text` (drawn dim), or undefined. */
  note?: { start: number; end: number };
}

/** `gutter` as for visibleColumns: the state mark's cell, where the theme has them, and one space. */
export function tableHeader<R>(def: TableDef<R>, width: number, sort?: { column: string; descending: boolean }, gutter = 1): HeaderLine {
  const cols = visibleColumns(def, width, gutter);
  const sortId = sort?.column ?? def.defaultSort;
  const cells = cols.map((c) => {
    const mark = c.id === sortId ? (sort?.descending ? glyphs.down : glyphs.up) : '';
    // The sort arrow must survive a narrow column: the title gives way, not the arrow.
    const title = c.title.length + mark.length > c.w ? c.title.slice(0, Math.max(0, c.w - mark.length)) : c.title;
    return { c, title: title + mark };
  });
  const flex = cells.findIndex((x) => x.c.width === 'flex');
  let note: HeaderLine['note'];
  if (flex >= 0) {
    const cell = cells[flex];
    // Right-aligned in the names' column, a space clear of its title.
    const text = hiddenNote(hiddenColumns(def, width, gutter), cell.c.w - cell.title.length - 1);
    if (text) {
      const start = gutter + cells.slice(0, flex).reduce((n, x) => n + x.c.w + 1, 0) + cell.c.w - text.length;
      cell.title = cell.title.padEnd(cell.c.w - text.length) + text;
      note = { start, end: start + text.length };
    }
  }
  const header = ' '.repeat(gutter) + cells.map((x) => fit(x.title, x.c.w, x.c.align)).join(' ');
  return { text: fit(header, width), note };
}

export function formatRow<R>(cols: Array<Column<R> & { w: number }>, row: R, now: number): string {
  return ' ' + cols.map((c) => fit(c.text(row, now), c.w, c.align)).join(' ');
}

function VirtualTableImpl<R>({ def, rows, cursor, top, height, width, now, sort, changedAt, marked }: VirtualTableProps<R>) {
  const theme = useTheme();
  const marks = theme.stateMarks;
  const gutter = marks ? 2 : 1;
  const cols = visibleColumns(def, width, gutter);
  const header = tableHeader(def, width, sort, gutter);
  const note = header.note;
  const visible = rows.slice(top, top + height);
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text bold color={toneColor(theme, 'title')} wrap="truncate">
        {note ? header.text.slice(0, note.start) : header.text}
        {note ? (
          <Text bold={false} color={toneColor(theme, 'dim')} dimColor={theme.monochrome}>
            {header.text.slice(note.start, note.end)}
          </Text>
        ) : null}
        {note ? header.text.slice(note.end) : null}
      </Text>
      {visible.map((row, i) => {
        const index = top + i;
        const isMarked = marked !== undefined && marked.size > 0 && marked.has(def.key(row));
        const tone = def.tone(row);
        const lead = `${marks ? stateMark(tone) : ''}${isMarked ? '*' : ' '}`;
        const line = fit(lead + formatRow(cols, row, now).slice(1), width);
        if (index === cursor) {
          return theme.monochrome || theme.selection.inverse ? (
            <Text key={def.key(row)} inverse wrap="truncate">{line}</Text>
          ) : (
            <Text key={def.key(row)} color={theme.selection.fg} backgroundColor={theme.selection.bg} wrap="truncate">{line}</Text>
          );
        }
        const changed = changedAt?.(row);
        const recent = changed !== undefined && now - changed < HIGHLIGHT_MS;
        if (isMarked) {
          return (
            <Text key={def.key(row)} bold color={toneColor(theme, 'accent')} wrap="truncate">
              {line}
            </Text>
          );
        }
        return (
          <Text key={def.key(row)} color={recent ? toneColor(theme, 'changed') : toneColor(theme, tone)} bold={(recent || tone === 'error') && theme.monochrome} dimColor={tone === 'dim' && theme.monochrome} wrap="truncate">
            {line}
          </Text>
        );
      })}
    </Box>
  );
}

export const VirtualTable = memo(VirtualTableImpl) as typeof VirtualTableImpl;
