import { afterEach, describe, expect, it } from 'vitest';
import { FleetLogsStore } from '../../../src/platform/logs/fleetLogsStore.js';
import type { LogLine, RawLogRecord } from '../../../src/platform/logs/logLine.js';
import { DEFAULT_RING_LIMITS, LogRing } from '../../../src/platform/logs/logRing.js';
import type { FollowSink, LogSession, LogSource } from '../../../src/platform/logs/logSource.js';
import { LogsStore } from '../../../src/platform/logs/logsStore.js';

// A fleet's merged logs: each cluster's store feeds one ring, merged by time without re-sorting
// it; equal times keep the order they arrived in; one cluster failing leaves the others be.

const scope = { kind: 'application' as const, namespace: 'cart', app: { kind: 'Deployment' as const, name: 'cart-api' } };

function line(ts: number, id: string, cluster?: string): LogLine {
  return { id, ts, namespace: 'cart', pod: 'p', container: 'c', level: 'info', text: id, plain: id, cont: false, bytes: 200, cluster };
}

describe('LogRing.merge', () => {
  it('merges a batch by time into the held lines; ties keep held lines first, then the batch order', () => {
    const ring = new LogRing();
    ring.append([line(1, 'a1'), line(3, 'a3'), line(5, 'a5')]);
    ring.merge([line(4, 'b4'), line(3, 'b3'), line(6, 'b6')]);
    expect(ring.lines().map((l) => l.id)).toEqual(['a1', 'a3', 'b3', 'b4', 'a5', 'b6']);
    ring.merge([line(3, 'c3')]);
    expect(ring.lines().map((l) => l.id)).toEqual(['a1', 'a3', 'b3', 'c3', 'b4', 'a5', 'b6']);
  });

  it('counts the lines inserted before an anchor, and drops the oldest over the limits', () => {
    const ring = new LogRing({ maxLines: 4, maxBytes: 1 << 30 });
    ring.append([line(1, 'a'), line(5, 'b'), line(9, 'c')]);
    const { dropped, before } = ring.merge([line(2, 'x'), line(7, 'y')], 'front', ring.first + 1);
    expect(before).toBe(1);
    expect(dropped).toBe(1);
    expect(ring.lines().map((l) => l.id)).toEqual(['x', 'b', 'y', 'c']);
  });
});

function handSource(label: string, fail = false) {
  const sinks: FollowSink[] = [];
  const signals: AbortSignal[] = [];
  const source: LogSource = {
    info: { kind: 'elasticsearch', label },
    dispose() {},
    open(): LogSession {
      return {
        initial: async () => {
          if (fail) throw new Error(`${label} refused`);
          return { records: [], exhausted: true };
        },
        older: async () => ({ records: [], exhausted: true }),
        follow: (sink, signal) => {
          sinks.push(sink);
          signals.push(signal);
        },
        close() {},
      };
    },
  };
  return { source, sinks, signals };
}

const rec = (id: string, ts: number): RawLogRecord => ({ id, ts, namespace: 'cart', pod: 'cart-api-abcdef-12345', container: 'api', message: id });

const settle = async (until: () => boolean) => {
  for (let i = 0; i < 2000 && !until(); i++) await new Promise((r) => setImmediate(r));
  expect(until()).toBe(true);
};

let fleet: FleetLogsStore | undefined;
afterEach(() => fleet?.dispose());

describe('fleet logs store', () => {
  it('merges the clusters\' new lines by time, tagged, incrementally; a failing cluster is named, the others follow; close stops every tail', async () => {
    const now = Date.now();
    const dc1 = handSource('es1');
    const dc2 = handSource('es2');
    const dc3 = handSource('es3', true);
    const stores = [dc1, dc2, dc3].map((s) => new LogsStore(() => ({ primary: s.source, fallback: s.source, limits: DEFAULT_RING_LIMITS })));
    fleet = new FleetLogsStore(() => stores.map((logs, i) => ({ contextName: `ctx-dc${i + 1}`, logs })));
    fleet.open(scope, ['dc1', 'dc2', 'dc3']);
    await settle(() => dc1.sinks.length === 1 && dc2.sinks.length === 1 && !!fleet!.getSnapshot().clusters![2].error);
    dc1.sinks[0].lines([rec('1a', now - 50), rec('1b', now - 10)]);
    dc2.sinks[0].lines([rec('2a', now - 30), rec('2b', now - 10)]);
    await settle(() => fleet!.getSnapshot().ring.length === 4);
    let snap = fleet.getSnapshot();
    expect(snap.ring.lines().map((l) => `${l.cluster}:${l.text}`)).toEqual(['dc1:1a', 'dc2:2a', 'dc1:1b', 'dc2:2b']);
    const version = snap.ring.version;
    dc2.sinks[0].lines([rec('2c', now - 40)]);
    await settle(() => fleet!.getSnapshot().ring.length === 5);
    snap = fleet.getSnapshot();
    expect(snap.ring.version).toBe(version + 1);
    expect(snap.ring.lines().map((l) => l.text)).toEqual(['1a', '2c', '2a', '1b', '2b']);
    expect(snap.clusters!.map((c) => [c.label, c.lines, c.error ?? 'ok'])).toEqual([['dc1', 2, 'ok'], ['dc2', 3, 'ok'], ['dc3', 0, expect.stringContaining('refused')]]);
    fleet.close();
    expect([...dc1.signals, ...dc2.signals].every((s) => s.aborted)).toBe(true);
    expect(stores.every((s) => s.getSnapshot().scope === undefined)).toBe(true);
  });
});
