import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@elastic/elasticsearch';
import { describeEsError } from '../../../src/platform/logs/esErrors.js';
import { buildQuery, tailSearch, type SortValues } from '../../../src/platform/logs/esRequests.js';
import { fieldValue } from '../../../src/platform/logs/fieldMapping.js';
import { EsLogSource } from '../../../src/platform/logs/esLogSource.js';
import { DEFAULT_QUERY, type LogQuery } from '../../../src/platform/logs/logQuery.js';
import type { LogScope } from '../../../src/platform/logs/logScope.js';
import { podBelongsTo } from '../../../src/platform/logs/logScope.js';
import { LogSourceError } from '../../../src/platform/logs/logSource.js';
import { startLogStore } from '../../../src/demo/logs/logStoreServer.js';
import { staticPodView } from '../../../src/demo/logs/podView.js';
import { demoPods, startLogsTarget, type LogsTarget } from './target.js';

// What warroom relies on from Elasticsearch: the requests it sends (built by esRequests.ts
// and sent by EsLogSource through @elastic/elasticsearch) and the answers it reads. Runs
// against the demo log store in `npm test` and against the lab's cluster (WARROOM_ES_URL).

let target: LogsTarget;
let client: Client;
/** The busiest system of the target, and an application and a pod of it that have lines. */
let sample: { namespace: string; app: { kind: 'Deployment'; name: string }; pod: string };

const q = (extra: Partial<LogQuery> = {}): LogQuery => ({ ...DEFAULT_QUERY, range: { kind: 'relative', ms: 60 * 60_000 }, ...extra });
const signal = () => new AbortController().signal;

beforeAll(async () => {
  target = await startLogsTarget();
  client = new Client({ node: target.url });
  const context = Object.entries(target.config().filter ?? {}).map(([field, value]) => ({ term: { [field]: value } }));
  // The system with the most of the newest 1,000 lines of Deployments' pods, not just the newest line's: that
  // can be a one-container system (the demo's `search` writes a line every 4 s on average), too quiet for the
  // follow test to see three new lines in 20 s whenever the machine is slow. The demo's `cart` runs nine containers.
  const res = await client.search({ index: target.index, size: 1000, sort: [{ '@timestamp': { order: 'desc' } }], _source: ['kubernetes'], query: { bool: { filter: [{ exists: { field: 'kubernetes.deployment.name' } }, ...context] } } });
  const docs = res.hits.hits.map((h) => h._source as { kubernetes: { namespace: string; pod: { name: string }; deployment: { name: string } } });
  const lines = new Map<string, number>();
  for (const d of docs) lines.set(d.kubernetes.namespace, (lines.get(d.kubernetes.namespace) ?? 0) + 1);
  const busiest = [...lines].reduce<[string, number] | undefined>((best, e) => (!best || e[1] > best[1] ? e : best), undefined)?.[0];
  const src = docs.find((d) => d.kubernetes.namespace === busiest);
  if (!src) throw new Error(`no documents with kubernetes.deployment.name in ${target.url} ${target.index}`);
  if (!target.external) expect(src.kubernetes.namespace).toBe('cart');
  sample = { namespace: src.kubernetes.namespace, app: { kind: 'Deployment', name: src.kubernetes.deployment.name }, pod: src.kubernetes.pod.name };
});
afterAll(async () => {
  await client?.close();
  await target?.stop();
});

function session(scope: LogScope, query = q(), pageSize = 200) {
  const source = new EsLogSource(target.config());
  return { source, s: source.open({ scope, query, pageSize }) };
}

