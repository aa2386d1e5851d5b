import { describeError } from '../errors.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { getPod, listEvents } from '../kube/objects.js';
import type { EventRow } from '../kube/rows.js';

// The full pod object and its recent events, read on demand for the pod detail view
// (the tables keep only compact rows) and re-read every few seconds while it is open.

export interface PodDetail {
  namespace: string;
  name: string;
  state: 'loading' | 'ready' | 'gone' | 'error';
  pod?: Record<string, unknown>;
  events: EventRow[];
  error?: string;
  loadedAt?: number;
}

export class PodDetailStore {
  private listeners = new Set<() => void>();
  private snap: PodDetail | undefined;
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;

  constructor(private session: () => ReadSession, private readonly refreshMs = 5000) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  open(namespace: string, name: string): void {
    if (this.snap?.namespace === namespace && this.snap.name === name) return;
    this.close();
    this.set({ namespace, name, state: 'loading', events: [] });
    void this.load();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.snap = undefined;
  }

  private set(next: PodDetail): void {
    this.snap = next;
    for (const l of [...this.listeners]) l();
  }

  private async load(): Promise<void> {
    const current = this.snap;
    if (!current) return;
    const abort = (this.abort = new AbortController());
    try {
      const [pod, events] = await Promise.all([
        getPod(this.session(), current.namespace, current.name, abort.signal),
        listEvents(this.session(), current.namespace, { kind: 'Pod', name: current.name }, abort.signal).catch(() => []),
      ]);
      if (this.snap !== current && this.snap?.name !== current.name) return;
      this.set({ ...current, state: 'ready', pod: pod as Record<string, unknown>, events, error: undefined, loadedAt: Date.now() });
    } catch (err) {
      if (abort.signal.aborted) return;
      const status = (err as { status?: number }).status;
      this.set({ ...(this.snap ?? current), state: status === 404 ? 'gone' : 'error', error: describeError(err) });
    }
    if (!abort.signal.aborted && this.snap) {
      this.timer = setTimeout(() => void this.load(), this.refreshMs);
      this.timer.unref?.();
    }
  }
}
