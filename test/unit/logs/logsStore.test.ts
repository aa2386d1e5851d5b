import { afterEach, describe, expect, it } from 'vitest';
import type { RawLogRecord } from '../../../src/platform/logs/logLine.js';
import { DEFAULT_RING_LIMITS } from '../../../src/platform/logs/logRing.js';
import { LogSourceError, type FollowSink, type LogSession, type LogSource } from '../../../src/platform/logs/logSource.js';
import { LogsStore } from '../../../src/platform/logs/logsStore.js';
import { footLine, rejectedSearch, titleLine } from '../../../src/ui/views/logsLines.js';

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

  it('keeps the way back through a search inside the bar\'s range, with the new search', async () => {
    const sinks = await following();
    store!.selectBar(-1000);
    store!.jumpToBar(20);
    await settle(store!, () => sinks.length === 2 && !store!.getSnapshot().busy);
    store!.search('line 1 @errors');
    let snap = await settle(store!, () => sinks.length === 3 && !store!.getSnapshot().busy);
    expect(snap.query.range.kind).toBe('absolute');
    expect(store!.leaveJump()).toBe(true);
    snap = await settle(store!, () => sinks.length === 4 && !store!.getSnapshot().busy);
    expect(snap.query).toEqual({ text: 'line 1', levels: 'errors', range: { kind: 'relative', ms: 15 * 60_000 } });
    expect(snap.following).toBe(true);
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

describe('logs store: a search that is not applied', () => {
  /** A source that rejects a query holding "(" the way Elasticsearch does, and waits on one holding "slow". */
  function pickySource() {
    const opened: string[] = [];
    const source: LogSource = {
      info: { kind: 'elasticsearch', label: 'picky' },
      dispose() {},
      open({ query }): LogSession {
        opened.push(query.text);
        return {
          initial: (signal) =>
            new Promise((resolve, reject) => {
              if (query.text.includes('(')) return reject(new LogSourceError('query rejected: Cannot parse \'(\': Encountered "<EOF>"', 'query', false));
              if (!query.text.includes('slow')) return resolve({ records: [], exhausted: true });
              signal.addEventListener('abort', () => reject(new LogSourceError('search cancelled', 'cancelled', false)));
            }),
          older: async () => ({ records: [], exhausted: true }),
          follow() {},
          close() {},
        };
      },
    };
    return { source, opened };
  }

  async function opened() {
    const picky = pickySource();
    store = new LogsStore(() => ({ primary: picky.source, fallback: handSource().source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => picky.opened.length === 1 && !store!.getSnapshot().busy);
    store.search('checkout');
    await settle(store, () => store!.getSnapshot().query.text === 'checkout' && !store!.getSnapshot().busy);
    return picky;
  }

  it('keeps the search in effect, names the line not applied and why, and the foot says so', async () => {
    await opened();
    store!.search('checkout AND (');
    const snap = await settle(store!, () => store!.getSnapshot().rejected !== undefined);
    expect(snap.query.text).toBe('checkout');
    expect(snap.rejected).toEqual({ line: 'checkout AND (', reason: 'query rejected: Cannot parse \'(\': Encountered "<EOF>"' });
    expect(rejectedSearch(snap, 'checkout AND (')).toMatch(/^query rejected/);
    expect(rejectedSearch(snap, 'checkout')).toBeUndefined();
    expect(footLine(snap, 80).text).toMatch(/^ ⚠ not applied: \/checkout AND \( — query rejected: Cannot parse/);
    expect(titleLine(snap, 160)).toContain(' · /checkout · ');
    // A search that works clears the mark.
    store!.search('payment');
    const ok = await settle(store!, () => store!.getSnapshot().query.text === 'payment' && !store!.getSnapshot().busy);
    expect(ok.rejected).toBeUndefined();
    expect(footLine(ok, 80).text).not.toContain('not applied');
  });

  it('marks an unreadable time range directive as not applied', async () => {
    await opened();
    store!.search('checkout @2026-13-45T10:00..now');
    const snap = store!.getSnapshot();
    expect(snap.query.text).toBe('checkout');
    expect(snap.rejected?.line).toBe('checkout @2026-13-45T10:00..now');
    expect(snap.rejected?.reason).toMatch(/cannot read the start/);
    expect(footLine(snap, 120).text).toMatch(/^ ⚠ not applied: \/checkout @2026-13-45T10:00\.\.n… — cannot read the start/);
  });

  it('marks a search cancelled with Esc, but not one replaced by a newer search', async () => {
    const picky = await opened();
    store!.search('slow one');
    await settle(store!, () => picky.opened.length === 3 && store!.getSnapshot().busy);
    // Replaced while running: the newer search owns the spinner and the outcome.
    store!.search('slow two');
    await settle(store!, () => picky.opened.length === 4);
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(store!.getSnapshot().busy).toBe(true);
    expect(store!.getSnapshot().rejected).toBeUndefined();
    expect(store!.cancel()).toBe(true);
    const snap = await settle(store!, () => !store!.getSnapshot().busy);
    expect(snap.rejected).toEqual({ line: 'slow two', reason: 'search cancelled' });
    expect(snap.query.text).toBe('checkout');
  });
});

describe('logs store: Elasticsearch failing during a search', () => {
  it('runs the search on the Kubernetes log API instead of dropping it', async () => {
    const fallback = handSource();
    const failing: LogSource = {
      info: { kind: 'elasticsearch', label: 'failing' },
      dispose() {},
      open: ({ query }) => ({
        initial: async () => {
          if (query.text) throw new LogSourceError('cannot reach Elasticsearch at http://es:9200: connection refused', 'unreachable', true);
          return { records: [], exhausted: true };
        },
        older: async () => ({ records: [], exhausted: true }),
        follow() {},
        close() {},
      }),
    };
    store = new LogsStore(() => ({ primary: failing, fallback: fallback.source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => !store!.getSnapshot().busy && store!.getSnapshot().source?.kind === 'elasticsearch');
    store.search('checkout');
    const snap = await settle(store, () => fallback.sinks.length === 1);
    expect(snap.source?.kind).toBe('kubernetes');
    expect(snap.query.text).toBe('checkout');
    expect(snap.rejected).toBeUndefined();
  });
});

describe('logs store: Elasticsearch failing while following', () => {
  /** An Elasticsearch source whose first page is `first` and whose follow sinks the test drives. */
  function esSource(first: RawLogRecord[]) {
    const sinks: FollowSink[] = [];
    const source: LogSource = {
      info: { kind: 'elasticsearch', label: 'Elasticsearch http://es:9200' },
      dispose() {},
      open: () => ({
        initial: async () => ({ records: first, exhausted: true }),
        older: async () => ({ records: [], exhausted: true }),
        follow: (sink) => void sinks.push(sink),
        close() {},
      }),
    };
    return { source, sinks };
  }

  it('keeps its lines and its source while Elasticsearch is unreachable, says so in one line, and follows on when it answers', async () => {
    const es = esSource(records('a', 20));
    const fallback = handSource();
    store = new LogsStore(() => ({ primary: es.source, fallback: fallback.source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => es.sinks.length === 1 && store!.getSnapshot().ring.length === 20);
    es.sinks[0].error(new LogSourceError('cannot reach Elasticsearch at http://es:9200: connection refused; check the URL, VPN or jump host', 'unreachable', true));
    es.sinks[0].error(new LogSourceError('Elasticsearch at http://es:9200 did not answer within 10 s', 'timeout', true));
    // Answering again but still recovering its shards.
    es.sinks[0].error(new LogSourceError('Elasticsearch at http://es:9200 failed (503: all shards failed)', 'other', true));
    let snap = await settle(store, () => store!.getSnapshot().error !== undefined);
    expect(snap.error).toBe('Elasticsearch at http://es:9200 failed (503: all shards failed) (retrying; lines kept)');
    expect(snap.source?.kind).toBe('elasticsearch');
    expect(snap.ring.length).toBe(20);
    expect(fallback.sinks).toHaveLength(0);
    es.sinks[0].recovered?.();
    es.sinks[0].lines(records('b', 5));
    snap = await settle(store, () => store!.getSnapshot().ring.length === 25);
    expect(snap.error).toBeUndefined();
    expect(snap.ring.at(snap.ring.end - 1)!.text).toBe('b line 4');
  });

  it('moves to the Kubernetes log API when Elasticsearch rejects the credentials while following', async () => {
    const es = esSource(records('a', 20));
    const fallback = handSource();
    store = new LogsStore(() => ({ primary: es.source, fallback: fallback.source, limits: DEFAULT_RING_LIMITS }));
    store.open(scope);
    await settle(store, () => es.sinks.length === 1);
    es.sinks[0].error(new LogSourceError('Elasticsearch at http://es:9200 rejected the credentials (401)', 'auth', true));
    const snap = await settle(store, () => fallback.sinks.length === 1);
    expect(snap.source?.kind).toBe('kubernetes');
    expect(snap.sourceWhy).toBe('Elasticsearch failed while following: Elasticsearch at http://es:9200 rejected the credentials (401)');
  });
});
