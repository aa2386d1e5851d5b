// What warroom's rollout history and rollback rely on from the Kubernetes API, as `kubectl rollout
// history|undo|pause|resume` do: a Deployment's revisions are the ReplicaSets it controls (annotation
// deployment.kubernetes.io/revision, template with pod-template-hash); a rollback is a JSON patch
// replacing spec.template (dryRun=All answers with it and changes nothing; applied, the Deployment
// gets the next revision number and the ReplicaSet of that template is reused); spec.paused pauses.
// Runs against the demo platform in `npm test` and the lab's real apiserver in `npm run test:e2e`.
// A target whose Deployments have one revision only (a freshly seeded lab) gets a second one by a
// rollout restart, which makes a new ReplicaSet on a real cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollbackRequest, REVISION_ANNOTATION, type Revision } from '../../../src/platform/actions/rolloutHistory.js';
import { json, type Json } from '../kubeHttp.js';
import { startKubeTarget, type KubeTarget } from '../target.js';

let target: KubeTarget;
let path: string;
let found: { namespace: string; name: string; revision: string };

const revisionOf = (o: Json): number => Number(o.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);
const images = (template: Json): string[] => (template.spec.containers as Json[]).map((c) => c.image);
const withoutHash = (template: Json): Json => {
  const labels = { ...template.metadata.labels };
  delete labels['pod-template-hash'];
  return { ...template, metadata: { ...template.metadata, labels } };
};

async function replicaSets(d: Json): Promise<Json[]> {
  const selector = Object.entries(d.spec.selector.matchLabels as Record<string, string>).map(([k, v]) => `${k}=${v}`).join(',');
  const list = json(await target.admin.request(`/apis/apps/v1/namespaces/${d.metadata.namespace}/replicasets?labelSelector=${encodeURIComponent(selector)}`));
  return (list.items as Json[]).filter((rs) => (rs.metadata.ownerReferences as Json[] | undefined)?.some((o) => o.uid === d.metadata.uid && o.controller));
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const deployment = async (): Promise<Json> => json(await target.admin.request(path));

/** A revision of the Deployment other than the current one, as warroom lists it. */
async function olderRevision(): Promise<{ d: Json; rs: Json; revision: Revision }> {
  const d = await deployment();
  const current = revisionOf(d);
  const rs = (await replicaSets(d)).filter((r) => revisionOf(r) !== current).sort((a, b) => revisionOf(b) - revisionOf(a))[0];
  if (!rs) throw new Error(`${path} has no revision before ${current}`);
  const template = withoutHash(rs.spec.template);
  return { d, rs, revision: { revision: revisionOf(rs), name: rs.metadata.name, created: 0, images: images(template), changeCause: '', current: false, template, annotations: rs.metadata.annotations ?? {} } };
}

beforeAll(async () => {
  target = await startKubeTarget();
  const list = json(await target.admin.request('/apis/apps/v1/deployments'));
  const eligible = (list.items as Json[]).filter((x) => !String(x.metadata.namespace).startsWith('kube-') && x.spec.replicas >= 1 && !x.spec.paused);
  // Not the first one: the scale suite, running beside this one, patches it with its resourceVersion,
  // and a rollout here would make those patches conflict (409) on a real API server.
  const candidates = eligible.length > 1 ? eligible.slice(1) : eligible;
  let chosen: Json | undefined;
  for (const d of candidates) if ((await replicaSets(d)).length >= 2) (chosen ??= d);
  if (!chosen) {
    chosen = candidates[0];
    if (!chosen) throw new Error('the target has no Deployment with replicas >= 1 outside kube-*');
    const p = `/apis/apps/v1/namespaces/${chosen.metadata.namespace}/deployments/${chosen.metadata.name}`;
    const r = await target.admin.request(p, { method: 'PATCH', contentType: 'application/strategic-merge-patch+json', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } } } } });
    expect(r.status, r.text).toBe(200);
    const d0 = chosen;
    await until('a second ReplicaSet after a rollout restart', async () => ((await replicaSets(d0)).length >= 2 ? true : undefined));
  }
  path = `/apis/apps/v1/namespaces/${chosen.metadata.namespace}/deployments/${chosen.metadata.name}`;
  const d = await deployment();
  found = { namespace: d.metadata.namespace, name: d.metadata.name, revision: String(revisionOf(d)) };
});

