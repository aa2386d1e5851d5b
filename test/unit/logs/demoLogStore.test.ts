import { describe, expect, it } from 'vitest';
import { runSearch } from '../../../src/demo/logs/esSearch.js';
import { DEFAULT_GENERATOR, generateLines, newestLines } from '../../../src/demo/logs/lineGenerator.js';
import { LogIndex } from '../../../src/demo/logs/logIndex.js';
import { staticPodView, type DemoLogPod, type DemoPodView } from '../../../src/demo/logs/podView.js';

// The demo's log store generates lines on demand; these check what a user of the demo would
// notice if that went wrong: the newest lines missing or out of order, Elasticsearch and the
// Kubernetes log API telling different stories, counts that disagree with the lines, history
// of a deleted pod gone, or a big system making a search do work for every pod.

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
const HOUR = 3_600_000;

function pod(ns: string, app: string, i: number, extra: Partial<DemoLogPod> = {}): DemoLogPod {
  const suffix = `x${String(i).padStart(4, '0')}`;
  return { namespace: ns, name: `${app}-6d9f7c5b8-${suffix}`, uid: `uid-${ns}-${app}-${i}`, containers: ['main', 'istio-proxy'], deployment: app, replicaSet: `${app}-6d9f7c5b8`, runningSince: NOW - 2 * HOUR, restarts: 0, ...extra };
}

const indices = (store: LogIndex) => store.indices();
const search = async (store: LogIndex, body: Record<string, unknown>, visibleAt = NOW) => (await runSearch(store, body, { indices: indices(store), visibleAt, withPit: true, pitId: 'p' })) as { timed_out: boolean; took: number; hits: { hits: Array<{ _id: string; _source: { '@timestamp': string; message: string; kubernetes: { pod: { name: string }; container: { name: string } } }; sort: number[] }> }; aggregations?: { t: { buckets: Array<{ key: number; doc_count: number; e: { doc_count: number } }> } } };

const podQuery = (ns: string, name: string, container: string, gte: number, lte: number) => ({
  bool: { filter: [{ term: { 'kubernetes.namespace': ns } }, { term: { 'kubernetes.pod.name': name } }, { term: { 'kubernetes.container.name': container } }, { range: { '@timestamp': { gte, lte, format: 'epoch_millis' } } }] },
});

