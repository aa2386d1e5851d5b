// Where a tail stands: the newest timestamp seen and the ids seen lately. Each poll asks for
// everything from `from()` = newest - lateWindow, so a line indexed a little late (a slow
// shipper, another node's clock, a refresh in between) is still found; ids already shown
// are dropped, so a line is never shown twice and many lines sharing one timestamp are all
// kept. Ids older than the window can never come back from the query and are forgotten.

export interface CursorHit {
  id: string;
  ts: number;
}

export class TailCursor {
  private newest: number;
  private readonly seen = new Map<string, number>();

  /** `now`: the console's clock; the cursor never stands ahead of it (see mark). */
  constructor(
    start: number,
    readonly lateWindowMs = 5000,
    private readonly now: () => number = () => Number.POSITIVE_INFINITY,
  ) {
    this.newest = Math.min(start, now());
  }

  /** The lower bound (inclusive, epoch ms) of the next poll. */
  from(): number {
    return this.newest - this.lateWindowMs;
  }

  get newestTs(): number {
    return this.newest;
  }

  get remembered(): number {
    return this.seen.size;
  }

  /** Marks hits as seen without returning them (the lines of the first page). */
  prime(hits: Iterable<CursorHit>): void {
    for (const h of hits) this.mark(h);
    this.prune();
  }

  /** The hits not seen before, in the order given; remembers them. */
  accept<T extends CursorHit>(hits: readonly T[]): T[] {
    const fresh: T[] = [];
    const floor = this.from();
    for (const h of hits) {
      if (this.seen.has(h.id)) continue;
      // Older than anything the previous query could return: a duplicate of a forgotten
      // line, or a line later than the late window allows; neither can be placed safely.
      if (h.ts < floor) continue;
      this.mark(h);
      fresh.push(h);
    }
    this.prune();
    return fresh;
  }

  private mark(h: CursorHit): void {
    this.seen.set(h.id, h.ts);
    // A line stamped ahead of the clock (a node whose clock runs fast) is shown, but the cursor does not
    // jump ahead with it: the next polls would ask only from there and the other pods' lines would stop.
    const ts = Math.min(h.ts, this.now());
    if (ts > this.newest) this.newest = ts;
  }

  private prune(): void {
    const floor = this.from();
    // Map iteration is insertion order, which is roughly time order: stop at the first keeper
    // unless the map has grown (late lines inserted out of order).
    let kept = 0;
    for (const [id, ts] of this.seen) {
      if (ts < floor) this.seen.delete(id);
      else if (++kept > 64 && this.seen.size < 200_000) break;
    }
  }
}
