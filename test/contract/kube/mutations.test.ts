// What warroom's edit (`e`), delete (Ctrl-D) and kill (Ctrl-K) rely on from the API server:
// DELETE with dryRun=All changing nothing, propagationPolicy Background (dependents follow: a
// Deployment's ReplicaSet and pods) and Orphan (they stay, without the ownerReference),
// gracePeriodSeconds=0 removing a pod at once; a JSON merge patch and a PUT carrying the
// resourceVersion the user edited (409 Conflict when another change came first, dry-run or not).
// Written to pass unchanged on the lab's real API server (npm run test:e2e).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type Json } from '../kubeHttp.js';
import { startKubeTarget, testNamespaceName, type KubeTarget } from '../target.js';

let target: KubeTarget;
let namespace: string;
const MERGE = 'application/merge-patch+json';

async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const apps = () => `/apis/apps/v1/namespaces/${namespace}`;
const core = () => `/api/v1/namespaces/${namespace}`;

async function createDeployment(name: string, replicas: number): Promise<Json> {
  const labels = { app: name };
  const r = await target.admin.request(`${apps()}/deployments`, {
    method: 'POST',
    body: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'registry.example/web:1.0' }] } } } },
  });
  expect(r.status, r.text).toBe(201);
  return json(r);
}

async function ownedBy(path: string, uid: string): Promise<Json[]> {
  const list = json(await target.admin.request(path));
  return (list.items as Json[]).filter((o) => (o.metadata.ownerReferences ?? []).some((ref: Json) => ref.uid === uid));
}

/** The Deployment's ReplicaSet once it has `pods` pods (the controllers have done their work). */
async function replicaSetWithPods(deployment: Json, pods: number): Promise<{ rs: Json; pods: Json[] }> {
  return waitUntil(`the pods of ${deployment.metadata.name}`, async () => {
    const [rs] = await ownedBy(`${apps()}/replicasets`, deployment.metadata.uid);
    if (!rs) return undefined;
    const owned = await ownedBy(`${core()}/pods`, rs.metadata.uid);
    return owned.length >= pods ? { rs, pods: owned } : undefined;
  });
}

async function status(path: string): Promise<number> {
  return (await target.admin.request(path)).status;
}

beforeAll(async () => {
  target = await startKubeTarget();
  namespace = testNamespaceName('warroom-mut');
  const r = await target.admin.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } } });
  expect(r.status, r.text).toBe(201);
});
afterAll(async () => {
  if (target) {
    await target.admin.request(`/api/v1/namespaces/${namespace}`, { method: 'DELETE' });
    await target.stop();
  }
});

