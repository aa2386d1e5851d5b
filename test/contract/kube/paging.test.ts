// Paged lists: limit/continue walk a consistent snapshot; a continue token from a compacted revision is 410.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, TABLE_ACCEPT, type Json } from '../kubeHttp.js';
import { startKubeTarget, type KubeTarget } from '../target.js';

let target: KubeTarget;
beforeAll(async () => {
  target = await startKubeTarget();
});
afterAll(async () => {
  await target?.stop();
});

async function pageAll(path: string, limit: number, accept?: string): Promise<{ pages: Json[]; items: Json[] }> {
  const pages: Json[] = [];
  const items: Json[] = [];
  let cont = '';
  for (let i = 0; i < 10_000; i++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await target.admin.request(`${path}${sep}limit=${limit}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`, { accept });
    expect(r.status, r.text).toBe(200);
    const page = json(r);
    pages.push(page);
    items.push(...(page.items ?? page.rows));
    cont = page.metadata.continue ?? '';
    if (!cont) break;
  }
  return { pages, items };
}

describe('paged list (limit/continue)', () => {
  it('returns every pod exactly once, all pages at one resourceVersion, matching an exact read of that version', async () => {
    const { pages, items } = await pageAll('/api/v1/pods', 17);
    expect(pages.length).toBeGreaterThan(1);
    const uids = items.map((p) => p.metadata.uid);
    expect(new Set(uids).size).toBe(uids.length);
    const rv = pages[0].metadata.resourceVersion;
    expect(rv).toMatch(/^\d+$/);
    for (const p of pages) expect(p.metadata.resourceVersion).toBe(rv);
    for (const p of pages.slice(0, -1)) expect(p.items.length).toBeLessThanOrEqual(17);
    expect(pages[0].kind).toBe('PodList');
    expect(pages[0].items[0].kind).toBeUndefined();

    const exact = json(await target.admin.request(`/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`));
    expect(exact.metadata.resourceVersion).toBe(rv);
    expect(new Set(exact.items.map((p: Json) => p.metadata.uid))).toEqual(new Set(uids));
  });

  it('remainingItemCount counts what is left when no selector is used', async () => {
    const r = json(await target.admin.request('/api/v1/pods?limit=5'));
    expect(r.metadata.continue).toBeTruthy();
    const all = json(await target.admin.request(`/api/v1/pods?resourceVersion=${r.metadata.resourceVersion}&resourceVersionMatch=Exact`));
    expect(r.metadata.remainingItemCount).toBe(all.items.length - 5);
  });

  it('pages server-side Table rows the same way (every row once, with metadata)', async () => {
    const { pages, items } = await pageAll('/api/v1/pods', 50, TABLE_ACCEPT);
    expect(pages[0].kind).toBe('Table');
    expect(pages[0].columnDefinitions.length).toBeGreaterThan(0);
    const uids = items.map((row) => row.object.metadata.uid);
    expect(uids.length).toBeGreaterThan(0);
    expect(uids.every((u) => typeof u === 'string' && u.length > 0)).toBe(true);
    expect(new Set(uids).size).toBe(uids.length);
    const rv = pages[0].metadata.resourceVersion;
    for (const p of pages) expect(p.metadata.resourceVersion).toBe(rv);
  });

  it('pages a namespaced list with a label selector', async () => {
    const deployments = json(await target.admin.request('/apis/apps/v1/deployments?limit=1'));
    expect(deployments.items.length).toBe(1);
    const d = deployments.items[0];
    const selector = Object.entries(d.spec.selector.matchLabels as Record<string, string>)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    const path = `/api/v1/namespaces/${d.metadata.namespace}/pods?labelSelector=${encodeURIComponent(selector)}`;
    const { pages, items } = await pageAll(path, 2);
    const whole = json(await target.admin.request(`${path}&resourceVersion=${pages[0].metadata.resourceVersion}&resourceVersionMatch=Exact`));
    expect(items.length).toBe(whole.items.length);
    expect(items.length).toBeGreaterThan(0);
    for (const p of items) {
      expect(p.metadata.namespace).toBe(d.metadata.namespace);
      for (const [k, v] of Object.entries(d.spec.selector.matchLabels as Record<string, string>)) expect(p.metadata.labels[k]).toBe(v);
    }
  });

  it('answers a continue token from a compacted resourceVersion with 410 Expired and a token to go on', async () => {
    // Tokens are base64url JSON {"v":"meta.k8s.io/v1","rv":N,"start":"..."}; rv=1 is long compacted on any cluster
    // that has run for more than the 5 minute compaction interval (and is outside the demo's window).
    const first = json(await target.admin.request('/api/v1/pods?limit=3'));
    const token = JSON.parse(Buffer.from(first.metadata.continue, 'base64url').toString('utf8'));
    expect(token.v).toBe('meta.k8s.io/v1');
    const stale = Buffer.from(JSON.stringify({ ...token, rv: 1 })).toString('base64url');
    const r = await target.admin.request(`/api/v1/pods?limit=3&continue=${stale}`);
    expect(r.status).toBe(410);
    const status = json(r);
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410 });
    expect(status.message).toContain('continue parameter is too old');
    expect(status.metadata.continue).toBeTruthy();
    // A fresh list still works.
    const fresh = await target.admin.request('/api/v1/pods?limit=3');
    expect(fresh.status).toBe(200);
  });

  it('rejects resourceVersion together with continue (400)', async () => {
    const first = json(await target.admin.request('/api/v1/pods?limit=3'));
    const r = await target.admin.request(`/api/v1/pods?limit=3&resourceVersion=${first.metadata.resourceVersion}&continue=${first.metadata.continue}`);
    expect(r.status).toBe(400);
    expect(json(r).reason).toBe('BadRequest');
  });
});
