import type { Client } from '@elastic/elasticsearch';
import type { EsConfig } from '../../config/logsConfig.js';
import { systemClock, type Clock } from '../clock.js';
import { sanitize } from '../text/sanitize.js';
import { describeEsError } from './esErrors.js';
import { historySearch, histogramSearch, PIT_KEEP_ALIVE, tailSearch, type QueryParts, type SearchBody, type SortValues } from './esRequests.js';
import { fieldValue } from './fieldMapping.js';
import type { RawLogRecord } from './logLine.js';
import { rangeBounds, rangeReachesNow } from './logQuery.js';
import { isAbort, LogSourceError, type FollowSink, type Histogram, type LogPage, type LogSession, type LogSource, type SessionParams } from './logSource.js';
import { TailCursor } from './tailCursor.js';

// Logs from Elasticsearch.
//
// First screen and history: a point in time (PIT) over the index pattern, newest first,
// paged with search_after on [@timestamp, _shard_doc]. `_shard_doc` is the tiebreaker: it
// is unique per document inside a PIT and needs no field in the shipper's documents
// (sorting on `_id` is disallowed by default since 8.0, and ECS has no unique keyword
// field with doc values that every shipper writes).
//
// Following: a poll from `newest - lateWindow` on, oldest first, de-duplicated by
// `index/_id` (TailCursor). A poll that comes back full pages on inside a short-lived PIT
// with search_after on [@timestamp, _shard_doc], so thousands of lines sharing a timestamp
// are all read; it reads from the newest line held on first and the late window with the
// pages left, so a source faster than a poll can re-read still shows new lines. (Elasticsearch 9.5 accepts `_shard_doc` without a PIT as well, but its
// values then name documents of the current view of the index only, so paging on them
// across refreshes could skip or repeat lines; hence the PIT.) Polls back off while nothing arrives (0.5 s busy, up to 1.5 s idle).

const POLL_PAGE = 1000;
const MAX_PAGES_PER_POLL = 20;
const POLL_MIN_MS = 500;
const POLL_MAX_MS = 1500;
const RETRY_MAX_MS = 15_000;

type Hit = { _index: string; _id?: string | null; _source?: unknown; sort?: SortValues };
type Loader = () => Promise<typeof import('@elastic/elasticsearch')>;

/** The client is loaded on first use: it is not needed to start the console. */
const loadClientModule: Loader = () => import('@elastic/elasticsearch');

export function createEsClient(mod: typeof import('@elastic/elasticsearch'), cfg: EsConfig): Client {
  const auth = cfg.auth.kind === 'apiKey' ? { apiKey: cfg.auth.apiKey } : cfg.auth.kind === 'basic' ? { username: cfg.auth.username, password: cfg.auth.password } : undefined;
  return new mod.Client({
    nodes: cfg.urls,
    ...(auth ? { auth } : {}),
    ...(cfg.ca ? { tls: { ca: cfg.ca } } : {}),
    requestTimeout: cfg.requestTimeoutMs,
    // One retry on another node; the store decides about fallback after that.
    maxRetries: cfg.urls.length > 1 ? 1 : 0,
    sniffOnStart: false,
    sniffOnConnectionFault: false,
    compression: false,
  });
}

export class EsLogSource implements LogSource {
  readonly info;
  private client: Promise<Client> | undefined;

  private readonly load: Loader;
  /** Polls wait on it and ranges end at its now (tests pass a manual one). */
  readonly clock: Clock;

  constructor(
    private readonly cfg: EsConfig,
    deps: { load?: Loader; clock?: Clock } = {},
  ) {
    this.load = deps.load ?? loadClientModule;
    this.clock = deps.clock ?? systemClock;
    // The filter is part of where lines come from: in a store shared by clusters it says which one's.
    // The index and the filter are the config file's text, shown on the logs pane's source line: sanitised.
    const where = Object.entries(cfg.filter ?? {}).map(([k, v]) => ` ${k}=${v}`).join('');
    const label = `Elasticsearch ${cfg.urls[0]}${cfg.urls.length > 1 ? ` (+${cfg.urls.length - 1})` : ''} index ${cfg.index}${where}`;
    this.info = { kind: 'elasticsearch' as const, label: sanitize(label) };
  }

  getClient(): Promise<Client> {
    this.client ??= this.load().then((mod) => createEsClient(mod, this.cfg));
    return this.client;
  }

  open(params: SessionParams): LogSession {
    return new EsSession(this, this.cfg, params);
  }

  dispose(): void {
    void this.client?.then((c) => c.close()).catch(() => undefined);
    this.client = undefined;
  }
}

