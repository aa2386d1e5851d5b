import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/demo/apiErrors.js';
import { ResourceVersionClock, VersionedStore, type StoredObject } from '../../../src/demo/store.js';

interface Thing extends StoredObject {
  value: number;
}

function thing(name: string, value = 0, namespace = 'ns'): Thing {
  return { meta: { name, namespace, uid: `uid-${name}`, rv: 0, created: 0 }, value };
}

function setup(options: { windowMs?: number; maxEvents?: number } = {}) {
  let now = 1_000_000;
  const clock = new ResourceVersionClock();
  const store = new VersionedStore<Thing>(clock, { windowMs: options.windowMs ?? 60_000, maxEvents: options.maxEvents ?? 1000, now: () => now });
  return { clock, store, advance: (ms: number) => (now += ms) };
}

const names = (it: Iterable<[string, Thing]>) => [...it].map(([k, t]) => `${k}:${t.value}`);

describe('versioned store', () => {
  it('assigns one increasing resourceVersion across changes and keeps keys in byte order', () => {
    const { store, clock } = setup();
    store.load(thing('b'));
    store.load(thing('a'));
    store.sealBaseline();
    const c = store.create(thing('c'));
    const a = store.update('ns/a', (t) => ({ ...t, value: 1 }))!;
    expect([c.meta.rv, a.meta.rv]).toEqual([3, 4]);
    expect(clock.current).toBe(4);
    expect(names(store.scan('', ''))).toEqual(['ns/a:1', 'ns/b:0', 'ns/c:0']);
    expect(names(store.scan('ns/', 'ns/a\u0000'))).toEqual(['ns/b:0', 'ns/c:0']);
  });

  it('serves the state at an older resourceVersion (consistent pages while things change)', () => {
    const { store } = setup();
    for (const n of ['a', 'b', 'c', 'd']) store.load(thing(n));
    store.sealBaseline();
    const rv = store.clock.current;
    store.update('ns/b', (t) => ({ ...t, value: 9 }));
    store.remove('ns/c');
    store.create(thing('bb'));
    store.update('ns/b', (t) => ({ ...t, value: 10 }));
    expect(names(store.scan('', '', rv))).toEqual(['ns/a:0', 'ns/b:0', 'ns/c:0', 'ns/d:0']);
    expect(names(store.scan('', 'ns/b\u0000', rv))).toEqual(['ns/c:0', 'ns/d:0']);
    expect(names(store.scan('', ''))).toEqual(['ns/a:0', 'ns/b:10', 'ns/bb:0', 'ns/d:0']);
  });

  it('returns events after a resourceVersion; DELETED carries the deletion resourceVersion and the last state', () => {
    const { store } = setup();
    store.load(thing('a', 5));
    store.sealBaseline();
    const start = store.clock.current;
    store.update('ns/a', (t) => ({ ...t, value: 6 }));
    const gone = store.remove('ns/a')!;
    const events = store.eventsSince(start);
    expect(events.map((e) => [e.type, e.rv])).toEqual([
      ['MODIFIED', start + 1],
      ['DELETED', start + 2],
    ]);
    expect(gone.meta.rv).toBe(start + 2);
    expect(events[1].obj.value).toBe(6);
    expect(events[1].prev?.meta.rv).toBe(start + 1);
    expect(store.eventsSince(start + 1).map((e) => e.type)).toEqual(['DELETED']);
  });

  it('answers a resourceVersion before the baseline with 410 Expired, like a fresh watch cache', () => {
    const { store } = setup();
    store.load(thing('a'));
    store.load(thing('b'));
    store.sealBaseline();
    expect(store.eventsSince(2)).toEqual([]);
    try {
      store.eventsSince(1);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect((err as ApiError).toStatus()).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'too old resource version: 1 (2)', reason: 'Expired', code: 410 });
    }
  });

  it('forgets events older than the window or beyond the cap, and then refuses older versions', () => {
    const { store, advance } = setup({ windowMs: 10_000, maxEvents: 3 });
    store.sealBaseline();
    for (let i = 0; i < 5; i++) store.create(thing(`t${i}`));
    // cap 3: events 1 and 2 are gone, the oldest kept is rv 3
    expect(store.oldestAvailable()).toBe(2);
    expect(store.eventsSince(2).map((e) => e.rv)).toEqual([3, 4, 5]);
    expect(() => store.eventsSince(1)).toThrow(/too old resource version: 1 \(2\)/);
    expect(store.canReadAt(1)).toBe(false);
    expect(store.canReadAt(2)).toBe(true);
    advance(11_000);
    store.evict();
    expect(store.oldestAvailable()).toBe(5);
    expect(store.eventsSince(5)).toEqual([]);
    expect(() => store.eventsSince(4)).toThrow(ApiError);
  });

  it('counts keys under a prefix from a start key', () => {
    const { store } = setup();
    for (const n of ['a', 'b', 'c']) store.load(thing(n));
    store.load(thing('z', 0, 'other'));
    store.sealBaseline();
    expect(store.countFrom('ns/', '')).toBe(3);
    expect(store.countFrom('ns/', 'ns/a\u0000')).toBe(2);
    expect(store.countFrom('', '')).toBe(4);
  });
});
