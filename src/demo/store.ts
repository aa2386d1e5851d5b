import type { ManagedEntry } from './managedFields.js';
// A versioned object store per resource, standing in for etcd + the apiserver's watch cache.
//
// - One global resourceVersion counter (ResourceVersionClock) is shared by all stores, like etcd's revision.
// - Objects are compact immutable records; every change replaces the record, so old versions can be kept cheaply.
// - A bounded window of recent events (by age and count) serves watches from a resourceVersion and lets a paged
//   list continue at the resourceVersion of its first page (a consistent snapshot, as etcd MVCC gives).
//   Anything older than the window is "compacted": watches get 410 Expired, continue tokens get 410 too.
// - The state loaded at start-up is a baseline without events, like a watch cache initialised from a list.
import { errors } from './apiErrors.js';

export interface OwnerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export type Labels = Readonly<Record<string, string>>;

export interface ObjectMeta {
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  uid: string;
  rv: number;
  /** creationTimestamp, epoch ms. */
  created: number;
  generateName?: string;
  labels?: Labels;
  annotations?: Labels;
  owners?: readonly OwnerRef[];
  deletionTs?: number;
  deletionGrace?: number;
  /** metadata.finalizers (foregroundDeletion while a foreground deletion waits for dependents). */
  finalizers?: readonly string[];
  generation?: number;
  /** metadata.managedFields (Deployments and StatefulSets): who last set the replicas and the template. */
  managers?: readonly ManagedEntry[];
}

export interface StoredObject {
  readonly meta: ObjectMeta;
}

export class ResourceVersionClock {
  /** `start`: a platform started again begins above every resourceVersion it handed out before (see fleet.ts). */
  constructor(private value = 0) {}

  get current(): number {
    return this.value;
  }

  next(): number {
    return ++this.value;
  }
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent<T> {
  readonly type: EventType;
  readonly rv: number;
  readonly key: string;
  /** The new state; for DELETED the last state with the deletion's resourceVersion. */
  readonly obj: T;
  /** The state before this event (undefined for ADDED). */
  readonly prev: T | undefined;
  readonly at: number;
  /** Serialised forms of this event, shared by every watcher that asks for the same representation. */
  encoded?: Map<string, string>;
}

export interface StoreOptions {
  /** Events younger than this stay available to watches and continue tokens. */
  windowMs: number;
  /** Hard cap on retained events. */
  maxEvents: number;
  now?: () => number;
}

export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function withResourceVersion<T extends StoredObject>(obj: T, rv: number): T {
  return { ...obj, meta: { ...obj.meta, rv } };
}

export class VersionedStore<T extends StoredObject> {
  private readonly objects = new Map<string, T>();
  /** Keys in byte order, the order etcd returns a range in. */
  private readonly keys: string[] = [];
  private events: StoreEvent<T>[] = [];
  private head = 0;
  private baselineRv = 0;
  private evicted = false;
  private readonly listeners = new Set<(event: StoreEvent<T>) => void>();
  private readonly now: () => number;

  constructor(
    readonly clock: ResourceVersionClock,
    private readonly options: StoreOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.objects.size;
  }

  get(key: string): T | undefined {
    return this.objects.get(key);
  }

  has(key: string): boolean {
    return this.objects.has(key);
  }

  values(): IterableIterator<T> {
    return this.objects.values();
  }

