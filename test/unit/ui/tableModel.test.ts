import { describe, expect, it } from 'vitest';
import type { PodRow } from '../../../src/platform/kube/rows.js';
import { formatAge, fit } from '../../../src/ui/format.js';
import { podsTable, podTone } from '../../../src/ui/views/lists/podsView.js';
import { computeModel, parseFilter } from '../../../src/ui/views/tableModel.js';

const pod = (name: string, over: Partial<PodRow> = {}): PodRow => ({
  uid: name, namespace: 'cart', name, ready: 1, total: 1, status: 'Running', restarts: 0, createdAt: 1000,
  node: 'node-1', ip: '10.0.0.1', appKey: 'Deployment/api', cluster: '', ...over,
});
const rows = [pod('api-b', { restarts: 7, status: 'CrashLoopBackOff', ready: 0 }), pod('api-a', { restarts: 1 }), pod('web-c', { node: 'node-2' })];
const def = podsTable(false);

describe('filtering and sorting', () => {
  it('filters by substring over the visible cells, case-insensitively', () => {
    const out = computeModel({ def, rows, filter: parseFilter('CRASH'), now: 0 });
    expect(out.map((p) => p.name)).toEqual(['api-b']);
    expect(computeModel({ def, rows, filter: parseFilter('node-2'), now: 0 }).map((p) => p.name)).toEqual(['web-c']);
  });
  it('filters by regex with re:', () => {
    expect(computeModel({ def, rows, filter: parseFilter('re:^api-[ab]$'), now: 0 }).map((p) => p.name)).toEqual(['api-a', 'api-b']);
  });
  it('rejects an invalid regex with a readable message', () => {
    expect(() => parseFilter('re:(')).toThrow(/invalid regular expression \/\(\//);
  });
  it('recognises a label selector for the server', () => {
    expect(parseFilter('-l app=checkout,tier!=db')).toEqual({ kind: 'labels', value: 'app=checkout,tier!=db' });
  });
  it('sorts by name by default and by restarts descending on request', () => {
    expect(computeModel({ def, rows, filter: parseFilter(''), now: 0 }).map((p) => p.name)).toEqual(['api-a', 'api-b', 'web-c']);
    const byRestarts = computeModel({ def, rows, filter: parseFilter(''), sort: { column: 'restarts', descending: true }, now: 0 });
    expect(byRestarts.map((p) => p.name)).toEqual(['api-b', 'api-a', 'web-c']);
  });
  it('colours pods by status', () => {
    expect(podTone(rows[0])).toBe('error');
    expect(podTone(pod('x', { status: 'Pending', ready: 0 }))).toBe('warn');
    expect(podTone(pod('x', { status: 'Terminating' }))).toBe('dim');
    expect(podTone(pod('x'))).toBe('normal');
  });
});

describe('formatting', () => {
  it('prints ages like kubectl', () => {
    const now = 10_000_000_000;
    expect(formatAge(now - 45_000, now)).toBe('45s');
    expect(formatAge(now - 330_000, now)).toBe('5m30s');
    expect(formatAge(now - 3 * 3600_000 - 5 * 60_000, now)).toBe('3h5m');
    expect(formatAge(now - 30 * 3600_000, now)).toBe('30h');
    expect(formatAge(now - 3 * 86400_000 - 4 * 3600_000, now)).toBe('3d4h');
  });
  it('fits text into columns, counting wide characters as two cells', () => {
    expect(fit('abc', 5)).toBe('abc  ');
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('42', 4, 'right')).toBe('  42');
    expect(fit('商品商品', 5)).toBe('商品…');
  });
});
