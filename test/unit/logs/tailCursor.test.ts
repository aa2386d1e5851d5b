import { describe, expect, it } from 'vitest';
import { TailCursor } from '../../../src/platform/logs/tailCursor.js';

const hit = (id: string, ts: number) => ({ id, ts });

describe('TailCursor', () => {
  it('shows each line once across polls that overlap by the late window', () => {
    const c = new TailCursor(1000, 5000);
    expect(c.accept([hit('a', 1000), hit('b', 2000)]).map((h) => h.id)).toEqual(['a', 'b']);
    // The next poll re-reads from 2000 - 5000 and gets the same two plus one new.
    expect(c.from()).toBe(-3000);
    expect(c.accept([hit('a', 1000), hit('b', 2000), hit('c', 3000)]).map((h) => h.id)).toEqual(['c']);
  });
  it('keeps every line when many share one timestamp, across pages and polls', () => {
    const c = new TailCursor(0, 2000);
    const same = Array.from({ length: 2500 }, (_, i) => hit(`d${i}`, 5000));
    expect(c.accept(same.slice(0, 1000)).length).toBe(1000);
    expect(c.accept(same.slice(0, 1800)).length).toBe(800);
    expect(c.accept(same).length).toBe(700);
    expect(c.accept(same).length).toBe(0);
  });
  it('takes a late arrival inside the window and leaves older ones out', () => {
    const c = new TailCursor(0, 3000);
    c.accept([hit('a', 10_000), hit('b', 11_000)]);
    expect(c.accept([hit('late', 9_000)]).map((h) => h.id)).toEqual(['late']);
    expect(c.accept([hit('too-late', 7_000)])).toEqual([]);
  });
  it('judges a whole batch against the window it was asked with', () => {
    const c = new TailCursor(10_000, 3000);
    // Ascending within the poll is not guaranteed when pages merge: the 8s line came back in range 7s..
    expect(c.accept([hit('new', 20_000), hit('old-in-range', 8_000)]).map((h) => h.id)).toEqual(['new', 'old-in-range']);
  });
  it('forgets ids the query can no longer return', () => {
    const c = new TailCursor(0, 1000);
    c.accept(Array.from({ length: 500 }, (_, i) => hit(`x${i}`, i)));
    c.accept([hit('far', 100_000)]);
    expect(c.remembered).toBeLessThan(10);
  });
  it('primes with the first page so the first poll does not repeat it', () => {
    const c = new TailCursor(Number.NEGATIVE_INFINITY, 5000);
    c.prime([hit('a', 1000), hit('b', 1000)]);
    expect(c.accept([hit('a', 1000), hit('b', 1000), hit('c', 1000)]).map((h) => h.id)).toEqual(['c']);
  });
  it('a line stamped ahead of the clock does not stop the tail: the lines of the other pods still come', () => {
    let now = 100_000;
    const c = new TailCursor(now, 5000, () => now);
    // A node whose clock runs an hour fast ships one line.
    expect(c.accept([hit('fast-clock', now + 3_600_000), hit('a', now - 1000)]).map((h) => h.id)).toEqual(['fast-clock', 'a']);
    expect(c.from()).toBe(now - 5000);
    now += 2000;
    // The next poll still asks from the clock's time, not from an hour ahead: b is new, the fast line is not shown twice.
    expect(c.accept([hit('a', 99_000), hit('b', now - 500), hit('fast-clock', 3_700_000)]).map((h) => h.id)).toEqual(['b']);
  });
});
