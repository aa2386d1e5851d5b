import { describe, expect, it } from 'vitest';
import { cascadeApplies, deleteQuery, namespaceContents, orphansLine, ownedObjects, OWNED_KINDS } from '../../../src/platform/actions/deleteObjects.js';
import type { ApiResource } from '../../../src/platform/kube/discovery.js';
import type { ReadSession } from '../../../src/platform/kube/kubeSession.js';

/** A ReadSession answering lists from a table of path -> items (and counting the requests). */
function fakeSession(lists: Record<string, Array<{ name: string; uid: string; owners?: string[] }>>, fail: string[] = []) {
  const asked: string[] = [];
  const session = {
    getJson: async (path: string, query?: Record<string, unknown>) => {
      asked.push(path);
      if (fail.some((f) => path.endsWith(f))) throw new Error(`${path} forbidden (403)`);
      const items = (lists[path] ?? []).map((o) => ({ metadata: { name: o.name, uid: o.uid, ownerReferences: o.owners?.map((uid) => ({ uid })) } }));
      const limit = Number(query?.limit ?? items.length);
      return { metadata: { remainingItemCount: Math.max(0, items.length - limit) || undefined }, items: items.slice(0, limit) };
    },
  } as unknown as ReadSession;
  return { session, asked };
}

const served = (resource: string, group: string, kind: string, namespaced = true): ApiResource => ({ group, version: 'v1', resource, kind, singular: kind.toLowerCase(), namespaced, shortNames: [], categories: [], verbs: ['list', 'delete'] });

describe('what goes with a deleted object', () => {
  it('follows ownerReferences down: a Deployment\'s ReplicaSets, then their pods; not the pods of others', async () => {
    const { session } = fakeSession({
      '/apis/apps/v1/namespaces/cart/replicasets': [{ name: 'web-1', uid: 'rs1', owners: ['dep'] }, { name: 'web-2', uid: 'rs2', owners: ['dep'] }, { name: 'other', uid: 'rs3', owners: ['x'] }],
      '/api/v1/namespaces/cart/pods': [{ name: 'web-1-a', uid: 'p1', owners: ['rs1'] }, { name: 'web-2-a', uid: 'p2', owners: ['rs2'] }, { name: 'web-2-b', uid: 'p3', owners: ['rs2'] }, { name: 'lonely', uid: 'p4' }],
    });
    const all = OWNED_KINDS.map((k) => served(k.resource, k.group, k.kind));
    const { groups, direct, unread } = await ownedObjects(session, 'cart', 'dep', all);
    expect(groups).toEqual([
      { kind: 'Pod', count: 3, names: ['web-1-a', 'web-2-a', 'web-2-b'] },
      { kind: 'ReplicaSet', count: 2, names: ['web-1', 'web-2'] },
    ]);
    // What it owns itself: what an Orphan delete leaves without an owner (the pods stay their ReplicaSets').
    expect(direct).toEqual([{ kind: 'ReplicaSet', count: 2, names: ['web-1', 'web-2'] }]);
    expect(unread).toEqual([]);
  });

  it('asks only for the kinds the cluster serves, and names a kind it could not read', async () => {
    const { session, asked } = fakeSession({}, ['/pods']);
    const { unread } = await ownedObjects(session, 'cart', 'dep', [served('pods', '', 'Pod'), served('replicasets', 'apps', 'ReplicaSet')]);
    expect(asked.sort()).toEqual(['/api/v1/namespaces/cart/pods', '/apis/apps/v1/namespaces/cart/replicasets']);
    expect(unread).toEqual(['Pod']);
  });

  it('marked objects of one namespace share one read of each owned kind (200 pods: 2 lists, not 400)', async () => {
    const { session, asked } = fakeSession({ '/api/v1/namespaces/cart/pods': Array.from({ length: 200 }, (_, i) => ({ name: `p${i}`, uid: `u${i}` })) });
    const cache = new Map();
    const kinds = [served('pods', '', 'Pod'), served('replicasets', 'apps', 'ReplicaSet')];
    for (let i = 0; i < 200; i++) await ownedObjects(session, 'cart', `u${i}`, kinds, undefined, cache);
    expect(asked).toHaveLength(2);
  });

  it('a namespace: every namespaced kind counted with one limit=1 list each (remainingItemCount), Events left out', async () => {
    const { session, asked } = fakeSession({
      '/api/v1/namespaces/cart/pods': [{ name: 'a', uid: '1' }, { name: 'b', uid: '2' }, { name: 'c', uid: '3' }],
      '/api/v1/namespaces/cart/configmaps': [{ name: 'cfg', uid: '4' }],
    });
    const { groups } = await namespaceContents(session, [served('pods', '', 'Pod'), served('configmaps', '', 'ConfigMap'), served('secrets', '', 'Secret'), served('events', '', 'Event'), served('nodes', '', 'Node', false)], 'cart');
    expect(groups).toEqual([{ kind: 'Pod', count: 3, names: ['a'] }, { kind: 'ConfigMap', count: 1, names: ['cfg'] }]);
    expect(asked).not.toContain('/api/v1/namespaces/cart/events');
  });

  it('a kill is a delete with gracePeriodSeconds=0; both propagate in the background as kubectl', () => {
    expect(deleteQuery('kill')).toEqual({ propagationPolicy: 'Background', gracePeriodSeconds: 0 });
    expect(deleteQuery('delete')).toEqual({ propagationPolicy: 'Background' });
  });
});

