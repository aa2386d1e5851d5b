// Watch fan-out for one resource: filters events per watcher (namespace, labels, fields), serialises each event once
// per representation, streams newline-delimited JSON with back-pressure, sends bookmarks and ends at the timeout.
import type { ServerResponse } from 'node:http';
import { ApiError, errors } from './apiErrors.js';
import { bookmarkObjectText, objectText, representationKey, type Representation } from './representation.js';
import type { ResourceKind } from './resourceKinds.js';
import { matchesFields, matchesLabels, type FieldRequirement, type LabelRequirement } from './selectors.js';
import type { StoreEvent, StoredObject, VersionedStore } from './store.js';
import { Utf8Chunks } from './utf8Chunks.js';

export interface WatchOptions {
  namespace: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
  rep: Representation;
  allowBookmarks: boolean;
  /** undefined: start with ADDED for every current object (resourceVersion "" or "0"). */
  resourceVersion: number | undefined;
  timeoutMs: number;
  /** sendInitialEvents=true: end the initial ADDED events with the k8s.io/initial-events-end bookmark. */
  sendInitialEvents: boolean;
}

/** A watcher stops when it has this many undelivered bytes queued: the apiserver also drops watchers that fall too far behind. */
const MAX_QUEUED_BYTES = 256 * 1024 * 1024;

class Watcher<T extends StoredObject> {
  private readonly queue: (string | Iterator<string>)[] = [];
  private queuedBytes = 0;
  private headersSent = false;
  private closed = false;
  private waitingForDrain = false;

  constructor(
    private readonly hub: WatchHub<T>,
    private readonly res: ServerResponse,
    readonly options: WatchOptions,
  ) {}

  matches(obj: T): boolean {
    const o = this.options;
    if (o.namespace && obj.meta.namespace !== o.namespace) return false;
    if (o.labels.length > 0 && !matchesLabels(o.labels, obj.meta.labels)) return false;
    if (o.fields.length > 0) {
      const fields = this.hub.kind.fields;
      if (!matchesFields(o.fields, (f) => fields[f](obj))) return false;
    }
    return true;
  }

  get wantsBookmarks(): boolean {
    return this.options.allowBookmarks;
  }

  /** Table watches carry column definitions on the first event only. */
  private takeHeaders(): boolean {
    if (this.options.rep.as !== 'table' || this.headersSent) return false;
    this.headersSent = true;
    return true;
  }

  /** Cacher semantics: MODIFIED becomes ADDED/DELETED when an object starts/stops matching the filter. */
  onEvent(event: StoreEvent<T>): void {
    if (this.closed) return;
    const cur = event.type !== 'DELETED' && this.matches(event.obj);
    const old = event.prev !== undefined && this.matches(event.prev);
    if (event.type === 'ADDED') {
      if (cur) this.push(this.encodeEvent('ADDED', event, event.obj));
    } else if (event.type === 'DELETED') {
      if (old) this.push(this.encodeEvent('DELETED', event, event.obj));
    } else if (cur && old) {
      this.push(this.encodeEvent('MODIFIED', event, event.obj));
    } else if (cur) {
      this.push(this.encodeObject('ADDED', event.obj));
    } else if (old) {
      // the previous state with the event's resourceVersion
      this.push(this.encodeObject('DELETED', { ...event.prev!, meta: { ...event.prev!.meta, rv: event.rv } }));
    }
  }

  private encodeEvent(type: string, event: StoreEvent<T>, obj: T): string {
    const headers = this.takeHeaders();
    const key = `${type}|${representationKey(this.options.rep)}|${headers ? 'h' : 'n'}`;
    event.encoded ??= new Map();
    let text = event.encoded.get(key);
    if (text === undefined) {
      text = `{"type":"${type}","object":${objectText(this.hub.kind, obj, this.options.rep, Date.now(), headers)}}\n`;
      event.encoded.set(key, text);
    }
    return text;
  }

  encodeObject(type: string, obj: T): string {
    return `{"type":"${type}","object":${objectText(this.hub.kind, obj, this.options.rep, Date.now(), this.takeHeaders())}}\n`;
  }

  /** The resourceVersion the watch started from: like the cacher, bookmarks go out only once the cache moved past it. */
  startRv = 0;

  bookmark(rv: number, initialEventsEnd = false): void {
    if (this.closed || (!initialEventsEnd && rv <= this.startRv)) return;
    let object = bookmarkObjectText(this.hub.kind, rv, this.options.rep, Date.now(), this.takeHeaders());
    if (initialEventsEnd) object = object.replace(/"resourceVersion":"(\d+)"/, '"resourceVersion":"$1","annotations":{"k8s.io/initial-events-end":"true"}');
    this.push(`{"type":"BOOKMARK","object":${object}}\n`);
  }

  error(err: ApiError): void {
    this.push(`{"type":"ERROR","object":${JSON.stringify(err.toStatus())}}\n`);
    this.finish();
  }

