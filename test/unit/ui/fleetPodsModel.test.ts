import { describe, expect, it } from 'vitest';
import type { ContextRuntime } from '../../../src/platform/contextRuntime.js';
import type { PodRow } from '../../../src/platform/kube/rows.js';
import { ClusterStore } from '../../../src/platform/stores/clusterStore.js';
import { newView, type ViewState } from '../../../src/platform/stores/navStore.js';
import { fleetPodKey, fleetPodsTable, fleetPodsView } from '../../../src/ui/views/lists/fleetPodsView.js';
import { parseFilter, rowComparator, rowMatcher } from '../../../src/ui/views/tableModel.js';

// The fleet's Pods view keeps every cluster's pods in order as they change (an index per view,
// updated by what changed): after any churn in any cluster it lists exactly the rows, in
// exactly the order, that merging and sorting both clusters' pods from scratch gives.

function seeded(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const apps = ['Deployment/cart-api', 'Deployment/web', 'StatefulSet/db'];
const systems = ['cart', 'search'];
const statuses = ['Running', 'Pending', 'CrashLoopBackOff', 'Completed'];

function podOf(rnd: () => number, uid: string, name?: string): PodRow {
  const app = apps[Math.floor(rnd() * apps.length)];
  return {
    uid, namespace: systems[Math.floor(rnd() * systems.length)], name: name ?? `${app.split('/')[1]}-${uid}`, ready: Math.floor(rnd() * 2), total: 1,
    status: statuses[Math.floor(rnd() * statuses.length)], restarts: Math.floor(rnd() * 6), createdAt: Math.floor(rnd() * 1e6), node: `n${Math.floor(rnd() * 4)}`,
    ip: '10.0.0.1', appKey: app, cluster: '',
  };
}

describe("the fleet's Pods, kept in order as pods change", () => {
  const views: Array<[string, ViewState]> = [
    ['every pod by name', newView('fleet-pods')],
    ['a system, most restarts first', newView('fleet-pods', { namespace: 'cart', sort: { column: 'restarts', descending: true } })],
    ['an application, filtered, by cluster', newView('fleet-pods', { namespace: 'cart', app: { kind: 'Deployment', name: 'cart-api' }, filter: 'Running', sort: { column: 'cluster', descending: false } })],
    ['problems first', newView('fleet-pods', { sort: { column: 'problems', descending: false } })],
  ];
  for (const [title, view] of views) {
    it(`lists what a merge and sort from scratch lists, tick after tick: ${title}`, () => {
      const rnd = seeded(title.length);
      const contexts = ['warroom-demo-dc1', 'warroom-demo-dc2'].map((contextName) => ({ contextName, store: new ClusterStore(contextName) }));
      let next = 0;
      for (const c of contexts) c.store.pods.listPage(Array.from({ length: 600 }, () => podOf(rnd, `u${next++}`)), 1, true);
      const kept = new Map<string, { stop(): void }>();
      const model = () => fleetPodsView.model({
        ctx: contexts[0] as unknown as ContextRuntime, contexts: contexts as unknown as ContextRuntime[], view, filter: parseFilter(view.filter), now: 5e6,
        keep: <T extends { stop(): void }>(key: string, build: () => T) => (kept.get(key) ?? kept.set(key, build()).get(key)) as T,
      });
      const def = fleetPodsTable(contexts.map((c) => c.contextName), !view.app);
      const scratch = () => {
        const matches = rowMatcher(def, parseFilter(view.filter), 5e6);
        const compare = rowComparator(def, view.sort, 5e6);
        // Keyed by the context each store belongs to: the rows must name it.
        const all = contexts.flatMap((c) => [...c.store.pods.rows.values()].map((p) => ({ key: `${c.contextName}/${p.uid}`, p })));
        return all
          .filter(({ p }) => (!view.namespace || p.namespace === view.namespace) && (!view.app || p.appKey === `${view.app.kind}/${view.app.name}`) && (!matches || matches(p)))
          .sort((a, b) => compare(a.p, b.p) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          .map((r) => r.key);
      };
      expect(model().rows.map(fleetPodKey)).toEqual(scratch());
      for (let tick = 0; tick < 25; tick++) {
        // A tick's worth of churn in each cluster: a few changes, or hundreds.
        const changes = tick % 3 === 0 ? 300 : 1 + Math.floor(rnd() * 8);
        for (let n = 0; n < changes; n++) {
          const c = contexts[Math.floor(rnd() * contexts.length)];
          const uids = [...c.store.pods.rows.keys()];
          const roll = rnd();
          if (roll < 0.25) c.store.pods.upsert(podOf(rnd, `u${next++}`));
          else if (roll < 0.45) c.store.pods.remove(uids[Math.floor(rnd() * uids.length)]);
          else {
            const uid = uids[Math.floor(rnd() * uids.length)];
            c.store.pods.upsert({ ...podOf(rnd, uid, c.store.pods.rows.get(uid)!.name) });
          }
        }
        const rows = model().rows;
        expect(rows.map(fleetPodKey)).toEqual(scratch());
      }
      for (const k of kept.values()) k.stop();
      for (const c of contexts) c.store.dispose();
    });
  }
});
