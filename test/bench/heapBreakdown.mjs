// Where a running console's memory goes: its V8 heap spaces before and after a full GC, and a
// heap snapshot of what stays live, broken down by constructor and by the property that holds
// each string (is `PodRow.namespace` one shared string or one copy per pod?).
//
// The console must run with `--inspect=127.0.0.1:PORT` (bench:pods --heap does that). Used as
//   const report = await heapBreakdown(port);   // prints nothing; returns lines to print
// ({ keepSnapshot: FILE } keeps the snapshot there, for Chrome's DevTools.)
// The snapshot goes to a temporary file and is read back without building it as one string
// (150,000 pods make a snapshot of several hundred MB).
import { createWriteStream, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

const MB = 2 ** 20;
const mb = (n) => `${(n / MB).toFixed(1)} MB`;

/** A DevTools protocol session over the inspector's WebSocket. */
async function connect(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
  const ws = new WebSocket(targets[0].webSocketDebuggerUrl, { maxPayload: 2 ** 30 });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  let id = 0;
  const waiting = new Map();
  const listeners = new Map();
  ws.on('message', (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id !== undefined) {
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(`${msg.error.message} (${JSON.stringify(msg.error.data ?? '')})`));
      else w?.resolve(msg.result);
    } else listeners.get(msg.method)?.(msg.params);
  });
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        waiting.set(++id, { resolve, reject });
        ws.send(JSON.stringify({ id, method, params }));
      }),
    on: (method, fn) => listeners.set(method, fn),
    close: () => ws.close(),
  };
}

/** The heap's spaces and the process's memory, read inside the console. */
const STATS = `JSON.stringify({
  spaces: process.getBuiltinModule('v8').getHeapSpaceStatistics().map((s) => ({ name: s.space_name, size: s.space_size, used: s.space_used_size, available: s.space_available_size })),
  heap: process.getBuiltinModule('v8').getHeapStatistics(),
  usage: process.memoryUsage(),
})`;

async function stats(session) {
  const { result } = await session.send('Runtime.evaluate', { expression: STATS, returnByValue: true });
  return JSON.parse(result.value);
}

/** Unsigned integers of a JSON array in `buf` starting at the `[` at `from`, into `out`; returns the index after `]`. */
function readInts(buf, from, out) {
  let n = 0;
  let v = 0;
  let inNumber = false;
  let i = from + 1;
  for (; i < buf.length; i++) {
    const c = buf[i];
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      inNumber = true;
    } else {
      if (inNumber) out[n++] = v;
      v = 0;
      inNumber = false;
      if (c === 93) break; // ]
    }
  }
  return { end: i + 1, count: n };
}

