import type { Readable } from 'node:stream';
import type { ReadSession, Query } from './kubeSession.js';
import { KubeApiError, isAbortError, notJsonAnswer } from './kubeErrors.js';
import { ProtobufError, type ListPage } from './protobuf.js';
import { inThreadDecoder, listDecoder, type PageDecoder } from './listDecoder.js';
import { NotJsonError, NotTableError, type Page } from './listPages.js';
import type { OffThreadListName } from './offThreadLists.js';
import { TABLE_ACCEPT, columnIndexOf, type ColumnIndex, type ObjectMeta, type RowMapper, type RowObject, type Table, type TableColumnDefinition } from './tableTypes.js';
import type { RowSink, WatchHandle, WatchSpec, WatchStatus } from './watchTypes.js';
import { relists, watchRestarts } from '../../self/selfMetrics.js';
import { sanitize } from '../text/sanitize.js';

// Paged list + watch of server-side Table rows. One loop per watch:
//   list (pages delivered as they arrive) -> watch from the list's resourceVersion, re-watching
//   from the last seen/bookmarked version when a stream ends -> relist on 410 Gone.
// Rows are mapped to compact rows on arrival; nothing keeps the Table JSON.

export interface WatchClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** In [0, 1); jitter for backoff and watch timeouts. */
  random(): number;
}

export const systemClock: WatchClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  random: () => Math.random(),
};

export interface WatchTableOptions<Row = unknown> {
  clock?: WatchClock;
  /** First retry delay after a failure; doubles per attempt. Default 500 ms. */
  backoffInitialMs?: number;
  /** Ceiling of the retry delay. Default 30 s. */
  backoffMaxMs?: number;
  /** Retry interval while forbidden (RBAC may change). Default 30 s. */
  forbiddenRetryMs?: number;
  /** Server-side timeout of one watch request; default 300-600 s, randomised so watches do not reconnect in step. */
  watchTimeoutSeconds?: () => number;
  /** A watch that outlives its timeout by this much is presumed dead (half-open TCP) and reopened. Default 30 s. */
  watchDeadlineSlackMs?: number;
  /** A stream that delivered events or stayed open this long counts as healthy and resets the backoff. Default 10 s. */
  healthyAfterMs?: number;
  /**
   * Reads a list page asked for in protobuf (a PodList, not a Table) straight into rows, with the Table
   * columns those rows stand for. Lists then come in protobuf: the server skips the Table conversion and
   * encodes several times faster, and the reader skips what a row does not need (managedFields) by its
   * length. The watch stays on Tables. A server that refuses protobuf (406) is listed in Tables.
   */
  protobufList?: { read: (body: Buffer) => ListPage<Row>; columns: readonly TableColumnDefinition[] };
  /**
   * List pages are read by this list's mappers in the list decoder's worker (listDecoder.ts), not on
   * the console's thread; they must be the ones this watch maps with.
   */
  offThread?: OffThreadListName;
}

/** Exponential backoff with jitter: initial * 2^attempt, capped, times 0.75..1.25 (never above the cap). */
export function backoffDelay(attempt: number, random: number, initialMs = 500, maxMs = 30_000): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(Math.min(maxMs, base * (0.75 + 0.5 * random)));
}

/** `/api/v1/namespaces/ns/pods` or `/apis/apps/v1/deployments` (all namespaces). */
export function resourcePath(spec: WatchSpec): string {
  const ns = spec.namespace ? `/namespaces/${encodeURIComponent(spec.namespace)}` : '';
  return `${spec.groupVersionPath.replace(/\/+$/, '')}${ns}/${spec.resource}`;
}

/** A long list split per namespace starts with this many items cluster-wide: the first rows soon. */
const FIRST_PAGE = 250;

export function watchTable<Row>(
  session: ReadSession,
  spec: WatchSpec,
  mapRow: RowMapper<Row>,
  sink: RowSink<Row>,
  options: WatchTableOptions<Row> = {},
): WatchHandle {
  const watcher = new TableWatcher(session, spec, mapRow, sink, options);
  watcher.start();
  return { stop: () => watcher.stop() };
}

