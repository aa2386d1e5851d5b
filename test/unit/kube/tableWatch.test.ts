import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKubeSession, type KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { podWatch } from '../../../src/platform/kube/rowMappers.js';
import type { PodRow } from '../../../src/platform/kube/rows.js';
import { backoffDelay, watchTable, type WatchClock, type WatchTableOptions } from '../../../src/platform/kube/tableWatch.js';
import type { ListProgress, RowSink, WatchHandle, WatchStatus } from '../../../src/platform/kube/watchTypes.js';
import { sendJson, startFakeApiServer, startWatchStream, status, tempDir, until, writeKubeconfig, type FakeApiServer, type SeenRequest } from './fakeApiServer.js';
import { POD_COLUMNS, podRow, table, type TableRowInput } from './tableFixtures.js';
import { protoPodList } from './protoPods.js';
import { podListWatch } from '../../../src/platform/kube/podProto.js';

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

/** Keeps rows the way the console's store does, generation semantics included. */
class StoreSink implements RowSink<PodRow> {
  rows = new Map<string, { row: PodRow; gen: number }>();
  gen = 0;
  statuses: WatchStatus[] = [];
  pages: Array<{ names: string[]; generation: number; done: boolean }> = [];
  progress: Array<ListProgress | undefined> = [];
  upserts = 0;
  removes: string[] = [];

  listPage(rows: PodRow[], generation: number, done: boolean, progress?: ListProgress): void {
    this.gen = generation;
    this.progress.push(progress);
    this.pages.push({ names: rows.map((r) => r.name), generation, done });
    for (const row of rows) this.rows.set(row.uid, { row, gen: generation });
    if (done) for (const [uid, v] of this.rows) if (v.gen < generation) this.rows.delete(uid);
  }
  upsert(row: PodRow): void {
    this.upserts += 1;
    this.rows.set(row.uid, { row, gen: this.gen });
  }
  remove(uid: string): void {
    this.removes.push(uid);
    this.rows.delete(uid);
  }
  status(s: WatchStatus): void {
    this.statuses.push(s);
  }
  names(): string[] {
    return [...this.rows.values()].map((v) => v.row.name).sort();
  }
  kinds(): string[] {
    return this.statuses.map((s) => s.kind);
  }
  get(name: string): PodRow | undefined {
    return [...this.rows.values()].find((v) => v.row.name === name)?.row;
  }
}

const fast: WatchTableOptions = { backoffInitialMs: 20, backoffMaxMs: 100, forbiddenRetryMs: 150 };

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(handler: Parameters<typeof startFakeApiServer>[0]): Promise<{ server: FakeApiServer; session: KubeSession }> {
  const server = await startFakeApiServer(handler);
  const file = writeKubeconfig(tempDir(), [{ name: 'lab', server: server.url, token: 'tok-123456789' }]);
  const session = loadKubeSession({ env: { KUBECONFIG: file } });
  cleanups.push(() => server.close(), () => session.close());
  return { server, session };
}

function start(session: KubeSession, sink: StoreSink, opts: WatchTableOptions = fast, pageSize = 3): WatchHandle {
  const h = watchTable(session, { ...podWatch.spec, pageSize }, podWatch.map, sink, opts);
  cleanups.push(() => h.stop());
  return h;
}

const isWatch = (url: URL) => url.searchParams.get('watch') === 'true';
const lists = (s: FakeApiServer): SeenRequest[] => s.requests.filter((r) => !isWatch(r.url));
const watches = (s: FakeApiServer): SeenRequest[] => s.requests.filter((r) => isWatch(r.url));

/** Serves `items` as a paged list: `continue` is the index of the next item. */
function servePage(res: http.ServerResponse, url: URL, items: TableRowInput[], rv: string): void {
  const limit = Number(url.searchParams.get('limit'));
  const from = Number(url.searchParams.get('continue') ?? '0');
  const next = from + limit;
  sendJson(
    res,
    200,
    table(POD_COLUMNS, items.slice(from, next), {
      resourceVersion: rv,
      ...(next < items.length ? { continue: String(next), remainingItemCount: items.length - next } : {}),
    }),
  );
}