  pushAll(items: Iterator<string>): void {
    this.queue.push(items);
    this.pump();
  }

  push(text: string): void {
    if (this.closed) return;
    this.queue.push(text);
    this.queuedBytes += text.length;
    if (this.queuedBytes > MAX_QUEUED_BYTES) {
      this.close();
      return;
    }
    this.pump();
  }

  private pump(): void {
    if (this.waitingForDrain || this.closed) return;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      let chunk: string | Buffer;
      if (typeof head === 'string') {
        this.queue.shift();
        this.queuedBytes -= head.length;
        chunk = head;
      } else {
        // Batch a lazily produced sequence (the initial ADDED events) into ~64 KB writes.
        const batch = new Utf8Chunks(65536);
        while (!batch.full) {
          const next = head.next();
          if (next.done) {
            this.queue.shift();
            break;
          }
          batch.write(next.value);
        }
        chunk = batch.take();
        if (chunk.length === 0) continue;
      }
      if (!this.res.write(chunk)) {
        this.waitingForDrain = true;
        this.res.once('drain', () => {
          this.waitingForDrain = false;
          this.pump();
        });
        return;
      }
    }
    if (this.ending) this.close();
  }

  private ending = false;

  /** Ends the response after everything queued is written. */
  finish(): void {
    this.ending = true;
    if (this.queue.length === 0 && !this.waitingForDrain) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue.length = 0;
    this.hub.remove(this);
    this.res.end();
  }
}

export class WatchHub<T extends StoredObject> {
  private readonly watchers = new Set<Watcher<T>>();

  constructor(
    readonly kind: ResourceKind<T>,
    private readonly store: VersionedStore<T>,
  ) {
    store.subscribe((event) => {
      for (const w of this.watchers) w.onEvent(event);
    });
  }

  get count(): number {
    return this.watchers.size;
  }

  remove(w: Watcher<T>): void {
    this.watchers.delete(w);
  }

  /** Sends a BOOKMARK at the current resourceVersion to every watcher that allowed them. */
  sendBookmarks(): void {
    const rv = this.store.clock.current;
    for (const w of this.watchers) if (w.wantsBookmarks) w.bookmark(rv);
  }

  closeAll(): void {
    for (const w of [...this.watchers]) w.close();
  }

  /**
   * Starts a watch on an HTTP response. Headers (200, chunked) go out first; errors found after that
   * (too old or too new resourceVersion) become an ERROR event, as with the real watch cache.
   */
  async start(res: ServerResponse, options: WatchOptions, headers: Record<string, string>): Promise<void> {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    res.flushHeaders();
    const watcher = new Watcher(this, res, options);
    res.on('close', () => watcher.close());
    watcher.startRv = options.resourceVersion ?? this.store.clock.current;
    const timer = setTimeout(() => watcher.finish(), options.timeoutMs);
    // The cacher also sends a bookmark 2 s before the watch's deadline, so a client resumes from the newest point.
    const preTimeout =
      options.allowBookmarks && options.timeoutMs > 2000 ? setTimeout(() => watcher.bookmark(this.store.clock.current), options.timeoutMs - 2000) : undefined;
    res.on('close', () => {
      clearTimeout(timer);
      if (preTimeout) clearTimeout(preTimeout);
    });

    if (options.resourceVersion !== undefined && options.resourceVersion > this.store.clock.current) {
      // The cacher waits (up to ~3 s) for a resourceVersion it has not seen yet, then gives up.
      const deadline = Date.now() + 3000;
      while (options.resourceVersion > this.store.clock.current && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
      }
      if (options.resourceVersion > this.store.clock.current) {
        watcher.error(errors.tooLargeResourceVersion(options.resourceVersion, this.store.clock.current));
        return;
      }
    }
    if (res.destroyed) return;

    if (options.resourceVersion === undefined) {
      // Synthetic ADDED events for the current state, taken synchronously so no live event can interleave.
      const initial: T[] = [];
      const prefix = options.namespace ? `${options.namespace}/` : '';
      for (const [, obj] of this.store.scan(prefix, '')) if (watcher.matches(obj)) initial.push(obj);
      const rvAtStart = this.store.clock.current;
      this.watchers.add(watcher);
      let i = 0;
      watcher.pushAll({
        next: () => (i < initial.length ? { done: false, value: watcher.encodeObject('ADDED', initial[i++]) } : { done: true, value: undefined }),
      });
      if (options.sendInitialEvents && options.allowBookmarks) watcher.bookmark(rvAtStart, true);
      return;
    }
    let backlog: StoreEvent<T>[];
    try {
      backlog = this.store.eventsSince(options.resourceVersion);
    } catch (err) {
      if (err instanceof ApiError) {
        watcher.error(err);
        return;
      }
      throw err;
    }
    this.watchers.add(watcher);
    for (const event of backlog) watcher.onEvent(event);
  }
}