type Failure =
  | { kind: 'stopped' }
  | { kind: 'gone' }
  | { kind: 'forbidden'; message: string }
  | { kind: 'fatal'; message: string; code?: number }
  | { kind: 'transient'; message: string };

type Outcome = 'ok' | 'relist' | 'retry' | 'fatal' | 'stopped';

/** An ERROR event inside a watch stream. */
class WatchEventError extends Error {
  constructor(message: string, readonly code: number | undefined) {
    super(message);
  }
}

class TableWatcher<Row> {
  private readonly clock: WatchClock;
  private readonly path: string;
  private readonly abort = new AbortController();
  private stopped = false;
  private generation = 0;
  private resourceVersion = '';
  private columns: ColumnIndex | undefined;
  /** The Table's columns as the server defined them (a list page without them is read by these). */
  private columnDefinitions: readonly TableColumnDefinition[] | undefined;
  private readonly decoder: PageDecoder<Row>;
  private attempt = 0;
  private downSince: number | undefined;
  private lastStatus: WatchStatus['kind'] | undefined;
  private lastMessage: string | undefined;
  /** Backoff waits under way (several when namespaces are listed in parallel). */
  private readonly pending = new Set<{ handle: unknown; resolve: () => void }>();
  /** A per-namespace list's watch got 410 from the first page's version: list cluster-wide from now on. */
  private partitionedGone = false;
  /** The version the watch replays from after a per-namespace list, until a watch has opened. */
  private replayFrom: string | undefined;
  /** The server answered a protobuf list with 406 (or not in protobuf): Tables from now on. */
  private protobufRefused = false;

  constructor(
    private readonly session: ReadSession,
    private readonly spec: WatchSpec,
    private readonly mapRow: RowMapper<Row>,
    private readonly sink: RowSink<Row>,
    private readonly opts: WatchTableOptions<Row>,
  ) {
    this.clock = opts.clock ?? systemClock;
    this.path = resourcePath(spec);
    this.decoder = opts.offThread ? (listDecoder(opts.offThread) as unknown as PageDecoder<Row>) : inThreadDecoder(mapRow, spec.includeObject === 'Object', opts.protobufList?.read);
  }