/** Self sizes by type and constructor, and strings by the property that holds them. */
function analyse(file) {
  const buf = readFileSync(file);
  const nodesAt = buf.indexOf('"nodes":[');
  const head = JSON.parse(`${buf.subarray(0, nodesAt).toString().replace(/,\s*$/, '')}}`);
  const meta = head.snapshot.meta;
  const nodeFields = meta.node_fields.length;
  const edgeFields = meta.edge_fields.length;
  const nodeTypes = meta.node_types[0];
  const edgeTypes = meta.edge_types[0];
  const nodes = new Float64Array(head.snapshot.node_count * nodeFields);
  const afterNodes = readInts(buf, buf.indexOf('[', nodesAt), nodes).end;
  const edgesAt = buf.indexOf('"edges":[', afterNodes);
  const edges = new Float64Array(head.snapshot.edge_count * edgeFields);
  readInts(buf, buf.indexOf('[', edgesAt), edges);
  const stringsAt = buf.indexOf('[', buf.indexOf('"strings":['));
  const strings = JSON.parse(buf.subarray(stringsAt, buf.lastIndexOf(']') + 1).toString());

  const TYPE = meta.node_fields.indexOf('type');
  const NAME = meta.node_fields.indexOf('name');
  const SIZE = meta.node_fields.indexOf('self_size');
  const EDGES = meta.node_fields.indexOf('edge_count');
  const E_TYPE = meta.edge_fields.indexOf('type');
  const E_NAME = meta.edge_fields.indexOf('name_or_index');
  const E_TO = meta.edge_fields.indexOf('to_node');
  const stringType = new Set(['string', 'concatenated string', 'sliced string'].map((t) => nodeTypes.indexOf(t)));
  const propertyEdge = edgeTypes.indexOf('property');
  const count = head.snapshot.node_count;

  let total = 0;
  const byType = new Map();
  const byConstructor = new Map();
  const stringCopies = new Map(); // text -> [copies, bytes]
  const add = (map, key, size) => {
    const e = map.get(key) ?? map.set(key, { count: 0, size: 0 }).get(key);
    e.count += 1;
    e.size += size;
  };
  for (let n = 0; n < count; n++) {
    const at = n * nodeFields;
    const type = nodes[at + TYPE];
    const size = nodes[at + SIZE];
    total += size;
    add(byType, nodeTypes[type], size);
    if (stringType.has(type)) {
      const text = strings[nodes[at + NAME]];
      const e = stringCopies.get(text) ?? stringCopies.set(text, { count: 0, size: 0 }).get(text);
      e.count += 1;
      e.size += size;
    } else add(byConstructor, `${nodeTypes[type]} ${strings[nodes[at + NAME]]}`, size);
  }
  // Strings by the object property that holds them: `PodRow.namespace` -> copies, distinct texts, bytes.
  const held = new Map();
  const seen = new Uint8Array(count);
  for (let n = 0, e = 0; n < count; n++) {
    const at = n * nodeFields;
    const owner = strings[nodes[at + NAME]];
    for (let k = 0; k < nodes[at + EDGES]; k++, e += edgeFields) {
      if (edges[e + E_TYPE] !== propertyEdge) continue;
      const to = edges[e + E_TO];
      const target = to / nodeFields;
      if (!stringType.has(nodes[to + TYPE])) continue;
      const key = `${owner}.${strings[edges[e + E_NAME]]}`;
      const h = held.get(key) ?? held.set(key, { refs: 0, copies: 0, size: 0, texts: new Set() }).get(key);
      h.refs += 1;
      h.texts.add(strings[nodes[to + NAME]]);
      if (!seen[target]) {
        seen[target] = 1;
        h.copies += 1;
        h.size += nodes[to + SIZE];
      }
    }
  }
  // Big objects (a Map's table, a list's array) by what holds them: `Owner.property` or `Owner[]`.
  const big = new Map();
  for (let n = 0, e = 0; n < count; n++) {
    const at = n * nodeFields;
    const owner = `${nodeTypes[nodes[at + TYPE]]} ${strings[nodes[at + NAME]]}`.trim();
    for (let k = 0; k < nodes[at + EDGES]; k++, e += edgeFields) {
      const to = edges[e + E_TO];
      const target = to / nodeFields;
      if (nodes[to + SIZE] < 256 * 1024 || seen[target] === 2) continue;
      seen[target] = 2;
      const type = edgeTypes[edges[e + E_TYPE]];
      const via = type === 'element' || type === 'hidden' ? `[${type}]` : `.${strings[edges[e + E_NAME]]}`;
      add(big, `${nodeTypes[nodes[to + TYPE]]} ${strings[nodes[to + NAME]]} <- ${owner}${via}`.replace(/\s+/g, ' '), nodes[to + SIZE]);
    }
  }
  let duplicateBytes = 0;
  let stringBytes = 0;
  for (const s of stringCopies.values()) {
    stringBytes += s.size;
    duplicateBytes += s.size - s.size / s.count;
  }
  return { total, count, byType, byConstructor, held, big, stringBytes, duplicateBytes, distinctStrings: stringCopies.size };
}

/**
 * The process's resident MB by kind of mapping (/proc/PID/smaps), as `kind MB, ...`, largest
 * first. V8 maps its heap away from the 0x7f... range where glibc puts thread arenas and big
 * blocks; its pages are 256 KB, a large object has a mapping of its own.
 */
