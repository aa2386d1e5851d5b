// Listeners are told at most once per interval, however many changes arrive in between:
// a watch delivering 1,000 events a second must not cost 1,000 renders.
// `flushNow` is for changes a user just caused (a keystroke) and must see at once.

export type Listener = () => void;

/** How often a store tells its listeners while rows change (at most). */
export const STORE_TICK_MS = 100;

export class CoalescingNotifier {
  private readonly listeners = new Set<Listener>();
  private timer: NodeJS.Timeout | undefined;
  private pending = false;
  private lastNotify = 0;

  constructor(private readonly intervalMs = STORE_TICK_MS) {}

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Schedules a notification no sooner than `intervalMs` after the previous one. */
  changed(): void {
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.lastNotify + this.intervalMs - Date.now());
    this.timer = setTimeout(() => this.flushNow(), wait);
    this.timer.unref?.();
  }

  flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = false;
    this.lastNotify = Date.now();
    for (const l of [...this.listeners]) l();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }
}
