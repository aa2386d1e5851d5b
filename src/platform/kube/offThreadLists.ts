import { readPodList } from './podProto.js';
import { internPodRow, mapPodRow } from './rowMappers.js';
import type { PodRow } from './rows.js';
import type { ListPage } from './protobuf.js';
import type { RowMapper } from './tableTypes.js';

// The lists whose pages the list decoder's worker reads (listDecoder.ts): the kinds that come by the
// hundred thousand. A name here stands for the same mapper on both threads.

export interface OffThreadList<Row> {
  /** Table rows -> rows (includeObject=Metadata). */
  map: RowMapper<Row>;
  /** A protobuf list -> rows. */
  read: (body: Buffer) => ListPage<Row>;
  /** A row that came from the worker, its repeated strings shared again with every other row's (interned). */
  adopt: (row: Row) => Row;
}

export const OFF_THREAD_LISTS = {
  pods: { map: mapPodRow, read: readPodList, adopt: internPodRow } satisfies OffThreadList<PodRow>,
};

export type OffThreadListName = keyof typeof OFF_THREAD_LISTS;

/** The row type a list's pages are read into. */
export type RowOf<N extends OffThreadListName> = (typeof OFF_THREAD_LISTS)[N] extends OffThreadList<infer Row> ? Row : never;
