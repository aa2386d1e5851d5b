import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeListsOffThread, inThreadDecoder, listDecoder, type WorkerSource } from '../../../src/platform/kube/listDecoder.js';
// @ts-expect-error: a build script in JavaScript, without types
import { bundleListDecoderForSea } from '../../../scripts/sea/bundle.mjs';
import { NotJsonError, NotTableError } from '../../../src/platform/kube/listPages.js';
import { readPodList } from '../../../src/platform/kube/podProto.js';
import { mapPodRow } from '../../../src/platform/kube/rowMappers.js';
import { ProtobufError } from '../../../src/platform/kube/protobuf.js';
import { listPagesRead } from '../../../src/self/selfMetrics.js';
import { POD_COLUMNS, podRow, table } from './tableFixtures.js';
import { protoPodList } from './protoPods.js';

// The list decoder's worker, built here from the sources: as dist/list-decoder.mjs (a file, the console
// under node) and as the single executable's CommonJS asset (code run with `eval`).
const root = join(import.meta.dirname, '../../..');
let dir: string;
const sources: Record<'file' | 'code', WorkerSource> = {} as never;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'warroom-list-decoder-'));
  const file = join(dir, 'list-decoder.mjs');
  await build({ entryPoints: [join(root, 'src/platform/kube/listDecoderWorker.ts')], bundle: true, platform: 'node', format: 'esm', outfile: file, logLevel: 'error' });
  sources.file = { file };
  const cjs = join(dir, 'list-decoder.cjs');
  await bundleListDecoderForSea(root, cjs);
  sources.code = { code: readFileSync(cjs, 'utf8') };
}, 60_000);
afterEach(() => decodeListsOffThread(undefined));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const rows = [
  podRow('cart-api-7d9f-abcde', { namespace: 'cart', uid: 'u-1', node: 'node-a', labels: { 'pod-template-hash': '7d9f' }, owner: { kind: 'ReplicaSet', name: 'cart-api-7d9f' } }),
  podRow('cart-api-7d9f-fghij', { namespace: 'cart', uid: 'u-2', node: 'node-b', status: 'CrashLoopBackOff', ready: '0/1', restarts: '12 (3m ago)', labels: { 'pod-template-hash': '7d9f' }, owner: { kind: 'ReplicaSet', name: 'cart-api-7d9f' } }),
  podRow('db-0', { namespace: 'cart', uid: 'u-3', owner: { kind: 'StatefulSet', name: 'db' }, deletionTimestamp: '2026-12-06T10:00:00Z' }),
];
const here = inThreadDecoder(mapPodRow, false, readPodList);
/** Pages read so far on each thread (the console's own metric). */
async function pagesRead(): Promise<{ worker: number; console: number }> {
  const values = (await listPagesRead.get()).values;
  const of = (thread: string) => values.find((v) => v.labels.thread === thread)?.value ?? 0;
  return { worker: of('worker'), console: of('console') };
}

describe.each(['file', 'code'] as const)('list pages read in the worker (%s)', (kind) => {
  it('a Table page gives the same rows, list metadata and columns as on the console thread', async () => {
    decodeListsOffThread(sources[kind]);
    const before = await pagesRead();
    const body = json(table(POD_COLUMNS, rows, { resourceVersion: '4711', continue: 'next', remainingItemCount: 97 }));
    const page = await listDecoder('pods').table(body, undefined);
    expect(await pagesRead()).toEqual({ worker: before.worker + 1, console: before.console });
    expect(page).toEqual(await here.table(body, undefined));
    expect(page.rows.map((r) => `${r.name} ${r.ready}/${r.total} ${r.status} ${r.restarts} ${r.appKey}`)).toEqual([
      'cart-api-7d9f-abcde 1/1 Running 0 Deployment/cart-api',
      'cart-api-7d9f-fghij 0/1 CrashLoopBackOff 12 Deployment/cart-api',
      'db-0 1/1 Terminating 0 StatefulSet/db',
    ]);
    expect(page).toMatchObject({ items: 3, resourceVersion: '4711', continue: 'next', remaining: 97 });
    expect(page.columns?.map((c) => c.name)).toContain('Node');
  });

  it('a page without column definitions is read by the columns of the page before', async () => {
    decodeListsOffThread(sources[kind]);
    const page = await listDecoder('pods').table(json(table(null, rows)), POD_COLUMNS);
    expect(page.rows.map((r) => r.node)).toEqual(['node-a', 'node-b', 'node-a']);
    expect(page.columns).toBeUndefined();
  });

  it('a protobuf PodList gives the rows the console thread reads', async () => {
    decodeListsOffThread(sources[kind]);
    const body = protoPodList([{ name: 'web-1', namespace: 'shop', uid: 'u-9', nodeName: 'node-3', containers: 1, statuses: [{ name: 'c', ready: true, running: true, restartCount: 4 }] }], { rv: '12', continue: 'more', remaining: 3 });
    const page = await listDecoder('pods').protobuf(body);
    expect(page).toEqual(await here.protobuf(body));
    expect(page).toMatchObject({ items: 1, resourceVersion: '12', continue: 'more', remaining: 3 });
    expect(page.rows[0]).toMatchObject({ name: 'web-1', namespace: 'shop', ready: 1, total: 1, restarts: 4, node: 'node-3' });
  });

  it('what is not a Table, not JSON or not a PodList fails as it does on the console thread', async () => {
    decodeListsOffThread(sources[kind]);
    const pods = listDecoder('pods');
    await expect(pods.table(json({ kind: 'PodList', items: [] }), undefined)).rejects.toMatchObject({ name: 'NotTableError', kind: 'PodList' });
    await expect(pods.table(json({ kind: 'PodList', items: [] }), undefined)).rejects.toBeInstanceOf(NotTableError);
    await expect(pods.table(Buffer.from('<html>proxy error</html>'), undefined)).rejects.toBeInstanceOf(NotJsonError);
    await expect(pods.protobuf(json({ kind: 'Table' }))).rejects.toBeInstanceOf(ProtobufError);
  });

  it('a worker that cannot run fails the page it held once (the list asks again), then the console thread reads every page', async () => {
    const broken = join(dir, 'broken.mjs');
    writeFileSync(broken, 'process.exit(3);\n');
    decodeListsOffThread(kind === 'file' ? { file: broken } : { code: 'process.exit(3);' });
    const before = await pagesRead();
    const body = () => json(table(POD_COLUMNS, rows, { resourceVersion: '5' }));
    await expect(listDecoder('pods').table(body(), undefined)).rejects.toThrow(/list decoder's worker exited \(code 3\); the page is asked for again/);
    const again = await listDecoder('pods').table(body(), undefined);
    const next = await listDecoder('pods').table(body(), undefined);
    expect(again.rows.map((r) => r.uid)).toEqual(['u-1', 'u-2', 'u-3']);
    expect(next).toEqual(again);
    expect(await pagesRead()).toEqual({ worker: before.worker, console: before.console + 2 });
  });
});
