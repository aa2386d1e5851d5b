import { describe, expect, it } from 'vitest';
import { FleetSparklines, type ClusterSparklines } from '../../../src/platform/metrics/fleetSparklines.js';
import type { SparkData, SparkRow } from '../../../src/platform/metrics/sparklineStore.js';

// The fleet tables' sparklines: each cluster's store is asked for its own rows, a fleet row is
// the sum of its clusters' samples at the same times, and one scale spans the rows on screen.

/** A cluster's store as the fleet sees it: answers what it is given, records what it is asked. */
function cluster(data: Record<string, { start: number; cpu: number[]; memory: number[] }>) {
  const listeners = new Set<() => void>();
  let snap = { version: 0 };
  const wanted: SparkRow[][] = [];
  const store: ClusterSparklines & { wanted: SparkRow[][]; answer(): void } = {
    wanted,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    getSnapshot: () => snap,
    enabled: () => true,
    want: (rows) => void wanted.push([...rows]),
    get: (key): SparkData | undefined => {
      const d = data[key];
      return d && { cpu: Float64Array.from(d.cpu), memory: Float64Array.from(d.memory), scale: { cpu: 0, memory: 0 }, start: d.start, step: 60 };
    },
    answer() {
      snap = { version: snap.version + 1 };
      for (const l of [...listeners]) l();
    },
  };
  return store;
}

const row = (key: string, pods: string[]): SparkRow => ({ key, namespace: 'cart', pods });

describe('FleetSparklines', () => {
  it("asks each cluster for its parts of the rows on screen, sums an application's clusters point by point in time, one scale for all", () => {
    // dc2 refreshed a step later: its window starts 60 s after dc1's.
    const dc1 = cluster({ 'uid-1': { start: 1000, cpu: [1, 2, 3, NaN], memory: [10, 10, 10, 10] } });
    const dc2 = cluster({ 'uid-2': { start: 1060, cpu: [5, 5, 5, 7], memory: [1, 1, 1, 1] }, 'pod-9': { start: 1060, cpu: [20, 20, 20, 20], memory: [0, 0, 0, 0] } });
    const fleet = new FleetSparklines(() => [{ contextName: 'dc1', sparklines: dc1 }, { contextName: 'dc2', sparklines: dc2 }]);
    let notified = 0;
    fleet.subscribe(() => notified++);
    fleet.want([
      { key: 'cart/Deployment/cart-api', parts: [{ context: 'dc1', row: row('uid-1', ['a', 'b']) }, { context: 'dc2', row: row('uid-2', ['c']) }] },
      { key: 'dc2/pod-9', parts: [{ context: 'dc2', row: row('pod-9', ['x']) }] },
    ]);
    expect(dc1.wanted.at(-1)?.map((r) => r.key)).toEqual(['uid-1']);
    expect(dc2.wanted.at(-1)?.map((r) => r.key)).toEqual(['uid-2', 'pod-9']);
    dc2.answer();
    expect(notified).toBe(1);
    const app = fleet.get('cart/Deployment/cart-api')!;
    // On dc2's newer window: dc1's points at 1060, 1120, 1180 (2, 3, none) plus dc2's (5, 5, 5, 7).
    expect([...app.cpu]).toEqual([7, 8, 5, 7]);
    expect([...app.memory]).toEqual([11, 11, 11, 1]);
    expect(app.start).toBe(1060);
    // The pod of one cluster is that cluster's samples, on the same scale as the application.
    expect([...fleet.get('dc2/pod-9')!.cpu]).toEqual([20, 20, 20, 20]);
    expect(app.scale).toEqual({ cpu: 20, memory: 11 });
    expect(fleet.get('nothing')).toBeUndefined();
  });

  it('follows the console to new clusters after :ctx, and says when none has a Prometheus', () => {
    let members = [{ contextName: 'dc1', sparklines: cluster({}) }];
    const fleet = new FleetSparklines(() => members);
    let notified = 0;
    fleet.subscribe(() => notified++);
    const next = cluster({ 'uid-3': { start: 0, cpu: [1], memory: [1] } });
    members = [{ contextName: 'dc3', sparklines: next }];
    fleet.want([{ key: 'k', parts: [{ context: 'dc3', row: row('uid-3', ['p']) }] }]);
    next.answer();
    expect(notified).toBe(1);
    expect([...fleet.get('k')!.cpu]).toEqual([1]);
    const off = { ...cluster({}), enabled: () => false };
    members = [{ contextName: 'dc4', sparklines: off }];
    expect(fleet.enabled()).toBe(false);
  });
});
