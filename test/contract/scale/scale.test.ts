// The scale subresource as warroom's scale action relies on it: read, dry-run, merge patch
// with the previewed resourceVersion (409 when stale), and 403 for a user without scale rights.
// Runs against the demo platform in `npm test` and the lab's real apiserver in `npm run test:e2e`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type Json, type KubeClient } from '../kubeHttp.js';
import { restrictedConfigured, startKubeTarget, type KubeTarget } from '../target.js';

let target: KubeTarget;
let app: { namespace: string; name: string; replicas: number };
let scalePath: string;

const MERGE = 'application/merge-patch+json';

function patch(client: KubeClient, path: string, body: unknown) {
  return client.request(path, { method: 'PATCH', contentType: MERGE, body });
}

async function waitForReplicas(path: string, replicas: number): Promise<Json> {
  const t0 = Date.now();
  for (;;) {
    const d = json(await target.admin.request(path));
    if (d.spec.replicas === replicas) return d;
    if (Date.now() - t0 > 10_000) throw new Error(`spec.replicas of ${path} stayed ${d.spec.replicas}, expected ${replicas}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  target = await startKubeTarget();
  // A Deployment with at least one replica outside the system namespaces.
  const list = json(await target.admin.request('/apis/apps/v1/deployments'));
  const d = (list.items as Json[]).find((x) => !String(x.metadata.namespace).startsWith('kube-') && x.spec.replicas >= 1);
  if (!d) throw new Error('the target has no Deployment with replicas >= 1 outside kube-*');
  app = { namespace: d.metadata.namespace, name: d.metadata.name, replicas: d.spec.replicas };
  scalePath = `/apis/apps/v1/namespaces/${app.namespace}/deployments/${app.name}/scale`;
});
afterAll(async () => {
  // Leave the Deployment as found, whatever a failed test did.
  if (target && app) await patch(target.admin, scalePath, { spec: { replicas: app.replicas } });
  await target?.stop();
});

describe('scale subresource', () => {
  it('reads an autoscaling/v1 Scale: desired replicas, pods now, the pods\' selector and a resourceVersion', async () => {
    const r = await target.admin.request(scalePath);
    expect(r.status).toBe(200);
    const s = json(r);
    expect(s).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: app.name, namespace: app.namespace }, spec: { replicas: app.replicas } });
    expect(s.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(typeof s.status.replicas).toBe('number');
    expect(s.status.selector).toMatch(/=/);
  });

  it('dryRun=All answers with the new count and leaves the object unchanged', async () => {
    const before = json(await target.admin.request(scalePath));
    const r = await patch(target.admin, `${scalePath}?dryRun=All`, { metadata: { resourceVersion: before.metadata.resourceVersion }, spec: { replicas: app.replicas + 3 } });
    expect(r.status, r.text).toBe(200);
    expect(json(r).spec.replicas).toBe(app.replicas + 3);
    const after = json(await target.admin.request(scalePath));
    expect(after.spec.replicas).toBe(app.replicas);
    const deployment = json(await target.admin.request(scalePath.replace(/\/scale$/, '')));
    expect(deployment.spec.replicas).toBe(app.replicas);
  });

  it('a merge patch with the current resourceVersion changes spec.replicas of the Deployment', async () => {
    const s = json(await target.admin.request(scalePath));
    const r = await patch(target.admin, scalePath, { metadata: { resourceVersion: s.metadata.resourceVersion }, spec: { replicas: app.replicas + 1 } });
    expect(r.status, r.text).toBe(200);
    expect(json(r).spec.replicas).toBe(app.replicas + 1);
    await waitForReplicas(scalePath.replace(/\/scale$/, ''), app.replicas + 1);
    const back = await patch(target.admin, scalePath, { spec: { replicas: app.replicas } });
    expect(back.status, back.text).toBe(200);
    await waitForReplicas(scalePath.replace(/\/scale$/, ''), app.replicas);
  });

  it('a stale resourceVersion is 409 Conflict and changes nothing (also for a dry-run)', async () => {
    const s = json(await target.admin.request(scalePath));
    const stale = String(Number(s.metadata.resourceVersion) - 1);
    for (const path of [`${scalePath}?dryRun=All`, scalePath]) {
      const r = await patch(target.admin, path, { metadata: { resourceVersion: stale }, spec: { replicas: app.replicas + 2 } });
      expect(r.status, r.text).toBe(409);
      expect(json(r)).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
      expect(json(r).message).toContain('the object has been modified; please apply your changes to the latest version and try again');
    }
    expect(json(await target.admin.request(scalePath)).spec.replicas).toBe(app.replicas);
  });

  it('a negative count is 422 Invalid from the validation, also in a dry-run', async () => {
    const r = await patch(target.admin, `${scalePath}?dryRun=All`, { spec: { replicas: -1 } });
    expect(r.status).toBe(422);
    expect(json(r)).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
  });

  it('reads a StatefulSet\'s Scale the same way', async () => {
    const list = json(await target.admin.request('/apis/apps/v1/statefulsets'));
    const sts = (list.items as Json[]).find((x) => !String(x.metadata.namespace).startsWith('kube-'));
    if (!sts) return; // a lab without StatefulSets: nothing to check
    const r = await target.admin.request(`/apis/apps/v1/namespaces/${sts.metadata.namespace}/statefulsets/${sts.metadata.name}/scale`);
    expect(r.status).toBe(200);
    expect(json(r)).toMatchObject({ kind: 'Scale', spec: { replicas: sts.spec.replicas } });
  });
});

describe('scale permissions', () => {
  it.skipIf(!restrictedConfigured)('the restricted user may read the Scale but not patch it (403, also for a dry-run), and SelfSubjectAccessReview says so', async () => {
    const restricted = target.restricted!;
    expect((await restricted.request(scalePath)).status).toBe(200);
    for (const path of [`${scalePath}?dryRun=All`, scalePath]) {
      const r = await patch(restricted, path, { spec: { replicas: app.replicas + 1 } });
      expect(r.status).toBe(403);
      expect(json(r)).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
      expect(json(r).message).toMatch(new RegExp(`deployments.apps "${app.name}" is forbidden: User "[^"]+" cannot patch resource "deployments/scale" in API group "apps" in the namespace "${app.namespace}"`));
    }
    const review = await restricted.request('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: app.namespace, verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', name: app.name } } },
    });
    expect(review.status).toBe(201);
    expect(json(review).status.allowed).toBe(false);
    const adminReview = await target.admin.request('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
      method: 'POST',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace: app.namespace, verb: 'patch', group: 'apps', resource: 'deployments', subresource: 'scale', name: app.name } } },
    });
    expect(json(adminReview).status.allowed).toBe(true);
    expect(json(await target.admin.request(scalePath)).spec.replicas).toBe(app.replicas);
  });
});
