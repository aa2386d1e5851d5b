import { describe, expect, it } from 'vitest';
import { FIELD_PRESETS } from '../../../src/platform/logs/fieldMapping.js';
import { buildQuery, escapeRegexp, histogramInterval, histogramSearch, historySearch, tailSearch, type Json } from '../../../src/platform/logs/esRequests.js';
import { DEFAULT_QUERY, parseTimeRange, type LogQuery } from '../../../src/platform/logs/logQuery.js';
import type { LogScope } from '../../../src/platform/logs/logScope.js';

const ecs = FIELD_PRESETS.ecs.fields;
const app: LogScope = { kind: 'application', namespace: 'cart', app: { kind: 'Deployment', name: 'cart-api' } };
const q = (text: string, extra: Partial<LogQuery> = {}): LogQuery => ({ ...DEFAULT_QUERY, text, ...extra });

/** Every string leaf of a request body with its path, to find where user text ended up. */
function leaves(v: Json, path = ''): Array<[string, string]> {
  if (typeof v === 'string') return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, `${path}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => leaves(x, `${path}.${k}`));
  return [];
}

const hostile = [
  'say "hello', // unbalanced quote
  'path:C:\\temp\\x', // backslashes and colons
  'kubernetes.pod.name:evil) OR (*:*', // trying to widen the scope
  'ünïcödé 商品 ✓ 🚀',
  '+-=&&||><!(){}[]^"~*?:\\/',
  '"}},{"match_all":{}}', // JSON injection attempt
];

describe('Elasticsearch query building', () => {
  it.each(hostile)('puts user text %j only into query_string.query, verbatim', (text) => {
    const body = tailSearch({ scope: app, query: q(text), fields: ecs, range: { gte: 1000 } }, 500) as unknown as Json;
    const hits = leaves(body).filter(([, v]) => v.includes(text));
    expect(hits).toEqual([['.query.bool.must[0].query_string.query', text]]);
    // The scope filter is still there, untouched, next to it.
    expect(JSON.stringify(body)).toContain('"term":{"kubernetes.namespace":"cart"}');
  });
  it('sends no query_string when the search is empty', () => {
    expect(JSON.stringify(buildQuery({ scope: app, query: q('  '), fields: ecs, range: {} }))).not.toContain('query_string');
  });
  it('matches an application by its pods\' name shape with regexp metacharacters escaped', () => {
    const weird: LogScope = { kind: 'application', namespace: 'n', app: { kind: 'StatefulSet', name: 'db.main+(x)' } };
    const s = JSON.stringify(buildQuery({ scope: weird, query: q(''), fields: ecs, range: {} }));
    expect(s).toContain(JSON.stringify({ regexp: { 'kubernetes.pod.name': { value: 'db\\.main\\+\\(x\\)-[0-9]+', flags: 'NONE' } } }));
    expect(s).toContain('"kubernetes.statefulset.name":"db.main+(x)"');
    expect(escapeRegexp('a.b*c"d\\e#f@g<h>i~j&k|l?m{n}o[p]')).toBe('a\\.b\\*c\\"d\\\\e\\#f\\@g\\<h\\>i\\~j\\&k\\|l\\?m\\{n\\}o\\[p\\]');
  });
  it('narrows a container scope with two term filters', () => {
    const s = buildQuery({ scope: { kind: 'container', namespace: 'n', pod: 'p-1', container: 'side car' }, query: q(''), fields: ecs, range: {} });
    expect(JSON.stringify(s)).toContain('{"term":{"kubernetes.pod.name":"p-1"}},{"term":{"kubernetes.container.name":"side car"}}');
  });
  it('filters errors on the level field, and on message words when the shipper has no level field', () => {
    const withField = JSON.stringify(buildQuery({ scope: app, query: q('', { levels: 'errors' }), fields: ecs, range: {} }));
    expect(withField).toMatch(/"terms":\{"log\.level":\["error","ERROR"/);
    const fb = FIELD_PRESETS['fluent-bit'].fields;
    const noField = JSON.stringify(buildQuery({ scope: app, query: q('', { levels: 'errors' }), fields: { ...fb, level: undefined }, range: {} }));
    expect(noField).toContain('"query_string":{"query":"ERROR OR FATAL OR CRITICAL OR PANIC","default_field":"log"}');
  });
  it('uses the preset\'s keyword sub-fields for Logstash and Fluent Bit', () => {
    const s = JSON.stringify(buildQuery({ scope: { kind: 'pod', namespace: 'n', pod: 'p' }, query: q(''), fields: FIELD_PRESETS['fluent-bit'].fields, range: {} }));
    expect(s).toContain('"kubernetes.namespace_name.keyword":"n"');
    expect(s).toContain('"kubernetes.pod_name.keyword":"p"');
  });
  it('pages a tail inside a PIT with _shard_doc as the tiebreaker and echoes search_after', () => {
    const parts = { scope: app, query: q(''), fields: ecs, range: { gte: 5 } };
    expect(tailSearch(parts, 100).sort).toEqual([{ '@timestamp': { order: 'asc' } }]);
    const paged = tailSearch(parts, 100, { id: 'PIT', searchAfter: [1700000000000, 42] });
    expect(paged.sort).toEqual([{ '@timestamp': { order: 'asc' } }, { _shard_doc: 'asc' }]);
    expect(paged.search_after).toEqual([1700000000000, 42]);
    expect(paged.pit).toEqual({ id: 'PIT', keep_alive: '2m' });
    const older = historySearch(parts, 300, 'PIT', [5, 7]);
    expect(older.sort).toEqual([{ '@timestamp': { order: 'desc' } }, { _shard_doc: 'desc' }]);
  });
  it("keeps every query to the context's filter (its cluster in a shared store): tail, history and histogram", () => {
    const parts = { scope: app, query: q('timeout'), fields: ecs, filter: { 'orchestrator.cluster.name': 'prod-dc2' }, range: { gte: 5 } };
    const bodies = [tailSearch(parts, 100), tailSearch(parts, 100, { id: 'PIT' }), historySearch(parts, 300, 'PIT'), histogramSearch(parts, 0, 3_600_000, 60).body];
    for (const body of bodies) {
      const filter = (body.query.bool as { filter: Json[] }).filter;
      expect(filter).toContainEqual({ term: { 'orchestrator.cluster.name': 'prod-dc2' } });
      expect(filter).toContainEqual({ term: { 'kubernetes.namespace': 'cart' } });
    }
    expect(JSON.stringify(buildQuery({ ...parts, filter: undefined }))).not.toContain('orchestrator');
  });
  it('sizes histogram buckets to round intervals that fit the strip', () => {
    expect(histogramInterval(15 * 60_000, 60)).toEqual({ ms: 15_000, es: '15s' });
    expect(histogramInterval(24 * 3_600_000, 80)).toEqual({ ms: 1_800_000, es: '30m' });
    const { body } = histogramSearch({ scope: app, query: q('', { levels: 'errors' }), fields: ecs, range: {} }, 0, 3_600_000, 60);
    const agg = (body.aggs as { over_time: { date_histogram: { fixed_interval: string } } }).over_time;
    expect(agg.date_histogram.fixed_interval).toBe('1m');
    // The strip counts all lines; the level filter is applied to the errors sub-count only.
    expect(JSON.stringify(body.query)).not.toContain('log.level');
  });
});

describe('time ranges', () => {
  it('reads relative ranges', () => {
    expect(parseTimeRange('last 15m')).toEqual({ kind: 'relative', ms: 900_000 });
    expect(parseTimeRange('1h')).toEqual({ kind: 'relative', ms: 3_600_000 });
    expect(parseTimeRange('24h')).toEqual({ kind: 'relative', ms: 86_400_000 });
  });
  it('reads absolute ranges and refuses backwards ones', () => {
    expect(parseTimeRange('2026-08-21T10:00Z .. 2026-08-21T11:30Z')).toEqual({ kind: 'absolute', from: Date.parse('2026-08-21T10:00Z'), to: Date.parse('2026-08-21T11:30Z') });
    expect(parseTimeRange('from 2026-08-21T10:00Z to now', 2e12)).toEqual({ kind: 'absolute', from: Date.parse('2026-08-21T10:00Z'), to: 2e12 });
    expect(() => parseTimeRange('2026-08-21T11:00Z .. 2026-08-21T10:00Z')).toThrow(/not after/);
    expect(() => parseTimeRange('yesterday-ish')).toThrow(/15m, 1h, 24h/);
  });
});
