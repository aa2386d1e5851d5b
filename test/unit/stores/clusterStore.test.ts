import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PodRow, WorkloadRow } from '../../../src/platform/kube/rows.js';
import { ClusterStore } from '../../../src/platform/stores/clusterStore.js';
import { CHANGE_KEPT_MS } from '../../../src/platform/stores/rowTable.js';

const pod = (uid: string, ns: string, app: string, over: Partial<PodRow> = {}): PodRow => ({
  uid, namespace: ns, name: uid, ready: 1, total: 1, status: 'Running', restarts: 0, createdAt: 0,
  node: 'n1', ip: '10.0.0.1', appKey: app, cluster: '', ...over,
});
const deploy = (uid: string, ns: string, name: string): WorkloadRow => ({
  uid, kind: 'Deployment', namespace: ns, name, desired: 2, ready: 2, available: 2, upToDate: 2, images: 'img', createdAt: 0, resourceVersion: '1',
});

describe('ClusterStore aggregates', () => {
  it('counts pods, readiness and restarts per system and application as pods change', () => {
    const s = new ClusterStore();
    s.pods.listPage([pod('a', 'cart', 'Deployment/api'), pod('b', 'cart', 'Deployment/api', { ready: 0, status: 'CrashLoopBackOff', restarts: 4 })], 1, true);
    expect(s.systemCounters('cart')).toMatchObject({ pods: 2, ready: 1, restarts: 4 });
    expect(s.appCounters('cart', 'Deployment/api')).toEqual({ pods: 2, ready: 1, restarts: 4 });

    s.pods.upsert(pod('b', 'cart', 'Deployment/api', { restarts: 5 }));
    expect(s.systemCounters('cart')).toMatchObject({ pods: 2, ready: 2, restarts: 5 });

    s.pods.remove('a');
    expect(s.appCounters('cart', 'Deployment/api')).toEqual({ pods: 1, ready: 1, restarts: 5 });
    expect([...s.podsInApp.get('cart\nDeployment/api')!].map((p) => p.uid)).toEqual(['b']);
    expect([...s.podsInSystem.get('cart')!].map((p) => p.uid)).toEqual(['b']);
    expect([...s.podsOnNode.get('n1')!].map((p) => p.uid)).toEqual(['b']);
  });

  it('a relist removes rows the server no longer has, and only those', () => {
    const s = new ClusterStore();
    s.pods.listPage([pod('a', 'x', ''), pod('b', 'x', '')], 1, false);
    s.pods.listPage([pod('c', 'y', '')], 1, true);
    s.pods.upsert(pod('d', 'y', ''));
    // Relist (after a 410): b and d are gone on the server.
    s.pods.listPage([pod('a', 'x', '')], 2, false);
    s.pods.listPage([pod('c', 'y', '')], 2, true);
    expect([...s.pods.rows.keys()].sort()).toEqual(['a', 'c']);
    expect(s.systemCounters('x').pods).toBe(1);
    expect(s.systemCounters('y').pods).toBe(1);
  });

  it('a relist started again keeps what its last round listed or a watch upserted meanwhile, and nothing only an abandoned round saw', () => {
    const s = new ClusterStore();
    s.pods.listPage([pod('a', 'x', ''), pod('b', 'x', '')], 1, true);
    // Round 2 breaks off after a page (its continue token expired); round 3 lists from the start.
    s.pods.listPage([pod('e', 'x', '')], 2, false);
    s.pods.listPage([pod('a', 'x', '')], 3, false);
    s.pods.upsert(pod('f', 'x', ''));
    s.pods.listPage([], 3, true);
    expect([...s.pods.rows.keys()].sort()).toEqual(['a', 'f']);
    expect(s.systemCounters('x').pods).toBe(2);
    // A row removed during a round and not listed again stays removed.
    s.pods.listPage([pod('a', 'x', '')], 4, false);
    s.pods.remove('a');
    s.pods.listPage([pod('f', 'x', '')], 4, true);
    expect([...s.pods.rows.keys()]).toEqual(['f']);
  });

  it('counts applications per system and HPA targets', () => {
    const s = new ClusterStore();
    s.deployments.listPage([deploy('d1', 'cart', 'api'), deploy('d2', 'cart', 'web')], 1, true);
    s.hpas.listPage([{ uid: 'h', namespace: 'cart', name: 'api', targetKey: 'Deployment/api', min: 1, max: 5, current: 2, resourceVersion: '1' }], 1, true);
    expect(s.systemCounters('cart').apps).toBe(2);
    expect(s.hasHpa('cart', 'Deployment/api')).toBe(true);
    expect(s.hasHpa('cart', 'Deployment/web')).toBe(false);
    s.deployments.remove('d2');
    expect(s.systemCounters('cart').apps).toBe(1);
  });

  it('marks rows changed after the initial list, not during it', () => {
    const s = new ClusterStore();
    s.pods.listPage([pod('a', 'x', '')], 1, true);
    expect(s.pods.changedAt.has('a')).toBe(false);
    s.pods.upsert(pod('a', 'x', '', { restarts: 1 }));
    expect(s.pods.changedAt.has('a')).toBe(true);
  });

  afterEach(() => vi.useRealTimers());

  it('forgets changes older than the highlight needs, so pods churning for hours do not pile up', () => {
    vi.useFakeTimers();
    const s = new ClusterStore();
    s.pods.listPage([pod('a', 'x', ''), pod('b', 'x', ''), pod('c', 'x', '')], 1, true);
    s.pods.upsert(pod('a', 'x', '', { restarts: 1 }));
    vi.advanceTimersByTime(CHANGE_KEPT_MS / 2);
    s.pods.upsert(pod('b', 'x', '', { restarts: 1 }));
    s.pods.upsert(pod('a', 'x', '', { restarts: 2 }));
    vi.advanceTimersByTime(CHANGE_KEPT_MS / 2 + 1);
    s.pods.upsert(pod('c', 'x', '', { restarts: 1 }));
    // a changed again after b: both are recent; nothing older is kept.
    expect([...s.pods.changedAt.keys()]).toEqual(['b', 'a', 'c']);
    vi.advanceTimersByTime(CHANGE_KEPT_MS / 2);
    s.pods.upsert(pod('c', 'x', '', { restarts: 2 }));
    expect([...s.pods.changedAt.keys()]).toEqual(['c']);
    s.dispose();
  });

  it('notifies at most once per 100 ms however many events arrive, and at once on notifyNow', async () => {
    const s = new ClusterStore();
    let calls = 0;
    s.subscribe(() => calls++);
    for (let i = 0; i < 500; i++) s.pods.upsert(pod(`p${i}`, 'x', ''));
    expect(calls).toBe(0);
    await new Promise((r) => setTimeout(r, 150));
    expect(calls).toBe(1);
    s.notifyNow();
    expect(calls).toBe(2);
    s.dispose();
  });

  it('has answered once any watch got a list, a 403 or a reported failure; never while only listing or unreachable', () => {
    const store = new ClusterStore();
    expect(store.answered()).toBe(false);
    store.tables.pods.status({ kind: 'reconnecting', since: 0, reason: 'connection refused', attempt: 1 });
    expect(store.answered()).toBe(false);
    store.tables.hpas.status({ kind: 'forbidden', message: 'forbidden' });
    expect(store.answered()).toBe(true);
    const other = new ClusterStore();
    other.tables.namespaces.listPage([], 1, true);
    expect(other.answered()).toBe(true);
    other.dispose();
    store.dispose();
  });
});
