// Benchmark: the console against N pods. Prints figures; asserts nothing.
//
//   npm run bench:pods -- --pods 20000 [--keys 200] [--view system|all-pods] [--clusters N] [--kubeconfig PATH --context NAME] [--cpu-prof DIR]
//
// Without --kubeconfig it starts the demo platform (dist/demo-platform.mjs) with N pods in
// its own process, so the console is measured as it would run against a real cluster.
// Figures: process start -> first rows on screen; -> every pod counted ("live");
// keystroke -> frame latency (p50/p95) while pods churn; peak RSS of the console.
// --view system (default) measures keys in the largest system's pods (`p` on Systems);
// --view all-pods in every system's pods on one list (`:pods` from Systems). For the view
// under churn it also prints the per-tick cost: the console's CPU time per second (from
// /proc, comparable across versions) and the list model's upkeep per store tick (from the
// console's own metrics, --metrics-addr).
// --clusters N starts a demo fleet (N clusters of --pods each, each its own process) and runs
// the console over all of them (--context dc1,...,dcN): the fleet's merged views.
// --cpu-prof DIR writes the console's CPU profile (node --cpu-prof) there when it quits; read it
// with `node test/bench/profileTop.mjs FILE` (or Chrome's DevTools).
// --heap runs the console under the inspector and, at the end, prints its V8 heap spaces before
// and after a full GC and the live heap by constructor and by the property holding each string
// (test/bench/heapBreakdown.mjs); --heap-snapshot FILE does that and keeps the snapshot in FILE.
// The peak RSS of each phase is printed either way.
// --node-option FLAG (repeatable) starts the console's node with FLAG, e.g. a V8 heap flag to try.
// --rss-at-peak reads /proc/PID/smaps at each new peak and prints what the highest was made of
// (V8's pages, its large objects, malloc's heap, the threads' malloc arenas, files); reading it
// costs the machine CPU, so the times of such a run are not comparable.
// --keys-while-listing moves the cursor on Systems from the first rows until every pod is listed,
// and prints those keys' latency: what a user typing during the listing gets (the pods' listing
// time then includes drawing those keys).
import { warroomArgs } from './benchSupport.mjs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoChild } from './demoChild.mjs';
import { cpuSeconds as cpuSecondsOf } from './procCpu.mjs';
import { heapBreakdown, residentByKind } from './heapBreakdown.mjs';
import { percentile, startInPty } from './ptyScreen.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '20000' },
    keys: { type: 'string', default: '200' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    cols: { type: 'string', default: '160' },
    rows: { type: 'string', default: '50' },
    view: { type: 'string', default: 'system' },
    clusters: { type: 'string', default: '1' },
    'churn-seconds': { type: 'string', default: '10' },
    'cpu-prof': { type: 'string' },
    heap: { type: 'boolean', default: false },
    'heap-snapshot': { type: 'string' },
    'node-option': { type: 'string', multiple: true, default: [] },
    'keys-while-listing': { type: 'boolean', default: false },
    'rss-at-peak': { type: 'boolean', default: false },
  },
});
const pods = Number(values.pods);
const cols = Number(values.cols);
const rows = Number(values.rows);
if (values.view !== 'system' && values.view !== 'all-pods') throw new Error(`--view must be system or all-pods, got ${values.view}`);
const metricsPort = 20000 + Math.floor(Math.random() * 20000);
const clusters = Number(values.clusters);

