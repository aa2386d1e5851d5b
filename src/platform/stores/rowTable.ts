import type { ListProgress, RowSink, WatchStatus } from '../kube/watchTypes.js';

// Keeps the rows of one watched resource by uid and implements the RowSink contract:
// pages of a relist carry a generation; rows not seen again by the last page are removed.
// `onChange` receives (previous, next) so owners can keep aggregates incrementally.

export interface RowChange<Row> {
  (previous: Row | undefined, next: Row | undefined): void;
}

/** How long a row's change is remembered for its highlight (the views show it for less). */
export const CHANGE_KEPT_MS = 10_000;

/**
 * The rows a paged list of one generation has delivered so far (and those upserted meanwhile);
 * when its last page arrives, the rows not among them are gone. Kept only while a list runs:
 * a uid -> generation map beside 75,000 rows would cost ~4 MB for as long as they live. A list
 * into an empty table (the first) keeps none: every row it ends with came in during it.
 */
class ListRound {
  readonly seen: Set<string> | undefined;
  constructor(
    readonly generation: number,
    tableEmpty: boolean,
  ) {
    this.seen = tableEmpty ? undefined : new Set<string>();
  }
}

export class RowTable<Row extends { uid: string }> implements RowSink<Row> {
  readonly rows = new Map<string, Row>();
  private round: ListRound | undefined;
  watchStatus: WatchStatus = { kind: 'listing' };
  /** True once the first complete list has arrived. */
  synced = false;
  /** Systems whose rows the user may not list (403), with the API server's message. */
  readonly forbidden = new Map<string, string>();
  /**
   * uid -> time the row last changed after the initial list, for a brief highlight; oldest first,
   * and only the last CHANGE_KEPT_MS (under churn it would otherwise grow to every pod).
   */
  readonly changedAt = new Map<string, number>();
  /** How far the running paged list has got; undefined when no list is under way. */
  private ownProgress: ListProgress | undefined;
  /** The same per partition, while a fallback per-system list is under way. */
  readonly partProgress = new Map<object, ListProgress>();

  constructor(
    private readonly onChange: RowChange<Row>,
    private readonly onStatus: () => void,
  ) {}

  listPage(rows: Row[], generation: number, done: boolean, progress?: ListProgress): void {
    if (this.round?.generation !== generation) this.round = new ListRound(generation, this.rows.size === 0);
    const seen = this.round.seen;
    this.ownProgress = done ? undefined : progress;
    for (const row of rows) {
      seen?.add(row.uid);
      this.put(row, this.synced);
    }
    if (!done) return;
    this.round = undefined;
    if (seen) {
      const gone: string[] = [];
      for (const uid of this.rows.keys()) if (!seen.has(uid)) gone.push(uid);
      for (const uid of gone) this.remove(uid);
    }
    this.synced = true;
  }

  upsert(row: Row): void {
    this.round?.seen?.add(row.uid);
    this.put(row, true);
  }

  remove(uid: string): void {
    const previous = this.rows.get(uid);
    this.rows.delete(uid);
    this.round?.seen?.delete(uid);
    this.changedAt.delete(uid);
    if (previous) this.onChange(previous, undefined);
  }

  status(status: WatchStatus): void {
    this.watchStatus = status;
    this.onStatus();
  }

  /**
   * Items received so far by the paged list(s) under way, and the total when the server said
   * how many remain (every partition's list counted); undefined when none is running.
   */
  listProgress(): { received: number; expected?: number } | undefined {
    const parts = [...(this.ownProgress ? [this.ownProgress] : []), ...this.partProgress.values()];
    if (parts.length === 0) return undefined;
    let received = 0;
    let remaining: number | undefined = 0;
    for (const p of parts) {
      received += p.received;
      remaining = remaining === undefined || p.remaining === undefined ? undefined : remaining + p.remaining;
    }
    return remaining === undefined ? { received } : { received, expected: received + remaining };
  }

  clear(): void {
    this.ownProgress = undefined;
    this.partProgress.clear();
    this.forbidden.clear();
    for (const uid of [...this.rows.keys()]) this.remove(uid);
    this.round = undefined;
    this.synced = false;
    this.watchStatus = { kind: 'listing' };
  }

  private put(row: Row, markChanged: boolean): void {
    const previous = this.rows.get(row.uid);
    this.rows.set(row.uid, row);
    if (markChanged) this.markChanged(row.uid, Date.now());
    this.onChange(previous, row);
  }

  private markChanged(uid: string, now: number): void {
    this.changedAt.delete(uid);
    this.changedAt.set(uid, now);
    for (const [old, at] of this.changedAt) {
      if (now - at < CHANGE_KEPT_MS) break;
      this.changedAt.delete(old);
    }
  }
}

/**
 * One namespace's share of a RowTable, used when a cluster-wide list is forbidden and
 * the console falls back to one list+watch per system: each partition relists on its
 * own, so it tracks its own generations and removes only its own stale rows.
 */
export class RowTablePartition<Row extends { uid: string }> implements RowSink<Row> {
  private readonly generationOf = new Map<string, number>();
  private generation = 0;
  watchStatus: WatchStatus = { kind: 'listing' };

  constructor(
    private readonly table: RowTable<Row>,
    private readonly onStatus: (status: WatchStatus) => void,
  ) {}

  listPage(rows: Row[], generation: number, done: boolean, progress?: ListProgress): void {
    this.generation = generation;
    if (done || !progress) this.table.partProgress.delete(this);
    else this.table.partProgress.set(this, progress);
    for (const row of rows) {
      this.generationOf.set(row.uid, generation);
      this.table.upsert(row);
    }
    if (!done) return;
    for (const [uid, gen] of this.generationOf) if (gen < generation) this.remove(uid);
  }

  upsert(row: Row): void {
    this.generationOf.set(row.uid, this.generation);
    this.table.upsert(row);
  }

  remove(uid: string): void {
    this.generationOf.delete(uid);
    this.table.remove(uid);
  }

  status(status: WatchStatus): void {
    this.watchStatus = status;
    this.onStatus(status);
  }

  /** The system was deleted or the feed stopped: its rows leave the table. */
  drop(): void {
    this.table.partProgress.delete(this);
    for (const uid of [...this.generationOf.keys()]) this.remove(uid);
  }
}
