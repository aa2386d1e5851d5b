// The demo fleet's story: the same retail scenario in every data centre, with the differences
// a fleet console has to show (zones, image and template drift, a missing application, a replica count no HPA
// explains, different crash-loops), deterministic for a seed and exact in pod count.
import { describe, expect, it } from 'vitest';
import { doubledMemory, driftedImage, FLEET_STORY, fleetScenario, memberPodSeed } from '../../../src/demo/fleetScenario.js';
import { buildScenario, type AppPlan, type ScenarioPlan } from '../../../src/demo/scenario.js';

const names = ['dc1', 'dc2', 'dc3'];
const fleet = (seed: number, pods: number): ScenarioPlan[] => names.map((name, i) => fleetScenario(seed, pods, { name, index: i + 1 }));
const app = (plan: ScenarioPlan, ref: { namespace: string; name: string }): AppPlan | undefined => plan.apps.find((a) => a.namespace === ref.namespace && a.name === ref.name);
const podsOf = (plan: ScenarioPlan) => plan.apps.reduce((n, a) => n + a.replicas, 0) + plan.jobPods.length + plan.nodeLocal.app.replicas + 1;
const crashing = (plan: ScenarioPlan) => plan.apps.filter((a) => a.crashLoopPods > 0).map((a) => `${a.namespace}/${a.name}`).sort();
const key = (a: AppPlan) => `${a.namespace}/${a.name}`;

describe('demo fleet scenario', () => {
  it.each([
    [1, 100],
    [1, 1000],
    [7, 1000],
    [42, 20_000],
    [3, 100_000],
  ])('seed %i, %i pods: every cluster has exactly that many pods', (seed, pods) => {
    for (const plan of fleet(seed, pods)) expect(podsOf(plan)).toBe(pods);
  });

  it('puts each data centre in its own region and zones', () => {
    const [dc1, dc2, dc3] = fleet(1, 1000);
    expect([dc1.region, dc2.region, dc3.region]).toEqual(['eu-central-1', 'eu-west-1', 'eu-north-1']);
    expect([...new Set(dc1.nodes.map((n) => n.zone))].sort()).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
    expect([...new Set(dc2.nodes.map((n) => n.zone))].sort()).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect([...new Set(dc3.nodes.map((n) => n.zone))].sort()).toEqual(['eu-north-1a', 'eu-north-1b', 'eu-north-1c']);
  });

  it.each([1, 2, 7, 99])('seed %i: the same systems and applications everywhere, but for the told differences', (seed) => {
    const [dc1, dc2, dc3] = fleet(seed, 1000);
    expect(dc2.systems).toEqual(dc1.systems);
    expect(dc3.systems).toEqual(dc1.systems);
    expect(dc2.apps.map(key)).toEqual(dc1.apps.map(key));
    expect(dc3.apps.map(key)).toEqual(dc1.apps.map(key).filter((k) => k !== 'cart/wishlist-api'));

    // Image drift: payment-api runs the next minor version in dc2 only.
    const images = [dc1, dc2, dc3].map((p) => app(p, FLEET_STORY.drifted)!.template.containers[0].image);
    expect(images[0]).toBe(images[2]);
    expect(images[1]).toBe(driftedImage(images[0]));
    expect(images[1]).not.toBe(images[0]);
    // Only that application's template and search-api's (template drift) differ between dc1 and dc2.
    const templates = (p: ScenarioPlan) => p.apps.filter((a) => JSON.stringify(a.template) !== JSON.stringify(app(dc1, a)?.template)).map(key).sort();
    expect(templates(dc2)).toEqual(['payment/payment-api', 'search/search-api']);
    expect(templates(dc3)).toEqual([]);
    // search-api: the same image, twice the memory limit in dc2.
    const [one, two] = [dc1, dc2].map((p) => app(p, FLEET_STORY.reconfigured)!.template.containers[0]);
    expect(two.image).toBe(one.image);
    expect(two.limits?.memory).toBe(doubledMemory(one.limits!.memory!));
    expect(two.limits?.memory).not.toBe(one.limits?.memory);

    // Present in dc1 and dc2, absent in dc3.
    expect(app(dc1, FLEET_STORY.partial)).toBeDefined();
    expect(app(dc2, FLEET_STORY.partial)).toBeDefined();
    expect(app(dc3, FLEET_STORY.partial)).toBeUndefined();

    // cart-sync-worker: other replicas in dc3, and no HPA to explain them.
    const rescaled = [dc1, dc2, dc3].map((p) => app(p, FLEET_STORY.rescaled)!);
    expect(rescaled[1].replicas).toBe(rescaled[0].replicas);
    expect(rescaled[2].replicas).not.toBe(rescaled[0].replicas);
    expect(rescaled.map((a) => a.hpa)).toEqual([undefined, undefined, undefined]);

    // Any other replica difference is on an application whose HPA range holds both counts.
    for (const a of dc3.apps) {
      const other = app(dc1, a)!;
      if (a === rescaled[2] || a.replicas === other.replicas) continue;
      expect(a.hpa, key(a)).toBeDefined();
      expect(other.hpa, key(a)).toBeDefined();
      for (const n of [a.replicas, other.replicas]) {
        expect(n).toBeGreaterThanOrEqual(Math.min(a.hpa!.min, other.hpa!.min));
        expect(n).toBeLessThanOrEqual(Math.max(a.hpa!.max, other.hpa!.max));
      }
    }
  });

  it('crash-loops different applications in each cluster; the drifted image crash-loops in dc2', () => {
    const [dc1, dc2, dc3] = fleet(1, 1000);
    const sets = [dc1, dc2, dc3].map(crashing);
    for (const s of sets) expect(s.length).toBeGreaterThan(0);
    expect(sets[0]).not.toEqual(sets[1]);
    expect(sets[1]).not.toEqual(sets[2]);
    expect(sets[0]).not.toEqual(sets[2]);
    expect(sets[1]).toContain('payment/payment-api');
    expect(sets[0]).not.toContain('payment/payment-api');
    expect(sets[2]).not.toContain('payment/payment-api');
    for (const plan of [dc1, dc2, dc3]) for (const a of plan.apps) expect(a.crashLoopPods).toBeLessThan(Math.max(1, a.replicas));
  });

  it('is the same for the same seed, and gives each cluster pods of its own', () => {
    expect(fleet(5, 1000)).toEqual(fleet(5, 1000));
    expect(new Set([1, 2, 3, 4, 5].map((i) => memberPodSeed(5, i))).size).toBe(5);
    expect(memberPodSeed(5, 2)).toBe(memberPodSeed(5, 2));
  });

  it('leaves the single demo as it was (eu-central-1, no differences)', () => {
    const single = buildScenario(1, 1000);
    expect(single.region).toBe('eu-central-1');
    expect(fleetScenario(1, 1000, { name: 'dc1', index: 1 }).apps.map(key)).toEqual(single.apps.map(key));
    expect(fleetScenario(1, 1000, { name: 'dc1', index: 1 }).nodes).toEqual(single.nodes);
  });

  it('names the next minor version as the drifted image', () => {
    expect(driftedImage('registry.shop.example/payment/payment-api:1.14.3')).toBe('registry.shop.example/payment/payment-api:1.15.0');
    expect(driftedImage('registry.shop.example/x:latest')).toBe('registry.shop.example/x:latest-canary');
  });
});
