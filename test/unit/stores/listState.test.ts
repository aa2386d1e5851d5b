import { describe, expect, it } from 'vitest';
import type { NamespaceRow, PodRow } from '../../../src/platform/kube/rows.js';
import { ClusterStore } from '../../../src/platform/stores/clusterStore.js';
import { listState, tableFeed, type ListFeed, type ListStateInput } from '../../../src/platform/stores/listState.js';
import { RowTablePartition } from '../../../src/platform/stores/rowTable.js';

const pod = (uid: string, ns: string): PodRow => ({
  uid, namespace: ns, name: uid, ready: 1, total: 1, status: 'Running', restarts: 0, createdAt: 0,
  node: 'n1', ip: '10.0.0.1', appKey: 'Deployment/api', cluster: '',
});
const nsRow = (name: string): NamespaceRow => ({ uid: `ns-${name}`, name, displayName: name, phase: 'Active', createdAt: 0, resourceVersion: '1' });

const live: ListFeed = { resource: 'pods', status: { kind: 'live' }, synced: true };
const base: ListStateInput = { noun: 'pods', context: 'prod-eu', namespace: 'payment', systemListed: true, feeds: [live], shown: 0, total: 0, filter: '' };
const FORBIDDEN = 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the namespace "payment"';

describe('listState: why a list view shows no rows', () => {
  it('while the initial paged list runs: loading with the items received of the total the server announced', () => {
    const store = new ClusterStore();
    // The first page of a 20,000-pod list: 12,000 arrived in pages, the server says 8,000 remain.
    store.pods.listPage([pod('a', 'cart')], 1, false, { received: 12_000, remaining: 8_000 });
    const feed = tableFeed('pods', store.pods, 'payment');
    const s = listState({ ...base, feeds: [feed] });
    expect(s).toEqual({ kind: 'loading', message: 'loading pods… 12,000 of 20,000', count: '(loading…)' });
    // Before the first page: no numbers yet, but still loading (not "(0)", not "no pods").
    const fresh = new ClusterStore();
    expect(listState({ ...base, feeds: [tableFeed('pods', fresh.pods, 'payment')] })).toMatchObject({ kind: 'loading', message: 'loading pods…' });
    // When the server does not say how many remain (a selector): what has arrived so far.
    const noTotal = new ClusterStore();
    noTotal.pods.listPage([], 1, false, { received: 500 });
    expect(listState({ ...base, feeds: [tableFeed('pods', noTotal.pods)] }).message).toBe('loading pods… 500 so far');
    // Once the list is complete it is no longer loading: an empty list is empty.
    store.pods.listPage([], 1, true, { received: 20_000, remaining: 0 });
    store.pods.status({ kind: 'live' });
    expect(listState({ ...base, feeds: [tableFeed('pods', store.pods, 'payment')] })).toEqual({ kind: 'empty', message: 'no pods in payment', count: '(0)' });
  });

  it('sums the progress of the per-system lists after a forbidden cluster-wide list', () => {
    const store = new ClusterStore();
    const cart = new RowTablePartition(store.pods, () => undefined);
    const trade = new RowTablePartition(store.pods, () => undefined);
    cart.listPage([pod('a', 'cart')], 1, false, { received: 1000, remaining: 500 });
    trade.listPage([pod('b', 'trade')], 1, false, { received: 1000, remaining: 1500 });
    store.pods.status({ kind: 'listing' });
    expect(listState({ ...base, namespace: 'risk', feeds: [tableFeed('pods', store.pods, 'risk')] }).message).toBe('loading pods… 2,000 of 4,000');
    trade.listPage([], 1, true, { received: 2500, remaining: 0 });
    expect(store.pods.listProgress()).toEqual({ received: 1000, expected: 1500 });
  });

  it('forbidden: names the verb, resource and system, with the server reason; the crumb does not say (0)', () => {
    const store = new ClusterStore();
    store.pods.forbidden.set('payment', FORBIDDEN);
    store.pods.status({ kind: 'live' });
    const s = listState({ ...base, feeds: [tableFeed('pods', store.pods, 'payment')] });
    expect(s.kind).toBe('forbidden');
    expect(s.message).toBe('forbidden: list pods in payment');
    expect(s.reason).toBe(FORBIDDEN);
    expect(s.count).toBe('(forbidden)');
    // Another system of the same store is not forbidden.
    expect(listState({ ...base, namespace: 'cart', feeds: [tableFeed('pods', store.pods, 'cart')] }).kind).toBe('empty');
  });

  it('before the API server has answered anything: connecting, not loading and not empty', () => {
    const s = listState({ ...base, feeds: [{ resource: 'pods', status: { kind: 'reconnecting', since: 0, reason: 'connection refused', attempt: 2 }, synced: false }], answered: false });
    expect(s).toEqual({ kind: 'connecting', count: '(connecting…)' });
  });

  it('a system that is not (or no longer) in the namespace list: no such system, in which context', () => {
    expect(listState({ ...base, namespace: 'foo', systemListed: false })).toEqual({ kind: 'missing', message: "no such system 'foo' in context prod-eu", count: '(0)' });
    // Unknown while the namespace list is not known: not claimed missing.
    expect(listState({ ...base, namespace: 'foo', systemListed: undefined }).kind).toBe('empty');
  });

  it('empty and filtered lists say which, with how many the filter hides', () => {
    expect(listState({ ...base, noun: 'applications', feeds: [{ ...live, resource: 'deployments' }] }).message).toBe('no applications in payment');
    expect(listState({ ...base, app: 'cart-api' }).message).toBe('no pods of cart-api in payment');
    expect(listState({ ...base, noun: 'systems', namespace: undefined }).message).toBe('no systems in context prod-eu');
    expect(listState({ ...base, noun: 'applications', namespace: undefined, total: 340, filter: 'foo' })).toEqual({
      kind: 'filtered', message: 'no applications match /foo (340 hidden by the filter)', count: '(0 of 340)',
    });
    // A label selector is applied by the server: nothing came back that matches.
    expect(listState({ ...base, filter: '-l app=nope', serverFiltered: true }).message).toBe('no pods match /-l app=nope in payment');
  });

  it('a list that failed for good says why instead of looking empty', () => {
    const s = listState({ ...base, feeds: [{ resource: 'pods', status: { kind: 'failed', message: 'the server could not find the requested resource', code: 404 }, synced: false }] });
    expect(s).toMatchObject({ kind: 'failed', message: 'cannot list pods in payment', reason: 'the server could not find the requested resource' });
  });

  it('rows: the count, "n of m" with a filter, and loading… while a list that fills them is still running', () => {
    expect(listState({ ...base, shown: 340, total: 340 })).toEqual({ kind: 'rows', count: '(340)' });
    expect(listState({ ...base, shown: 12, total: 1340 }).count).toBe('(12 of 1,340)');
    const podsLoading: ListFeed = { resource: 'pods', status: { kind: 'listing' }, synced: false, countsOnly: true, progress: { received: 10 } };
    const nsLive: ListFeed = { resource: 'namespaces', status: { kind: 'live' }, synced: true };
    expect(listState({ ...base, noun: 'systems', namespace: undefined, feeds: [nsLive, podsLoading], shown: 24, total: 24 }).count).toBe('(24, loading…)');
    // A feed that only fills counts never makes the body say "loading systems…".
    expect(listState({ ...base, noun: 'systems', namespace: undefined, feeds: [nsLive, podsLoading] }).kind).toBe('empty');
  });

  it('the store names the reason a system\'s pods are unknown, for its row', () => {
    const store = new ClusterStore();
    store.namespaces.listPage([nsRow('payment'), nsRow('cart')], 1, true);
    store.pods.forbidden.set('payment', FORBIDDEN);
    expect(store.forbiddenIn('pods', 'payment')).toBe(FORBIDDEN);
    expect(store.forbiddenIn('pods', 'cart')).toBeUndefined();
    // Scoped to one system (-n) whose pods are forbidden: the table's own status says it.
    const scoped = new ClusterStore();
    scoped.pods.status({ kind: 'forbidden', message: FORBIDDEN });
    expect(scoped.forbiddenIn('pods', 'payment')).toBe(FORBIDDEN);
  });
});
