import { describe, expect, it } from 'vitest';
import { ingestRecord } from '../../../src/platform/logs/ingest.js';
import { describeRange } from '../../../src/platform/logs/logQuery.js';
import { LogRing } from '../../../src/platform/logs/logRing.js';
import { LogsStore, type LogsSnapshot } from '../../../src/platform/logs/logsStore.js';
import { compactCount, footLine, podTag, splitPodName, STRIP_LABEL_WIDTH, stripLabel, tagBudget, tagColumnWidth, titleLine, visibleRows } from '../../../src/ui/views/logsLines.js';

// The logs pane's head and foot at the widths users have (80 columns on a jump host): the
// counts and the follow state must stay readable, the free text gives way.

const scope = { kind: 'application' as const, namespace: 'payment-processing', app: { kind: 'Deployment' as const, name: 'settlement-reconciler' } };

function snapshot(patch: Partial<LogsSnapshot> = {}): LogsSnapshot {
  const blank = new LogsStore(() => {
    throw new Error('not opened in this test');
  }).getSnapshot();
  return { ...blank, scope, ...patch };
}

function ringOf(n: number): LogRing {
  const ring = new LogRing();
  ring.append(Array.from({ length: n }, (_, i) => ingestRecord({ id: `r${i}`, ts: 1_000 + i, namespace: 'shop', pod: 'p', container: 'c', message: `line ${i}` })).flat());
  return ring;
}

describe('absolute time ranges', () => {
  it('show seconds, in local time like the lines, without repeating the date', () => {
    const from = new Date(2026, 11, 4, 10, 0, 15).getTime();
    expect(describeRange({ kind: 'absolute', from, to: from + 15_000 })).toBe('2026-12-04 10:00:15 .. 10:00:30');
  });

  it('keep the end date when the range crosses midnight', () => {
    const from = new Date(2026, 11, 4, 23, 59, 45).getTime();
    expect(describeRange({ kind: 'absolute', from, to: from + 30_000 })).toBe('2026-12-04 23:59:45 .. 2026-12-05 00:00:15');
  });
});

describe('the histogram strip label', () => {
  it('keeps both counts whole up to 99,999 and compacts larger ones instead of cutting them', () => {
    expect(stripLabel(99_999, 99_999)).toBe(' 99999 lines 99999 err ');
    expect(stripLabel(1_234_567, 45_678).trimEnd()).toBe(' 1.2M lines 45678 err');
    expect(stripLabel(987_654_321, 123_456).trimEnd()).toBe(' 987M lines 123k err');
    for (const n of [0, 9, 99_999, 100_000, 999_999, 1e6, 9.99e6, 1e9, 5e12]) expect(compactCount(n).length).toBeLessThanOrEqual(5);
    expect(stripLabel(987_654_321, 987_654_321)).toHaveLength(STRIP_LABEL_WIDTH);
  });
});

describe('the title at 80 columns', () => {
  it('keeps range, level filter and follow state; the scope gives way, then a long query', () => {
    const snap = snapshot({ query: { text: 'payment AND status:declined AND NOT "card expired" AND region:eu-west-1', levels: 'warnings', range: { kind: 'relative', ms: 3_600_000 } }, following: false });
    const t = titleLine(snap, 79);
    expect(t.length).toBeLessThanOrEqual(79);
    expect(t).toContain('last 1h');
    expect(t).toContain('warnings and errors');
    expect(t).toMatch(/^ application… · last 1h · warnings and errors · \/payment AND [^·]*… · PAUSED$/);
    expect(t).toHaveLength(79);
  });

  it('shortens the scope before the range or the state', () => {
    const from = new Date(2026, 11, 4, 10, 0, 15).getTime();
    const snap = snapshot({ query: { text: '', levels: 'all', range: { kind: 'absolute', from, to: from + 15_000 } } });
    const t = titleLine(snap, 79);
    expect(t.length).toBeLessThanOrEqual(79);
    expect(t).toMatch(/^ application settle… · 2026-12-04 10:00:15 \.\. 10:00:30 · all levels · FOLLOWING$/);
    expect(titleLine(snap, 200)).toContain('application settlement-reconciler (payment-processing) · ');
  });
});

