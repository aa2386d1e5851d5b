import { afterEach, describe, expect, it, vi } from 'vitest';
import { HEAP_GROWING_PERCENT, TUNE_ABOVE_BYTES, heapGrowingFlag, tuneHeap } from '../../../src/cli/heapTuning.js';

// The console fixes V8's heap growing factor once its heap is large (src/cli/heapTuning.ts), so
// the garbage it carries between full collections stays a fraction of what it holds live. What
// that does to the peak is measured by bench:pods (the figures are in heapTuning.ts).

const MB = 2 ** 20;

describe('heap tuning', () => {
  afterEach(() => vi.useRealTimers());

  it('sets a fixed growing factor unless node was given one', () => {
    expect(heapGrowingFlag([])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowingFlag(['--inspect=127.0.0.1:9229'])).toBe(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
    expect(heapGrowingFlag(['--heap-growing-percent=80'])).toBeUndefined();
    expect(heapGrowingFlag(['--heap_growing_percent=0'])).toBeUndefined();
  });

  it('leaves a small heap to V8 and sets the flag once, when the heap holds more than 64 MB', () => {
    vi.useFakeTimers();
    let used = 20 * MB;
    const looked: number[] = [];
    const set: string[] = [];
    const stop = tuneHeap([], () => (looked.push(used / MB), used), (f) => set.push(f));
    vi.advanceTimersByTime(750);
    expect(set).toEqual([]);
    used = TUNE_ABOVE_BYTES;
    vi.advanceTimersByTime(3000);
    expect(set).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    // Three looks at 20 MB (every 250 ms: within a first listing), one at 64 MB, then it stops looking.
    expect(looked).toEqual([20, 20, 20, 64]);
    stop();
  });

  it('sets nothing when node was given its own factor', () => {
    vi.useFakeTimers();
    const set: string[] = [];
    tuneHeap(['--heap-growing-percent=0'], () => 500 * MB, (f) => set.push(f));
    vi.advanceTimersByTime(5000);
    expect(set).toEqual([]);
  });
});
