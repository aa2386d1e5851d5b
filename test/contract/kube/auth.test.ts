// Authentication (401) and authorization (403) answers warroom has to explain to its user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type Json } from '../kubeHttp.js';
import { externalTarget, restrictedConfigured, startKubeTarget, type KubeTarget } from '../target.js';

let target: KubeTarget;
beforeAll(async () => {
  target = await startKubeTarget();
});
afterAll(async () => {
  await target?.stop();
});

describe('authentication', () => {
  it('a request without credentials is 401 Unauthorized with a Status body', async () => {
    const r = await target.anonymous.request('/api/v1/namespaces');
    if (externalTarget && r.status === 403) {
      // A cluster with anonymous auth enabled lets system:anonymous in, and RBAC then forbids the list.
      expect(json(r)).toMatchObject({ kind: 'Status', reason: 'Forbidden', code: 403 });
      expect(json(r).message).toContain('system:anonymous');
      return;
    }
    expect(r.status).toBe(401);
    expect(json(r)).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Unauthorized', code: 401 });
  });
});

describe('authorization with the restricted context', () => {
  it.skipIf(!restrictedConfigured)('listing pods in the forbidden namespace is 403 Forbidden, in RBAC wording', async () => {
    if (!target.restricted) throw new Error('no restricted context');
    const ns = target.forbiddenNamespace;
    const r = await target.restricted.request(`/api/v1/namespaces/${ns}/pods`);
    expect(r.status).toBe(403);
    const s = json(r);
    expect(s).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Forbidden', code: 403, details: { kind: 'pods' } });
    expect(s.message).toMatch(new RegExp(`^pods is forbidden: User "[^"]+" cannot list resource "pods" in API group "" in the namespace "${ns}"`));
    const w = await target.restricted.request(`/api/v1/namespaces/${ns}/pods?watch=1`);
    expect(w.status).toBe(403);
    expect(json(w).message).toContain('cannot watch resource "pods"');
  });

  it.skipIf(!restrictedConfigured)('pods in other namespaces still list', async () => {
    if (!target.restricted) throw new Error('no restricted context');
    const namespaces = json(await target.restricted.request('/api/v1/namespaces')).items.map((n: Json) => n.metadata.name as string);
    const others = namespaces.filter((n: string) => n !== target.forbiddenNamespace);
    let allowed = 0;
    for (const ns of others) {
      const r = await target.restricted.request(`/api/v1/namespaces/${ns}/pods?limit=1`);
      expect([200, 403]).toContain(r.status);
      if (r.status === 200) allowed++;
    }
    expect(allowed).toBeGreaterThan(0);
  });

  it.skipIf(!restrictedConfigured)('SelfSubjectAccessReview tells the restricted user what it may do', async () => {
    if (!target.restricted) throw new Error('no restricted context');
    const review = async (namespace: string, verb: string) => {
      const r = await target.restricted!.request('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        method: 'POST',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: { namespace, verb, group: '', resource: 'pods' } } },
      });
      expect(r.status, r.text).toBe(201);
      const body = json(r);
      expect(body.kind).toBe('SelfSubjectAccessReview');
      return body.status.allowed as boolean;
    };
    expect(await review(target.forbiddenNamespace, 'list')).toBe(false);
    const namespaces = json(await target.restricted.request('/api/v1/namespaces')).items.map((n: Json) => n.metadata.name as string);
    const results = await Promise.all(namespaces.filter((n: string) => n !== target.forbiddenNamespace).map((n: string) => review(n, 'list')));
    expect(results).toContain(true);
  });

  it.skipIf(externalTarget)('demo: the restricted user may not exec or scale', async () => {
    if (!target.restricted) throw new Error('no restricted context');
    const pod = json(await target.admin.request('/api/v1/namespaces/trade/pods?limit=1')).items[0];
    const exec = await target.restricted.request(`/api/v1/namespaces/trade/pods/${pod.metadata.name}/exec?command=sh&stdin=true&tty=true`, { method: 'POST' });
    expect(exec.status).toBe(403);
    expect(json(exec).message).toContain('cannot create resource "pods/exec"');
    const d = json(await target.admin.request('/apis/apps/v1/namespaces/trade/deployments?limit=1')).items[0];
    const scale = await target.restricted.request(`/apis/apps/v1/namespaces/trade/deployments/${d.metadata.name}/scale`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { spec: { replicas: 1 } },
    });
    expect(scale.status).toBe(403);
    expect(json(scale).message).toBe(
      `deployments.apps "${d.metadata.name}" is forbidden: User "demo-restricted" cannot patch resource "deployments/scale" in API group "apps" in the namespace "trade"`,
    );
  });
});