describe('the foot line at 80 columns', () => {
  it('keeps the dropped and waiting counts while paused', () => {
    const f = footLine(snapshot({ following: false, droppedUnseen: 123_456, waiting: 654_321, ring: ringOf(10) }), 80);
    expect(f.text.length).toBeLessThanOrEqual(80);
    expect(f.text).toContain('123456 dropped');
    expect(f.text).toContain('654321 waiting');
    expect(f.tone).toBe('warn');
  });

  it('keeps the held and dropped counts while following', () => {
    const f = footLine(snapshot({ droppedOld: 1_234_567, ring: ringOf(500) }), 80);
    expect(f.text.length).toBeLessThanOrEqual(80);
    expect(f.text).toMatch(/^ 500 lines held; 1234567 older/);
    const wide = footLine(snapshot({ droppedOld: 1_234_567, ring: ringOf(500) }), 160);
    expect(wide.text).toContain('dropped from memory (limit 50000 lines / 64 MiB)');
  });

  it('puts a notice after the counts, so the notice is what gets cut', () => {
    const notice = 'wrote 50000 lines to /home/sre/warroom-logs/payment-processing-settlement-reconciler-20261204-221500.log';
    const f = footLine(snapshot({ following: false, waiting: 42, notice }), 80);
    expect(f.text.startsWith(' PAUSED — 42 ')).toBe(true);
    expect(f.text).toContain(' · wrote 50000 lines');
  });
});

describe('the pod tag', () => {
  const line = (pod: string, container: string) => ingestRecord({ id: pod, ts: 1, namespace: 'cart', pod, container, message: 'm' })[0];
  const app = { kind: 'application' as const, namespace: 'cart', app: { kind: 'Deployment' as const, name: 'cart-api' } };
  const system = { kind: 'system' as const, namespace: 'cart' };

  it('keeps the application name and the pod suffix at 80 columns; the ReplicaSet hash gives way', () => {
    const budget = tagBudget(80);
    expect(podTag(line('cart-api-tjknnxwzmj-q8k42', 'cart-api'), app, budget)).toBe('cart-api-…q8k42');
    expect(podTag(line('cart-api-tjknnxwzmj-q8k42', 'envoy'), system, budget)).toBe('cart-api-…q8k42/envoy');
    // Wide enough: the whole pod name.
    expect(podTag(line('cart-api-tjknnxwzmj-q8k42', 'cart-api'), app, tagBudget(160))).toBe('cart-api-tjknnxwzmj-q8k42/cart-api');
  });

  it('leaves out a container named as the application; a long name is not cut', () => {
    expect(podTag(line('settlement-reconciler-7c9f8b6d54-x2k4p', 'settlement-reconciler'), system, 24)).toBe('settlement-reconciler-…x2k4p');
    expect(podTag(line('settlement-reconciler-7c9f8b6d54-x2k4p', 'istio-proxy'), system, 24)).toBe('settlement-reconciler-…x2k4p/istio-proxy');
    // StatefulSet pods keep their ordinal; nothing generated to shorten.
    expect(podTag(line('orders-db-2', 'postgres'), system, 12)).toBe('orders-db-2/postgres');
    expect(podTag(line('cart-api-tjknnxwzmj-q8k42', 'cart-api'), { kind: 'pod', namespace: 'cart', pod: 'cart-api-tjknnxwzmj-q8k42' }, 24)).toBe('cart-api');
  });

  it('splits pod names as Kubernetes makes them', () => {
    expect(splitPodName('cart-api-tjknnxwzmj-q8k42')).toEqual({ app: 'cart-api', generated: ['tjknnxwzmj', 'q8k42'] });
    expect(splitPodName('node-exporter-x2k4p')).toEqual({ app: 'node-exporter', generated: ['x2k4p'] });
    expect(splitPodName('orders-db-12')).toEqual({ app: 'orders-db', generated: ['12'] });
    // Words with vowels are not hashes.
    expect(splitPodName('payment-worker-reader')).toEqual({ app: 'payment-worker-reader', generated: [] });
  });

  it('the tag column is as wide as the pod part, so an application name is never cut', () => {
    const ring = new LogRing();
    ring.append(ingestRecord({ id: 'a', ts: 1, namespace: 'pay', pod: 'settlement-reconciler-7c9f8b6d54-x2k4p', container: 'sidecar-proxy', message: 'hello' }));
    const snap = snapshot({ scope: { kind: 'system', namespace: 'pay' }, ring });
    const w = tagColumnWidth(snap, 80);
    expect(w).toBeGreaterThanOrEqual('settlement-reconciler-…x2k4p/…'.length);
    const row = visibleRows({ snap, width: 80, height: 5 }).rows[0];
    expect(row.segments.map((s) => s.text).join('')).toContain('settlement-reconciler-…x2k4p/');
  });
});
