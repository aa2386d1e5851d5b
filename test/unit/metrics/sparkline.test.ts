import { describe, expect, it } from 'vitest';
import { sparkline } from '../../../src/ui/widgets/sparkline.js';

describe('sparkline', () => {
  it('maps the lowest value to the lowest block and the highest to the full block', () => {
    expect(sparkline([0, 1, 2, 3, 4, 5, 6, 7], 8)).toBe('▁▂▃▄▅▆▇█');
  });
  it('leaves a blank for gaps', () => {
    expect(sparkline([1, NaN, 1], 3, { lo: 0, hi: 1 })).toBe('█ █');
  });
  it('draws a flat non-zero line mid-height and a zero line on the floor', () => {
    expect(sparkline([0, 0, 0], 3)).toBe('▁▁▁');
    expect(sparkline([5, 5, 5], 3)).toBe('███'); // 0 is included in the scale: 5 is the top
    expect(sparkline([5, 5, 5], 3, { lo: 5, hi: 5 })).toBe('▅▅▅');
  });
  it('right-aligns short series so the newest sample is at the right edge', () => {
    expect(sparkline([1, 2], 5)).toBe('   ▅█');
  });
  it('keeps a short spike visible when squeezing many samples', () => {
    const values = Array.from({ length: 100 }, (_, i) => (i === 37 ? 100 : 1));
    const out = sparkline(values, 10);
    expect(out).toHaveLength(10);
    expect(out[3]).toBe('█');
  });
  it('scales negative values', () => {
    expect(sparkline([-2, 0, 2], 3)[0]).toBe('▁');
    expect(sparkline([-2, 0, 2], 3)[2]).toBe('█');
  });
  it('clamps very large values instead of failing', () => {
    expect(sparkline([1e308, -1e308, 0], 3)).toBe('█▁▅');
  });
});
