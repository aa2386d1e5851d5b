import type { ActionGate } from '../actions/actionGate.js';
import { CoalescingNotifier } from '../stores/coalescingNotifier.js';
import { startPortForward, type ForwardSpec, type PortForward } from './portForward.js';

// The console's port-forwards (`:pf`): they outlive a `:ctx` switch and end when stopped or when
// the console stops. Listeners hear of new connections and bytes at most ten times a second.

export interface ForwardRow {
  id: number;
  spec: ForwardSpec;
  localPort: number;
  active: number;
  total: number;
  bytesIn: number;
  bytesOut: number;
  since: number;
  lastError?: string;
}

export class PortForwards {
  private readonly forwards = new Map<number, PortForward>();
  /** Per forward: settles once the record of its end is in the audit file. */
  private readonly ended = new Map<number, Promise<void>>();
  private readonly notifier = new CoalescingNotifier(100);
  private nextId = 1;
  private version = 0;
  private snapshot: { version: number; rows: ForwardRow[] } = { version: 0, rows: [] };

  subscribe = (l: () => void) => this.notifier.subscribe(l);

  getSnapshot = (): { version: number; rows: ForwardRow[] } => {
    if (this.snapshot.version !== this.version) this.snapshot = { version: this.version, rows: this.rows() };
    return this.snapshot;
  };

  private changed = () => {
    this.version++;
    this.notifier.changed();
  };

  private rows(): ForwardRow[] {
    return [...this.forwards].map(([id, f]) => ({ id, spec: f.spec, localPort: f.localPort, since: f.since, ...f.stats }));
  }

  get size(): number {
    return this.forwards.size;
  }

  /** Through the gate (read-only refuses, audited); resolves once the local port listens. */
  async start(gate: ActionGate, spec: ForwardSpec): Promise<ForwardRow> {
    const { forward: f, ended } = await startPortForward(gate, spec, this.changed);
    const id = this.nextId++;
    this.forwards.set(id, f);
    this.ended.set(id, ended);
    void ended.then(() => this.ended.delete(id));
    void f.closed.then(() => {
      this.forwards.delete(id);
      this.changed();
      this.notifier.flushNow();
    });
    this.changed();
    this.notifier.flushNow();
    return this.rows().find((r) => r.id === id)!;
  }

  /** Stops one forward; resolves with its summary once its end is audited (undefined: no such forward). */
  async stop(id: number): Promise<string | undefined> {
    const summary = await this.forwards.get(id)?.stop();
    await this.ended.get(id);
    this.ended.delete(id);
    return summary;
  }

  /** Stops every forward; resolves once each end is audited (before the console exits). */
  stopAll(): Promise<Array<string | undefined>> {
    return Promise.all([...this.forwards.keys()].map((id) => this.stop(id)));
  }
}
