import type { LogLine } from './logLine.js';

// The lines the logs pane can show, in time order, bounded by a number of lines and of
// bytes (a chatty pod must not grow the console without limit: k9s#1188). Following
// appends at the end and drops the oldest lines; loading older history prepends and, when
// full, drops the newest ones (the tail is then re-read when following resumes).
//
// Positions are absolute (`base` counts lines ever dropped from the front, minus history
// prepended), so a paused view keeps pointing at the same line while the buffer moves.

export interface RingLimits {
  maxLines: number;
  maxBytes: number;
}

export const DEFAULT_RING_LIMITS: RingLimits = { maxLines: 50_000, maxBytes: 64 * 1024 * 1024 };

export class LogRing {
  private items: LogLine[] = [];
  private start = 0;
  private bytesHeld = 0;
  /** Absolute position of the first held line. */
  private base = 0;
  /** Lines dropped from the front (oldest) since the last clear. */
  droppedOld = 0;
  /** Lines dropped from the back (newest) while history was loaded. */
  droppedNew = 0;
  /** Bumped on every change; views use it as their snapshot version. */
  version = 0;

  constructor(public limits: RingLimits = DEFAULT_RING_LIMITS) {}

  get length(): number {
    return this.items.length - this.start;
  }

  get bytes(): number {
    return this.bytesHeld;
  }

  /** Absolute position of the first held line. */
  get first(): number {
    return this.base;
  }

  /** Absolute position one past the last held line. */
  get end(): number {
    return this.base + this.length;
  }

  /** The line at an absolute position, or undefined when it is not held. */
  at(pos: number): LogLine | undefined {
    const i = pos - this.base;
    if (i < 0 || i >= this.length) return undefined;
    return this.items[this.start + i];
  }

  get last(): LogLine | undefined {
    return this.length > 0 ? this.items[this.items.length - 1] : undefined;
  }

  get oldest(): LogLine | undefined {
    return this.length > 0 ? this.items[this.start] : undefined;
  }

  clear(): void {
    this.base += this.length;
    this.items = [];
    this.start = 0;
    this.bytesHeld = 0;
    this.droppedOld = 0;
    this.droppedNew = 0;
    this.version++;
  }

  /**
   * Appends lines in time order. A line older than the current last one (a late arrival,
   * or another pod's stream running behind) is inserted at its place; equal timestamps
   * keep arrival order. Returns the absolute positions' shift: lines dropped from the front.
   */
  append(lines: readonly LogLine[]): number {
    for (const line of lines) {
      const last = this.items.length > this.start ? this.items[this.items.length - 1] : undefined;
      if (!last || line.ts >= last.ts) this.items.push(line);
      else this.items.splice(this.start + this.insertionIndex(line.ts), 0, line);
      this.bytesHeld += line.bytes;
    }
    const dropped = this.trimFront();
    this.version++;
    return dropped;
  }

  /**
   * Merges a batch of lines (in any order) into the held ones by time, in one pass over the
   * held lines newer than the batch's oldest (a fleet's clusters: new lines land near the end,
   * so the pass is short). Equal timestamps keep the held lines first, then the batch's order:
   * a line shown never moves among its equals. Over the limits, the oldest lines are dropped
   * (`drop: 'front'`) or, for history loaded while scrolling back, the newest (`'back'`).
   * Returns the lines dropped and how many were inserted before the absolute position `anchor`
   * (a paused view adds them to its top to stay on the same line).
   */
  merge(lines: readonly LogLine[], drop: 'front' | 'back' = 'front', anchor = this.end): { dropped: number; before: number } {
    if (lines.length === 0) return { dropped: 0, before: 0 };
    const batch = lines.map((l, i) => ({ l, i })).sort((a, b) => a.l.ts - b.l.ts || a.i - b.i).map((x) => x.l);
    const from = this.start + this.insertionIndex(batch[0].ts);
    const tail = this.items.splice(from);
    const anchorAt = anchor - this.base + this.start;
    let before = 0;
    let t = 0;
    let b = 0;
    while (t < tail.length || b < batch.length) {
      if (b >= batch.length || (t < tail.length && tail[t].ts <= batch[b].ts)) this.items.push(tail[t++]);
      else {
        // Inserted before the held line at the anchor (or before the end, for `end`).
        if (from + t <= anchorAt) before++;
        this.items.push(batch[b++]);
        this.bytesHeld += this.items[this.items.length - 1].bytes;
      }
    }
    let dropped = 0;
    if (drop === 'front') dropped = this.trimFront();
    else {
      while (this.length > 1 && (this.length > this.limits.maxLines || this.bytesHeld > this.limits.maxBytes)) {
        this.bytesHeld -= this.items.pop()!.bytes;
        dropped++;
      }
      this.droppedNew += dropped;
    }
    this.version++;
    return { dropped, before };
  }

  /** Removes the held lines matching a predicate (a cluster's lines before its new result). */
  remove(match: (line: LogLine) => boolean): number {
    const kept = this.items.slice(this.start).filter((l) => !match(l));
    const removed = this.length - kept.length;
    if (removed === 0) return 0;
    this.items = kept;
    this.start = 0;
    this.bytesHeld = kept.reduce((n, l) => n + l.bytes, 0);
    this.version++;
    return removed;
  }

  /** Prepends older lines (history, oldest first). Drops from the back when over the limits. */
  prepend(lines: readonly LogLine[]): number {
    if (lines.length === 0) return 0;
    const held = this.items.slice(this.start);
    this.items = (lines as LogLine[]).concat(held);
    this.start = 0;
    this.base -= lines.length;
    for (const l of lines) this.bytesHeld += l.bytes;
    let dropped = 0;
    while (this.length > 1 && (this.length > this.limits.maxLines || this.bytesHeld > this.limits.maxBytes)) {
      const l = this.items.pop()!;
      this.bytesHeld -= l.bytes;
      dropped++;
    }
    this.droppedNew += dropped;
    this.version++;
    return dropped;
  }

  /** Positions (absolute) of the held lines matching a predicate, in order. */
  positions(match: (line: LogLine) => boolean): number[] {
    const out: number[] = [];
    for (let i = this.start; i < this.items.length; i++) if (match(this.items[i])) out.push(this.base + i - this.start);
    return out;
  }

  /** All held lines, oldest first (export). */
  lines(): LogLine[] {
    return this.items.slice(this.start);
  }

  /** Index (relative to start) of the first line with ts greater than `ts`, searching from the end. */
  private insertionIndex(ts: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[this.start + mid].ts <= ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private trimFront(): number {
    let dropped = 0;
    while (this.length > 1 && (this.length > this.limits.maxLines || this.bytesHeld > this.limits.maxBytes)) {
      this.bytesHeld -= this.items[this.start].bytes;
      this.start++;
      dropped++;
    }
    if (dropped > 0) {
      this.base += dropped;
      this.droppedOld += dropped;
      // Compact now and then rather than shifting the array on every drop.
      if (this.start > 4096 && this.start > this.items.length / 2) {
        this.items = this.items.slice(this.start);
        this.start = 0;
      }
    }
    return dropped;
  }
}
