import { UserError } from '../../platform/errors.js';
import { labelSelectorOf } from '../../platform/stores/navStore.js';

// A list view as data: where its rows come from, its columns, how a row is coloured.
// The model (filter + sort over every row) is computed off the keystroke path: it is
// memoised on the store version, so moving the cursor never re-sorts.

/** How a row reads: `unknown` when its counts could not be read (a forbidden list). */
export type Tone = 'normal' | 'ok' | 'warn' | 'error' | 'dim' | 'unknown';

export interface Column<R> {
  id: string;
  title: string;
  /** Fixed width in cells, or 'flex' for the column that takes the rest (one per table). */
  width: number | 'flex';
  align?: 'left' | 'right';
  /** Shift+letter that sorts by this column. */
  sortKey?: string;
  /** The first press sorts descending: the most restarts, the most not ready on top (where the problems are). */
  worstFirst?: boolean;
  text(row: R, now: number): string;
  compare?(a: R, b: R): number;
  /** Hidden when the terminal is narrower than this. */
  minTerminalWidth?: number;
}

export interface TableDef<R> {
  columns: Column<R>[];
  key(row: R): string;
  tone(row: R): Tone;
  /** Default sort column id. */
  defaultSort: string;
  /** Text that `/` filters match (besides the visible cells). */
  filterText?(row: R): string;
  /** Sorts that are not one column's (problems first), each with its Shift+letter. */
  sorts?: Array<RowSort<R>>;
  /** Cells the flex (names) column keeps before optional columns give way; default 30. */
  flexMin?: number;
}

/** A sort over several columns: `compare` puts what comes first on top. */
export interface RowSort<R> {
  id: string;
  title: string;
  sortKey: string;
  compare(a: R, b: R): number;
}

export interface ParsedFilter {
  kind: 'none' | 'text' | 'regex' | 'labels';
  value: string;
  regex?: RegExp;
}

export function parseFilter(raw: string): ParsedFilter {
  const text = raw.trim();
  if (!text) return { kind: 'none', value: '' };
  if (text.startsWith('-l ') || text === '-l') {
    const sel = labelSelectorOf(text);
    if (!sel) throw new UserError('empty label selector: type e.g. /-l app=checkout');
    return { kind: 'labels', value: sel };
  }
  if (text.startsWith('re:')) {
    const src = text.slice(3);
    try {
      return { kind: 'regex', value: src, regex: new RegExp(src, 'i') };
    } catch (err) {
      throw new UserError(`invalid regular expression /${src}/: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
    }
  }
  return { kind: 'text', value: text.toLowerCase() };
}

export interface ModelInput<R> {
  def: TableDef<R>;
  rows: Iterable<R>;
  filter: ParsedFilter;
  sort?: { column: string; descending: boolean };
  now: number;
}

export function computeModel<R>({ def, rows, filter, sort, now }: ModelInput<R>): R[] {
  const matches = rowMatcher(def, filter, now);
  const out: R[] = [];
  for (const r of rows) if (!matches || matches(r)) out.push(r);
  out.sort(rowComparator(def, sort, now));
  return out;
}

/** The text or regex filter as a predicate; undefined when every row is listed. */
export function rowMatcher<R>(def: TableDef<R>, filter: ParsedFilter, now: number): ((row: R) => boolean) | undefined {
  if (filter.kind !== 'text' && filter.kind !== 'regex') return undefined;
  // Ages and sparklines change with time, not with the row: they are not matched.
  const cols = def.columns.filter((c) => c.id !== 'age' && c.id !== 'cpu' && c.id !== 'mem');
  return (r) => {
    const cells = cols.map((c) => c.text(r, now));
    if (def.filterText) cells.push(def.filterText(r));
    // Text matches anywhere in the row; a regex matches any one cell, so ^ and $ anchor a name.
    return filter.kind === 'text' ? cells.join(' ').toLowerCase().includes(filter.value) : cells.some((c) => filter.regex!.test(c));
  };
}

/** The view's sort (default column, then name) as a comparator. */
export function rowComparator<R>(def: TableDef<R>, sort: { column: string; descending: boolean } | undefined, now: number): (a: R, b: R) => number {
  const sortId = sort?.column ?? def.defaultSort;
  const col = def.columns.find((c) => c.id === sortId) ?? def.columns[0];
  const own = def.sorts?.find((s) => s.id === sortId);
  const cmp = own?.compare ?? col.compare ?? ((a: R, b: R) => col.text(a, now).localeCompare(col.text(b, now)));
  const name = def.columns[0];
  const nameCmp = name.compare ?? ((a: R, b: R) => name.text(a, now).localeCompare(name.text(b, now)));
  const dir = sort?.descending ? -1 : 1;
  return (a, b) => dir * cmp(a, b) || nameCmp(a, b);
}

/**
 * Shift-W on pods and applications: what needs a look on top, as a k9s user scans for it —
 * failing, then not ready, then restarting (the most restarts first), then the healthy, then
 * what is finished or going away.
 */
export function problemsFirst<R>(tone: (row: R) => Tone, restarts: (row: R) => number): RowSort<R> {
  const rank = (r: R): number => {
    const t = tone(r);
    return t === 'error' ? 0 : t === 'warn' ? 1 : t === 'unknown' ? 2 : t === 'dim' ? 5 : restarts(r) > 0 ? 3 : 4;
  };
  return { id: 'problems', title: 'problems first (failing, not ready, restarting)', sortKey: 'W', compare: (a, b) => rank(a) - rank(b) || restarts(b) - restarts(a) };
}

export const byNumber = <R>(f: (r: R) => number) => (a: R, b: R) => f(a) - f(b);
export const byString = <R>(f: (r: R) => string) => (a: R, b: R) => (f(a) < f(b) ? -1 : f(a) > f(b) ? 1 : 0);
