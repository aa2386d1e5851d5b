import { getHeapStatistics, setFlagsFromString } from 'node:v8';

// V8 lets the heap grow before its next full collection by a factor it derives from how fast
// the program allocates: up to 4x what stayed live on a machine with memory to spare. A console
// watching 150,000 pods keeps ~100 MB live and churns rows, list arrays and frames, so it sat at
// 2.3x (peak RSS 371 MB, 97 MB live after a GC). A fixed 40% holds the peak at ~280 MB for a few
// more full collections (most of their marking runs beside the console, on another core). It is
// not a limit: a larger cluster's heap grows as before, collected a little more often.
// Measured with `npm run bench:pods -- --clusters 2 --pods 75000 --view all-pods --node-option=...`:
// 20% 270 MB, 40% 281 MB, 70% 289 MB, V8's own 371 MB.
export const HEAP_GROWING_PERCENT = 40;

/** The V8 flag to set; none when the user gave node their own growing factor (`--heap-growing-percent=0`: V8's own). */
export function heapGrowingFlag(execArgv: readonly string[]): string | undefined {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a))) return undefined;
  return `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/**
 * Below this the heap is left to V8: while the console starts, and for a small cluster, a fixed
 * factor would only add full collections for little memory.
 */
export const TUNE_ABOVE_BYTES = 64 * 2 ** 20;

/**
 * Fixes the growing factor once the heap holds more than TUNE_ABOVE_BYTES (looked at every 250 ms;
 * V8 reads the factor at each full collection). Returns a stop for the check.
 */
export function tuneHeap(execArgv: readonly string[] = process.execArgv, heapUsed = () => getHeapStatistics().used_heap_size, setFlags = setFlagsFromString): () => void {
  const flag = heapGrowingFlag(execArgv);
  if (!flag) return () => undefined;
  const timer = setInterval(() => {
    if (heapUsed() < TUNE_ABOVE_BYTES) return;
    setFlags(flag);
    clearInterval(timer);
  }, 250);
  timer.unref();
  return () => clearInterval(timer);
}
