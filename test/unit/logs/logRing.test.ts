import { describe, expect, it } from 'vitest';
import { LogRing } from '../../../src/platform/logs/logRing.js';
import type { LogLine } from '../../../src/platform/logs/logLine.js';

const line = (id: string, ts: number, bytes = 100): LogLine => ({
  id, ts, namespace: 'ns', pod: 'p', container: 'c', level: 'info', text: id, plain: id, cont: false, bytes,
});

describe('LogRing', () => {
  it('keeps lines in time order, placing a late line where it belongs', () => {
    const r = new LogRing({ maxLines: 100, maxBytes: 1e9 });
    r.append([line('a', 1), line('b', 3), line('c', 5)]);
    r.append([line('late', 2), line('d', 6), line('tie', 3)]);
    expect(r.lines().map((l) => l.id)).toEqual(['a', 'late', 'b', 'tie', 'c', 'd']);
  });
  it('drops the oldest lines past the line limit and counts them', () => {
    const r = new LogRing({ maxLines: 3, maxBytes: 1e9 });
    r.append([1, 2, 3, 4, 5].map((i) => line(`l${i}`, i)));
    expect(r.lines().map((l) => l.id)).toEqual(['l3', 'l4', 'l5']);
    expect(r.droppedOld).toBe(2);
    expect(r.first).toBe(2);
    expect(r.at(2)?.id).toBe('l3');
    expect(r.at(1)).toBeUndefined();
  });
  it('drops the oldest lines past the byte limit', () => {
    const r = new LogRing({ maxLines: 1000, maxBytes: 350 });
    r.append([1, 2, 3, 4, 5].map((i) => line(`l${i}`, i, 100)));
    expect(r.length).toBe(3);
    expect(r.bytes).toBeLessThanOrEqual(350);
  });
  it('keeps absolute positions stable while the front is dropped (a paused view stays put)', () => {
    const r = new LogRing({ maxLines: 5, maxBytes: 1e9 });
    r.append([1, 2, 3, 4, 5].map((i) => line(`l${i}`, i)));
    const pos = r.end - 2; // l4
    r.append([6, 7].map((i) => line(`l${i}`, i)));
    expect(r.at(pos)?.id).toBe('l4');
  });
  it('prepends history and drops the newest lines when full', () => {
    const r = new LogRing({ maxLines: 4, maxBytes: 1e9 });
    r.append([10, 11, 12].map((i) => line(`l${i}`, i)));
    const pos = r.first;
    r.prepend([line('h1', 1), line('h2', 2)]);
    expect(r.lines().map((l) => l.id)).toEqual(['h1', 'h2', 'l10', 'l11']);
    expect(r.droppedNew).toBe(1);
    expect(r.at(pos)?.id).toBe('l10');
  });
  it('stays bounded under a long stream', () => {
    const r = new LogRing({ maxLines: 10_000, maxBytes: 1e9 });
    for (let b = 0; b < 100; b++) r.append(Array.from({ length: 1000 }, (_, i) => line(`${b}-${i}`, b * 1000 + i)));
    expect(r.length).toBe(10_000);
    expect(r.last?.id).toBe('99-999');
    expect(r.oldest?.id).toBe('90-0');
  });
});
