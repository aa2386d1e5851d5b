import { describe, expect, it } from 'vitest';
import { humanDuration, rfc3339 } from '../../../src/demo/duration.js';
import { apportion } from '../../../src/demo/scenario.js';

describe('humanDuration (the printers\' Age format)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  it.each([
    [-5 * s, '<invalid>'],
    [-1500, '0s'],
    [0, '0s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 7 * s, '5m7s'],
    [10 * m + 7 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d, '2d'],
    [3 * d + 4 * h, '3d4h'],
    [8 * d, '8d'],
    [729 * d, '729d'],
    [730 * d, '2y'],
    [731 * d, '2y1d'],
    [8 * 365 * d, '8y'],
  ])('%d ms -> %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('timestamps have second precision, as metav1.Time marshals them', () => {
    expect(rfc3339(Date.UTC(2025, 0, 2, 3, 4, 5, 678))).toBe('2025-01-02T03:04:05Z');
  });
});

describe('apportion', () => {
  it('splits exactly, keeps a minimum, and follows weights', () => {
    expect(apportion(10, [1, 1, 1], 1).reduce((a, b) => a + b)).toBe(10);
    const parts = apportion(100_000, [3, 1, 1, 5], 1);
    expect(parts.reduce((a, b) => a + b)).toBe(100_000);
    expect(parts.map((p) => Math.round(p / 1000))).toEqual([30, 10, 10, 50]);
    expect(apportion(3, [100, 1, 1], 1)).toEqual([1, 1, 1]);
  });
});