  subscribe(listener: (event: StoreEvent<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Adds an object to the start-up baseline: a resourceVersion but no event. */
  load(obj: T): T {
    const key = objectKey(obj.meta.namespace, obj.meta.name);
    const stored = withResourceVersion(obj, this.clock.next());
    if (!this.objects.has(key)) this.keys.push(key);
    this.objects.set(key, stored);
    return stored;
  }

  /** Ends the baseline: sorts keys and fixes the oldest resourceVersion a watch may start from. */
  sealBaseline(): void {
    this.keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.baselineRv = this.clock.current;
  }

  create(obj: T): T {
    const key = objectKey(obj.meta.namespace, obj.meta.name);
    if (this.objects.has(key)) throw new Error(`object ${key} exists`);
    const stored = withResourceVersion(obj, this.clock.next());
    this.objects.set(key, stored);
    this.keys.splice(lowerBound(this.keys, key), 0, key);
    this.emit({ type: 'ADDED', rv: stored.meta.rv, key, obj: stored, prev: undefined, at: this.now() });
    return stored;
  }

  /** Replaces an object through `change`; returns undefined when it does not exist. */
  update(key: string, change: (current: T) => T): T | undefined {
    const current = this.objects.get(key);
    if (!current) return undefined;
    const stored = withResourceVersion(change(current), this.clock.next());
    this.objects.set(key, stored);
    this.emit({ type: 'MODIFIED', rv: stored.meta.rv, key, obj: stored, prev: current, at: this.now() });
    return stored;
  }

  remove(key: string): T | undefined {
    const current = this.objects.get(key);
    if (!current) return undefined;
    this.objects.delete(key);
    const i = lowerBound(this.keys, key);
    if (this.keys[i] === key) this.keys.splice(i, 1);
    // Like etcd3's watcher: the deleted object carries the revision of the deletion.
    const gone = withResourceVersion(current, this.clock.next());
    this.emit({ type: 'DELETED', rv: gone.meta.rv, key, obj: gone, prev: current, at: this.now() });
    return gone;
  }

  private emit(event: StoreEvent<T>): void {
    this.events.push(event);
    this.evict();
    for (const listener of this.listeners) listener(event);
  }

  /** Drops events that are too old or too many; call periodically so quiet stores age out too. */
  evict(): void {
    const cutoff = this.now() - this.options.windowMs;
    while (this.head < this.events.length && (this.events.length - this.head > this.options.maxEvents || this.events[this.head].at < cutoff)) {
      this.head++;
      this.evicted = true;
    }
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * The oldest resourceVersion a watch may start from (exclusive lower bound of the retained history),
   * computed like the watch cache: the baseline while nothing was evicted, else one below the oldest event.
   */
  oldestAvailable(): number {
    if (!this.evicted) return this.baselineRv;
    if (this.head < this.events.length) return this.events[this.head].rv - 1;
    return this.clock.current;
  }

  private firstEventAfter(rv: number): number {
    let lo = this.head;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.events[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Events after `rv`, or a 410 Expired ApiError when `rv` is older than the window. */
  eventsSince(rv: number): StoreEvent<T>[] {
    const oldest = this.oldestAvailable();
    if (rv < oldest) throw errors.tooOldResourceVersion(rv, oldest);
    return this.events.slice(this.firstEventAfter(rv));
  }

  /** Whether the state at `rv` can still be reconstructed. */
  canReadAt(rv: number): boolean {
    return rv >= this.oldestAvailable() && rv <= this.clock.current;
  }

  /**
   * Objects in key order whose key starts with `prefix` and is >= `fromKey`, as they were at resourceVersion `atRv`
   * (current state when atRv is undefined or current). The caller checks canReadAt first.
   */
  *scan(prefix: string, fromKey: string, atRv?: number): Generator<[string, T]> {
    const start = fromKey > prefix ? fromKey : prefix;
    const inPrefix = (k: string) => k.startsWith(prefix);
    if (atRv === undefined || atRv >= this.clock.current) {
      for (let i = lowerBound(this.keys, start); i < this.keys.length; i++) {
        const key = this.keys[i];
        if (!inPrefix(key)) break;
        yield [key, this.objects.get(key)!];
      }
      return;
    }
    // State at atRv: for every key changed since, the state before its first later event.
    const overrides = new Map<string, T | null>();
    for (let i = this.firstEventAfter(atRv); i < this.events.length; i++) {
      const e = this.events[i];
      if (!overrides.has(e.key)) overrides.set(e.key, e.type === 'ADDED' ? null : (e.prev ?? null));
    }
    const gone: string[] = [];
    for (const [key, obj] of overrides) {
      if (obj && !this.objects.has(key) && inPrefix(key) && key >= start) gone.push(key);
    }
    gone.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let i = lowerBound(this.keys, start);
    let j = 0;
    for (;;) {
      const a = i < this.keys.length && inPrefix(this.keys[i]) ? this.keys[i] : undefined;
      const b = j < gone.length ? gone[j] : undefined;
      if (a === undefined && b === undefined) return;
      let key: string;
      if (b === undefined || (a !== undefined && a < b)) {
        key = a!;
        i++;
      } else {
        key = b;
        j++;
      }
      const obj = overrides.has(key) ? overrides.get(key)! : this.objects.get(key)!;
      if (obj) yield [key, obj];
    }
  }

  /** Number of keys under a prefix (for remainingItemCount). */
  countFrom(prefix: string, fromKey: string): number {
    const start = fromKey > prefix ? fromKey : prefix;
    const from = lowerBound(this.keys, start);
    const to = lowerBound(this.keys, prefix + '\uffff');
    return Math.max(0, to - from);
  }
}
