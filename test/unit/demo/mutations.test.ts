// The demo's side of warroom's scale operations: PodDisruptionBudgets, rollout restart and HPA limits by
// PATCH (with dryRun), and the operator user's RBAC (scale Deployments, not StatefulSets, in a few systems).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';
import { ManualClock } from '../../support/manualClock.js';

let platform: RunningPlatform;
// The controller's clock: pods come up when a test moves it (and ticks), not after real seconds.
const clock = new ManualClock();

async function call(method: string, url: string, opts: { body?: unknown; contentType?: string; token?: string } = {}) {
  const r = await fetch(platform.url + url, {
    method,
    headers: { Authorization: `Bearer ${opts.token ?? platform.tokens.admin}`, 'Content-Type': opts.contentType ?? 'application/merge-patch+json' },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  platform = await startPlatform({ pods: 300, seed: 7, churn: false, now: () => clock.now() });
});
afterAll(async () => {
  await platform?.close();
});

describe('PodDisruptionBudgets', () => {
  it('serves policy/v1 budgets for a few applications, with a selector and a status that follows the pods', async () => {
    const r = await call('GET', '/apis/policy/v1/poddisruptionbudgets');
    expect(r.status).toBe(200);
    expect(r.body.kind).toBe('PodDisruptionBudgetList');
    expect(r.body.items.length).toBeGreaterThanOrEqual(3);
    const pdb = r.body.items.find((p: { spec: { minAvailable?: number } }) => p.spec.minAvailable !== undefined);
    expect(pdb.spec.selector.matchLabels['app.kubernetes.io/name']).toBeTruthy();
    expect(pdb.status).toMatchObject({ expectedPods: expect.any(Number), currentHealthy: expect.any(Number), disruptionsAllowed: expect.any(Number) });
  });
});

describe('PATCH of workloads and HPAs', () => {
  const cart = '/apis/apps/v1/namespaces/cart/deployments';
  const restart = (at: string) => ({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } });

  it('a rollout restart sets the template annotation and replaces the pods one at a time; a dry-run changes nothing', async () => {
    const d = [...platform.cluster.deployments.store.values()].find((x) => x.meta.namespace === 'cart' && x.replicas >= 2 && x.status.ready === x.replicas)!;
    const before = [...platform.cluster.pods.store.values()].filter((p) => p.meta.labels?.['app.kubernetes.io/name'] === d.meta.name).map((p) => p.meta.name).sort();
    const dry = await call('PATCH', `${cart}/${d.meta.name}?dryRun=All`, { body: restart('2026-01-01T00:00:00Z'), contentType: 'application/strategic-merge-patch+json' });
    expect(dry.status).toBe(200);
    expect(dry.body.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe('2026-01-01T00:00:00Z');
    expect((await call('GET', `${cart}/${d.meta.name}`)).body.spec.template.metadata.annotations).toBeUndefined();
    const at = new Date().toISOString();
    const r = await call('PATCH', `${cart}/${d.meta.name}`, { body: restart(at), contentType: 'application/strategic-merge-patch+json' });
    expect(r.status).toBe(200);
    expect((await call('GET', `${cart}/${d.meta.name}`)).body.spec.template.metadata.annotations['kubectl.kubernetes.io/restartedAt']).toBe(at);
    // The first old pod goes within a second or so; never more than one at a time.
    const t0 = Date.now();
    let terminating = 0;
    while (Date.now() - t0 < 3000 && terminating === 0) {
      await new Promise((res) => setTimeout(res, 100));
      terminating = [...platform.cluster.pods.store.values()].filter((p) => before.includes(p.meta.name) && p.meta.deletionTs !== undefined).length;
    }
    expect(terminating).toBe(1);
  });

  it('refuses fields it does not handle with 422 rather than ignoring them', async () => {
    const d = [...platform.cluster.deployments.store.values()].find((x) => x.meta.namespace === 'cart')!;
    // spec.paused is handled now (`kubectl rollout pause`); minReadySeconds is not.
    const r = await call('PATCH', `${cart}/${d.meta.name}`, { body: { spec: { minReadySeconds: 30 } } });
    expect(r.status).toBe(422);
  });

  it('changes an HPA\'s min/max, validating min >= 1 and max >= min', async () => {
    const h = [...platform.cluster.hpas.store.values()][0];
    const path = `/apis/autoscaling/v2/namespaces/${h.meta.namespace}/horizontalpodautoscalers/${h.meta.name}`;
    expect((await call('PATCH', path, { body: { spec: { minReplicas: 0 } } })).status).toBe(422);
    const r = await call('PATCH', path, { body: { spec: { minReplicas: h.maxReplicas + 1, maxReplicas: h.maxReplicas + 2 } } });
    expect(r.status).toBe(200);
    expect(r.body.spec).toMatchObject({ minReplicas: h.maxReplicas + 1, maxReplicas: h.maxReplicas + 2 });
  });
});

describe('the operator user', () => {
  const review = async (namespace: string, resource: string, subresource = 'scale') => {
    const r = await call('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      token: platform.tokens.operator,
      contentType: 'application/json',
      body: { spec: { resourceAttributes: { namespace, verb: 'patch', group: 'apps', resource, subresource } } },
    });
    return r.body.status.allowed as boolean;
  };

  it('may scale Deployments in trade, not StatefulSets there, and nothing in other systems', async () => {
    expect(await review('trade', 'deployments')).toBe(true);
    expect(await review('trade', 'statefulsets')).toBe(false);
    expect(await review('search', 'deployments')).toBe(false);
    const sts = [...platform.cluster.statefulSets.store.values()].find((s) => s.meta.namespace === 'trade')!;
    const r = await call('PATCH', `/apis/apps/v1/namespaces/trade/statefulsets/${sts.meta.name}/scale?dryRun=All`, { token: platform.tokens.operator, body: { spec: { replicas: 5 } } });
    expect(r.status).toBe(403);
    expect(r.body.message).toContain('User "demo-operator" cannot patch resource "statefulsets/scale"');
    const list = await call('GET', '/api/v1/pods?limit=1', { token: platform.tokens.operator });
    expect(list.status).toBe(200);
  });
});

