// The scale subresource as the console's scale action uses it: read, dry-run, conflict, patch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';

let platform: RunningPlatform;
let path: string;
let name: string;

async function call(method: string, url: string, body?: unknown, contentType = 'application/json') {
  const r = await fetch(platform.url + url, {
    method,
    headers: { Authorization: `Bearer ${platform.tokens.admin}`, 'Content-Type': contentType },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

beforeAll(async () => {
  platform = await startPlatform({ pods: 100, seed: 5, churn: false });
  const d = [...platform.cluster.deployments.store.values()].find((x) => x.replicas >= 2)!;
  name = d.meta.name;
  path = `/apis/apps/v1/namespaces/${d.meta.namespace}/deployments/${d.meta.name}/scale`;
});
afterAll(async () => {
  await platform?.close();
});

describe('deployments/scale', () => {
  it('reads an autoscaling/v1 Scale with the selector as a string', async () => {
    const r = await call('GET', path);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name }, spec: { replicas: expect.any(Number) } });
    expect(r.body.status.selector).toBe(`app.kubernetes.io/instance=${name},app.kubernetes.io/name=${name}`);
  });

  it('dryRun=All previews without changing anything', async () => {
    const before = (await call('GET', path)).body;
    const r = await call('PATCH', `${path}?dryRun=All`, { spec: { replicas: 0 } }, 'application/merge-patch+json');
    expect(r.status).toBe(200);
    expect(r.body.spec.replicas).toBe(0);
    expect((await call('GET', path)).body).toEqual(before);
  });

  it('a stale resourceVersion on replace is a 409 Conflict', async () => {
    const r = await call('PUT', path, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, resourceVersion: '1' }, spec: { replicas: 1 } });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(r.body.message).toContain('the object has been modified; please apply your changes to the latest version and try again');
  });

  it('a JSON patch changes spec.replicas of the Deployment', async () => {
    const r = await call('PATCH', path, [{ op: 'replace', path: '/spec/replicas', value: 1 }], 'application/json-patch+json');
    expect(r.status).toBe(200);
    expect(r.body.spec.replicas).toBe(1);
    const d = await call('GET', path.replace(/\/scale$/, ''));
    expect(d.body.spec.replicas).toBe(1);
  });

  it('rejects a negative replica count with 422 Invalid', async () => {
    const r = await call('PATCH', path, { spec: { replicas: -1 } }, 'application/merge-patch+json');
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ kind: 'Status', reason: 'Invalid', code: 422 });
  });
});