  start(): void {
    this.run().catch((err: unknown) => {
      if (!this.stopped) this.emit({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
    });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    for (const p of this.pending) {
      this.clock.clearTimeout(p.handle);
      p.resolve();
    }
    this.pending.clear();
  }

  private async run(): Promise<void> {
    for (let round = 0; !this.stopped; round++) {
      if (round > 0) relists.inc({ resource: this.spec.resource });
      const listed = await this.listAll();
      if (listed === 'fatal' || listed === 'stopped') return;
      if (listed !== 'ok') continue;
      const watched = await this.watchUntilRelist();
      if (watched === 'fatal' || watched === 'stopped') return;
    }
  }

  // ---- list ----

  private baseQuery(): Query {
    return {
      includeObject: this.spec.includeObject ?? 'Metadata',
      labelSelector: this.spec.labelSelector,
      fieldSelector: this.spec.fieldSelector,
    };
  }

  /** One complete paged list as a new generation. */
  private async listAll(): Promise<Outcome> {
    this.generation += 1;
    const generation = this.generation;
    // While forbidden or reconnecting, that status stays up until the list succeeds.
    if (this.lastStatus !== 'forbidden' && this.lastStatus !== 'reconnecting') this.emit({ kind: 'listing' });
    const pageSize = this.spec.pageSize ?? 500;
    const parallel = this.spec.namespace || this.partitionedGone ? 0 : (this.spec.parallelNamespaces ?? 0);
    let received = 0;
    let firstPage: { rv: string; total: number | undefined } | undefined;
    const listed = await this.listPages(this.path, parallel ? Math.min(pageSize, FIRST_PAGE) : pageSize, (page, done) => {
      received += page.items;
      const known = typeof page.remaining === 'number' && page.remaining >= 0 ? page.remaining : undefined;
      this.sink.listPage(page.rows, generation, done, { received, remaining: done ? 0 : known });
      if (done) this.resourceVersion = page.resourceVersion;
      else if (parallel) {
        firstPage = { rv: page.resourceVersion, total: known === undefined ? undefined : received + known };
        return 'stop';
      }
      return undefined;
    });
    if (listed !== 'ok') return listed;
    if (firstPage) {
      const rest = await this.listByNamespace(generation, parallel, firstPage);
      if (rest !== 'ok') return rest;
    }
    this.attempt = 0;
    this.downSince = undefined;
    this.emit({ kind: 'live' });
    return 'ok';
  }

  /**
   * The rest of a long cluster-wide list, per namespace, `parallel` lists at once, as one
   * generation. The watch then starts from the first page's resourceVersion: every change after
   * it is replayed (a pod deleted after the first page showed it, a namespace created during the
   * lists), so nothing is missing or left behind; replayed events only repeat what is listed.
   */
  private async listByNamespace(generation: number, parallel: number, firstPage: { rv: string; total: number | undefined }): Promise<Outcome> {
    const namespaces = await this.namespaceNames();
    if (namespaces === 'stopped') return 'stopped';
    if (namespaces === undefined || !firstPage.rv) {
      // Namespaces cannot be listed (RBAC): the cluster-wide list from the start, page after page.
      this.partitionedGone = true;
      return 'retry';
    }
    const received = new Map<string, number>();
    const progress = () => {
      const n = [...received.values()].reduce((a, b) => a + b, 0);
      return { received: n, remaining: firstPage.total === undefined ? undefined : Math.max(0, firstPage.total - n) };
    };
    const queue = [...namespaces];
    let outcome: Outcome = 'ok';
    const worker = async (): Promise<void> => {
      for (let ns = queue.shift(); ns !== undefined && outcome === 'ok'; ns = queue.shift()) {
        const name = ns;
        const listed = await this.listPages(resourcePath({ ...this.spec, namespace: name }), Math.min(this.spec.pageSize ?? 500, FIRST_PAGE), (page) => {
          received.set(name, (received.get(name) ?? 0) + page.items);
          this.sink.listPage(page.rows, generation, false, progress());
          return undefined;
        });
        if (listed !== 'ok' && outcome === 'ok') outcome = listed;
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, namespaces.length)) }, worker));
    if (outcome !== 'ok') return outcome;
    if (this.stopped) return 'stopped';
    this.sink.listPage([], generation, true, { received: progress().received, remaining: 0 });
    this.resourceVersion = firstPage.rv;
    this.replayFrom = firstPage.rv;
    return 'ok';
  }

  /** The names of all namespaces; undefined when they cannot be listed. */
  private async namespaceNames(): Promise<string[] | undefined | 'stopped'> {
    const names: string[] = [];
    let cont: string | undefined;
    do {
      try {
        const table = await this.session.getJson<Table>('/api/v1/namespaces', { includeObject: 'Metadata', limit: 1000, continue: cont }, this.abort.signal, TABLE_ACCEPT);
        if (table?.kind !== 'Table') return undefined;
        for (const r of table.rows ?? []) if (r.object?.metadata?.name) names.push(r.object.metadata.name);
        cont = table.metadata?.continue || undefined;
      } catch (err) {
        return classify(err, this.stopped).kind === 'stopped' ? 'stopped' : undefined;
      }
    } while (cont);
    return names;
  }

  /**
   * The pages of one list from `path`, the first of `firstLimit` items, each handed to `onPage`
   * (the page, whether it was the last); `onPage` returning 'stop' ends the list
   * there. A transient failure asks for the same page again after the backoff.
   */
  private async listPages(path: string, firstLimit: number, onPage: (page: Page<Row>, done: boolean) => 'stop' | undefined): Promise<Outcome> {
    let cont: string | undefined;
    for (;;) {
      if (this.stopped) return 'stopped';
      let page: Page<Row> | 'fatal';
      try {
        // resourceVersion stays unset: with RV=0 the watch cache ignores `limit`.
        const limit = cont ? (this.spec.pageSize ?? 500) : firstLimit;
        page = this.opts.protobufList && !this.protobufRefused ? await this.protobufPage(path, limit, cont) : await this.tablePage(path, limit, cont);
      } catch (err) {
        if (this.refusesProtobuf(err)) continue; // the same page as a Table
        const failure = classify(err, this.stopped);
        if (failure.kind === 'gone') return 'relist'; // the continue token expired: start over
        const next = await this.handleFailure(failure);
        if (next !== 'retry') return next;
        if (failure.kind === 'forbidden') return 'retry'; // RBAC may have changed: a fresh list
        continue; // transient: same page again
      }
      if (page === 'fatal') return 'fatal';
      cont = page.continue || undefined;
      if (this.stopped) return 'stopped';
      if (onPage(page, cont === undefined) === 'stop' || cont === undefined) return 'ok';
    }
  }

  private async tablePage(path: string, limit: number, cont: string | undefined): Promise<Page<Row> | 'fatal'> {
    const query = { ...this.baseQuery(), limit, continue: cont };
    const body = await this.session.getBytes(path, query, this.abort.signal, TABLE_ACCEPT);
    let page: Page<Row>;
    try {
      page = await this.decoder.table(body, this.columnDefinitions);
    } catch (err) {
      if (err instanceof NotTableError) {
        this.emit({ kind: 'failed', message: `the server at ${this.session.server} answered ${path} without a Table (kind ${err.kind}); server-side printing is required` });
        return 'fatal';
      }
      if (err instanceof NotJsonError) throw notJsonAnswer(this.session, path, query);
      throw err;
    }
    if (page.columns) this.setColumns(page.columns);
    return page;
  }

  private async protobufPage(path: string, limit: number, cont: string | undefined): Promise<Page<Row>> {
    const { labelSelector, fieldSelector } = this.spec;
    const body = await this.session.getProtobuf(path, { labelSelector, fieldSelector, limit, continue: cont }, this.abort.signal);
    // The watch's first event carries the Table's columns; until then rows are mapped by these.
    this.columns ??= columnIndexOf(this.opts.protobufList!.columns);
    return this.decoder.protobuf(body);
  }

  /** A server (or a proxy) that cannot answer in protobuf: Tables from now on; true to ask again. */
  private refusesProtobuf(err: unknown): boolean {
    if (!this.opts.protobufList || this.protobufRefused || this.stopped) return false;
    const refused = err instanceof ProtobufError || (err instanceof KubeApiError && (err.status === 406 || err.status === 415));
    if (refused) this.protobufRefused = true;
    return refused;
  }

  // ---- watch ----

  private async watchUntilRelist(): Promise<Outcome> {
    for (let opened = 0; ; opened++) {
      if (this.stopped) return 'stopped';
      if (opened > 0) watchRestarts.inc({ resource: this.spec.resource });
      const timeoutSeconds = this.opts.watchTimeoutSeconds?.() ?? Math.round(300 + this.clock.random() * 300);
      const streamAbort = new AbortController();
      const onStop = (): void => streamAbort.abort();
      this.abort.signal.addEventListener('abort', onStop);
      let stalled = false;
      const deadline = this.clock.setTimeout(() => {
        stalled = true;
        streamAbort.abort();
      }, timeoutSeconds * 1000 + (this.opts.watchDeadlineSlackMs ?? 30_000));
      const cleanup = (): void => {
        this.clock.clearTimeout(deadline);
        this.abort.signal.removeEventListener('abort', onStop);
      };

      let stream: Readable;
      try {
        stream = await this.session.openStream(
          this.path,
          {
            ...this.baseQuery(),
            watch: 'true',
            resourceVersion: this.resourceVersion,
            allowWatchBookmarks: 'true',
            timeoutSeconds,
          },
          TABLE_ACCEPT,
          streamAbort.signal,
        );
      } catch (err) {
        cleanup();
        const failure = stalled ? { kind: 'transient' as const, message: 'watch request got no answer' } : classify(err, this.stopped);
        if (failure.kind === 'gone') return this.relist();
        const next = await this.handleFailure(failure);
        if (next !== 'retry') return next;
        continue;
      }

      const openedAt = this.clock.now();
      this.downSince = undefined;
      this.emit({ kind: 'live' });
      let events = 0;
      let relist = false;
      let failure: Failure | undefined;
      try {
        for await (const event of stream) {
          events += 1;
          if (this.stopped) break;
          if (this.handleEvent(event) === 'relist') {
            relist = true;
            break;
          }
          this.replayFrom = undefined;
        }
      } catch (err) {
        failure = stalled
          ? { kind: 'transient', message: `watch stream silent for ${timeoutSeconds} s` }
          : classify(err, this.stopped);
      } finally {
        cleanup();
        stream.destroy();
      }
      if (this.stopped) return 'stopped';
      if (relist) return this.relist();
      const healthy = events > 0 || this.clock.now() - openedAt >= (this.opts.healthyAfterMs ?? 10_000);
      if (healthy) this.attempt = 0;
      if (failure?.kind === 'gone') return this.relist();
      if (failure === undefined || (stalled && healthy)) {
        if (healthy) continue; // the server's timeout ended it: watch again from the last version
        failure = { kind: 'transient', message: 'the server closed the watch at once' };
      }
      const next = await this.handleFailure(failure);
      if (next !== 'retry') return next;
    }
  }

  /** The server no longer has our version. If that was the first page's, lists go cluster-wide from now on. */
  private relist(): Outcome {
    if (this.replayFrom !== undefined) this.partitionedGone = true;
    this.replayFrom = undefined;
    return 'relist';
  }

  /** Applies one watch event; 'relist' when the server says our version is gone. */
  private handleEvent(event: unknown): 'relist' | undefined {
    const ev = event as { type?: string; object?: unknown };
    const obj = (ev.object ?? {}) as Table & {
      code?: number;
      message?: string;
      reason?: string;
      metadata?: { resourceVersion?: string; uid?: string };
    };
    // A watch's first event carries the Table's columns, whatever its type (a bookmark too).
    if (obj.kind === 'Table' && obj.columnDefinitions && obj.columnDefinitions.length > 0) this.setColumns(obj.columnDefinitions);
    switch (ev.type) {
      case 'ERROR': {
        if (obj.code === 410 || obj.reason === 'Expired' || obj.reason === 'Gone') return 'relist';
        throw new WatchEventError(obj.message ?? `watch error ${String(obj.code ?? '')}`.trim(), obj.code);
      }
      case 'BOOKMARK': {
        const rv = obj.metadata?.resourceVersion ?? obj.rows?.[0]?.object?.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
        return undefined;
      }
      case 'ADDED':
      case 'MODIFIED':
      case 'DELETED':
        break;
      default:
        return undefined;
    }
    if (obj.kind !== 'Table') {
      // The server ignored the Table Accept for this event: only a deletion can be applied.
      const meta = obj.metadata as ObjectMeta | undefined;
      if (ev.type === 'DELETED' && meta?.uid) this.sink.remove(meta.uid);
      if (meta?.resourceVersion) this.resourceVersion = meta.resourceVersion;
      return undefined;
    }
    for (const r of obj.rows ?? []) {
      const meta = r.object?.metadata;
      if (!meta?.uid) continue;
      if (ev.type === 'DELETED') {
        this.sink.remove(meta.uid);
      } else {
        const row = this.map(r.cells, meta, r.object);
        if (row === null) this.sink.remove(meta.uid);
        else this.sink.upsert(row);
      }
      if (meta.resourceVersion) this.resourceVersion = meta.resourceVersion;
    }
    if (!obj.rows?.length && obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    return undefined;
  }

  private setColumns(definitions: readonly TableColumnDefinition[]): void {
    this.columnDefinitions = definitions;
    this.columns = columnIndexOf(definitions);
    this.sink.columns?.(definitions);
  }

  private map(cells: unknown[] | undefined, meta: ObjectMeta, object: RowObject | undefined): Row | null {
    if (!this.columns || !cells) return null;
    try {
      return this.mapRow(cells, this.columns, meta, this.spec.includeObject === 'Object' ? object : undefined);
    } catch {
      return null; // one odd row must not stop the watch
    }
  }

  // ---- failures, backoff, status ----

  /** Reports the failure and waits before the next try; 'retry' to go on. */
  private async handleFailure(failure: Failure): Promise<Outcome> {
    switch (failure.kind) {
      case 'stopped':
        return 'stopped';
      case 'gone':
        return 'relist';
      case 'fatal':
        this.emit({ kind: 'failed', message: failure.message, code: failure.code });
        return 'fatal';
      case 'forbidden':
        this.emit({ kind: 'forbidden', message: failure.message });
        await this.sleep(this.opts.forbiddenRetryMs ?? 30_000);
        return this.stopped ? 'stopped' : 'retry';
      case 'transient': {
        this.downSince ??= this.clock.now();
        const attempt = this.attempt;
        this.attempt += 1;
        this.emit({ kind: 'reconnecting', since: this.downSince, reason: failure.message, attempt: attempt + 1 });
        await this.sleep(
          backoffDelay(attempt, this.clock.random(), this.opts.backoffInitialMs ?? 500, this.opts.backoffMaxMs ?? 30_000),
        );
        return this.stopped ? 'stopped' : 'retry';
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const wait = {
        handle: this.clock.setTimeout(() => {
          this.pending.delete(wait);
          resolve();
        }, ms),
        resolve,
      };
      this.pending.add(wait);
    });
  }

  private emit(status: WatchStatus): void {
    if (this.stopped) return;
    // Messages quote the apiserver (untrusted): no control sequence reaches the screen.
    if ('message' in status) status = { ...status, message: sanitize(status.message, { maxLength: 500 }) };
    else if (status.kind === 'reconnecting') status = { ...status, reason: sanitize(status.reason, { maxLength: 200 }) };
    if (status.kind === 'live' && this.lastStatus === 'live') return;
    if (status.kind === 'forbidden' && this.lastStatus === 'forbidden' && status.message === this.lastMessage) return;
    this.lastStatus = status.kind;
    this.lastMessage = 'message' in status ? status.message : undefined;
    this.sink.status(status);
  }
}

function classify(err: unknown, stopped: boolean): Failure {
  if (stopped || isAbortError(err)) return stopped ? { kind: 'stopped' } : { kind: 'transient', message: 'request aborted' };
  if (err instanceof KubeApiError) {
    const s = err.status;
    if (s === 410) return { kind: 'gone' };
    if (s === 403) return { kind: 'forbidden', message: err.message };
    if (s === 401 || s === 400 || s === 404 || s === 405 || s === 406 || s === 415 || s === 422) {
      return { kind: 'fatal', message: err.message, code: s };
    }
    return { kind: 'transient', message: err.message };
  }
  if (err instanceof WatchEventError) {
    if (err.code === 410) return { kind: 'gone' };
    if (err.code === 403) return { kind: 'forbidden', message: err.message };
    return { kind: 'transient', message: err.message };
  }
  if (err instanceof SyntaxError) return { kind: 'transient', message: `unreadable watch event: ${err.message}` };
  return { kind: 'transient', message: err instanceof Error ? err.message : String(err) };
}
