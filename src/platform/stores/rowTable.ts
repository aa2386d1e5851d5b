import type { RowSink, WatchStatus } from '../kube/watchTypes.js';

// Keeps the rows of one watched resource by uid and implements the RowSink contract:
// pages of a relist carry a generation; rows not seen again by the last page are removed.
// `onChange` receives (previous, next) so owners can keep aggregates incrementally.

export interface RowChange<Row> {
  (previous: Row | undefined, next: Row | undefined): void;
}

export class RowTable<Row extends { uid: string }> implements RowSink<Row> {
  readonly rows = new Map<string, Row>();
  private readonly generationOf = new Map<string, number>();
  private generation = 0;
  watchStatus: WatchStatus = { kind: 'listing' };
  /** True once the first complete list has arrived. */
  synced = false;
  /** uid -> time the row last changed after the initial list, for a brief highlight. */
  readonly changedAt = new Map<string, number>();

  constructor(
    private readonly onChange: RowChange<Row>,
    private readonly onStatus: () => void,
  ) {}

  listPage(rows: Row[], generation: number, done: boolean): void {
    this.generation = generation;
    for (const row of rows) {
      this.generationOf.set(row.uid, generation);
      this.put(row, this.synced);
    }
    if (!done) return;
    for (const [uid, gen] of this.generationOf) {
      if (gen < generation) this.remove(uid);
    }
    this.synced = true;
  }

  upsert(row: Row): void {
    this.generationOf.set(row.uid, this.generation);
    this.put(row, true);
  }

  remove(uid: string): void {
    const previous = this.rows.get(uid);
    this.rows.delete(uid);
    this.generationOf.delete(uid);
    this.changedAt.delete(uid);
    if (previous) this.onChange(previous, undefined);
  }

  status(status: WatchStatus): void {
    this.watchStatus = status;
    this.onStatus();
  }

  clear(): void {
    for (const uid of [...this.rows.keys()]) this.remove(uid);
    this.synced = false;
    this.watchStatus = { kind: 'listing' };
  }

  private put(row: Row, markChanged: boolean): void {
    const previous = this.rows.get(row.uid);
    this.rows.set(row.uid, row);
    if (markChanged) this.changedAt.set(row.uid, Date.now());
    this.onChange(previous, row);
  }
}
