import type { Clock } from '../../src/platform/clock.js';

/**
 * A clock that moves only when the test says so: `advance(ms)` wakes every sleeper due by
 * then; `next()` waits until something sleeps and moves time to the earliest wake-up, so a
 * poll loop runs as fast as its I/O allows while seeing the intervals it would in real time.
 */
export class ManualClock implements Clock {
  private sleepers: Array<{ at: number; wake: () => void }> = [];
  private onSleep: (() => void) | undefined;

  constructor(private t: number = Date.now()) {}

  now(): number {
    return this.t;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper = {
        at: this.t + ms,
        wake: () => {
          this.sleepers = this.sleepers.filter((s) => s !== sleeper);
          signal?.removeEventListener('abort', sleeper.wake);
          resolve();
        },
      };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', sleeper.wake, { once: true });
      const notify = this.onSleep;
      this.onSleep = undefined;
      notify?.();
    });
  }

  advance(ms: number): void {
    this.t += ms;
    for (const s of [...this.sleepers]) if (s.at <= this.t) s.wake();
  }

  async next(): Promise<void> {
    if (this.sleepers.length === 0) await new Promise<void>((r) => (this.onSleep = r));
    const at = Math.min(...this.sleepers.map((s) => s.at));
    this.advance(Math.max(0, at - this.t));
  }
}
