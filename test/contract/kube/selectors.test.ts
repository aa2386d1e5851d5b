// labelSelector and fieldSelector filter lists the way the apiserver does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, type Json } from '../kubeHttp.js';
import { startKubeTarget, type KubeTarget } from '../target.js';

let target: KubeTarget;
let pods: Json[];
// Every list reads the same snapshot (resourceVersionMatch=Exact), so a cluster that changes meanwhile cannot flake it.
let at: string;
beforeAll(async () => {
  target = await startKubeTarget();
  const list = json(await target.admin.request('/api/v1/pods'));
  pods = list.items;
  at = `resourceVersion=${list.metadata.resourceVersion}&resourceVersionMatch=Exact`;
});
afterAll(async () => {
  await target?.stop();
});

async function names(path: string): Promise<string[]> {
  const r = await target.admin.request(`${path}${path.includes('?') ? '&' : '?'}${at}`);
  expect(r.status, r.text).toBe(200);
  return json(r).items.map((p: Json) => `${p.metadata.namespace}/${p.metadata.name}`);
}

const key = (p: Json) => `${p.metadata.namespace}/${p.metadata.name}`;
const sorted = (xs: string[]) => [...xs].sort();

describe('label selectors', () => {
  it('=, ==, !=, in, notin, exists and !key select what the apimachinery semantics say', async () => {
    const labelled = pods.find((p) => p.metadata.labels && Object.keys(p.metadata.labels).length > 0)!;
    const [k, v] = Object.entries(labelled.metadata.labels as Record<string, string>)[0];
    const has = (p: Json) => p.metadata.labels && Object.prototype.hasOwnProperty.call(p.metadata.labels, k);
    const eq = (p: Json) => has(p) && p.metadata.labels[k] === v;
    const q = (s: string) => `/api/v1/pods?labelSelector=${encodeURIComponent(s)}`;
    expect(sorted(await names(q(`${k}=${v}`)))).toEqual(sorted(pods.filter(eq).map(key)));
    expect(sorted(await names(q(`${k}==${v}`)))).toEqual(sorted(pods.filter(eq).map(key)));
    expect(sorted(await names(q(`${k}!=${v}`)))).toEqual(sorted(pods.filter((p) => !eq(p)).map(key)));
    expect(sorted(await names(q(`${k} in (${v},warroom-none)`)))).toEqual(sorted(pods.filter(eq).map(key)));
    expect(sorted(await names(q(`${k} notin (${v})`)))).toEqual(sorted(pods.filter((p) => !eq(p)).map(key)));
    expect(sorted(await names(q(k)))).toEqual(sorted(pods.filter(has).map(key)));
    expect(sorted(await names(q(`!${k}`)))).toEqual(sorted(pods.filter((p) => !has(p)).map(key)));
    expect(await names(q(`${k}=${v},warroom.io/never-set`))).toEqual([]);
  });

  it('a malformed selector is a 400 BadRequest', async () => {
    const r = await target.admin.request(`/api/v1/pods?labelSelector=${encodeURIComponent('app in (a')}`);
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });
});

describe('field selectors', () => {
  it('metadata.name, metadata.namespace, spec.nodeName and status.phase filter pods', async () => {
    const p = pods.find((x) => x.spec.nodeName)!;
    expect(await names(`/api/v1/pods?fieldSelector=metadata.name%3D${p.metadata.name}`)).toEqual([key(p)]);
    expect(sorted(await names(`/api/v1/pods?fieldSelector=metadata.namespace%3D${p.metadata.namespace}`))).toEqual(
      sorted(pods.filter((x) => x.metadata.namespace === p.metadata.namespace).map(key)),
    );
    expect(sorted(await names(`/api/v1/pods?fieldSelector=spec.nodeName%3D${p.spec.nodeName}`))).toEqual(sorted(pods.filter((x) => x.spec.nodeName === p.spec.nodeName).map(key)));
    const running = await names('/api/v1/pods?fieldSelector=status.phase%3DRunning');
    expect(sorted(running)).toEqual(sorted(pods.filter((x) => x.status.phase === 'Running').map(key)));
    const notRunning = await names(`/api/v1/pods?fieldSelector=${encodeURIComponent('status.phase!=Running')}`);
    expect(sorted(notRunning)).toEqual(sorted(pods.filter((x) => x.status.phase !== 'Running').map(key)));
  });

  it('events filter by involvedObject fields', async () => {
    const events = json(await target.admin.request('/api/v1/events?limit=50')).items;
    expect(events.length).toBeGreaterThan(0);
    const e = events[0];
    const io = e.involvedObject;
    const sel = `involvedObject.name=${io.name},involvedObject.namespace=${io.namespace},involvedObject.kind=${io.kind},involvedObject.uid=${io.uid}`;
    const r = json(await target.admin.request(`/api/v1/namespaces/${e.metadata.namespace}/events?fieldSelector=${encodeURIComponent(sel)}`));
    expect(r.items.length).toBeGreaterThan(0);
    for (const x of r.items) expect(x.involvedObject).toMatchObject({ name: io.name, namespace: io.namespace, kind: io.kind, uid: io.uid });
  });

  it('an unsupported field label is a 400 BadRequest', async () => {
    const r = await target.admin.request('/api/v1/pods?fieldSelector=spec.nonsense%3Dx');
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ kind: 'Status', reason: 'BadRequest', code: 400 });
  });
});
