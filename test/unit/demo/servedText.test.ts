// What the demo API server answers for lists, GETs and watches is byte for byte JSON.stringify of the
// objects it describes (a Table of rows with PartialObjectMetadata, a partial list, the full objects), though
// it writes rows as text from the records and keeps the text of shared labels and owner lists: on the first
// request (nothing written yet), on the next (texts kept), and after a pod's labels change (the pod's new
// labels, its siblings' unchanged).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metadataJson, type Json } from '../../../src/demo/objectJson.js';
import { startPlatform, type RunningPlatform } from '../../../src/demo/platform.js';
import { apiVersionOf, type ResourceKind } from '../../../src/demo/resourceKinds.js';
import type { Served } from '../../../src/demo/cluster.js';
import type { StoredObject } from '../../../src/demo/store.js';
import { COLUMNS, PRINTERS } from '../../../src/demo/tablePrinters.js';

type Include = 'None' | 'Metadata' | 'Object';
type Rep = { as: 'table'; gv: string; include: Include } | { as: 'partial'; gv: string } | { as: 'json' };

const NOW = Date.UTC(2026, 5, 1, 12, 0, 0, 250);
let platform: RunningPlatform;

beforeAll(async () => {
  // Ages in cells depend on the time of the request: one fixed time for the server and the references.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(NOW);
  platform = await startPlatform({ pods: 300, seed: 5, churn: false });
});
afterAll(async () => {
  await platform?.close();
  vi.useRealTimers();
});

// ---------------------------------------------------------------- references: the described objects, stringified

function rowObject<T extends StoredObject>(kind: ResourceKind<T>, obj: T, include: Include, gv: string): Json {
  const full = kind.toJson(obj);
  const printed = PRINTERS[kind.resource](full, NOW);
  const row: Json = { cells: printed.cells };
  if (printed.conditions) row.conditions = printed.conditions;
  if (include === 'Metadata') row.object = { kind: 'PartialObjectMetadata', apiVersion: gv, metadata: metadataJson(obj.meta) };
  else if (include === 'Object') row.object = { kind: kind.kind, apiVersion: apiVersionOf(kind), ...full };
  else row.object = null;
  return row;
}

function itemObject<T extends StoredObject>(kind: ResourceKind<T>, obj: T, rep: Rep): Json {
  if (rep.as === 'table') return rowObject(kind, obj, rep.include, rep.gv);
  if (rep.as === 'partial') return { kind: 'PartialObjectMetadata', apiVersion: rep.gv, metadata: metadataJson(obj.meta) };
  return kind.toJson(obj);
}

function listReference<T extends StoredObject>(kind: ResourceKind<T>, objs: T[], rep: Rep, meta: Json): string {
  if (rep.as === 'table') return JSON.stringify({ kind: 'Table', apiVersion: rep.gv, metadata: meta, columnDefinitions: COLUMNS[kind.resource], rows: objs.map((o) => itemObject(kind, o, rep)) });
  if (rep.as === 'partial') return JSON.stringify({ kind: 'PartialObjectMetadataList', apiVersion: rep.gv, metadata: meta, items: objs.map((o) => itemObject(kind, o, rep)) });
  return JSON.stringify({ kind: kind.listKind, apiVersion: apiVersionOf(kind), metadata: meta, items: objs.map((o) => itemObject(kind, o, rep)) });
}

function objectReference<T extends StoredObject>(kind: ResourceKind<T>, obj: T, rep: Rep, withHeaders = true): string {
  if (rep.as === 'table') {
    return JSON.stringify({ kind: 'Table', apiVersion: rep.gv, metadata: { resourceVersion: String(obj.meta.rv) }, columnDefinitions: withHeaders ? COLUMNS[kind.resource] : null, rows: [itemObject(kind, obj, rep)] });
  }
  if (rep.as === 'partial') return JSON.stringify(itemObject(kind, obj, rep));
  return JSON.stringify({ kind: kind.kind, apiVersion: apiVersionOf(kind), ...kind.toJson(obj) });
}

// ---------------------------------------------------------------- requests

function accept(rep: Rep, list: boolean): string {
  if (rep.as === 'table') return `application/json;as=Table;v=${rep.gv.split('/')[1]};g=meta.k8s.io`;
  if (rep.as === 'partial') return `application/json;as=${list ? 'PartialObjectMetadataList' : 'PartialObjectMetadata'};v=${rep.gv.split('/')[1]};g=meta.k8s.io`;
  return 'application/json';
}

function query(rep: Rep): string {
  return rep.as === 'table' ? `includeObject=${rep.include}` : '';
}