afterAll(async () => {
  // Leave the Deployment unpaused. It stays on the older template the rollback test chose (a new revision number).
  if (target && path) {
    const d = await deployment().catch(() => undefined);
    if (d?.spec.paused) await target.admin.request(path, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { paused: false } } });
  }
  await target?.stop();
});

describe('rollout history', () => {
  it('lists the revisions as the ReplicaSets the Deployment controls, each with its revision number and pod template', async () => {
    const d = await deployment();
    const sets = await replicaSets(d);
    expect(sets.length).toBeGreaterThanOrEqual(2);
    const numbers = sets.map(revisionOf);
    expect(numbers.every((n) => Number.isInteger(n) && n >= 1)).toBe(true);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(Math.max(...numbers)).toBe(revisionOf(d));
    for (const rs of sets) {
      expect(rs.spec.template.metadata.labels['pod-template-hash']).toBe(rs.metadata.labels['pod-template-hash']);
      expect(images(rs.spec.template).length).toBeGreaterThan(0);
    }
    // The current revision's template is the Deployment's, once pod-template-hash is set aside.
    const current = sets.find((rs) => revisionOf(rs) === revisionOf(d))!;
    expect(withoutHash(current.spec.template)).toEqual(d.spec.template);
  });
});

describe('rollback', () => {
  it('a JSON patch of spec.template with dryRun=All answers with the old template and changes nothing', async () => {
    const { d, revision } = await olderRevision();
    const { body, contentType } = rollbackRequest({ kind: 'Deployment', namespace: found.namespace, name: found.name }, d, revision);
    const r = await target.admin.request(`${path}?dryRun=All`, { method: 'PATCH', contentType, body });
    expect(r.status, r.text).toBe(200);
    expect(json(r).spec.template).toEqual(revision.template);
    const after = await deployment();
    expect(after.spec.template).toEqual(d.spec.template);
    expect(after.metadata.generation).toBe(d.metadata.generation);
    expect(revisionOf(after)).toBe(revisionOf(d));
  });

  it('applied, the Deployment runs the old template as the next revision, by the old ReplicaSet', async () => {
    const { d, rs, revision } = await olderRevision();
    const newest = Math.max(...(await replicaSets(d)).map(revisionOf));
    const { body, contentType } = rollbackRequest({ kind: 'Deployment', namespace: found.namespace, name: found.name }, d, revision);
    const r = await target.admin.request(path, { method: 'PATCH', contentType, body });
    expect(r.status, r.text).toBe(200);
    expect(images(json(r).spec.template)).toEqual(revision.images);
    // The controller gives the reused ReplicaSet (and the Deployment) the next number and scales it up.
    const reused = await until('the old ReplicaSet renumbered and scaled up', async () => {
      const now = (await replicaSets(await deployment())).find((x) => x.metadata.uid === rs.metadata.uid);
      return now && revisionOf(now) === newest + 1 && now.spec.replicas === d.spec.replicas ? now : undefined;
    });
    expect(revisionOf(reused)).toBe(newest + 1);
    const after = await until('the Deployment at the new revision', async () => {
      const x = await deployment();
      return revisionOf(x) === newest + 1 ? x : undefined;
    });
    expect(after.spec.template).toEqual(revision.template);
  });

  it('replacing spec.template with the template it runs already changes nothing, not even the generation', async () => {
    const d = await deployment();
    const r = await target.admin.request(path, { method: 'PATCH', contentType: 'application/json-patch+json', body: [{ op: 'replace', path: '/spec/template', value: d.spec.template }] });
    expect(r.status, r.text).toBe(200);
    expect(json(r).metadata.generation).toBe(d.metadata.generation);
    expect(revisionOf(await deployment())).toBe(revisionOf(d));
  });
});

describe('pause and resume', () => {
  it('spec.paused by a merge patch, and back', async () => {
    for (const paused of [true, false]) {
      const r = await target.admin.request(path, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { paused } } });
      expect(r.status, r.text).toBe(200);
      expect(Boolean(json(r).spec.paused)).toBe(paused);
    }
  });
});
