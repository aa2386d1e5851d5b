import { healthRows, type HealthRow } from './healthSummary.js';
import { collectProcessMetrics } from './selfMetrics.js';

// Re-reads the console's own metrics every two seconds while `:health` is open.

export class HealthStore {
  private listeners = new Set<() => void>();
  private rows: HealthRow[] = [];
  private timer: NodeJS.Timeout | undefined;

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.rows;

  open(): void {
    collectProcessMetrics();
    if (this.timer) return;
    const tick = () => {
      healthRows().then(
        (rows) => {
          this.rows = rows;
          for (const l of [...this.listeners]) l();
        },
        () => {},
      );
    };
    tick();
    this.timer = setInterval(tick, 2000);
    this.timer.unref?.();
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

export const healthStore = new HealthStore();
