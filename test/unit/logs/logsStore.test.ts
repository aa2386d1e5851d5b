import { afterEach, describe, expect, it } from 'vitest';
import type { RawLogRecord } from '../../../src/platform/logs/logLine.js';
import { DEFAULT_RING_LIMITS } from '../../../src/platform/logs/logRing.js';
import type { FollowSink, LogSession, LogSource } from '../../../src/platform/logs/logSource.js';
import { LogsStore } from '../../../src/platform/logs/logsStore.js';

// The logs store while following a fast source without Elasticsearch (the Kubernetes log
// API fallback): big batches are taken in slices so keys get a turn, and nothing of a
// query the user has replaced may show up in the new one's lines or counts.

const scope = { kind: 'application' as const, namespace: 'shop', app: { kind: 'Deployment' as const, name: 'checkout' } };

/** A source whose follow sinks the test drives by hand, one per session opened. */
function handSource() {
  const sinks: FollowSink[] = [];
  const source: LogSource = {
    info: { kind: 'kubernetes', label: 'test source' },
    dispose() {},
    open(): LogSession {
      return {
        initial: async () => ({ records: [], exhausted: true }),
        older: async () => ({ records: [], exhausted: true }),
        follow: (sink) => void sinks.push(sink),
        close() {},
      };
    },
  };
  return { source, sinks };
}

function records(tag: string, n: number, now = Date.now()): RawLogRecord[] {
  return Array.from({ length: n }, (_, i) => ({ id: `${tag}/${i}`, ts: now - n + i, namespace: 'shop', pod: 'checkout-6d9f7c5b8-p0x0q', container: 'api', message: `${tag} line ${i}${i % 10 === 0 ? ' ERROR boom' : ''}` }));
}

const settle = async (store: LogsStore, until: () => boolean) => {
  for (let i = 0; i < 2000 && !until(); i++) await new Promise((r) => setImmediate(r));
  expect(until()).toBe(true);
  return store.getSnapshot();
};

let store: LogsStore | undefined;
afterEach(() => store?.dispose());

describe('logs store following without Elasticsearch', () => {
  it('takes a 20,000-line batch in slices, leaving turns for keys, and holds every line in order', async () => {
    const { source, sinks } = handSource();
    store = new LogsStore(() => ({ fallback: source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => sinks.length === 1);
    sinks[0].lines(records('a', 20_000));
    // Right after the batch arrives nothing is ingested yet: the key is handled at once.
    store.togglePause();
    expect(store.getSnapshot().following).toBe(false);
    let turns = 0;
    const snap = await settle(store, () => (turns++, store!.getSnapshot().ring.length === 20_000));
    expect(turns).toBeGreaterThan(1);
    const ring = snap.ring;
    expect(ring.at(ring.first)!.text).toBe('a line 0 ERROR boom');
    expect(ring.at(ring.end - 1)!.text).toBe('a line 19999');
    expect(snap.waiting).toBe(20_000);
  });

  it('counts the lines that arrive in the strip, errors apart', async () => {
    const { source, sinks } = handSource();
    store = new LogsStore(() => ({ fallback: source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => sinks.length === 1);
    sinks[0].lines(records('a', 300));
    sinks[0].lines(records('b', 200));
    const snap = await settle(store, () => store!.getSnapshot().ring.length === 500);
    const h = snap.histogram!;
    expect(h.buckets.reduce((n, b) => n + b.count, 0)).toBe(500);
    expect(h.buckets.reduce((n, b) => n + b.errors, 0)).toBe(50);
  });

  it('drops lines still queued from a query the user has replaced', async () => {
    const { source, sinks } = handSource();
    store = new LogsStore(() => ({ fallback: source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => sinks.length === 1);
    sinks[0].lines(records('old', 5000));
    store.search('checkout');
    await settle(store, () => sinks.length === 2);
    sinks[1].lines(records('new', 10));
    const snap = await settle(store, () => store!.getSnapshot().ring.length >= 10 && sinks.length === 2);
    for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
    const texts = store.getSnapshot().ring.lines().map((l) => l.text);
    expect(texts.filter((t) => t.startsWith('old'))).toEqual([]);
    expect(texts).toHaveLength(10);
    expect(snap.histogram!.buckets.reduce((n, b) => n + b.count, 0)).toBe(10);
  });
});

describe('logs store: Esc after jumping to a histogram bar', () => {
  /** Lines one a second over the last ten minutes, so the 15-minute strip has bars before and among them. */
  const spread = (n: number, now = Date.now()) => records('s', n).map((r, i) => ({ ...r, ts: now - (n - i) * 1000 }));

  async function following() {
    const { source, sinks } = handSource();
    store = new LogsStore(() => ({ fallback: source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => sinks.length === 1);
    sinks[0].lines(spread(600));
    await settle(store, () => store!.getSnapshot().ring.length === 600);
    return sinks;
  }

  it('goes back to the live range, following, after a jump to a bar older than the lines held', async () => {
    const sinks = await following();
    store!.selectBar(-1000); // the first bar: before the oldest line held, so the range narrows to it
    store!.jumpToBar(20);
    let snap = await settle(store!, () => sinks.length === 2 && !store!.getSnapshot().busy);
    expect(snap.query.range.kind).toBe('absolute');
    expect(snap.following).toBe(false);
    expect(snap.notice).toBe('Esc: back to last 15m');

    expect(store!.leaveJump()).toBe(true);
    snap = await settle(store!, () => sinks.length === 3 && !store!.getSnapshot().busy);
    expect(snap.query.range).toEqual({ kind: 'relative', ms: 15 * 60_000 });
    expect(snap.following).toBe(true);
    expect(snap.jumpedFrom).toBeUndefined();
    // Nothing left to go back to: the next Esc leaves the pane.
    expect(store!.leaveJump()).toBe(false);
  });

  it('follows again after a jump that scrolled to lines already held', async () => {
    await following();
    store!.selectBar(0); // the newest bar: its lines are held, the view scrolls to them
    store!.jumpToBar(20);
    let snap = store!.getSnapshot();
    expect(snap.following).toBe(false);
    expect(snap.top).toBeGreaterThan(snap.ring.first);
    expect(store!.leaveJump()).toBe(true);
    snap = store!.getSnapshot();
    expect(snap.following).toBe(true);
    expect(snap.query.range).toEqual({ kind: 'relative', ms: 15 * 60_000 });
    expect(store!.leaveJump()).toBe(false);
  });

  it('forgets the jump once the user picks another range', async () => {
    const sinks = await following();
    store!.selectBar(-1000);
    store!.jumpToBar(20);
    await settle(store!, () => sinks.length === 2 && !store!.getSnapshot().busy);
    store!.cycleRange();
    const snap = await settle(store!, () => sinks.length === 3 && !store!.getSnapshot().busy);
    expect(snap.query.range).toEqual({ kind: 'relative', ms: 5 * 60_000 });
    expect(store!.leaveJump()).toBe(false);
  });
});
