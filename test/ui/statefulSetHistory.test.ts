import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { demoApi } from './demoApi.js';
import { demoPerFile, keys, selectApp } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// The demo serves ControllerRevisions for its StatefulSets, as a real API server does: `H` on a
// StatefulSet lists them with a diff, `R` rolls one back (dry-run diff, applied, renumbered as the
// newest revision, which `T` then lists), `T` on its system shows a StatefulSet's rollout instead
// of leaving them out.

const fixture = demoPerFile();
process.env.WARROOM_AUDIT_FILE = join(scratchDir('warroom-sts-history-'), 'audit.jsonl');

const request = demoApi(() => fixture.demo);

/** A request as the demo's admin that must answer 200; its JSON. */
async function api(path: string, init: { method?: string; body?: unknown; contentType?: string; accept?: string } = {}): Promise<any> {
  const r = await request(init.method ?? 'GET', path, init.body, { ...(init.contentType ? { 'Content-Type': init.contentType } : {}), ...(init.accept ? { Accept: init.accept } : {}) });
  expect(r.status).toBe(200);
  return r.json;
}

/** A seeded StatefulSet with at least `n` revisions, and its revisions (controlled by it), oldest first. */
async function statefulSetWith(n: number, not = ''): Promise<{ sts: any; revisions: any[] }> {
  const all = await api('/apis/apps/v1/statefulsets');
  const crs = await api('/apis/apps/v1/controllerrevisions');
  for (const sts of all.items) {
    const revisions = crs.items.filter((r: any) => r.metadata.namespace === sts.metadata.namespace && r.metadata.ownerReferences?.[0]?.uid === sts.metadata.uid).sort((a: any, b: any) => a.revision - b.revision);
    if (revisions.length >= n && sts.metadata.name !== not) return { sts, revisions };
  }
  throw new Error(`no StatefulSet with ${n} revisions`);
}

const image = (t: any): string => t.spec.containers[0].image;

describe('StatefulSet history on the demo', () => {
  it('serves ControllerRevisions: owned, labelled, named by currentRevision, as Table rows with the columns kubectl prints', async () => {
    const { sts, revisions } = await statefulSetWith(2);
    const newest = revisions.at(-1);
    expect(sts.status.updateRevision).toBe(newest.metadata.name);
    expect(newest.metadata.name).toBe(`${sts.metadata.name}-${newest.metadata.labels['controller-revision-hash']}`);
    expect(newest.data.spec.template.$patch).toBe('replace');
    expect(image(newest.data.spec.template)).toBe(image(sts.spec.template));
    expect(image(revisions[0].data.spec.template)).not.toBe(image(sts.spec.template));
    const ns = sts.metadata.namespace;
    const pods = await api(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(`controller-revision-hash=${newest.metadata.name}`)}`);
    expect(pods.items.length).toBe(sts.spec.replicas);
    const table = await api(`/apis/apps/v1/namespaces/${ns}/controllerrevisions`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    expect(table.columnDefinitions.map((c: any) => c.name)).toEqual(['Name', 'Controller', 'Revision', 'Age']);
    const row = table.rows.find((r: any) => r.cells[0] === newest.metadata.name);
    expect(row.cells.slice(1, 3)).toEqual([`statefulset.apps/${sts.metadata.name}`, newest.revision]);
    const one = await api(`/apis/apps/v1/namespaces/${ns}/controllerrevisions/${newest.metadata.name}`);
    expect(one.kind).toBe('ControllerRevision');
  });

  it('H lists the revisions with a diff; R previews the rollback as the dry-run diff, Enter applies it, the old revision is the newest and T lists the rollback', async () => {
    const { sts, revisions } = await statefulSetWith(2);
    const ns = sts.metadata.namespace;
    const name = sts.metadata.name;
    const newest = revisions.at(-1);
    const previous = revisions.at(-2);
    const c = await fixture.open({ cols: 80, rows: 24 });
    await selectApp(c, ns, name);
    c.press('H');
    await c.waitFor(`Applications › ${name} › History`);
    await c.waitFor(new RegExp(`●\\s+${newest.revision}\\s`));
    c.press('j');
    await c.waitFor(`revision ${previous.revision}: ControllerRevision ${previous.metadata.name}`);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`revision ${previous.revision} -> revision ${newest.revision} \\(running\\)`));
    expect(c.lines().some((l) => /^\s*\+ /.test(l) && l.includes(image(sts.spec.template)))).toBe(true);
    expect(c.lines().some((l) => /^\s*- /.test(l) && l.includes(image(previous.data.spec.template)))).toBe(true);
    c.press(keys.esc);
    await c.waitFor(new RegExp(`●\\s+${newest.revision}\\s`));
    c.press('R');
    await c.waitFor(`Roll back StatefulSet ${ns}/${name}`, 30_000);
    await c.waitFor('Enter rolls back', 30_000);
    expect(c.lines().some((l) => /^\s*\+ /.test(l) && l.includes(image(previous.data.spec.template)))).toBe(true);
    // A preview changes nothing.
    expect(image((await api(`/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`)).spec.template)).toBe(image(sts.spec.template));
    c.press(keys.enter);
    // The pods are replaced one at a time: the update revision is the current one only at the end.
    await c.waitFor(new RegExp(`pods? to be ready|rolling update: \\d+ pods at revision ${previous.metadata.name}`), 30_000);
    await c.waitFor(`statefulset rolling update complete: ${sts.spec.replicas} pods at revision ${previous.metadata.name}`, 90_000);
    const after = await api(`/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`);
    expect(image(after.spec.template)).toBe(image(previous.data.spec.template));
    expect(after.status.currentRevision).toBe(previous.metadata.name);
    const renumbered = await api(`/apis/apps/v1/namespaces/${ns}/controllerrevisions/${previous.metadata.name}`);
    expect(renumbered.revision).toBe(newest.revision + 1);
    c.press(keys.esc);
    await c.waitFor(new RegExp(`●\\s+${newest.revision + 1}\\s`));
    // T: the rollback is the StatefulSet's newest rollout, by this console.
    c.press(keys.esc);
    await c.waitFor('Applications');
    c.press('T');
    await c.waitFor('Timeline');
    await c.waitFor(new RegExp(`${name} revision ${newest.revision + 1} \\(from ${newest.revision}\\) by warroom \\(`), 30_000);
    c.close();
  }, 150_000);

  it('T on the system of a StatefulSet just restarted: its rollout is listed, StatefulSets are not left out', async () => {
    // Another one than the rollback's above.
    const { sts, revisions } = await statefulSetWith(1, (await statefulSetWith(2)).sts.metadata.name);
    const ns = sts.metadata.namespace;
    const name = sts.metadata.name;
    const newest = revisions.at(-1);
    // `kubectl rollout restart`: a new template, so a new ControllerRevision.
    await api(`/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`, { method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } } });
    const c = await fixture.open({ cols: 80, rows: 24 });
    await c.waitFor('● live', 30_000);
    await c.type(`:systems`);
    c.press(keys.enter);
    await c.type(`/${ns}`);
    c.press(keys.enter);
    await c.waitFor((s) => s.includes('(1 of ') && s.includes(`filter: ${ns}`));
    c.press('T');
    await c.waitFor('Timeline');
    await c.waitFor(new RegExp(`${name} revision ${newest.revision + 1} \\(from ${newest.revision}\\)`), 30_000);
    expect(c.screen()).not.toContain('StatefulSets left out');
    c.close();
  }, 120_000);
});
