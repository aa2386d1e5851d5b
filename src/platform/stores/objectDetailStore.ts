import { describeError } from '../errors.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { getObject, listEvents, type KubeObject, type ObjectRef } from '../kube/objects.js';
import type { EventRow } from '../kube/rows.js';

// The whole object behind a row and its recent Events, read when the user opens its YAML or its
// description (the tables keep only compact rows) and read again every few seconds while open.
// Any kind: the object's group, version and plural come with the row.

export interface ObjectDetail {
  ref: ObjectRef;
  state: 'loading' | 'ready' | 'gone' | 'error';
  object?: KubeObject;
  /** Newest first; empty while loading or when the user may not list events. */
  events: EventRow[];
  /** Why events are missing (403 on events): said in the description, not an error of the object. */
  eventsProblem?: string;
  error?: string;
  loadedAt?: number;
}

const sameRef = (a: ObjectRef, b: ObjectRef) => a.group === b.group && a.resource === b.resource && a.namespace === b.namespace && a.name === b.name;

export class ObjectDetailStore {
  private listeners = new Set<() => void>();
  private snap: ObjectDetail | undefined;
  private timer: NodeJS.Timeout | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly session: () => ReadSession, private readonly refreshMs = 5000) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  /** The YAML shows metadata.managedFields (off for each object opened). */
  managedFields = false;

  toggleManagedFields(): void {
    this.managedFields = !this.managedFields;
    if (this.snap) this.set({ ...this.snap });
  }

  open(ref: ObjectRef): void {
    if (this.snap && sameRef(this.snap.ref, ref)) return;
    this.close();
    this.managedFields = false;
    this.set({ ref, state: 'loading', events: [] });
    void this.load();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.abort?.abort();
    this.snap = undefined;
  }

  private set(next: ObjectDetail): void {
    this.snap = next;
    for (const l of [...this.listeners]) l();
  }

  private async load(): Promise<void> {
    const current = this.snap;
    if (!current) return;
    const abort = (this.abort = new AbortController());
    const { ref } = current;
    try {
      let eventsProblem: string | undefined;
      const [object, events] = await Promise.all([
        getObject(this.session(), ref, abort.signal),
        listEvents(this.session(), ref.namespace ?? '', { kind: ref.kind, name: ref.name, uid: ref.uid }, abort.signal).catch((err: unknown) => {
          eventsProblem = describeError(err);
          return [];
        }),
      ]);
      if (this.snap !== current && (!this.snap || !sameRef(this.snap.ref, ref))) return;
      this.set({ ...current, state: 'ready', object, events, eventsProblem, error: undefined, loadedAt: Date.now() });
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