function event(type: string, row: TableRowInput, withColumns = false): Record<string, unknown> {
  return { type, object: table(withColumns ? POD_COLUMNS : null, [row]) };
}

describe('watchTable', () => {
  it('lists page by page, applies watch events, re-watches from the bookmark, relists on 410', async () => {
    const first = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((n) => podRow(n, { rv: '90' }));
    const second = ['p1', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'].map((n) =>
      podRow(n, n === 'p1' ? { status: 'CrashLoopBackOff', restarts: '4 (10s ago)', rv: '120' } : { rv: '200' }),
    );
    let releasePage2!: () => void;
    const page2Gate = new Promise<void>((r) => (releasePage2 = r));
    let watchNo = 0;
    let lastWatch: http.ServerResponse | undefined;
    const { server, session } = await setup(async (req, res, url) => {
      if (!isWatch(url)) {
        const relist = lists(server).length > 3;
        if (!relist && url.searchParams.get('continue') === '3') await page2Gate;
        servePage(res, url, relist ? second : first, relist ? '300' : '100');
        return;
      }
      watchNo += 1;
      const send = startWatchStream(res);
      lastWatch = res;
      if (watchNo === 1) {
        send(event('ADDED', podRow('p8', { rv: '101' }), true));
        send(event('MODIFIED', podRow('p1', { status: 'CrashLoopBackOff', restarts: '4 (10s ago)', rv: '120' })));
        send(event('DELETED', podRow('p2', { rv: '130' })));
        send({ type: 'BOOKMARK', object: { kind: 'Table', apiVersion: 'meta.k8s.io/v1', metadata: { resourceVersion: '150' }, columnDefinitions: null, rows: null } });
        setTimeout(() => res.socket?.destroy(), 30); // the connection drops
      } else if (watchNo === 2) {
        send({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 150 (250)') });
        res.end();
      }
      // watch 3 stays open
    });
    const sink = new StoreSink();
    start(session, sink);

    // the first page is shown before the rest of the list has arrived
    await until(() => sink.pages.length === 1, 5000, 'first page');
    expect(sink.pages[0]).toEqual({ names: ['p1', 'p2', 'p3'], generation: 1, done: false });
    expect(sink.names()).toEqual(['p1', 'p2', 'p3']);
    releasePage2();

    await until(() => watchNo >= 3, 5000, 'third watch');
    await until(() => sink.statuses.at(-1)?.kind === 'live', 5000, 'live again');

    // list requests: Table Accept, metadata objects, paged, no resourceVersion (RV=0 would ignore limit)
    const listReqs = lists(server);
    expect(listReqs).toHaveLength(6);
    for (const r of listReqs) {
      expect(r.headers.accept).toBe('application/json;as=Table;v=v1;g=meta.k8s.io, application/json');
      expect(r.url.searchParams.get('includeObject')).toBe('Metadata');
      expect(r.url.searchParams.get('limit')).toBe('3');
      expect(r.url.searchParams.has('resourceVersion')).toBe(false);
    }
    expect(listReqs.map((r) => r.url.searchParams.get('continue'))).toEqual([null, '3', '6', null, '3', '6']);

    // watches: from the list's version, then from the bookmark, then from the relist's version
    const w = watches(server);
    expect(w.map((r) => r.url.searchParams.get('resourceVersion'))).toEqual(['100', '150', '300']);
    for (const r of w) {
      expect(r.url.searchParams.get('allowWatchBookmarks')).toBe('true');
      expect(r.headers.accept).toContain('as=Table');
      const timeout = Number(r.url.searchParams.get('timeoutSeconds'));
      expect(timeout).toBeGreaterThanOrEqual(300);
      expect(timeout).toBeLessThanOrEqual(600);
    }

    // the user sees: p2 deleted by the watch, p3 gone after the relist, p9 new, p1 crash-looping
    expect(sink.names()).toEqual(['p1', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
    expect(sink.get('p1')).toMatchObject({ status: 'CrashLoopBackOff', restarts: 4 });
    expect(sink.pages.map((p) => [p.generation, p.done])).toEqual([
      [1, false], [1, false], [1, true], [2, false], [2, false], [2, true],
    ]);
    expect(sink.upserts).toBe(2);
    expect(sink.removes).toEqual(['uid-p2']);
    expect(sink.kinds()).toEqual(['listing', 'live', 'reconnecting', 'live', 'listing', 'live']);
    const reconnecting = sink.statuses[2] as Extract<WatchStatus, { kind: 'reconnecting' }>;
    expect(reconnecting.attempt).toBe(1);

    // stop closes the open watch and nothing more is asked for
    const closed = new Promise<void>((r) => lastWatch?.on('close', () => r()));
    cleanups.pop()?.();
    await closed;
    const count = server.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(server.requests.length).toBe(count);
  });

  it('reports how far a paged list has got: items so far and what the server says remains', async () => {
    const items = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((n) => podRow(n, { rv: '90' }));
    const { server, session } = await setup((_req, res, url) => {
      if (!isWatch(url)) return servePage(res, url, items, '100');
      startWatchStream(res);
    });
    const sink = new StoreSink();
    start(session, sink);
    await until(() => sink.pages.at(-1)?.done === true, 5000, 'list done');
    expect(lists(server)).toHaveLength(3);
    expect(sink.progress).toEqual([{ received: 3, remaining: 4 }, { received: 6, remaining: 1 }, { received: 7, remaining: 0 }]);
  });

  it('reconnects after the stream drops without losing or duplicating rows', async () => {
    let watchNo = 0;
    const { server, session } = await setup((_req, res, url) => {
      if (!isWatch(url)) return servePage(res, url, [podRow('a'), podRow('b')], '10');
      watchNo += 1;
      if (watchNo === 2) {
        res.socket?.destroy(); // still down: no answer at all
        return;
      }
      const send = startWatchStream(res);
      if (watchNo === 1) {
        send(event('ADDED', podRow('c', { rv: '11' }), true));
        setTimeout(() => res.socket?.destroy(), 20);
      } else if (watchNo === 3) {
        send(event('MODIFIED', podRow('c', { status: 'Running', ready: '1/1', rv: '12' }), true));
      }
    });
    const sink = new StoreSink();
    start(session, sink);
    await until(() => watchNo >= 3 && sink.upserts === 2, 5000, 'third watch event');
    expect(sink.names()).toEqual(['a', 'b', 'c']);
    expect(watches(server).map((r) => r.url.searchParams.get('resourceVersion'))).toEqual(['10', '11', '11']);
    expect(lists(server)).toHaveLength(1); // no relist for a dropped connection
    const kinds = sink.kinds();
    expect(kinds).toEqual(['listing', 'live', 'reconnecting', 'reconnecting', 'live']);
    const r1 = sink.statuses[2] as Extract<WatchStatus, { kind: 'reconnecting' }>;
    const r2 = sink.statuses[3] as Extract<WatchStatus, { kind: 'reconnecting' }>;
    expect([r1.attempt, r2.attempt]).toEqual([1, 2]);
    expect(r2.since).toBe(r1.since);
  });

  it('relists when the watch itself is answered with HTTP 410', async () => {
    let listNo = 0;
    const { server, session } = await setup((_req, res, url) => {
      if (!isWatch(url)) {
        listNo += 1;
        return servePage(res, url, listNo === 1 ? [podRow('a'), podRow('b')] : [podRow('b')], listNo === 1 ? '10' : '20');
      }
      if (url.searchParams.get('resourceVersion') === '10') return sendJson(res, 410, status(410, 'Gone', 'too old resource version'));
      startWatchStream(res);
    });
    const sink = new StoreSink();
    start(session, sink);
    await until(() => watches(server).length >= 2, 5000, 'second watch');
    expect(sink.names()).toEqual(['b']);
    expect(sink.pages.at(-1)).toMatchObject({ generation: 2, done: true });
  });

  it('403: reports forbidden with the API message, retries slowly, recovers when RBAC changes', async () => {
    const msg = 'pods is forbidden: User "jane" cannot list resource "pods" in API group "" at the cluster scope';
    let allowed = false;
    const { server, session } = await setup((_req, res, url) => {
      if (!allowed) return sendJson(res, 403, status(403, 'Forbidden', msg));
      if (!isWatch(url)) return servePage(res, url, [podRow('a')], '5');
      startWatchStream(res);
    });
    const sink = new StoreSink();
    start(session, sink, { ...fast, forbiddenRetryMs: 200 });
    await until(() => sink.statuses.some((s) => s.kind === 'forbidden'), 5000, 'forbidden');
    const forbidden = sink.statuses.find((s) => s.kind === 'forbidden') as Extract<WatchStatus, { kind: 'forbidden' }>;
    expect(forbidden.message).toContain(msg);
    await new Promise((r) => setTimeout(r, 500));
    // one request per 200 ms at most, not a backoff storm
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThanOrEqual(4);
    allowed = true;
    await until(() => sink.statuses.at(-1)?.kind === 'live', 5000, 'live after RBAC change');
    expect(sink.names()).toEqual(['a']);
    // the forbidden notice stays up (no listing/forbidden flicker on every retry)
    expect(sink.kinds()).toEqual(['listing', 'forbidden', 'live']);
  });

  it('401: fails without retrying', async () => {
    const { server, session } = await setup((_req, res) => sendJson(res, 401, status(401, 'Unauthorized', 'Unauthorized')));
    const sink = new StoreSink();
    start(session, sink);
    await until(() => sink.statuses.some((s) => s.kind === 'failed'), 5000, 'failed');
    await new Promise((r) => setTimeout(r, 200));
    expect(server.requests).toHaveLength(1);
    expect(sink.statuses.at(-1)).toEqual({
      kind: 'failed',
      message: 'the credentials of user lab-user for context lab were rejected (401)',
      code: 401,
    });
  });

  it('a list answered with a proxy\'s HTML page says so and tries again; one answered without a Table fails, naming the kind', async () => {
    const html = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>502 from the proxy</html>');
    });
    const sink = new StoreSink();
    const h = start(html.session, sink);
    await until(() => sink.statuses.some((s) => s.kind === 'reconnecting'), 5000, 'reconnecting');
    const down = sink.statuses.find((s) => s.kind === 'reconnecting') as { reason: string };
    expect(down.reason).toMatch(/on context 'lab' \(http:\/\/127\.0\.0\.1:\d+\): the server did not answer with JSON/);
    h.stop();
    const podList = await setup((_req, res) => sendJson(res, 200, { kind: 'PodList', apiVersion: 'v1', items: [] }));
    const failed = new StoreSink();
    start(podList.session, failed);
    await until(() => failed.statuses.some((s) => s.kind === 'failed'), 5000, 'failed');
    expect((failed.statuses.at(-1) as { message: string }).message).toMatch(/answered \/api\/v1\/pods without a Table \(kind PodList\); server-side printing is required/);
  });

  it('stop() while waiting to reconnect leaves no timer behind and no further sink calls', async () => {
    const timers = new Set<unknown>();
    let next = 0;
    const clock: WatchClock = {
      now: () => Date.now(),
      random: () => 0.5,
      setTimeout: (fn, ms) => {
        const id = ++next;
        const t = setTimeout(() => {
          timers.delete(id);
          fn();
        }, ms);
        timers.add(id);
        handles.set(id, t);
        return id;
      },
      clearTimeout: (id) => {
        clearTimeout(handles.get(id));
        timers.delete(id);
      },
    };
    const handles = new Map<unknown, NodeJS.Timeout>();
    const { server, session } = await setup((_req, res) => sendJson(res, 503, status(503, 'ServiceUnavailable', 'etcd is down')));
    const sink = new StoreSink();
    const h = start(session, sink, { clock, backoffInitialMs: 60_000 });
    await until(() => sink.statuses.some((s) => s.kind === 'reconnecting'), 5000, 'reconnecting');
    expect((sink.statuses.at(-1) as { reason: string }).reason).toContain('etcd is down');
    expect(timers.size).toBe(1); // the backoff wait
    h.stop();
    expect(timers.size).toBe(0);
    const before = sink.statuses.length;
    await new Promise((r) => setTimeout(r, 50));
    expect(sink.statuses.length).toBe(before);
    expect(server.requests).toHaveLength(1);
  });

  it('handles columnDefinitions sent with every watch event and with none', async () => {
    const { session } = await setup((_req, res, url) => {
      if (!isWatch(url)) return servePage(res, url, [], '1');
      const send = startWatchStream(res);
      send(event('ADDED', podRow('x', { status: 'Pending', rv: '2' }), true));
      send(event('MODIFIED', podRow('x', { status: 'Running', rv: '3' }), false));
    });
    const sink = new StoreSink();
    start(session, sink);
    await until(() => sink.upserts === 2, 5000, 'two events');
    expect(sink.get('x')?.status).toBe('Running');
  });

  it('asks for whole objects when the spec says so, hands them to the mapper and the column definitions to the sink', async () => {
    const { server, session } = await setup((_req, res, url) => {
      if (isWatch(url)) return void startWatchStream(res);
      const t = table(POD_COLUMNS, [podRow('x', { rv: '2' })], { resourceVersion: '2' }) as { rows: Array<{ object: Record<string, unknown> }> };
      t.rows[0].object = { ...t.rows[0].object, kind: 'Pod', spec: { nodeName: 'node-7' } };
      sendJson(res, 200, t);
    });
    const seen: Array<string | undefined> = [];
    const columns: string[][] = [];
    const sink = Object.assign(new StoreSink(), { columns: (defs: ReadonlyArray<{ name: string }>) => columns.push(defs.map((d) => d.name)) });
    const h = watchTable(session, { ...podWatch.spec, includeObject: 'Object' }, (cells, cols, meta, object) => {
      seen.push((object?.spec as { nodeName?: string } | undefined)?.nodeName);
      return podWatch.map(cells, cols, meta);
    }, sink, fast);
    cleanups.push(() => h.stop());
    await until(() => sink.names().length === 1, 5000, 'the list');
    expect(lists(server)[0].url.searchParams.get('includeObject')).toBe('Object');
    expect(seen).toEqual(['node-7']);
    expect(columns[0]).toEqual(POD_COLUMNS.map((c) => c.name));
  });
});

describe('watchTable with a protobuf list', () => {
  const PROTOBUF = 'application/vnd.kubernetes.protobuf';
  const protoPods = ['p1', 'p2', 'p3', 'p4', 'p5'].map((name) => ({ name, statuses: [{ name: 'c0', ready: true, running: true }] }));
  /** Serves `protoPods` in protobuf pages of `limit` (continue = index of the next pod). */
  function serveProto(res: http.ServerResponse, url: URL): void {
    const limit = Number(url.searchParams.get('limit'));
    const from = Number(url.searchParams.get('continue') ?? '0');
    const next = from + limit;
    const more = next < protoPods.length;
    res.writeHead(200, { 'content-type': PROTOBUF });
    res.end(protoPodList(protoPods.slice(from, next), { rv: '100', ...(more ? { continue: String(next), remaining: protoPods.length - next } : {}) }));
  }

  it('lists in protobuf, then watches Tables from the list version: the first event may be a bookmark with the columns', async () => {
    let send: ((e: unknown) => void) | undefined;
    const { server, session } = await setup((req, res, url) => {
      if (!isWatch(url)) return serveProto(res, url);
      send = startWatchStream(res);
      send({ type: 'BOOKMARK', object: table(POD_COLUMNS, [{ cells: ['', '', '', '', '', '', '', '', ''], meta: { name: '', resourceVersion: '150' } }]) });
      send(event('MODIFIED', podRow('p2', { status: 'CrashLoopBackOff', ready: '0/1', restarts: '3', rv: '160' })));
    });
    const sink = new StoreSink();
    start(session, sink, { ...fast, protobufList: podListWatch.protobufList });
    await until(() => sink.get('p2')?.status === 'CrashLoopBackOff', 5000, 'watch event applied');

    const listReqs = lists(server);
    expect(listReqs.map((r) => r.headers.accept)).toEqual([PROTOBUF, PROTOBUF]);
    expect(listReqs.map((r) => [r.url.searchParams.get('limit'), r.url.searchParams.get('continue'), r.url.searchParams.get('includeObject')])).toEqual([
      ['3', null, null],
      ['3', '3', null],
    ]);
    expect(watches(server).map((r) => r.url.searchParams.get('resourceVersion'))).toEqual(['100']);
    expect(sink.progress).toEqual([{ received: 3, remaining: 2 }, { received: 5, remaining: 0 }]);
    expect(sink.names()).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(sink.get('p1')).toMatchObject({ ready: 1, total: 1, status: 'Running', uid: 'uid-p1' });
    expect(sink.get('p2')).toMatchObject({ ready: 0, status: 'CrashLoopBackOff', restarts: 3 });
    expect(sink.removes).toEqual([]);
    expect(sink.kinds()).toEqual(['listing', 'live']);
  });

  it('a server that refuses protobuf (406) is listed in Tables, without a failure shown', async () => {
    const { server, session } = await setup((req, res, url) => {
      if (isWatch(url)) return void startWatchStream(res);
      if (req.headers.accept === PROTOBUF) return sendJson(res, 406, status(406, 'NotAcceptable', 'only the following media types are accepted: application/json'));
      servePage(res, url, ['p1', 'p2', 'p3', 'p4'].map((n) => podRow(n)), '100');
    });
    const sink = new StoreSink();
    start(session, sink, { ...fast, protobufList: podListWatch.protobufList });
    await until(() => sink.pages.at(-1)?.done === true, 5000, 'list done');
    expect(lists(server).map((r) => r.headers.accept)).toEqual([PROTOBUF, TABLE, TABLE]);
    expect(sink.names()).toEqual(['p1', 'p2', 'p3', 'p4']);
    expect(sink.kinds()).toEqual(['listing', 'live']);
  });
});

describe('backoffDelay', () => {
  describe('a long cluster-wide list per namespace, in parallel', () => {
    const inNs = (ns: string, n: number) => Array.from({ length: n }, (_, i) => podRow(`${ns}-${i}`, { namespace: ns, rv: '40' }));
    const nsTable = (names: string[]) => table(null, names.map((name) => ({ cells: [name, 'Active', '1d'], meta: { name } })), { resourceVersion: '60' });
    const startParallel = (session: KubeSession, sink: StoreSink, parallel = 3) => {
      const h = watchTable(session, { ...podWatch.spec, pageSize: 3, parallelNamespaces: parallel }, podWatch.map, sink, fast);
      cleanups.push(() => h.stop());
    };
    const pathOf = (r: SeenRequest) => r.url.pathname;

    it('lists the namespaces side by side after a first page, then watches from that page: no pod missing, none left behind', async () => {
      // shop holds a pod on the first cluster-wide page that is deleted before shop's own list;
      // pay is created while the lists run (not in the namespace list), its pod only in the watch.
      const gone = podRow('shop-gone', { namespace: 'shop', rv: '40' });
      const byNs: Record<string, TableRowInput[]> = { shop: inNs('shop', 5), web: inNs('web', 4), ops: inNs('ops', 4) };
      let inFlight = 0;
      let maxInFlight = 0;
      let watchSent = false;
      const { server, session } = await setup(async (_req, res, url) => {
        if (url.pathname === '/api/v1/namespaces') return sendJson(res, 200, nsTable(Object.keys(byNs)));
        if (isWatch(url)) {
          const send = startWatchStream(res);
          if (!watchSent) {
            watchSent = true;
            send(event('DELETED', { ...gone, meta: { ...gone.meta, resourceVersion: '45' } }, true));
            send(event('ADDED', podRow('pay-0', { namespace: 'pay', rv: '70' })));
          }
          return;
        }
        const ns = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname)?.[1];
        if (!ns) return servePage(res, url, [gone, ...inNs('shop', 5), ...inNs('web', 4), ...inNs('ops', 4)], '42');
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 30));
        inFlight -= 1;
        servePage(res, url, byNs[ns]!, '80');
      });
      const sink = new StoreSink();
      startParallel(session, sink);

      await until(() => sink.kinds().at(-1) === 'live' && watches(server).length === 1 && sink.get('pay-0') !== undefined && !sink.get('shop-gone'), 5000, 'listed and watched');
      const expected = [...inNs('shop', 5), ...inNs('web', 4), ...inNs('ops', 4)].map((r) => r.meta.name).concat('pay-0').sort();
      expect(sink.names()).toEqual(expected);
      // the first page only, cluster-wide; then each namespace's pages, up to 3 lists at once
      const clusterWide = lists(server).filter((r) => pathOf(r) === '/api/v1/pods');
      expect(clusterWide).toHaveLength(1);
      expect(clusterWide[0]!.url.searchParams.get('limit')).toBe('3');
      expect(maxInFlight).toBeGreaterThanOrEqual(2);
      expect(lists(server).filter((r) => pathOf(r) === '/api/v1/namespaces/shop/pods').map((r) => r.url.searchParams.get('continue'))).toEqual([null, '3']);
      // one cluster-wide watch, from the first page's version (so changes during the lists are replayed)
      expect(watches(server).map((r) => [pathOf(r), r.url.searchParams.get('resourceVersion')])).toEqual([['/api/v1/pods', '42']]);
      // progress counts toward the total the first page announced, and ends with nothing remaining
      const last = sink.pages.at(-1)!;
      expect(last.done).toBe(true);
      expect(sink.progress.at(-1)).toEqual({ received: 13, remaining: 0 });
      expect(sink.progress.slice(1, -1).every((p) => p?.remaining !== undefined && p.remaining >= 0)).toBe(true);
    });

    it('lists cluster-wide page after page from then on when the first page\'s version is gone for the watch', async () => {
      const pods = [...inNs('shop', 4), ...inNs('web', 3)];
      let watchNo = 0;
      const { server, session } = await setup((_req, res, url) => {
        if (url.pathname === '/api/v1/namespaces') return sendJson(res, 200, nsTable(['shop', 'web']));
        if (isWatch(url)) {
          watchNo += 1;
          if (watchNo === 1) return sendJson(res, 410, status(410, 'Expired', 'too old resource version: 42 (50)'));
          startWatchStream(res);
          return;
        }
        const ns = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname)?.[1];
        servePage(res, url, ns ? pods.filter((p) => p.meta.namespace === ns) : pods, ns ? '80' : '42');
      });
      const sink = new StoreSink();
      startParallel(session, sink);
      await until(() => watchNo >= 2 && sink.kinds().at(-1) === 'live', 5000, 'second watch');
      expect(sink.names()).toEqual(pods.map((p) => p.meta.name).sort());
      const afterGone = server.requests.slice(server.requests.findIndex((r) => isWatch(r.url)) + 1).filter((r) => !isWatch(r.url));
      expect(afterGone.map((r) => [pathOf(r), r.url.searchParams.get('continue')])).toEqual([
        ['/api/v1/pods', null],
        ['/api/v1/pods', '3'],
        ['/api/v1/pods', '6'],
      ]);
    });

    it('lists cluster-wide page after page when namespaces may not be listed', async () => {
      const pods = [...inNs('shop', 4), ...inNs('web', 3)];
      const { server, session } = await setup((_req, res, url) => {
        if (url.pathname === '/api/v1/namespaces') return sendJson(res, 403, status(403, 'Forbidden', 'namespaces is forbidden: User "dev" cannot list resource "namespaces"'));
        if (isWatch(url)) return void startWatchStream(res);
        servePage(res, url, pods, '42');
      });
      const sink = new StoreSink();
      startParallel(session, sink);
      await until(() => sink.kinds().at(-1) === 'live', 5000, 'live');
      expect(sink.names()).toEqual(pods.map((p) => p.meta.name).sort());
      expect(sink.kinds()).not.toContain('forbidden');
      expect(lists(server).some((r) => /namespaces\/[^/]+\/pods/.test(pathOf(r)))).toBe(false);
    });
  });

  it('doubles from 0.5 s up to 30 s with jitter around the base', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 0.5))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, 0.5)).toBe(30_000);
    expect(backoffDelay(20, 0.99)).toBe(30_000);
    expect(backoffDelay(0, 0)).toBe(375);
    expect(backoffDelay(0, 0.999)).toBeGreaterThan(600);
  });
});