class EsSession implements LogSession {
  private pit: string | undefined;
  private oldestSort: SortValues | undefined;
  private oldestTs = Number.POSITIVE_INFINITY;
  private exhausted = false;
  private cursor: TailCursor | undefined;
  private closed = false;
  private readonly bounds: { from: number; to: number };

  constructor(
    private readonly source: EsLogSource,
    private readonly cfg: EsConfig,
    private readonly params: SessionParams,
  ) {
    this.bounds = rangeBounds(params.query.range, source.clock.now());
  }

  private parts(range: QueryParts['range']): QueryParts {
    return { scope: this.params.scope, query: this.params.query, fields: this.cfg.fields, filter: this.cfg.filter, range };
  }

  private fail(err: unknown): LogSourceError {
    return describeEsError(err, { url: this.cfg.urls[0], index: this.cfg.index, timeoutMs: this.cfg.requestTimeoutMs });
  }

  private async search(body: SearchBody, signal: AbortSignal, withIndex: boolean): Promise<{ hits: Hit[]; pitId?: string; aggregations?: unknown }> {
    const client = await this.source.getClient();
    // The body is built as data (esRequests.ts); the client sends it as JSON.
    const res = await client.search(
      { ...(withIndex ? { index: this.cfg.index, allow_no_indices: false, ignore_unavailable: true } : {}), ...(body as object) },
      { signal },
    );
    return { hits: res.hits.hits as Hit[], pitId: res.pit_id, aggregations: res.aggregations };
  }

  private async openPit(signal: AbortSignal): Promise<string> {
    const client = await this.source.getClient();
    const res = await client.openPointInTime({ index: this.cfg.index, keep_alive: PIT_KEEP_ALIVE, ignore_unavailable: true }, { signal });
    return res.id;
  }

  private closePit(id: string | undefined): void {
    if (!id) return;
    void this.source
      .getClient()
      .then((c) => c.closePointInTime({ id }))
      .catch(() => undefined);
  }