async function get(path: string, acceptHeader: string): Promise<string> {
  const r = await fetch(platform.url + path, { headers: { Authorization: `Bearer ${platform.tokens.admin}`, Accept: acceptHeader } });
  const text = await r.text();
  expect(r.status, text).toBe(200);
  return text;
}

async function patchLabels(path: string, labels: Record<string, string>): Promise<void> {
  const r = await fetch(platform.url + path, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${platform.tokens.admin}`, 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ metadata: { labels } }),
  });
  expect(r.status, await r.text()).toBe(200);
}

/** Opens a watch and collects its lines (each event's exact text). */
function watch(path: string, acceptHeader: string): { lines: string[]; waitFor(n: number): Promise<string[]>; close(): void } {
  const url = new URL(platform.url + path);
  const lines: string[] = [];
  let buffer = '';
  const req = request(url, { headers: { Authorization: `Bearer ${platform.tokens.admin}`, Accept: acceptHeader } }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
        lines.push(buffer.slice(0, i + 1));
        buffer = buffer.slice(i + 1);
      }
    });
  });
  req.on('error', () => {});
  req.end();
  return {
    lines,
    async waitFor(n) {
      for (let waited = 0; lines.length < n; waited += 20) {
        if (waited > 10_000) throw new Error(`watch ${path}: ${lines.length} of ${n} events`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return lines.slice(0, n);
    },
    close: () => req.destroy(),
  };
}

// ---------------------------------------------------------------- the cases

const TABLE: Rep = { as: 'table', gv: 'meta.k8s.io/v1', include: 'Metadata' };
const LISTS: [string, string, Rep][] = [
  ['pods as a Table with PartialObjectMetadata', '/api/v1/pods', TABLE],
  ['pods as a v1beta1 Table without objects', '/api/v1/pods', { as: 'table', gv: 'meta.k8s.io/v1beta1', include: 'None' }],
  ['one system\'s pods as a Table with whole objects', '/api/v1/namespaces/cart/pods', { as: 'table', gv: 'meta.k8s.io/v1', include: 'Object' }],
  ['pods as a PartialObjectMetadataList', '/api/v1/pods', { as: 'partial', gv: 'meta.k8s.io/v1' }],
  ['pods as a PodList', '/api/v1/namespaces/cart/pods', { as: 'json' }],
  ['deployments as a Table with PartialObjectMetadata', '/apis/apps/v1/deployments', TABLE],
  ['nodes as a Table with whole objects', '/api/v1/nodes', { as: 'table', gv: 'meta.k8s.io/v1', include: 'Object' }],
  ['ReplicaSets as a PartialObjectMetadataList', '/apis/apps/v1/replicasets', { as: 'partial', gv: 'meta.k8s.io/v1' }],
];

function servedFor(path: string) {
  const resource = path.split('/').pop()!;
  return platform.cluster.all().find((s) => s.kind.resource === resource)!;
}

/** The objects a list of `path` gives, in its order (key order). */
function objectsAt<T extends StoredObject>(path: string, served = servedFor(path) as unknown as Served<T>): T[] {
  const ns = /\/namespaces\/([^/]+)\//.exec(path)?.[1];
  return [...served.store.scan(ns ? `${ns}/` : '', '')].map(([, o]) => o);
}

/** The list's metadata as the server wrote it (resourceVersion, continue, remainingItemCount), in its order. */
function listMeta(text: string): Json {
  return (JSON.parse(text) as { metadata: Json }).metadata;
}

async function pages(path: string, rep: Rep, limit: number): Promise<{ text: string; from: number; to: number }[]> {
  const out: { text: string; from: number; to: number }[] = [];
  let cont = '';
  let from = 0;
  do {
    const q = [query(rep), `limit=${limit}`, cont ? `continue=${encodeURIComponent(cont)}` : ''].filter(Boolean).join('&');
    const text = await get(`${path}?${q}`, accept(rep, true));
    const meta = listMeta(text);
    const count = rep.as === 'table' ? (JSON.parse(text) as { rows: unknown[] }).rows.length : (JSON.parse(text) as { items: unknown[] }).items.length;
    out.push({ text, from, to: from + count });
    from += count;
    cont = typeof meta.continue === 'string' ? meta.continue : '';
  } while (cont);
  return out;
}

describe('the demo API server\'s answers are the described objects, stringified', () => {
  for (const [what, path, rep] of LISTS) {
    it(`${what}: whole and paged, on the first request and the next`, async () => {
      const objs = objectsAt(path);
      const cold = await get(`${path}?${query(rep)}`, accept(rep, true));
      expect(cold).toBe(listReference(servedFor(path).kind, objs, rep, listMeta(cold)));
      const warm = await get(`${path}?${query(rep)}`, accept(rep, true));
      expect(warm).toBe(cold);
      expect(objs.length).toBeGreaterThan(2);
      const paged = await pages(path, rep, Math.ceil(objs.length / 3));
      expect(paged).toHaveLength(3);
      expect(paged.at(-1)!.to).toBe(objs.length);
      for (const p of paged) expect(p.text).toBe(listReference(servedFor(path).kind, objs.slice(p.from, p.to), rep, listMeta(p.text)));
    });
  }

  it('a list of several 256 KB chunks (every pod as a PodList, over 768 KB) is the same bytes', async () => {
    const rep: Rep = { as: 'json' };
    const body = await get('/api/v1/pods', accept(rep, true));
    expect(Buffer.byteLength(body)).toBeGreaterThan(3 * 256 * 1024);
    expect(body).toBe(listReference(platform.cluster.pods.kind, objectsAt('/api/v1/pods', platform.cluster.pods), rep, listMeta(body)));
  });

  it('a GET of a pod as a Table, a PartialObjectMetadata and a Pod, twice', async () => {
    const pods = platform.cluster.pods;
    const pod = [...pods.store.values()].find((p) => p.meta.namespace === 'search' && p.stage === 'Running')!;
    const path = `/api/v1/namespaces/search/pods/${pod.meta.name}`;
    for (const rep of [TABLE, { as: 'partial', gv: 'meta.k8s.io/v1' }, { as: 'json' }] as Rep[]) {
      const q = query(rep);
      const first = await get(q ? `${path}?${q}` : path, accept(rep, false));
      expect(first).toBe(objectReference(pods.kind, pod, rep));
      expect(await get(q ? `${path}?${q}` : path, accept(rep, false))).toBe(first);
    }
  });

  it('a watch\'s initial events (every pod, several 64 KB writes) are the objects\' texts, the first with the column definitions', async () => {
    const pods = platform.cluster.pods;
    const objs = objectsAt('/api/v1/pods', pods);
    const w = watch('/api/v1/pods?watch=true&includeObject=Metadata', accept(TABLE, true));
    try {
      const lines = await w.waitFor(objs.length);
      expect(lines.join('').length).toBeGreaterThan(3 * 65536);
      lines.forEach((line, i) => expect(line).toBe(`{"type":"ADDED","object":${objectReference(pods.kind, objs[i], TABLE, i === 0)}}\n`));
    } finally {
      w.close();
    }
  });

  it('after a pod\'s labels change: its MODIFIED event, GET and list row carry the new labels, its siblings the old', async () => {
    const pods = platform.cluster.pods;
    const pod = [...pods.store.values()].find((p) => p.meta.namespace === 'cart' && p.meta.owners?.length)!;
    const sibling = [...pods.store.values()].find((p) => p !== pod && p.meta.labels === pod.meta.labels)!;
    expect(sibling, 'a pod sharing the labels map').toBeDefined();
    const path = `/api/v1/namespaces/cart/pods/${pod.meta.name}`;
    const before = await get(`${path}?includeObject=Metadata`, accept(TABLE, false));
    expect(before).toBe(objectReference(pods.kind, pod, TABLE));

    const rv = listMeta(await get('/api/v1/namespaces/cart/pods?limit=1', accept(TABLE, true))).resourceVersion;
    const w = watch(`/api/v1/namespaces/cart/pods?watch=true&includeObject=Metadata&resourceVersion=${rv}`, accept(TABLE, true));
    try {
      await new Promise((r) => setTimeout(r, 100));
      await patchLabels(path, { 'warroom.example/canary': 'yes' });
      const changed = pods.store.get(`cart/${pod.meta.name}`)!;
      expect(changed.meta.rv).toBeGreaterThan(pod.meta.rv);
      const [event] = await w.waitFor(1);
      expect(event).toBe(`{"type":"MODIFIED","object":${objectReference(pods.kind, changed, TABLE)}}\n`);
      expect(event).toContain('"warroom.example/canary":"yes"');
    } finally {
      w.close();
    }
    const after = await get(`${path}?includeObject=Metadata`, accept(TABLE, false));
    expect(after).toBe(objectReference(pods.kind, pods.store.get(`cart/${pod.meta.name}`)!, TABLE));
    expect(after).not.toBe(before);
    const list = await get('/api/v1/namespaces/cart/pods?includeObject=Metadata', accept(TABLE, true));
    expect(list).toBe(listReference(pods.kind, objectsAt('/api/v1/namespaces/cart/pods', pods), TABLE, listMeta(list)));
    const siblingRow = JSON.stringify(rowObject(pods.kind, pods.store.get(`${sibling.meta.namespace}/${sibling.meta.name}`)!, 'Metadata', 'meta.k8s.io/v1'));
    expect(list).toContain(siblingRow);
    expect(siblingRow).not.toContain('canary');
  });
});