/** A demo fleet: startDemoFleet is TypeScript, bundled for this run (inside the repo so `yaml` resolves). */
async function startFleet() {
  const { build } = await import('esbuild');
  const outfile = join(root, 'dist', '.bench', 'demo-fleet.mjs');
  await build({ entryPoints: [join(root, 'src', 'demo', 'fleet.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, packages: 'external', logLevel: 'error' });
  const { startDemoFleet } = await import(outfile);
  const fleet = await startDemoFleet({ clusters: Array.from({ length: clusters }, (_, i) => `dc${i + 1}`), pods, churn: true });
  return { kubeconfig: fleet.kubeconfigPath, context: fleet.contexts.join(','), pids: fleet.clusters.map((c) => c.pid), stop: () => fleet.close() };
}

const demoStarted = Date.now();
const target = values.kubeconfig ? { kubeconfig: values.kubeconfig, context: values.context, pids: [], stop() {} } : clusters > 1 ? await startFleet() : await startDemoChild(root, ['--pods', String(pods), '--churn', 'on']);
// CPU seconds of the demo server process(es) so far: with the console's, where the listing's time went.
const serverCpu = () => target.pids.reduce((sum, pid) => sum + (pid ? cpuSecondsOf(pid) : 0), 0);
const serverCpuAtStart = serverCpu();
const demoReadyMs = Date.now() - demoStarted;

const profile = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
const inspectPort = metricsPort + 1;
const heapReport = values.heap || values['heap-snapshot'] !== undefined;
const inspect = heapReport ? [`--inspect=127.0.0.1:${inspectPort}`] : [];
const args = [...warroomArgs([...values['node-option'], ...profile, ...inspect]), '--kubeconfig', target.kubeconfig, ...(target.context ? ['--context', target.context] : []), '--metrics-addr', `127.0.0.1:${metricsPort}`];
const { proc, t0, exit, flush, screen, waitFor, selected, memory, cpuSeconds, keyLatencies } = startInPty(process.execPath, args, { cols, rows, cwd: root });

// The peak RSS of each phase, sampled every 50 ms: where the peak happens.
const phases = [];
let phase;
const enter = (name) => phases.push((phase = { name, peak: 0 }));
enter('start -> first rows');
let peakMade = { rss: 0, of: '' };
const sampler = setInterval(() => {
  const { rss } = memory();
  if (rss > phase.peak) phase.peak = rss;
  if (values['rss-at-peak'] && rss > peakMade.rss + 1) peakMade = { rss, of: `${phase.name}, ${rss.toFixed(0)} MB: ${residentByKind(proc.pid)}` };
}, 50);


// First frame: the header line drawn.
const firstFrame = await waitFor((s) => /warroom/.test(s[0]));
// First rows: the Systems table header plus at least one system row.
const firstRows = await waitFor((s) => s.some((l) => /SYSTEM/.test(l)) && s.filter((l) => /\d+\/\d+/.test(l)).length > 0);
enter('first rows -> all listed');
// Every cluster live (a fleet's header shows one state per cluster).
const isLive = (s) => (s[0].match(/● live/g) ?? []).length >= clusters;
// The keys start once Systems has a few rows: on a single row `j` has nowhere to go (it would
// read as a 5 s stall).
if (values['keys-while-listing']) await waitFor((s) => isLive(s) || s.filter((l) => /\d+\/\d+/.test(l)).length >= 4);
const listingKeys = values['keys-while-listing'] ? await keysUntil(() => isLive(screen())) : [];
const live = await waitFor(isLive);
const listingCpu = { console: cpuSeconds(), mainThread: cpuSecondsOf(proc.pid, proc.pid), servers: serverCpu() - serverCpuAtStart };
const counted = (s) => s.map((l) => /\s(\d+)\/(\d+)\s/.exec(l)).filter(Boolean).reduce((n, m) => n + Number(m[2]), 0);
await flush();
const podsCounted = counted(screen());

/**
 * Keystroke -> frame on Systems, down and up over its first rows, until `done()`; each capped at 5 s.
 * A key is drawn when the highlighted system is another one: by its name, not its line, as a
 * line above it may come or go while the pods arrive (the highlight would stay on its line).
 */
async function keysUntil(done) {
  const system = () => selected().replace(/^\d+:/, '').trim().split(/\s{2,}/)[0];
  const latencies = [];
  for (let i = 0; !done(); i++) {
    await flush();
    const before = system();
    const sent = performance.now();
    proc.write(i % 6 < 3 ? 'j' : 'k');
    try {
      latencies.push((await waitFor(() => system() !== before, 5000)) - sent);
    } catch {
      latencies.push(5000);
    }
  }
  return latencies.sort((a, b) => a - b);
}

// A histogram's sum and count from the console's /metrics (zero before the first sample).
async function histogram(name, labels = '') {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const read = (suffix) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}_${suffix}${labels ? `{${labels}}` : ''} `) || (!labels && l.startsWith(`${name}_${suffix}{`)));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  return { sum: read('sum'), count: read('count') };
}

// Keystroke -> frame: open the largest system's pods (p) or every pod (:pods), then move the cursor.
enter('pods view opened');
if (values.view === 'all-pods') proc.write(':pods\r');
else proc.write('p');
await waitFor((s) => /Pods/.test(s[1]) && s.some((l) => /Running|Pending|Crash/.test(l)));
await new Promise((r) => setTimeout(r, 500));
// Per-tick cost while pods churn and nobody types.
enter('pods churning');
const churnSeconds = Number(values['churn-seconds']);
const listView = clusters > 1 ? 'fleet-pods' : 'pods';
const modelBefore = await histogram('warroom_list_model_duration_seconds', `view="${listView}"`);
const cpuBefore = cpuSeconds();
const churnStarted = performance.now();
await new Promise((r) => setTimeout(r, churnSeconds * 1000));
const cpuPerSecond = (cpuSeconds() - cpuBefore) / ((performance.now() - churnStarted) / 1000);
const modelAfter = await histogram('warroom_list_model_duration_seconds', `view="${listView}"`);
const ticks = modelAfter.count - modelBefore.count;
const keyCount = Number(values.keys);
// Move down and up within the rows on screen, so every key moves the cursor.
await flush();
const span = Math.max(1, Math.min(20, screen().slice(3, rows - 1).filter((l) => /\d+\/\d+/.test(l)).length - 1));
enter('keys');
const latencies = await keyLatencies(keyCount, span);
clearInterval(sampler);
const mem = memory();
// The JavaScript heap in use and its total, of that RSS (the console's own metrics).
const gauges = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
const gauge = (name) => Number(new RegExp(`^warroom_${name} (\\S+)`, 'm').exec(gauges)?.[1] ?? NaN) / 2 ** 20;
const heap = heapReport ? await heapBreakdown(inspectPort, { pid: proc.pid, keepSnapshot: values['heap-snapshot'] }) : [];
proc.write('q');
await exit;
await target.stop();

const fmt = (n) => `${Math.round(n)} ms`;
console.log(`warroom bench:pods  pods=${pods}${values['node-option'].length ? `  node options: ${values['node-option'].join(' ')}` : ''}${clusters > 1 ? ` x ${clusters} clusters` : ''}  view=${values.view}  terminal=${cols}x${rows}  node=${process.version}`);
if (!values.kubeconfig) console.log(`  demo platform ready              ${fmt(demoReadyMs)} (not counted below)`);
console.log(`  start -> first frame             ${fmt(firstFrame - t0)}`);
console.log(`  start -> first rows on screen    ${fmt(firstRows - t0)}`);
console.log(`  start -> all pods listed (live)  ${fmt(live - t0)}   (${podsCounted} pods counted on screen)`);
console.log(`  CPU until all listed: console ${listingCpu.console.toFixed(2)} s (its main thread ${listingCpu.mainThread.toFixed(2)} s)${target.pids.length ? `, demo server${target.pids.length > 1 ? 's' : ''} ${listingCpu.servers.toFixed(2)} s` : ''}`);
if (listingKeys.length) console.log(`  keystroke -> frame while pods were listed (${listingKeys.length} keys on Systems)  p50 ${percentile(listingKeys, 50).toFixed(1)} ms  p95 ${percentile(listingKeys, 95).toFixed(1)} ms  max ${listingKeys[listingKeys.length - 1].toFixed(1)} ms`);
console.log(`  keystroke -> frame (${keyCount} keys, pods churning)  p50 ${latencies.length ? percentile(latencies, 50).toFixed(1) : '-'} ms  p95 ${percentile(latencies, 95).toFixed(1)} ms  max ${latencies[latencies.length - 1].toFixed(1)} ms`);
console.log(`  pods churning, no keys (${churnSeconds} s): console CPU ${(cpuPerSecond * 1000).toFixed(0)} ms/s; list model upkeep ${ticks ? ((modelAfter.sum - modelBefore.sum) * 1000 / ticks).toFixed(2) : '-'} ms per store tick (${ticks} ticks)`);
console.log(`  console RSS now ${mem.rss.toFixed(0)} MB, peak ${mem.hwm.toFixed(0)} MB; JS heap used ${gauge('nodejs_heap_size_used_bytes').toFixed(0)} of ${gauge('nodejs_heap_size_total_bytes').toFixed(0)} MB, external ${gauge('nodejs_external_memory_bytes').toFixed(0)} MB`);
const counter = (name) => gauges.split('\n').filter((l) => l.startsWith(`${name}{`)).map((l) => `${/\{(.*)\}/.exec(l)[1]} ${l.split(' ').pop()}`).join(', ') || 'none';
console.log(`  list pages read: ${counter('warroom_list_pages_read_total')}; relists: ${counter('warroom_relists_total')}; watch restarts: ${counter('warroom_watch_restarts_total')}`);
console.log(`  peak RSS by phase: ${phases.map((p) => `${p.name} ${p.peak.toFixed(0)} MB`).join('; ')}`);
if (values['rss-at-peak']) console.log(`  the peak RSS (${peakMade.of})`);
for (const line of heap) console.log(line);
process.exit(0);