describe('POST deployments', () => {
  const body = (name: string, replicas: number, labels = { app: name }) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'registry.example/app:1' }] } } },
  });

  it('creates a Deployment whose pods come up through its ReplicaSet, and which scales like the others', async () => {
    const r = await call('POST', '/apis/apps/v1/namespaces/pricing/deployments', { body: body('bench-app', 2), contentType: 'application/json' });
    expect(r.status).toBe(201);
    // Up to 10 s of the controller's time, a quarter of a second at a time.
    const t0 = clock.now();
    let d;
    do {
      clock.advance(250);
      platform.controller.tick();
      d = (await call('GET', '/apis/apps/v1/namespaces/pricing/deployments/bench-app')).body;
    } while ((d.status?.readyReplicas ?? 0) < 2 && clock.now() - t0 < 10_000);
    expect(d.status.readyReplicas).toBe(2);
    const s = await call('PATCH', '/apis/apps/v1/namespaces/pricing/deployments/bench-app/scale', { body: { spec: { replicas: 3 } } });
    expect(s.body.spec.replicas).toBe(3);
  });

  it('refuses a selector that does not match the template labels (422) and a duplicate name (409)', async () => {
    const bad = await call('POST', '/apis/apps/v1/namespaces/pricing/deployments', { body: body('bad-app', 1, { app: 'other' }), contentType: 'application/json' });
    expect(bad.status).toBe(422);
    const dup = await call('POST', '/apis/apps/v1/namespaces/pricing/deployments', { body: body('bench-app', 1), contentType: 'application/json' });
    expect(dup.status).toBe(409);
  });
});