export function residentByKind(pid) {
  const kinds = new Map();
  let kind = '';
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (m) {
      const path = m[3].trim();
      const kb = (parseInt(m[2], 16) - parseInt(m[1], 16)) / 1024;
      kind = path === '[heap]' ? 'malloc heap' : path ? 'files and stacks' : parseInt(m[1], 16) >= 0x7f0000000000 ? 'thread arenas and big malloc blocks' : kb > 256 ? 'V8 large objects' : 'V8 pages';
    } else if (line.startsWith('Rss:')) kinds.set(kind, (kinds.get(kind) ?? 0) + Number(line.split(/\s+/)[1]) / 1024);
  }
  return [...kinds].sort((a, b) => b[1] - a[1]).map(([k, mb]) => `${k} ${mb.toFixed(0)}`).join(', ');
}

/** Heap spaces before/after a full GC and the live heap by category, as printable lines. */
export async function heapBreakdown(port, { top = 18, pid, keepSnapshot } = {}) {
  const session = await connect(port);
  const lines = [];
  try {
    const before = await stats(session);
    await session.send('HeapProfiler.enable');
    await session.send('HeapProfiler.collectGarbage');
    const after = await stats(session);
    lines.push(`  V8 heap spaces (MB used/committed): before a full GC -> after it`);
    for (const s of before.spaces) {
      const a = after.spaces.find((x) => x.name === s.name);
      if (s.size < MB / 2 && a.size < MB / 2) continue;
      lines.push(`    ${s.name.padEnd(24)} ${(s.used / MB).toFixed(1).padStart(6)}/${(s.size / MB).toFixed(1).padEnd(6)} -> ${(a.used / MB).toFixed(1).padStart(6)}/${(a.size / MB).toFixed(1)}`);
    }
    if (pid) lines.push(`  RSS by kind of mapping, MB (after the GC, before the snapshot): ${residentByKind(pid)}`);
    lines.push(`    heap used ${mb(before.heap.used_heap_size)} of ${mb(before.heap.total_heap_size)} -> ${mb(after.heap.used_heap_size)} of ${mb(after.heap.total_heap_size)}; external ${mb(after.usage.external)} (array buffers ${mb(after.usage.arrayBuffers)}); RSS ${mb(before.usage.rss)} -> ${mb(after.usage.rss)}`);

    const file = keepSnapshot ?? join(tmpdir(), `warroom-heap-${process.pid}-${Date.now()}.heapsnapshot`);
    const out = createWriteStream(file);
    session.on('HeapProfiler.addHeapSnapshotChunk', ({ chunk }) => out.write(chunk));
    await session.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false, captureNumericValue: false });
    await new Promise((r) => out.end(r));
    const a = analyse(file);
    if (!keepSnapshot) rmSync(file, { force: true });
    lines.push(`  live heap (snapshot after GC): ${mb(a.total)} in ${a.count} objects`);
    const sorted = (map) => [...map.entries()].sort((x, y) => y[1].size - x[1].size);
    lines.push(`    by type: ${sorted(a.byType).filter(([, v]) => v.size > MB / 4).map(([k, v]) => `${k} ${mb(v.size)}`).join(', ')}`);
    lines.push(`    strings: ${mb(a.stringBytes)} (${a.distinctStrings} distinct texts; ${mb(a.duplicateBytes)} in repeated copies of one text)`);
    lines.push(`    by constructor (self size, count):`);
    for (const [k, v] of sorted(a.byConstructor).slice(0, top)) lines.push(`      ${mb(v.size).padStart(9)}  ${String(v.count).padStart(8)}  ${k.slice(0, 90)}`);
    lines.push(`    strings by the property holding them (bytes, references, string objects, distinct texts):`);
    for (const [k, v] of sorted(a.held).slice(0, top)) lines.push(`      ${mb(v.size).padStart(9)}  ${String(v.refs).padStart(8)} ${String(v.copies).padStart(8)} ${String(v.texts.size).padStart(8)}  ${k.slice(0, 80)}`);
    lines.push(`    objects of 256 KB or more by what holds them (bytes, count):`);
    for (const [k, v] of sorted(a.big).slice(0, top)) lines.push(`      ${mb(v.size).padStart(9)}  ${String(v.count).padStart(8)}  ${k.slice(0, 100)}`);
  } finally {
    session.close();
  }
  return lines;
}