describe('the cascade (kubectl delete --cascade)', () => {
  const ref = (kind: string, group = 'apps') => ({ kind, group });

  it('is sent as the propagationPolicy of a delete; a kill stays Background with grace period 0', () => {
    expect(deleteQuery('delete', 'Orphan')).toEqual({ propagationPolicy: 'Orphan' });
    expect(deleteQuery('delete', 'Foreground')).toEqual({ propagationPolicy: 'Foreground' });
    expect(deleteQuery('kill', 'Orphan')).toEqual({ propagationPolicy: 'Background', gracePeriodSeconds: 0 });
  });

  it('is offered for what owns others, not for a pod, a namespace or a kill', () => {
    for (const kind of ['Deployment', 'StatefulSet', 'ReplicaSet', 'DaemonSet']) expect(cascadeApplies('delete', ref(kind))).toBe(true);
    expect(cascadeApplies('delete', ref('Job', 'batch'))).toBe(true);
    expect(cascadeApplies('delete', ref('CronJob', 'batch'))).toBe(true);
    expect(cascadeApplies('delete', ref('Pod', ''))).toBe(false);
    // The namespace controller deletes everything in it in the background, whatever the policy.
    expect(cascadeApplies('delete', ref('Namespace', ''), [{ kind: 'Pod', count: 3, names: [] }])).toBe(false);
    expect(cascadeApplies('kill', ref('Deployment'))).toBe(false);
    // A ConfigMap owns nothing; a Service whose EndpointSlices name it does.
    expect(cascadeApplies('delete', ref('ConfigMap', ''))).toBe(false);
    expect(cascadeApplies('delete', ref('Service', ''), [{ kind: 'EndpointSlice', count: 1, names: ['web-x'] }])).toBe(true);
  });

  it('an Orphan delete names what stays: what it owns, and what those own in turn', () => {
    const rs = { kind: 'ReplicaSet', count: 1, names: ['web-7d9f'] };
    expect(orphansLine({ direct: [rs], dependents: [{ kind: 'Pod', count: 3, names: ['a', 'b', 'c'] }, rs] })).toBe('ReplicaSet web-7d9f and its 3 Pods');
    const two = { kind: 'ReplicaSet', count: 2, names: ['web-7d9f', 'web-5c4b'] };
    expect(orphansLine({ direct: [two], dependents: [{ kind: 'Pod', count: 5, names: [] }, two] })).toBe('2 ReplicaSets (web-7d9f, web-5c4b) and their 5 Pods');
    const pods = { kind: 'Pod', count: 4, names: ['db-0', 'db-1', 'db-2'] };
    expect(orphansLine({ direct: [pods, { kind: 'ControllerRevision', count: 1, names: ['db-6f'] }], dependents: [pods] })).toMatch(/^4 Pods \(db-0, db-1, db-2, \S+\), ControllerRevision db-6f$/);
  });
});
