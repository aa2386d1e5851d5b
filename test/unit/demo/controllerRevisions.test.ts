// The demo's ControllerRevisions: what the StatefulSet controller writes when a StatefulSet's template
// changes (a rollout restart: a new revision; a rollback: the old revision renumbered as the newest),
// watched as a real server's, and the rolling update from the highest ordinal down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';

let platform: RunningPlatform;

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(platform.url + url, {
    method,
    headers: { Authorization: `Bearer ${platform.tokens.admin}`, 'Content-Type': 'application/strategic-merge-patch+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: r.status, body: await r.json() };
}

/** The watch's events until `until` says enough (or 5 s pass). */
async function watch(url: string, until: (events: any[]) => boolean): Promise<any[]> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), 5000);
  const events: any[] = [];
  try {
    const res = await fetch(platform.url + url, { headers: { Authorization: `Bearer ${platform.tokens.admin}` }, signal: ac.signal });
    const decoder = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, nl)));
        buf = buf.slice(nl + 1);
      }
      if (until(events)) break;
    }
  } catch (err) {
    if (!ac.signal.aborted) throw err;
  } finally {
    clearTimeout(timer);
    ac.abort();
  }
  return events;
}

beforeAll(async () => {
  platform = await startPlatform({ pods: 300, seed: 7, churn: false });
});
afterAll(async () => {
  await platform?.close();
});

const revisionsOf = async (sts: any) =>
  (await call('GET', `/apis/apps/v1/namespaces/${sts.metadata.namespace}/controllerrevisions`)).body.items
    .filter((r: any) => r.metadata.ownerReferences[0].uid === sts.metadata.uid)
    .sort((a: any, b: any) => a.revision - b.revision);

describe('ControllerRevisions', () => {
  it('every seeded StatefulSet has its running revision, some two or three with older images', async () => {
    const all = (await call('GET', '/apis/apps/v1/statefulsets')).body.items;
    const counts: number[] = [];
    for (const sts of all) {
      const revs = await revisionsOf(sts);
      counts.push(revs.length);
      expect(revs.at(-1).metadata.name).toBe(sts.status.updateRevision);
      expect(revs.map((r: any) => r.revision)).toEqual(revs.map((_: any, i: number) => i + 1));
      expect(revs.at(-1).metadata.ownerReferences[0]).toMatchObject({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: sts.metadata.name, controller: true });
    }
    expect(Math.max(...counts)).toBeGreaterThanOrEqual(2);
  });

  it('a rollout restart adds a revision (watched as ADDED), rolled out from the highest ordinal; a rollback renumbers the old one (MODIFIED)', async () => {
    // One whose highest ordinal is not its oldest pod, so the order is the ordinal's, not the age's.
    const oldest = (s: any) => [...platform.cluster.pods.store.values()].filter((p) => p.meta.namespace === s.metadata.namespace && p.meta.name.startsWith(`${s.metadata.name}-`)).sort((a, b) => a.meta.created - b.meta.created)[0]?.meta.name;
    const sts = (await call('GET', '/apis/apps/v1/statefulsets')).body.items.find((s: any) => s.spec.replicas >= 3 && oldest(s) !== `${s.metadata.name}-${s.spec.replicas - 1}`);
    const ns = sts.metadata.namespace;
    const path = `/apis/apps/v1/namespaces/${ns}/statefulsets/${sts.metadata.name}`;
    const before = await revisionsOf(sts);
    const list = await call('GET', `/apis/apps/v1/namespaces/${ns}/controllerrevisions`);
    const added = watch(`/apis/apps/v1/namespaces/${ns}/controllerrevisions?watch=1&resourceVersion=${list.body.metadata.resourceVersion}`, (e) => e.some((x) => x.type === 'ADDED'));
    const r = await call('PATCH', path, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } });
    expect(r.status).toBe(200);
    const event = (await added).find((x) => x.type === 'ADDED');
    expect(event.object).toMatchObject({ kind: 'ControllerRevision', revision: before.at(-1).revision + 1 });
    const now = (await call('GET', path)).body;
    expect(now.status.updateRevision).toBe(event.object.metadata.name);
    // Until every pod runs the new revision, the old one is the current one.
    expect(now.status.currentRevision).toBe(before.at(-1).metadata.name);
    let first: string | undefined;
    for (let i = 0; i < 30 && !first; i++) {
      await new Promise((res) => setTimeout(res, 100));
      first = [...platform.cluster.pods.store.values()].find((p) => p.meta.namespace === ns && p.meta.name.startsWith(`${sts.metadata.name}-`) && p.meta.deletionTs !== undefined)?.meta.name;
    }
    expect(first).toBe(`${sts.metadata.name}-${sts.spec.replicas - 1}`);

    // Back to the template before: a template none of its revisions holds is refused; the dry-run changes nothing.
    const template = { ...before.at(-1).data.spec.template };
    const refused = await call('PATCH', path, { spec: { template: { ...template, spec: { ...template.spec, hostname: 'x' } } } });
    expect(refused.status).toBe(422);
    const dry = await call('PATCH', `${path}?dryRun=All`, { spec: { template } });
    expect(dry.status).toBe(200);
    expect(dry.body.spec.template.metadata.annotations?.['kubectl.kubernetes.io/restartedAt']).toBeUndefined();
    expect((await call('GET', path)).body.status.updateRevision).toBe(event.object.metadata.name);
    const rv = (await call('GET', `/apis/apps/v1/namespaces/${ns}/controllerrevisions`)).body.metadata.resourceVersion;
    const modified = watch(`/apis/apps/v1/namespaces/${ns}/controllerrevisions?watch=1&resourceVersion=${rv}`, (e) => e.some((x) => x.type === 'MODIFIED'));
    expect((await call('PATCH', path, { spec: { template } })).status).toBe(200);
    const renumbered = (await modified).find((x) => x.type === 'MODIFIED');
    expect(renumbered.object).toMatchObject({ metadata: { name: before.at(-1).metadata.name }, revision: before.at(-1).revision + 2 });
    expect((await call('GET', path)).body.status.updateRevision).toBe(before.at(-1).metadata.name);
    expect((await revisionsOf(sts)).length).toBe(before.length + 1);
  });

  it('keeps revisionHistoryLimit (10) revisions besides the running one: the oldest go', async () => {
    const sts = (await call('GET', '/apis/apps/v1/statefulsets')).body.items.at(-1);
    const path = `/apis/apps/v1/namespaces/${sts.metadata.namespace}/statefulsets/${sts.metadata.name}`;
    expect(sts.spec.revisionHistoryLimit).toBe(10);
    for (let i = 0; i < 12; i++) expect((await call('PATCH', path, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': `2026-12-06T09:${String(i).padStart(2, '0')}:00Z` } } } } })).status).toBe(200);
    const revs = await revisionsOf(sts);
    const now = (await call('GET', path)).body;
    // The 10 newest before it and the update revision; the one its old pods still run is kept too when it is older.
    expect(revs.at(-1).metadata.name).toBe(now.status.updateRevision);
    expect(revs.map((r: any) => r.metadata.name)).toContain(now.status.currentRevision);
    expect(revs.filter((r: any) => r.metadata.name !== now.status.currentRevision).length).toBe(11);
  });
});
