// Benchmark: where the time goes when all pods are listed from an API server. Prints figures;
// asserts nothing. Each way of listing is timed from the request to: the first byte (the server
// has done the first page's work), the first rows parsed, all rows; with the bytes sent, the
// client's JSON.parse time and warroom's row mapping time (mapPodRow) counted apart. For the
// protobuf ways (a PodList, not a Table) "parse" is warroom's reader (podProto.ts), which decodes
// and builds the rows in one pass.
//
// With --server-pid (the lab's: test/lab/.work/pids/kube-apiserver.pid) it also prints the API server's CPU
// seconds per way and the client's (this process): on a shared machine, CPU time is hardly inflated by load
// where wall time is.
//
//   node test/bench/listing.mjs --kubeconfig test/lab/.work/kubeconfig --context warroom-lab [--only NAME,...] \
//     [--server-pid $(cat test/lab/.work/pids/kube-apiserver.pid)]
import https from 'node:https';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { URLSearchParams } from 'node:url';
import * as k8s from '@kubernetes/client-node';
import { cpuSeconds } from './procCpu.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, context: { type: 'string' }, only: { type: 'string' }, 'server-pid': { type: 'string' }, reps: { type: 'string', default: '2' } } });
const kc = new k8s.KubeConfig();
if (values.kubeconfig) kc.loadFromFile(values.kubeconfig);
else kc.loadFromDefault();
if (values.context) kc.setCurrentContext(values.context);
const server = kc.getCurrentCluster().server.replace(/\/$/, '');

// warroom's own row mapper and protobuf readers, bundled for this run.
const { build } = await import('esbuild');
async function bundled(file) {
  const outfile = join(root, 'dist', '.bench', file.replace(/\.ts$/, '.mjs'));
  await build({ entryPoints: [join(root, 'src', 'platform', 'kube', file)], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, packages: 'external', logLevel: 'error' });
  return import(outfile);
}
const { mapPodRow } = await bundled('rowMappers.ts');
const { readPodList, readPod } = await bundled('podProto.ts');
const { ProtoReader, readEnvelope } = await bundled('protobuf.ts');
const PROTOBUF = 'application/vnd.kubernetes.protobuf';
const columnIndexOf = (defs) => new Map(defs.map((d, i) => [d.name, i]));

const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';
const agentOpts = { keepAlive: true };
await kc.applyToHTTPSOptions(agentOpts);
const agent = server.startsWith('https') ? new https.Agent(agentOpts) : new http.Agent(agentOpts);
const headers = {};
{
  const o = { headers: {} };
  await kc.applyToHTTPSOptions(o);
  Object.assign(headers, o.headers);
}