describe(`Elasticsearch logs contract`, () => {
  it('answers as Elasticsearch (the client checks x-elastic-product)', async () => {
    const info = await client.info();
    expect(Number(info.version.number.split('.')[0])).toBeGreaterThanOrEqual(9);
  });

  it('gives an application\'s newest lines, oldest first, only from its pods', async () => {
    const { source, s } = session({ kind: 'application', namespace: sample.namespace, app: sample.app });
    const page = await s.initial(signal());
    s.close();
    source.dispose();
    expect(page.records.length).toBeGreaterThan(0);
    for (let i = 1; i < page.records.length; i++) expect(page.records[i].ts).toBeGreaterThanOrEqual(page.records[i - 1].ts);
    for (const r of page.records) {
      expect(r.namespace).toBe(sample.namespace);
      expect(podBelongsTo(sample.app, r.pod), `${r.pod} is not a pod of ${sample.app.name}`).toBe(true);
      expect(r.container).not.toBe('');
      expect(r.message).not.toBe('');
    }
  });

  it('pages older history without repeating or skipping a line (PIT + search_after on _shard_doc)', async () => {
    const scope: LogScope = { kind: 'system', namespace: sample.namespace };
    const { source, s } = session(scope, q(), 50);
    const seen = new Set<string>();
    let oldest = Infinity;
    let page = await s.initial(signal());
    for (let i = 0; i < 6 && page.records.length; i++) {
      for (const r of page.records) {
        expect(seen.has(r.id), `line ${r.id} shown twice`).toBe(false);
        seen.add(r.id);
        expect(r.ts).toBeLessThanOrEqual(oldest === Infinity ? Infinity : oldest + 0);
      }
      oldest = Math.min(oldest, page.records[0].ts);
      if (page.exhausted) break;
      page = await s.older(signal());
      if (page.records.length) expect(page.records[page.records.length - 1].ts).toBeLessThanOrEqual(oldest);
    }
    s.close();
    source.dispose();
    expect(seen.size).toBeGreaterThan(50);
  });

  it('reads a window in small PIT pages exactly as one big search (ties on the timestamp included)', async () => {
    const scope: LogScope = { kind: 'system', namespace: sample.namespace };
    // A window of a few hundred lines ending a minute ago, however long the store has been filling: from the
    // timestamp of the 300th newest line (the lines sharing it included) on.
    const end = Date.now() - 60_000;
    const base = { scope, query: q(), fields: target.config().fields, filter: target.config().filter };
    const newest = (await client.search({ index: target.index, size: 300, sort: [{ '@timestamp': { order: 'desc' } }], query: buildQuery({ ...base, range: { lte: end } }), _source: false } as never)) as { hits: { hits: Array<{ sort: SortValues }> } };
    const parts = { ...base, range: { gte: Number(newest.hits.hits.at(-1)!.sort[0]), lte: end } };
    const pit = await client.openPointInTime({ index: target.index, keep_alive: '1m' });
    const whole = await client.search({ ...tailSearch(parts, 5000, { id: pit.id }) } as never);
    const wholeIds = (whole as { hits: { hits: Array<{ _id: string }> } }).hits.hits.map((h) => h._id);
    const paged: string[] = [];
    let after: SortValues | undefined;
    for (;;) {
      const res = (await client.search({ ...tailSearch(parts, 7, { id: pit.id, searchAfter: after }) } as never)) as { hits: { hits: Array<{ _id: string; sort: SortValues }> } };
      paged.push(...res.hits.hits.map((h) => h._id));
      if (res.hits.hits.length < 7) break;
      after = res.hits.hits[res.hits.hits.length - 1].sort;
      // Every sort value carries the tiebreaker.
      expect(after.length).toBe(2);
    }
    await client.closePointInTime({ id: pit.id });
    expect(wholeIds.length).toBeGreaterThan(7);
    expect(paged).toEqual(wholeIds);
  });

  // Elasticsearch 9.5 accepts a sort on _shard_doc without a point in time (measured in the
  // lab; earlier versions refused it). warroom never sends one: outside a PIT the values
  // name documents of the current view only, so its tail sorts on the timestamp alone and
  // pages inside a PIT when a poll comes back full. What it relies on is this:
  it('a tail poll without a point in time holds every line of a window that fits in one page, ties included', async () => {
    const scope: LogScope = { kind: 'system', namespace: sample.namespace };
    const parts = { scope, query: q(), fields: target.config().fields, filter: target.config().filter, range: { gte: Date.now() - 3 * 60_000, lte: Date.now() - 60_000 } };
    const pit = await client.openPointInTime({ index: target.index, keep_alive: '1m' });
    const inPit = (await client.search({ ...tailSearch(parts, 10_000, { id: pit.id }) } as never)) as { hits: { hits: Array<{ _id: string }> } };
    await client.closePointInTime({ id: pit.id });
    const plain = (await client.search({ index: target.index, ...tailSearch(parts, 10_000) } as never)) as { hits: { hits: Array<{ _id: string; sort: SortValues }> } };
    const ids = plain.hits.hits.map((h) => h._id);
    expect(ids.length).toBeGreaterThan(7);
    expect(ids.length).toBeLessThan(10_000);
    expect(new Set(ids)).toEqual(new Set(inPit.hits.hits.map((h) => h._id)));
    // Sorted on the timestamp alone: one sort value per hit, oldest first.
    for (const h of plain.hits.hits) expect(h.sort.length).toBe(1);
    for (let i = 1; i < plain.hits.hits.length; i++) expect(Number(plain.hits.hits[i].sort[0])).toBeGreaterThanOrEqual(Number(plain.hits.hits[i - 1].sort[0]));
  });

  it('follows: new lines arrive through polls, none twice', async () => {
    const { source, s } = session({ kind: 'system', namespace: sample.namespace });
    await s.initial(signal());
    const got: string[] = [];
    const ac = new AbortController();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${got.length} new lines of ${sample.namespace} within 20 s, 3 wanted`)), 20_000);
      s.follow({ lines: (rs) => { got.push(...rs.map((r) => r.id)); if (got.length >= 3) { clearTimeout(timer); resolve(); } }, error: (e) => { clearTimeout(timer); reject(e); } }, ac.signal);
    });
    ac.abort();
    s.close();
    source.dispose();
    expect(new Set(got).size).toBe(got.length);
  }, 30_000);

  it('filters by level and by query_string', async () => {
    const { source, s } = session({ kind: 'system', namespace: sample.namespace }, q({ levels: 'errors' }));
    const page = await s.initial(signal());
    s.close();
    expect(page.records.length).toBeGreaterThan(0);
    for (const r of page.records) expect(r.level?.toLowerCase()).toBe('error');
    const s2 = source.open({ scope: { kind: 'system', namespace: sample.namespace }, query: q({ text: 'ERROR AND NOT healthz' }), pageSize: 100 });
    const p2 = await s2.initial(signal());
    s2.close();
    source.dispose();
    expect(p2.records.length).toBeGreaterThan(0);
    for (const r of p2.records) expect(r.message).toMatch(/error/i);
  });

  // Several clusters shipping into one store: the context's filter (a term on a keyword field) is all that keeps
  // one cluster's lines apart from another's with the same namespaces and pod names.
  it.skipIf(!process.env.WARROOM_ES_FILTER)('a context\'s filter keeps every document of a query to that context', async () => {
    const filter = target.config().filter!;
    const [[field, value]] = Object.entries(filter);
    const parts = { scope: { kind: 'system', namespace: sample.namespace } as LogScope, query: q(), fields: target.config().fields, filter, range: { gte: Date.now() - 10 * 60_000 } };
    const res = (await client.search({ index: target.index, ...tailSearch(parts, 1000), _source: [field] } as never)) as { hits: { hits: Array<{ _source: Record<string, unknown> }> } };
    expect(res.hits.hits.length).toBeGreaterThan(0);
    for (const h of res.hits.hits) expect(fieldValue(h._source, field)).toBe(value);
    const others = await client.count({ index: target.index, query: { bool: { filter: [{ term: { [parts.fields.namespace]: sample.namespace } }], must_not: [{ term: { [field]: value } }] } } });
    // The lab's other cluster ships the same namespace into the same indices.
    expect(others.count).toBeGreaterThan(0);
  });

  it('counts lines and errors per interval for the histogram', async () => {
    const { source, s } = session({ kind: 'system', namespace: sample.namespace });
    const h = await s.histogram!(60, signal());
    s.close();
    source.dispose();
    expect(h.buckets.length).toBeGreaterThanOrEqual(59);
    expect(h.buckets.length).toBeLessThanOrEqual(62);
    expect(h.buckets.reduce((n, b) => n + b.count, 0)).toBeGreaterThan(0);
    for (const b of h.buckets) expect(b.errors).toBeLessThanOrEqual(b.count);
    for (let i = 1; i < h.buckets.length; i++) expect(h.buckets[i].start - h.buckets[i - 1].start).toBe(h.intervalMs);
  });

  it('explains a malformed query in one line and says it is not a reason to fall back', async () => {
    const { source, s } = session({ kind: 'system', namespace: sample.namespace }, q({ text: 'message:"unclosed' }));
    const err = await s.initial(signal()).catch((e: unknown) => e);
    s.close();
    source.dispose();
    expect(err).toBeInstanceOf(LogSourceError);
    expect((err as LogSourceError).kind).toBe('query');
    expect((err as LogSourceError).fallback).toBe(false);
    expect((err as LogSourceError).message).toMatch(/query rejected: .*(parse|Cannot|Lexical)/i);
    expect((err as LogSourceError).message).not.toContain('\n');
  });

  it('names the URL and the index when the index pattern matches nothing', async () => {
    const source = new EsLogSource(target.config({ index: 'no-such-logs-*' }));
    const s = source.open({ scope: { kind: 'system', namespace: sample.namespace }, query: q(), pageSize: 10 });
    const err = (await s.initial(signal()).catch((e: unknown) => e)) as LogSourceError;
    source.dispose();
    expect(err.kind).toBe('index');
    expect(err.fallback).toBe(true);
    expect(err.message).toContain('no-such-logs-*');
    expect(err.message).toContain(target.url);
  });

  it('says the server is unreachable, naming the URL', async () => {
    const source = new EsLogSource(target.config({ urls: ['http://127.0.0.1:9'], requestTimeoutMs: 2000 }));
    const err = (await source.open({ scope: { kind: 'system', namespace: 'x' }, query: q(), pageSize: 10 }).initial(signal()).catch((e: unknown) => e)) as LogSourceError;
    source.dispose();
    expect(err.kind).toBe('unreachable');
    expect(err.message).toContain('http://127.0.0.1:9');
  });
});

describe.skipIf(!!process.env.WARROOM_ES_URL)('Elasticsearch logs contract: credentials (demo store)', () => {
  it('reports rejected credentials without showing them', async () => {
    const store = await startLogStore(staticPodView(demoPods()), { apiKey: 'right-key' });
    try {
      const source = new EsLogSource({ ...target.config(), urls: [store.url], auth: { kind: 'apiKey', apiKey: 'wrong-secret-key', env: 'X' } });
      const err = (await source.open({ scope: { kind: 'system', namespace: 'cart' }, query: q(), pageSize: 10 }).initial(signal()).catch((e: unknown) => e)) as LogSourceError;
      source.dispose();
      expect(err.kind).toBe('auth');
      expect(err.message).toContain(store.url);
      expect(err.message).not.toContain('wrong-secret-key');
      const ok = new EsLogSource({ ...target.config(), urls: [store.url], auth: { kind: 'apiKey', apiKey: 'right-key', env: 'X' } });
      const page = await ok.open({ scope: { kind: 'system', namespace: 'cart' }, query: q(), pageSize: 10 }).initial(signal());
      ok.dispose();
      expect(page.records.length).toBe(10);
    } finally {
      await store.close();
    }
  });

  it('times out with a message naming the URL', async () => {
    target.demo!.setDelay(3000);
    try {
      const source = new EsLogSource(target.config({ requestTimeoutMs: 1000 }));
      const err = (await source.open({ scope: { kind: 'system', namespace: 'cart' }, query: q(), pageSize: 10 }).initial(signal()).catch((e: unknown) => e)) as LogSourceError;
      source.dispose();
      expect(err.kind).toBe('timeout');
      expect(err.message).toContain(target.url);
    } finally {
      target.demo!.setDelay(0);
    }
  });

  it('describes a non-Elasticsearch answer', () => {
    const e = describeEsError({ name: 'ProductNotSupportedError', message: 'x' }, { url: 'http://x:1', index: 'i', timeoutMs: 1 });
    expect(e.kind).toBe('not-elasticsearch');
  });
});

