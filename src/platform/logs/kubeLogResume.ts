// Resuming a container's log stream after a reconnect without repeating lines, as stern
// does: remember the newest timestamp seen and how many lines carried it. The log API's
// sinceTime has second precision, so a reconnect re-sends the rest of that second; lines
// older than the remembered timestamp, and the first N at it, are skipped.
//
// Lines come with `timestamps=true`: "2026-08-21T10:00:00.123456789Z message".

export interface TimestampedLine {
  /** Epoch ms. */
  ts: number;
  /** Nanoseconds within the second, for ordering inside a millisecond. */
  nanos: number;
  /** Epoch seconds. */
  sec: number;
  text: string;
  /** Stable per line: `<rfc3339>#<n-th line at that timestamp>`. */
  key: string;
}

const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d) ?/;

export function splitTimestamp(line: string): { sec: number; nanos: number; stamp: string; text: string } | undefined {
  const m = TS.exec(line);
  if (!m) return undefined;
  const sec = Date.parse(`${m[1]}${m[3]}`) / 1000;
  if (!Number.isFinite(sec)) return undefined;
  const nanos = Number((m[2] ?? '').padEnd(9, '0'));
  return { sec, nanos, stamp: m[0].trim(), text: line.slice(m[0].length) };
}

export class ContainerResume {
  private lastSec = Number.NEGATIVE_INFINITY;
  private lastNanos = 0;
  /** Lines seen carrying exactly (lastSec, lastNanos). */
  private atLast = 0;
  /** During a replay: lines at (lastSec, lastNanos) passed so far in this stream. */
  private replayedAtLast = 0;

  /** Call when a new stream (re)starts. */
  restart(): void {
    this.replayedAtLast = 0;
  }

  /** Query parameter for a reconnect: the second of the newest line seen (RFC 3339). */
  sinceTime(): string | undefined {
    if (!Number.isFinite(this.lastSec)) return undefined;
    return new Date(this.lastSec * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  get newestMs(): number {
    return Number.isFinite(this.lastSec) ? this.lastSec * 1000 + Math.floor(this.lastNanos / 1e6) : Number.NEGATIVE_INFINITY;
  }

  /** The line if it is new; undefined for a line already delivered before a reconnect. */
  accept(raw: string): TimestampedLine | undefined {
    const p = splitTimestamp(raw);
    if (!p) {
      // No timestamp (should not happen with timestamps=true): keep it, attached to the last time.
      const sec = Number.isFinite(this.lastSec) ? this.lastSec : Date.now() / 1000;
      return { ts: Math.floor(sec * 1000), sec, nanos: this.lastNanos, text: raw, key: `nots#${this.atLast++}` };
    }
    const cmp = p.sec !== this.lastSec ? p.sec - this.lastSec : p.nanos - this.lastNanos;
    if (cmp < 0) return undefined;
    if (cmp === 0) {
      this.replayedAtLast++;
      if (this.replayedAtLast <= this.atLast) return undefined;
      this.atLast++;
    } else {
      this.lastSec = p.sec;
      this.lastNanos = p.nanos;
      this.atLast = 1;
      this.replayedAtLast = 1;
    }
    return { ts: p.sec * 1000 + Math.floor(p.nanos / 1e6), sec: p.sec, nanos: p.nanos, text: p.text, key: `${p.stamp}#${this.atLast - 1}` };
  }
}