describe('delete', () => {
  it('dryRun=All answers 200 and deletes nothing: a ConfigMap, a Deployment with its ReplicaSet and pods, a namespace', async () => {
    const cm = await target.admin.request(`${core()}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } } });
    expect(cm.status, cm.text).toBe(201);
    const d = await createDeployment('dry-web', 1);
    const { rs, pods } = await replicaSetWithPods(d, 1);
    for (const path of [`${core()}/configmaps/dry`, `${apps()}/deployments/dry-web`]) {
      const r = await target.admin.request(`${path}?dryRun=All&propagationPolicy=Background`, { method: 'DELETE' });
      expect(r.status, r.text).toBe(200);
      expect(await status(path)).toBe(200);
    }
    const ns = await target.admin.request(`/api/v1/namespaces/${namespace}?dryRun=All`, { method: 'DELETE' });
    expect(ns.status, ns.text).toBe(200);
    expect(json(await target.admin.request(`/api/v1/namespaces/${namespace}`)).status.phase).toBe('Active');
    expect(await status(`${apps()}/replicasets/${rs.metadata.name}`)).toBe(200);
    expect(json(await target.admin.request(`${core()}/pods/${pods[0].metadata.name}`)).metadata.deletionTimestamp).toBeUndefined();
  });

  it('propagationPolicy=Background: the Deployment goes, its ReplicaSet and their pods follow (garbage collection by ownerReferences)', async () => {
    const d = await createDeployment('bg-web', 2);
    const { rs, pods } = await replicaSetWithPods(d, 2);
    const r = await target.admin.request(`${apps()}/deployments/bg-web?propagationPolicy=Background`, { method: 'DELETE' });
    expect(r.status, r.text).toBe(200);
    await waitUntil('the Deployment gone', async () => ((await status(`${apps()}/deployments/bg-web`)) === 404 ? true : undefined));
    await waitUntil('its ReplicaSet gone', async () => ((await status(`${apps()}/replicasets/${rs.metadata.name}`)) === 404 ? true : undefined));
    await waitUntil('its pods gone or terminating', async () => {
      for (const p of pods) {
        const got = await target.admin.request(`${core()}/pods/${p.metadata.name}`);
        if (got.status === 200 && json(got).metadata.deletionTimestamp === undefined) return undefined;
      }
      return true;
    });
  });

  it('propagationPolicy=Orphan: the ReplicaSet stays, no longer owned by the deleted Deployment', async () => {
    const d = await createDeployment('orphan-web', 1);
    const { rs } = await replicaSetWithPods(d, 1);
    const r = await target.admin.request(`${apps()}/deployments/orphan-web?propagationPolicy=Orphan`, { method: 'DELETE' });
    expect([200, 202], r.text).toContain(r.status);
    await waitUntil('the Deployment gone', async () => ((await status(`${apps()}/deployments/orphan-web`)) === 404 ? true : undefined));
    const kept = json(await target.admin.request(`${apps()}/replicasets/${rs.metadata.name}`));
    expect(kept.metadata.deletionTimestamp).toBeUndefined();
    expect((kept.metadata.ownerReferences ?? []).some((o: Json) => o.uid === d.metadata.uid)).toBe(false);
    await target.admin.request(`${apps()}/replicasets/${rs.metadata.name}`, { method: 'DELETE' });
  });

  it('propagationPolicy=Foreground: the Deployment stays, with deletionTimestamp and the foregroundDeletion finalizer, until its dependents are gone (one held by a finalizer)', async () => {
    const d = await createDeployment('fg-web', 1);
    const { rs } = await replicaSetWithPods(d, 1);
    const owner = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'fg-web', uid: d.metadata.uid, blockOwnerDeletion: true };
    const cm = await target.admin.request(`${core()}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fg-web-lock', finalizers: ['warroom.io/hold'], ownerReferences: [owner] }, data: { a: '1' } } });
    expect(cm.status, cm.text).toBe(201);
    expect(json(cm).metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'fg-web', uid: d.metadata.uid })]);
    const r = await target.admin.request(`${apps()}/deployments/fg-web?propagationPolicy=Foreground`, { method: 'DELETE' });
    expect([200, 202], r.text).toContain(r.status);
    const held = json(await target.admin.request(`${apps()}/deployments/fg-web`));
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.metadata.finalizers).toContain('foregroundDeletion');
    await waitUntil('its ReplicaSet gone', async () => ((await status(`${apps()}/replicasets/${rs.metadata.name}`)) === 404 ? true : undefined));
    // The ConfigMap it owns is held by its own finalizer: the Deployment waits for it.
    await waitUntil('the ConfigMap terminating', async () => (json(await target.admin.request(`${core()}/configmaps/fg-web-lock`)).metadata.deletionTimestamp ? true : undefined));
    expect(await status(`${apps()}/deployments/fg-web`)).toBe(200);
    const released = await target.admin.request(`${core()}/configmaps/fg-web-lock`, { method: 'PATCH', contentType: MERGE, body: { metadata: { finalizers: null } } });
    expect(released.status, released.text).toBe(200);
    await waitUntil('the Deployment gone', async () => ((await status(`${apps()}/deployments/fg-web`)) === 404 ? true : undefined));
  });

  it('gracePeriodSeconds=0 removes a running pod at once (the kill), and its ReplicaSet makes another', async () => {
    const d = await createDeployment('kill-web', 1);
    const { rs, pods } = await replicaSetWithPods(d, 1);
    const victim = pods[0].metadata;
    const r = await target.admin.request(`${core()}/pods/${victim.name}?gracePeriodSeconds=0`, { method: 'DELETE' });
    expect(r.status, r.text).toBe(200);
    await waitUntil('the pod gone', async () => {
      const got = await target.admin.request(`${core()}/pods/${victim.name}`);
      return got.status === 404 || json(got).metadata.uid !== victim.uid ? true : undefined;
    }, 5_000);
    await waitUntil('a new pod of the ReplicaSet', async () => ((await ownedBy(`${core()}/pods`, rs.metadata.uid)).some((p) => p.metadata.uid !== victim.uid) ? true : undefined));
  });
  it('an object with a finalizer stays, Terminating, until the finalizer is removed', async () => {
    const r = await target.admin.request(`${core()}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: ['warroom.io/hold'] }, data: { a: '1' } } });
    expect(r.status, r.text).toBe(201);
    const del = await target.admin.request(`${core()}/configmaps/held?propagationPolicy=Background`, { method: 'DELETE' });
    expect(del.status, del.text).toBe(200);
    const held = json(await target.admin.request(`${core()}/configmaps/held`));
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.metadata.finalizers).toEqual(['warroom.io/hold']);
    const released = await target.admin.request(`${core()}/configmaps/held`, { method: 'PATCH', contentType: MERGE, body: { metadata: { finalizers: null } } });
    expect(released.status, released.text).toBe(200);
    await waitUntil('the ConfigMap gone', async () => ((await status(`${core()}/configmaps/held`)) === 404 ? true : undefined), 10_000);
  });
});

describe('edit', () => {
  it('a merge patch with the edited resourceVersion: dry-run answers the new object and changes nothing; then applied', async () => {
    const created = json(await target.admin.request(`${core()}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'edit-me' }, data: { level: 'info' } } }));
    const body = { metadata: { resourceVersion: created.metadata.resourceVersion, labels: { team: 'cart' } }, data: { level: 'debug' } };
    const dry = await target.admin.request(`${core()}/configmaps/edit-me?dryRun=All`, { method: 'PATCH', contentType: MERGE, body });
    expect(dry.status, dry.text).toBe(200);
    expect(json(dry)).toMatchObject({ data: { level: 'debug' }, metadata: { labels: { team: 'cart' } } });
    expect(json(await target.admin.request(`${core()}/configmaps/edit-me`)).data.level).toBe('info');
    const applied = await target.admin.request(`${core()}/configmaps/edit-me`, { method: 'PATCH', contentType: MERGE, body });
    expect(applied.status, applied.text).toBe(200);
    const now = json(await target.admin.request(`${core()}/configmaps/edit-me`));
    expect(now).toMatchObject({ data: { level: 'debug' }, metadata: { labels: { team: 'cart' } } });
    expect(now.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
  });

  it('another change since the edit began: 409 Conflict for the merge patch and the PUT, dry-run or not, and nothing changes', async () => {
    const created = json(await target.admin.request(`${core()}/configmaps`, { method: 'POST', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'raced' }, data: { level: 'info' } } }));
    const seen = created.metadata.resourceVersion;
    const other = await target.admin.request(`${core()}/configmaps/raced`, { method: 'PATCH', contentType: MERGE, body: { data: { level: 'warn' } } });
    expect(other.status, other.text).toBe(200);
    for (const dryRun of ['?dryRun=All', '']) {
      const patch = await target.admin.request(`${core()}/configmaps/raced${dryRun}`, { method: 'PATCH', contentType: MERGE, body: { metadata: { resourceVersion: seen }, data: { level: 'debug' } } });
      expect(patch.status, patch.text).toBe(409);
      expect(json(patch)).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
      const put = await target.admin.request(`${core()}/configmaps/raced${dryRun}`, { method: 'PUT', body: { ...created, data: { level: 'debug' } } });
      expect(put.status, put.text).toBe(409);
    }
    expect(json(await target.admin.request(`${core()}/configmaps/raced`)).data.level).toBe('warn');
  });

  it('a PUT of the whole object with its current resourceVersion replaces it (labels of a Namespace, which no controller touches)', async () => {
    const path = `/api/v1/namespaces/${namespace}`;
    const ns = json(await target.admin.request(path));
    const edited = { ...ns, metadata: { ...ns.metadata, labels: { ...ns.metadata.labels, tier: 'front' } } };
    delete edited.status;
    const dry = await target.admin.request(`${path}?dryRun=All`, { method: 'PUT', body: edited });
    expect(dry.status, dry.text).toBe(200);
    expect(json(dry).metadata.labels.tier).toBe('front');
    expect(json(await target.admin.request(path)).metadata.labels.tier).toBeUndefined();
    const r = await target.admin.request(path, { method: 'PUT', body: edited });
    expect(r.status, r.text).toBe(200);
    expect(json(await target.admin.request(path)).metadata.labels.tier).toBe('front');
  });
});