  toRecord(hit: Hit): RawLogRecord {
    const f = this.cfg.fields;
    const src = hit._source;
    const tsRaw = fieldValue(src, f.timestamp);
    const ts = typeof tsRaw === 'number' ? tsRaw : Date.parse(String(tsRaw ?? ''));
    const text = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.map(String).join(' ') : typeof v === 'object' ? JSON.stringify(v) : String(v));
    return {
      id: `${hit._index}/${hit._id ?? ''}`,
      ts: Number.isFinite(ts) ? ts : typeof hit.sort?.[0] === 'number' ? hit.sort[0] : 0,
      namespace: text(fieldValue(src, f.namespace)),
      pod: text(fieldValue(src, f.pod)),
      container: text(fieldValue(src, f.container)),
      level: f.level ? text(fieldValue(src, f.level)) || undefined : undefined,
      message: text(fieldValue(src, f.message)),
    };
  }

  async initial(signal: AbortSignal): Promise<LogPage> {
    try {
      // A plain search first: it fails fast and clearly on a wrong index pattern (a PIT
      // over a pattern that matches nothing would just be empty).
      await this.search({ size: 0, track_total_hits: false, query: { match_all: {} } }, signal, true);
      this.pit = await this.openPit(signal);
      return await this.page(signal);
    } catch (err) {
      throw this.fail(err);
    }
  }

  async older(signal: AbortSignal): Promise<LogPage> {
    if (this.exhausted) return { records: [], exhausted: true };
    try {
      return await this.page(signal);
    } catch (err) {
      const e = err as { meta?: { statusCode?: number; body?: { error?: { type?: string } } } };
      // The PIT expired while the user read: open another one and continue below the
      // oldest timestamp held (lines at that very timestamp are de-duplicated by id).
      if (e.meta?.statusCode === 404 && e.meta.body?.error?.type === 'search_context_missing_exception') {
        this.pit = await this.openPit(signal).catch((x: unknown) => {
          throw this.fail(x);
        });
        this.oldestSort = undefined;
        try {
          return await this.page(signal, this.oldestTs);
        } catch (again) {
          throw this.fail(again);
        }
      }
      throw this.fail(err);
    }
  }

  private seenAtOldest = new Set<string>();

  private async page(signal: AbortSignal, upTo?: number): Promise<LogPage> {
    const range = { gte: this.bounds.from, lte: upTo ?? this.bounds.to };
    const body = historySearch(this.parts(range), this.params.pageSize, this.pit!, this.oldestSort);
    const res = await this.search(body, signal, false);
    if (res.pitId) this.pit = res.pitId;
    const hits = res.hits;
    if (hits.length < this.params.pageSize) this.exhausted = true;
    const records: RawLogRecord[] = [];
    for (const h of hits) {
      const r = this.toRecord(h);
      if (r.ts === this.oldestTs && this.seenAtOldest.has(r.id)) continue;
      if (r.ts < this.oldestTs) {
        this.oldestTs = r.ts;
        this.seenAtOldest = new Set();
      }
      if (r.ts === this.oldestTs) this.seenAtOldest.add(r.id);
      records.push(r);
    }
    if (hits.length > 0) this.oldestSort = hits[hits.length - 1].sort;
    records.reverse();
    if (!this.cursor) {
      const newest = records.length ? records[records.length - 1].ts : Math.min(this.source.clock.now(), this.bounds.to);
      this.cursor = new TailCursor(newest, this.cfg.lateWindowMs, () => this.source.clock.now());
      this.cursor.prime(records);
    }
    return { records, exhausted: this.exhausted };
  }

  /** One tail poll: every line from the cursor's window on, de-duplicated. */
  async poll(signal: AbortSignal): Promise<RawLogRecord[]> {
    const cursor = (this.cursor ??= new TailCursor(this.source.clock.now(), this.cfg.lateWindowMs, () => this.source.clock.now()));
    const from = cursor.from();
    const first = await this.search(tailSearch(this.parts({ gte: from }), POLL_PAGE), signal, true);
    let hits = first.hits;
    if (hits.length >= POLL_PAGE) {
      // More than a page in the window: read it in a PIT, tiebroken by _shard_doc. Lines from
      // the newest one held on come first: at thousands of lines a second the late window
      // alone fills every page, and a tail that re-read only it would never show a new line.
      // The late window gets the pages left over (its lines are mostly shown already).
      const newest = cursor.newestTs;
      const pit = { id: await this.openPit(signal) };
      try {
        const fresh = await this.readPages(this.parts({ gte: newest }), MAX_PAGES_PER_POLL, pit, signal);
        const late = fresh.pages < MAX_PAGES_PER_POLL ? await this.readPages(this.parts({ gte: from, lt: newest }), MAX_PAGES_PER_POLL - fresh.pages, pit, signal) : { hits: [], pages: 0 };
        // Oldest first, so the late lines do not land behind newer ones in the pane.
        hits = [...late.hits, ...fresh.hits];
      } finally {
        this.closePit(pit.id);
      }
    }
    return cursor.accept(hits.map((h) => this.toRecord(h)));
  }

  /** Up to `maxPages` pages of a tail search inside the PIT (whose id may change per answer). */
  private async readPages(parts: QueryParts, maxPages: number, pit: { id: string }, signal: AbortSignal): Promise<{ hits: Hit[]; pages: number }> {
    const hits: Hit[] = [];
    let after: SortValues | undefined;
    let pages = 0;
    while (pages < maxPages) {
      const res = await this.search(tailSearch(parts, POLL_PAGE, { id: pit.id, searchAfter: after }), signal, false);
      pages++;
      if (res.pitId) pit.id = res.pitId;
      hits.push(...res.hits);
      if (res.hits.length < POLL_PAGE) break;
      after = res.hits[res.hits.length - 1].sort;
    }
    return { hits, pages };
  }

  follow(sink: FollowSink, signal: AbortSignal): void {
    if (!rangeReachesNow(this.params.query.range)) return;
    let delay = POLL_MIN_MS;
    let failing = false;
    const loop = async () => {
      while (!signal.aborted && !this.closed) {
        await this.source.clock.sleep(delay, signal);
        if (signal.aborted) return;
        try {
          const fresh = await this.poll(signal);
          if (failing) sink.recovered?.();
          failing = false;
          if (fresh.length) sink.lines(fresh);
          delay = fresh.length ? POLL_MIN_MS : Math.min(POLL_MAX_MS, delay * 1.5);
        } catch (err) {
          if (isAbort(err, signal)) return;
          failing = true;
          sink.error(this.fail(err));
          delay = Math.min(RETRY_MAX_MS, Math.max(2000, delay * 2));
        }
      }
    };
    void loop();
  }

  async histogram(buckets: number, signal: AbortSignal): Promise<Histogram> {
    const now = this.source.clock.now();
    const { from, to } = rangeBounds(this.params.query.range, now);
    const { body, intervalMs } = histogramSearch(this.parts({}), from, to, buckets);
    try {
      const res = await this.search(body, signal, true);
      const agg = (res.aggregations as { over_time?: { buckets?: Array<{ key: number; doc_count: number; errors?: { doc_count: number } }> } } | undefined)?.over_time;
      return {
        from,
        to,
        intervalMs,
        buckets: (agg?.buckets ?? []).map((b) => ({ start: b.key, count: b.doc_count, errors: b.errors?.doc_count ?? 0 })),
      };
    } catch (err) {
      throw this.fail(err);
    }
  }

  close(): void {
    this.closed = true;
    this.closePit(this.pit);
    this.pit = undefined;
  }
}