/** One GET; calls onChunk per body chunk; resolves with first-byte time and bytes. */
function get(path, accept, onChunk) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = (server.startsWith('https') ? https : http).request(`${server}${path}`, { agent, headers: { ...headers, accept } }, (res) => {
      let first;
      let bytes = 0;
      res.on('data', (c) => {
        first ??= performance.now() - started;
        bytes += c.length;
        onChunk?.(c);
      });
      res.on('end', () => (res.statusCode >= 300 ? reject(new Error(`${res.statusCode} for ${path}`)) : resolve({ first, bytes })));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** A paged list (limit 0 = one response); namespaces listed in parallel when given. */
async function pagedList({ accept, query, limit, namespaces, map, firstPage, rest }) {
  const t0 = performance.now();
  let parse = 0;
  let mapping = 0;
  let rows = 0;
  let bytes = 0;
  let firstByte;
  let firstRows;
  // only: one page of that size; first: the first page's size, then pages of `limit`.
  const one = async (prefix, only, first) => {
    let cont;
    do {
      const size = only ?? (cont ? limit : (first ?? limit));
      const q = new URLSearchParams({ ...query, ...(size ? { limit: String(size) } : {}), ...(cont ? { continue: cont } : {}) });
      const chunks = [];
      const sent = performance.now() - t0;
      const r = await get(`${prefix}/pods?${q}`, accept, (c) => chunks.push(c));
      firstByte ??= sent + r.first;
      bytes += r.bytes;
      const p0 = performance.now();
      if (accept === PROTOBUF) {
        // Decoding and mapping are one pass here: the reader builds PodRows as it goes (counted as parse).
        const page = readPodList(Buffer.concat(chunks));
        parse += performance.now() - p0;
        rows += page.rows.length;
        firstRows ??= performance.now() - t0;
        cont = only ? undefined : page.continue || undefined;
        continue;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const p1 = performance.now();
      parse += p1 - p0;
      if (map && body.kind === 'Table') {
        const cols = columnIndexOf(body.columnDefinitions);
        for (const row of body.rows) if (mapPodRow(row.cells, cols, row.object.metadata)) rows++;
        mapping += performance.now() - p1;
      } else rows += (body.rows ?? body.items).length;
      firstRows ??= performance.now() - t0;
      cont = only ? undefined : body.metadata?.continue;
    } while (cont);
  };
  // rest: the first page goes on with its continue token; else it is one page before the others.
  if (firstPage) await one('/api/v1', rest ? undefined : firstPage, firstPage);
  if (rest) return { total: performance.now() - t0, firstByte, firstRows, parse, mapping, rows, bytes };
  if (namespaces) await Promise.all(namespaces.map((ns) => one(`/api/v1/namespaces/${ns}`)));
  else await one('/api/v1');
  return { total: performance.now() - t0, firstByte, firstRows, parse, mapping, rows, bytes };
}

/** A streaming list: watch with sendInitialEvents, until the initial-events-end bookmark. */
async function streamingList({ accept, map }) {
  const t0 = performance.now();
  let parse = 0;
  let mapping = 0;
  let rows = 0;
  let bytes = 0;
  let firstRows;
  let cols;
  let buf = '';
  const q = new URLSearchParams({ watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true', includeObject: 'Metadata', timeoutSeconds: '60' });
  let done;
  const ended = new Promise((r) => (done = r));
  const req = https.request(`${server}/api/v1/pods?${q}`, { agent, headers: { ...headers, accept } }, (res) => {
    if (res.statusCode >= 300) {
      res.resume();
      done({ error: `${res.statusCode}` });
      return;
    }
    res.on('data', (c) => {
      bytes += c.length;
      buf += c.toString('utf8');
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        const p0 = performance.now();
        const ev = JSON.parse(line);
        const p1 = performance.now();
        parse += p1 - p0;
        const obj = ev.object;
        if (ev.type === 'BOOKMARK') {
          const ann = obj.metadata?.annotations ?? obj.rows?.[0]?.object?.metadata?.annotations;
          if (ann?.['k8s.io/initial-events-end'] === 'true') {
            req.destroy();
            done({});
          }
          continue;
        }
        if (obj.columnDefinitions?.length) cols = columnIndexOf(obj.columnDefinitions);
        for (const row of obj.rows ?? []) {
          if (map && cols) mapPodRow(row.cells, cols, row.object.metadata);
          rows++;
        }
        mapping += performance.now() - p1;
        firstRows ??= performance.now() - t0;
      }
    });
  });
  req.on('error', () => {});
  req.end();
  const r = await ended;
  if (r.error) throw new Error(`watch answered ${r.error}`);
  return { total: performance.now() - t0, firstByte: firstRows, firstRows, parse, mapping, rows, bytes };
}

/**
 * A streaming list in protobuf: frames of a 4-byte big-endian length + a WatchEvent {type=1, object=2
 * {raw=1: the pod with its k8s envelope}}, until the initial-events-end bookmark.
 */
async function protobufStreamingList() {
  const t0 = performance.now();
  let parse = 0;
  let rows = 0;
  let bytes = 0;
  let firstRows;
  let firstByte;
  let pending = Buffer.alloc(0);
  const q = new URLSearchParams({ watch: 'true', sendInitialEvents: 'true', resourceVersionMatch: 'NotOlderThan', allowWatchBookmarks: 'true', timeoutSeconds: '60' });
  let done;
  const ended = new Promise((r) => (done = r));
  const req = https.request(`${server}/api/v1/pods?${q}`, { agent, headers: { ...headers, accept: PROTOBUF } }, (res) => {
    if (res.statusCode >= 300) {
      res.resume();
      done({ error: `${res.statusCode}` });
      return;
    }
    res.on('data', (c) => {
      firstByte ??= performance.now() - t0;
      bytes += c.length;
      pending = pending.length ? Buffer.concat([pending, c]) : c;
      const p0 = performance.now();
      let at = 0;
      while (pending.length - at >= 4) {
        const len = pending.readUInt32BE(at);
        if (pending.length - at - 4 < len) break;
        const ev = new ProtoReader(pending, at + 4, at + 4 + len);
        at += 4 + len;
        let type = '';
        let object;
        while (ev.next()) {
          if (ev.field === 1) type = ev.string();
          else if (ev.field === 2) {
            const ext = ev.message();
            while (ext.next()) {
              if (ext.field === 1) object = ext.bytes();
              else ext.skip();
            }
          } else ev.skip();
        }
        if (!object) continue;
        const inner = readEnvelope(pending.subarray(object[0], object[1]));
        if (type === 'BOOKMARK') {
          // The bookmark pod's annotations hold k8s.io/initial-events-end.
          if (pending.subarray(object[0], object[1]).includes('k8s.io/initial-events-end')) {
            req.destroy();
            done({});
          }
          continue;
        }
        if (readPod(inner.raw)) rows++;
        firstRows ??= performance.now() - t0;
      }
      pending = pending.subarray(at);
      parse += performance.now() - p0;
    });
  });
  req.on('error', () => {});
  req.end();
  const r = await ended;
  if (r.error) throw new Error(`watch answered ${r.error}`);
  return { total: performance.now() - t0, firstByte, firstRows, parse, mapping: 0, rows, bytes };
}

const namespaces = (await new Promise((resolve, reject) => {
  const chunks = [];
  get('/api/v1/namespaces', 'application/json', (c) => chunks.push(c))
    .then(() => resolve(JSON.parse(Buffer.concat(chunks).toString()).items.map((n) => n.metadata.name)))
    .catch(reject);
}));

const meta = { includeObject: 'Metadata' };
const ways = {
  'json objects, pages of 500 (kubectl get -o json)': () => pagedList({ accept: 'application/json', query: {}, limit: 500 }),
  'table, no object, pages of 1000': () => pagedList({ accept: TABLE, query: { includeObject: 'None' }, limit: 1000 }),
  'table+metadata, pages of 500': () => pagedList({ accept: TABLE, query: meta, limit: 500, map: true }),
  'table+metadata, pages of 1000 (warroom before)': () => pagedList({ accept: TABLE, query: meta, limit: 1000, map: true }),
  'table+metadata, pages of 5000': () => pagedList({ accept: TABLE, query: meta, limit: 5000, map: true }),
  'table+metadata, one response (no limit)': () => pagedList({ accept: TABLE, query: meta, limit: 0, map: true }),
  'table+metadata, rv=0 (watch cache, one response)': () => pagedList({ accept: TABLE, query: { ...meta, resourceVersion: '0' }, limit: 0, map: true }),
  'table+metadata, per namespace in parallel, pages of 1000': () => pagedList({ accept: TABLE, query: meta, limit: 1000, namespaces, map: true }),
  'warroom now: 250 cluster-wide, then per namespace, pages of 1000': () => pagedList({ accept: TABLE, query: meta, limit: 1000, namespaces, map: true, firstPage: 250 }),
  'table+metadata, streaming list (sendInitialEvents)': () => streamingList({ accept: TABLE, map: true }),
  'json objects, rv=0 (watch cache, one response)': () => pagedList({ accept: 'application/json', query: { resourceVersion: '0' }, limit: 0 }),
  'table, no object, rv=0 (watch cache, one response)': () => pagedList({ accept: TABLE, query: { includeObject: 'None', resourceVersion: '0' }, limit: 0 }),
  'protobuf podlist, pages of 500': () => pagedList({ accept: PROTOBUF, query: {}, limit: 500 }),
  'protobuf podlist, pages of 2000': () => pagedList({ accept: PROTOBUF, query: {}, limit: 2000 }),
  'protobuf podlist, pages of 5000': () => pagedList({ accept: PROTOBUF, query: {}, limit: 5000 }),
  'protobuf podlist, one response (no limit)': () => pagedList({ accept: PROTOBUF, query: {}, limit: 0 }),
  'protobuf podlist, rv=0 (watch cache, one response)': () => pagedList({ accept: PROTOBUF, query: { resourceVersion: '0' }, limit: 0 }),
  'protobuf podlist, per namespace in parallel, pages of 2000': () => pagedList({ accept: PROTOBUF, query: {}, limit: 2000, namespaces }),
  'protobuf podlist: 250 cluster-wide, then per namespace in parallel, pages of 1000': () => pagedList({ accept: PROTOBUF, query: {}, limit: 1000, namespaces, firstPage: 250 }),
  'protobuf podlist, 250 cluster-wide, then pages of 5000': () => pagedList({ accept: PROTOBUF, query: {}, limit: 5000, firstPage: 250, rest: true }),
  'protobuf podlist, streaming list (sendInitialEvents)': () => protobufStreamingList(),
  'protobuf table, one page of 1000 (accepted?)': () => pagedList({ accept: 'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io', query: meta, limit: 1000 }).catch((e) => ({ error: e.message })),
};

const ms = (v) => (v === undefined ? '-' : `${Math.round(v)}`.padStart(6));
console.log(`bench:listing  ${server}  ${namespaces.length} namespaces  reps=${values.reps} (best of)  node=${process.version}`);
const serverPid = values['server-pid'];
const serverCpu = () => (serverPid ? cpuSeconds(serverPid) : 0);
console.log(`  ${'way'.padEnd(58)} ${'total'.padStart(6)} ${'1st B'.padStart(6)} ${'1st rows'.padStart(8)} ${'parse'.padStart(6)} ${'map'.padStart(6)}   rows      MB  server CPU s  client CPU s`);
for (const [name, run] of Object.entries(ways)) {
  if (values.only && !values.only.split(',').some((o) => name.includes(o))) continue;
  let best;
  for (let i = 0; i < Number(values.reps); i++) {
    try {
      const s0 = serverCpu();
      const c0 = process.cpuUsage();
      const r = await run();
      const c1 = process.cpuUsage(c0);
      Object.assign(r, { serverCpu: serverCpu() - s0, clientCpu: (c1.user + c1.system) / 1e6 });
      if (r.error) {
        best = r;
        break;
      }
      if (!best || r.total < best.total) best = r;
    } catch (err) {
      best = { error: err.message };
      break;
    }
  }
  if (best.error) console.log(`  ${name.padEnd(58)} ${best.error}`);
  else console.log(`  ${name.padEnd(58)} ${ms(best.total)} ${ms(best.firstByte)} ${ms(best.firstRows).padStart(8)} ${ms(best.parse)} ${ms(best.mapping)} ${String(best.rows).padStart(6)} ${(best.bytes / 1e6).toFixed(1).padStart(7)}  ${serverPid ? best.serverCpu.toFixed(2).padStart(12) : '           -'}  ${best.clientCpu.toFixed(2).padStart(12)}`);
}
agent.destroy();
