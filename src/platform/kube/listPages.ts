import { columnIndexOf, type RowMapper, type Table, type TableColumnDefinition } from './tableTypes.js';
import type { ListPage } from './protobuf.js';

// One list answer's bytes -> the rows of that page. Pure functions of the bytes, so a page can be
// read on the console's thread or in the list decoder's worker (listDecoder.ts) alike.

/** One list page, from a Table or from protobuf, as rows. */
export interface Page<Row> {
  rows: Row[];
  /** Items in the page, mapped to a row or not. */
  items: number;
  resourceVersion: string;
  continue?: string;
  remaining?: number;
  /** The Table's column definitions, when the page carried them. */
  columns?: TableColumnDefinition[];
}

/** The answer was not JSON. */
export class NotJsonError extends Error {
  constructor() {
    super('the server did not answer with JSON');
    this.name = 'NotJsonError';
  }
}

/** The answer was JSON but not a Table (`kind` is what it was). */
export class NotTableError extends Error {
  constructor(readonly kind: string) {
    super(`the server answered without a Table (kind ${kind})`);
    this.name = 'NotTableError';
  }
}

/**
 * A Table list answer as rows. `known` are the columns of an earlier page, for a page that carries
 * none; `wholeObject` hands each row's object to the mapper (includeObject=Object). A row the mapper
 * cannot read is left out: one odd row must not stop a list.
 */
export function tablePage<Row>(body: Buffer, mapRow: RowMapper<Row>, known: readonly TableColumnDefinition[] | undefined, wholeObject: boolean): Page<Row> {
  let table: Table;
  try {
    table = JSON.parse(body.toString('utf8')) as Table;
  } catch {
    throw new NotJsonError();
  }
  if (table?.kind !== 'Table') throw new NotTableError(String(table?.kind));
  const definitions = table.columnDefinitions && table.columnDefinitions.length > 0 ? table.columnDefinitions : undefined;
  const defs = definitions ?? known;
  const columns = defs ? columnIndexOf(defs) : undefined;
  const rows: Row[] = [];
  for (const r of table.rows ?? []) {
    const meta = r.object?.metadata;
    if (!meta || !columns || !r.cells) continue;
    try {
      const row = mapRow(r.cells, columns, meta, wholeObject ? r.object : undefined);
      if (row !== null) rows.push(row);
    } catch {
      // left out, as above
    }
  }
  const md = table.metadata;
  return { rows, items: table.rows?.length ?? 0, resourceVersion: md?.resourceVersion ?? '', continue: md?.continue, remaining: md?.remainingItemCount, columns: definitions };
}

/** A protobuf list read by `read` as a page. */
export function protobufPage<Row>(body: Buffer, read: (body: Buffer) => ListPage<Row>): Page<Row> {
  const { rows, items, resourceVersion, continue: cont, remainingItemCount } = read(body);
  return { rows, items, resourceVersion, continue: cont, remaining: remainingItemCount };
}
