import { describe, expect, it } from 'vitest';
import { SortedRowIndex, type RowOrder } from '../../../src/platform/stores/sortedRowIndex.js';

interface Row {
  uid: string;
  name: string;
  restarts: number;
}

// Sort by restarts (descending), filter: names that contain "a".
const order: RowOrder<Row> = {
  key: (r) => r.uid,
  compare: (a, b) => b.restarts - a.restarts || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  matches: (r) => r.name.includes('a'),
};

/** What a full filter + sort of the store would list. */
function recomputed(store: Map<string, Row>): string[] {
  return [...store.values()].filter(order.matches).sort((a, b) => order.compare(a, b) || (a.uid < b.uid ? -1 : 1)).map((r) => r.uid);
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

describe('SortedRowIndex', () => {
  it('lists matching rows in order, ties broken by key', () => {
    const rows = [
      { uid: '3', name: 'cart', restarts: 1 },
      { uid: '1', name: 'web', restarts: 5 },
      { uid: '2', name: 'api', restarts: 1 },
      { uid: '4', name: 'cart', restarts: 1 },
    ];
    const index = new SortedRowIndex(order, rows);
    expect(index.rows().map((r) => r.uid)).toEqual(['2', '3', '4']);
  });

  it('applies adds, updates that move or leave the filter, and removals', () => {
    const a = { uid: 'a', name: 'cart-a', restarts: 0 };
    const b = { uid: 'b', name: 'cart-b', restarts: 2 };
    const index = new SortedRowIndex(order, [a, b]);
    expect(index.rows().map((r) => r.uid)).toEqual(['b', 'a']);
    const a2 = { ...a, restarts: 9 };
    index.change(a, a2);
    expect(index.rows().map((r) => r.uid)).toEqual(['a', 'b']);
    index.change(b, { ...b, name: 'web' }); // no longer matches
    expect(index.rows().map((r) => r.uid)).toEqual(['a']);
    const c = { uid: 'c', name: 'payment', restarts: 20 };
    index.change(undefined, c);
    index.change(a2, undefined);
    expect(index.rows().map((r) => r.uid)).toEqual(['c']);
  });

  it('replaces a row whose place moved under it (the order reads beside the row) exactly once', () => {
    // Sorted by a zone looked up from outside the row, as the fleet's ZONE column is.
    const zoneOf = new Map([['a', 'z1'], ['b', 'z2'], ['c', 'z3']]);
    const byZone: RowOrder<Row> = { key: (r) => r.uid, compare: (x, y) => zoneOf.get(x.uid)!.localeCompare(zoneOf.get(y.uid)!), matches: () => true };
    const rows = ['a', 'b', 'c'].map((uid) => ({ uid, name: uid, restarts: 0 }));
    const index = new SortedRowIndex(byZone, rows);
    expect(index.rows().map((r) => r.uid)).toEqual(['a', 'b', 'c']);
    zoneOf.set('a', 'z9'); // its node was relabelled; then the pod changes
    index.change(rows[0], { ...rows[0], restarts: 1 });
    expect(index.rows().map((r) => `${r.uid}${r.restarts}`)).toEqual(['b0', 'c0', 'a1']);
  });

  it('returns another array after a change and the same one when nothing changed, taking two arrays in turn', () => {
    const a = { uid: 'a', name: 'cart', restarts: 0 };
    const index = new SortedRowIndex(order, [a]);
    const first = index.rows();
    expect(index.rows()).toBe(first);
    const a1 = { ...a, restarts: 1 };
    index.change(a, a1);
    const second = index.rows();
    expect(second).not.toBe(first);
    expect(first).toEqual([a]); // what was listed before stays until the change after next
    const b = { uid: 'b', name: 'pay', restarts: 0 };
    index.change(undefined, b);
    expect(index.rows()).toBe(first);
    expect(first).toEqual([a1, b]);
    expect(second).toEqual([a1]);
  });

  for (const perTick of [1, 5, 500]) {
    it(`equals a full recompute under random churn (${perTick} changes per tick)`, () => {
      const rnd = seeded(perTick);
      const store = new Map<string, Row>();
      const names = ['cart', 'web', 'api', 'pay', 'search', 'auth'];
      const fresh = (uid: string): Row => ({ uid, name: `${names[Math.floor(rnd() * names.length)]}-${uid}`, restarts: Math.floor(rnd() * 5) });
      for (let i = 0; i < 2000; i++) store.set(`p${i}`, fresh(`p${i}`));
      const index = new SortedRowIndex(order, store.values());
      let next = 2000;
      for (let tick = 0; tick < 30; tick++) {
        for (let n = 0; n < perTick; n++) {
          const roll = rnd();
          const uids = [...store.keys()];
          const uid = uids[Math.floor(rnd() * uids.length)];
          if (roll < 0.2) {
            const row = fresh(`p${next++}`);
            store.set(row.uid, row);
            index.change(undefined, row);
          } else if (roll < 0.35 && uid) {
            const previous = store.get(uid)!;
            store.delete(uid);
            index.change(previous, undefined);
          } else if (uid) {
            const previous = store.get(uid)!;
            const row = { ...fresh(uid), name: rnd() < 0.5 ? previous.name : fresh(uid).name };
            store.set(uid, row);
            index.change(previous, row);
          }
        }
        expect(index.rows().map((r) => r.uid)).toEqual(recomputed(store));
      }
      expect(index.rows().length).toBeGreaterThan(0);
    });
  }
});