describe('demo log store', () => {
  const pods = [pod('cart', 'cart-api', 1), pod('cart', 'cart-api', 2), pod('cart', 'cart-web', 1)];
  const store = new LogIndex(staticPodView(pods), { now: () => NOW });

  it('holds the same lines for a container as the Kubernetes log API serves', async () => {
    const p = pods[0];
    const from = NOW - 10 * 60_000;
    const to = NOW - 60_000;
    const expected = generateLines(p, 'main', from, to + 1);
    expect(expected.length).toBeGreaterThan(20);
    const res = await search(store, { size: 10_000, sort: [{ '@timestamp': 'asc' }], query: podQuery('cart', p.name, 'main', from, to), track_total_hits: false });
    expect(res.hits.hits.map((h) => [Date.parse(h._source['@timestamp']), h._source.message])).toEqual(expected.map((l) => [l.ts, l.message]));
  });

  it('gives the newest lines first and pages older ones without a gap or a repeat', async () => {
    const query = { bool: { filter: [{ term: { 'kubernetes.namespace': 'cart' } }, { range: { '@timestamp': { gte: NOW - 30 * 60_000, lte: NOW - 10_000, format: 'epoch_millis' } } }] } };
    const whole = (await search(store, { size: 10_000, sort: [{ '@timestamp': 'desc' }], query, track_total_hits: false })).hits.hits.map((h) => h._id);
    expect(whole.length).toBeGreaterThan(500);
    const paged: string[] = [];
    let after: number[] | undefined;
    for (;;) {
      const res = await search(store, { size: 97, sort: [{ '@timestamp': 'desc' }], query, track_total_hits: false, ...(after ? { search_after: after } : {}) });
      paged.push(...res.hits.hits.map((h) => h._id));
      if (res.hits.hits.length < 97) break;
      after = res.hits.hits[res.hits.hits.length - 1].sort;
    }
    expect(paged).toEqual(whole);
  });

  it('counts per interval exactly the lines a search returns, errors included', async () => {
    const gte = NOW - 15 * 60_000;
    const lte = NOW - 5000;
    const scope = { term: { 'kubernetes.namespace': 'cart' } };
    const range = { range: { '@timestamp': { gte, lte, format: 'epoch_millis' } } };
    const res = await search(store, {
      size: 0,
      track_total_hits: false,
      query: { bool: { filter: [scope, range] } },
      aggs: { t: { date_histogram: { field: '@timestamp', fixed_interval: '1m', min_doc_count: 0, extended_bounds: { min: gte, max: lte } }, aggs: { e: { filter: { terms: { 'log.level': ['error'] } } } } } },
    });
    const lines = (await search(store, { size: 10_000, sort: [{ '@timestamp': 'asc' }], query: { bool: { filter: [scope, range] } }, track_total_hits: false })).hits.hits;
    const errors = (await search(store, { size: 10_000, sort: [{ '@timestamp': 'asc' }], query: { bool: { filter: [scope, range, { term: { 'log.level': 'error' } }] } }, track_total_hits: false })).hits.hits;
    const buckets = res.aggregations!.t.buckets;
    expect(buckets.reduce((n, b) => n + b.doc_count, 0)).toBe(lines.length);
    expect(buckets.reduce((n, b) => n + b.e.doc_count, 0)).toBe(errors.length);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('counts the same per interval however the histogram is computed, up to the moment of the search', async () => {
    const busy = new LogIndex(staticPodView(Array.from({ length: 40 }, (_, i) => pod('orders', `order-${i % 3}`, i))), { now: () => NOW });
    for (const [interval, span] of [['1s', 2 * 60_000], ['7s', 10 * 60_000], ['15s', 15 * 60_000], ['1m', 60 * 60_000]] as const) {
      const gte = NOW - span;
      const query = { bool: { filter: [{ term: { 'kubernetes.namespace': 'orders' } }, { range: { '@timestamp': { gte, lte: NOW, format: 'epoch_millis' } } }] } };
      const histogram = { date_histogram: { field: '@timestamp', fixed_interval: interval, min_doc_count: 0, extended_bounds: { min: gte, max: NOW } }, aggs: { e: { filter: { terms: { 'log.level': ['error', 'ERROR'] } } } } };
      const quick = (await search(busy, { size: 0, track_total_hits: false, query, aggs: { t: histogram } })).aggregations!.t.buckets;
      // A second aggregation makes the store stream every line through the generic aggregations.
      const streamed = (await search(busy, { size: 0, track_total_hits: false, query, aggs: { t: histogram, all: { filter: { match_all: {} } } } })).aggregations!.t.buckets;
      expect(quick.reduce((n, b) => n + b.doc_count, 0)).toBeGreaterThan(100);
      expect(quick).toEqual(streamed);
    }
  });

  it('keeps the history of a pod that was deleted', async () => {
    let current = [...pods];
    const view: DemoPodView = { namespaces: () => ['cart'], podsIn: () => current, pod: (_ns, name) => current.find((p) => p.name === name) };
    const s = new LogIndex(view, { now: () => NOW });
    const gone = pods[1];
    const query = podQuery('cart', gone.name, 'main', NOW - 20 * 60_000, NOW);
    const before = (await search(s, { size: 50, sort: [{ '@timestamp': 'desc' }], query, track_total_hits: false })).hits.hits;
    current = current.filter((p) => p !== gone);
    const after = (await search(s, { size: 50, sort: [{ '@timestamp': 'desc' }], query, track_total_hits: false })).hits.hits;
    expect(before.length).toBe(50);
    expect(after.map((h) => h._id)).toEqual(before.map((h) => h._id));
  });

  it('hides lines the shipper has not delivered yet at the moment of the search', async () => {
    const busy = new LogIndex(staticPodView(Array.from({ length: 200 }, (_, i) => pod('orders', 'order-api', i))), { now: () => NOW });
    const query = { bool: { filter: [{ term: { 'kubernetes.namespace': 'orders' } }, { range: { '@timestamp': { gte: NOW - 30_000, lte: NOW, format: 'epoch_millis' } } }] } };
    const atNow = (await search(busy, { size: 10_000, sort: [{ '@timestamp': 'asc' }], query, track_total_hits: false }, NOW)).hits.hits;
    const later = (await search(busy, { size: 10_000, sort: [{ '@timestamp': 'asc' }], query, track_total_hits: false }, NOW + 10_000)).hits.hits;
    const seen = new Set(atNow.map((h) => h._id));
    const late = later.filter((h) => !seen.has(h._id));
    expect(late.length).toBeGreaterThan(0);
    // What arrives later is recent, apart from the odd slow shipper (up to 4 s).
    for (const h of late) expect(Date.parse(h._source['@timestamp'])).toBeGreaterThan(NOW - 4000);
    for (const h of atNow) expect(later.some((x) => x._id === h._id)).toBe(true);
  });

  it('answers the newest page of one application in a 20,000-pod system quickly', async () => {
    const many: DemoLogPod[] = [];
    for (let i = 0; i < 20_000; i++) many.push(pod('trade', `app-${i % 150}`, i));
    const big = new LogIndex(staticPodView(many), { now: () => NOW });
    const app = { bool: { should: [{ regexp: { 'kubernetes.pod.name': { value: 'app-7-[a-z0-9]{1,10}-[a-z0-9]{5}', flags: 'NONE' } } }, { term: { 'kubernetes.deployment.name': 'app-7' } }], minimum_should_match: 1 } };
    const body = { size: 500, sort: [{ '@timestamp': 'desc' }], track_total_hits: false, query: { bool: { filter: [{ term: { 'kubernetes.namespace': 'trade' } }, app, { range: { '@timestamp': { gte: NOW - 15 * 60_000, lte: NOW, format: 'epoch_millis' } } }] } } };
    await search(big, body); // warm up the pod list and the JIT
    const started = performance.now();
    const res = await search(big, body);
    const ms = performance.now() - started;
    expect(res.hits.hits.length).toBe(500);
    expect(res.timed_out).toBe(false);
    for (const h of res.hits.hits) expect(h._source.kubernetes.pod.name).toMatch(/^app-7-/);
    // Generous for a loaded CI machine; materialising the namespace took seconds.
    expect(ms).toBeLessThan(1000);
  });
  it('keeps answering other requests while it counts a big system', async () => {
    const many: DemoLogPod[] = [];
    for (let i = 0; i < 20_000; i++) many.push(pod('trade', `app-${i % 150}`, i));
    const big = new LogIndex(staticPodView(many), { now: () => NOW });
    const gte = NOW - 15 * 60_000;
    const body = {
      size: 0,
      track_total_hits: false,
      query: { bool: { filter: [{ term: { 'kubernetes.namespace': 'trade' } }, { range: { '@timestamp': { gte, lte: NOW, format: 'epoch_millis' } } }] } },
      aggs: { t: { date_histogram: { field: '@timestamp', fixed_interval: '15s', min_doc_count: 0, extended_bounds: { min: gte, max: NOW } } } },
    };
    // Another request (a timer standing in for the demo's Kubernetes API) gets turns meanwhile.
    let turns = 0;
    const tick = setInterval(() => turns++, 1);
    const started = performance.now();
    const res = await search(big, body);
    const ms = performance.now() - started;
    clearInterval(tick);
    expect(res.aggregations!.t.buckets.reduce((n, b) => n + b.doc_count, 0)).toBeGreaterThan(100_000);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(ms / 50));
    expect(turns).toBeGreaterThan(2);
  });
});

describe('demo pods/log tail', () => {
  it('gives the same newest lines as generating the whole history', () => {
    const p = pod('cart', 'cart-api', 9);
    const all = generateLines(p, 'main', NOW - HOUR, NOW, DEFAULT_GENERATOR);
    for (const n of [1, 20, 300]) expect(newestLines(p, 'main', NOW - HOUR, NOW, n)).toEqual(all.slice(all.length - n));
    expect(newestLines(p, 'main', NOW - HOUR, NOW, 100_000)).toEqual(all);
  });
});
