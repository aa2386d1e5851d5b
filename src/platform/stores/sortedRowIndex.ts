// The rows of one list view (scope + filter + sort) kept in order as they change, so a store
// tick costs what changed, not what is listed: at 100,000 pods a tick with a few hundred pod
// events moves a few hundred rows instead of filtering and sorting 100,000 again. Built once
// when the view, its filter or its sort changes.

export interface RowOrder<R> {
  key(row: R): string;
  /** The view's sort; ties are broken by key, so every row has exactly one place. */
  compare(a: R, b: R): number;
  /** Scope and filter: rows that fail it are not listed. */
  matches(row: R): boolean;
}

interface PendingChange<R> {
  /** The row as it stands in the index (undefined: it was not there). */
  previous: R | undefined;
  next: R | undefined;
}

/** Above this many changes in one tick, one merge pass beats one splice per change. */
const SPLICE_LIMIT = 64;

export class SortedRowIndex<R> {
  private sorted: R[];
  private snapshot: readonly R[] | undefined;
  private readonly pending = new Map<string, PendingChange<R>>();
  private readonly order: RowOrder<R>;

  constructor(order: RowOrder<R>, rows: Iterable<R>) {
    this.order = order;
    this.sorted = [];
    for (const r of rows) if (order.matches(r)) this.sorted.push(r);
    this.sorted.sort((a, b) => this.compare(a, b));
  }

  /** A row changed in the store (previous undefined: added; next undefined: removed). */
  change(previous: R | undefined, next: R | undefined): void {
    const key = this.order.key((next ?? previous)!);
    const queued = this.pending.get(key);
    // Two changes of one row in a tick: the index still holds the first one's previous.
    if (queued) queued.next = next;
    else this.pending.set(key, { previous, next });
  }

  /** The listed rows in order, with the changes since the last call applied. */
  rows(): readonly R[] {
    if (this.pending.size) {
      this.apply();
      this.snapshot = undefined;
    }
    // A new array after every change: renders compare rows by identity.
    return (this.snapshot ??= this.sorted.slice());
  }

  private compare(a: R, b: R): number {
    const c = this.order.compare(a, b);
    if (c) return c;
    const ka = this.order.key(a);
    const kb = this.order.key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }

  private apply(): void {
    const changes = [...this.pending.values()];
    this.pending.clear();
    if (changes.length <= SPLICE_LIMIT) {
      for (const { previous, next } of changes) {
        if (previous) this.removeOne(previous);
        if (next && this.order.matches(next)) this.sorted.splice(this.lowerBound(next), 0, next);
      }
      return;
    }
    // Many changes: drop every changed row in one pass, then merge in the new versions.
    const changedKeys = new Set<string>();
    const added: R[] = [];
    for (const { previous, next } of changes) {
      if (previous) changedKeys.add(this.order.key(previous));
      if (next) {
        changedKeys.add(this.order.key(next));
        if (this.order.matches(next)) added.push(next);
      }
    }
    added.sort((a, b) => this.compare(a, b));
    const kept = this.sorted.filter((r) => !changedKeys.has(this.order.key(r)));
    const merged: R[] = new Array(kept.length + added.length);
    let i = 0;
    let j = 0;
    let k = 0;
    while (i < kept.length && j < added.length) merged[k++] = this.compare(kept[i], added[j]) <= 0 ? kept[i++] : added[j++];
    while (i < kept.length) merged[k++] = kept[i++];
    while (j < added.length) merged[k++] = added[j++];
    this.sorted = merged;
  }

  private removeOne(row: R): void {
    const at = this.lowerBound(row);
    const there = this.sorted[at];
    // Not found when the row did not match the filter: nothing to remove.
    if (there !== undefined && this.order.key(there) === this.order.key(row)) this.sorted.splice(at, 1);
  }

  /** The first position whose row sorts at or after `row`. */
  private lowerBound(row: R): number {
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.sorted[mid], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
