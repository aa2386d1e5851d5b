// Benchmark: the logs pane following a fast application. Prints figures; asserts nothing.
//
//   npm run bench:logs -- [--rate 10000] [--seconds 10] [--cols 160] [--rows 50]
//
// The real logs store, ingest (sanitising), ring buffer and pane (Ink, the console's render
// options) run in this process, fed by a synthetic source delivering --rate lines per
// second in 10 batches a second (request logs, JSON lines, stack traces, a few hostile
// escape sequences). Figures: lines per second taken in and shown while following,
// keystroke -> frame latency (space pauses/resumes), event-loop delay, frames per second,
// and peak RSS with the default ring limits (50,000 lines / 64 MiB).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '10' },
    cols: { type: 'string', default: '160' },
    rows: { type: 'string', default: '50' },
  },
});
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const cols = Number(values.cols);
const rows = Number(values.rows);

// Bundle the TypeScript pieces under test once (esbuild, as the console is built).
const out = join(mkdtempSync(join(tmpdir(), 'warroom-bench-logs-')), 'entry.mjs');
await build({
  stdin: {
    contents: `
      export { LogsStore } from './src/platform/logs/logsStore.ts';
      export { DEFAULT_RING_LIMITS } from './src/platform/logs/logRing.ts';
      export { NavStore, newView } from './src/platform/stores/navStore.ts';
      export { logsPane } from './src/ui/views/LogsPane.tsx';
      export { render } from 'ink';
      export { createElement } from 'react';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  outfile: out,
  logLevel: 'error',
  alias: { 'react-devtools-core': join(root, 'scripts/stubs/react-devtools-core.js') },
  define: { 'process.env.NODE_ENV': '"production"' },
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  external: ['@lydell/node-pty', '@elastic/elasticsearch'],
});
const m = await import(out);

// A terminal that only counts: Ink writes frames here.
let frames = 0;
let bytes = 0;
let lastFrame = '';
/** Everything written since the last key press (frames come in several writes). */
let sinceKey = '';
const waiters = [];
const stdout = new Writable({
  write(chunk, _enc, cb) {
    frames++;
    bytes += chunk.length;
    lastFrame = chunk.toString();
    sinceKey += lastFrame;
    for (const w of waiters.splice(0)) w(sinceKey);
    cb();
  },
});
Object.assign(stdout, { columns: cols, rows, isTTY: true });
const nextFrame = () => new Promise((r) => waiters.push(r));

// Synthetic source: `rate` lines a second for one application with 6 pods x 2 containers.
const pods = Array.from({ length: 6 }, (_, i) => `checkout-6d9f7c5b8-p${i}x${i}q`);
let produced = 0;
function makeRecord(ts, n) {
  const pod = pods[n % pods.length];
  const container = n % 3 === 0 ? 'istio-proxy' : 'api';
  const r = n % 100;
  let message;
  if (r < 60) message = `INFO request handled method=GET path=/api/orders/${n % 9999} status=200 duration=${n % 180}ms trace=${(n * 2654435761 >>> 0).toString(16)}`;
  else if (r < 85) message = JSON.stringify({ time: new Date(ts).toISOString(), level: 'info', msg: 'request handled', path: '/api/cart', status: 200, duration_ms: n % 90 });
  else if (r < 95) message = `WARN slow request path=/api/quotes duration=${n % 2000}ms`;
  else if (r < 99) message = `ERROR request failed\njava.lang.IllegalStateException: upstream timeout\n\tat a.B.c(B.java:1)\n\tat a.B.d(B.java:2)`;
  else message = `evil \x1b]52;c;ZXZpbA==\x07 \x1b[2J\x1b[H line ${n}`;
  return { id: `idx/${n}`, ts, namespace: 'shop', pod, container, message };
}
const source = {
  info: { kind: 'elasticsearch', label: 'synthetic source (bench)' },
  dispose() {},
  open() {
    return {
      initial: async () => ({ records: [], exhausted: true }),
      older: async () => ({ records: [], exhausted: true }),
      follow(sink, signal) {
        const perTick = Math.round(rate / 10);
        const t = setInterval(() => {
          if (signal.aborted) return clearInterval(t);
          const now = Date.now();
          const batch = [];
          for (let i = 0; i < perTick; i++) batch.push(makeRecord(now - 50 + ((i * 50) / perTick) | 0, produced++));
          sink.lines(batch);
        }, 100);
      },
      close() {},
    };
  },
};

// The parts of a console runtime the logs pane uses, with the bench's own store.
const store = new m.LogsStore(() => ({ primary: source, fallback: source, limits: m.DEFAULT_RING_LIMITS }));
const runtime = { session: { contextName: 'bench' }, nav: new m.NavStore(m.newView('logs', { namespace: 'shop', app: { kind: 'Deployment', name: 'checkout' } })), logs: store };
const view = runtime.nav.current;
m.logsPane.open(runtime, view);

function Root() {
  return m.logsPane.render({ runtime, view: runtime.nav.current, width: cols, height: rows - 4, now: Date.now() });
}
process.stderr.write('bench: rendering\n');
const ink = m.render(m.createElement(Root), { stdout, exitOnCtrlC: false, patchConsole: false, maxFps: 60, debug: false });

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

// Warm up, then measure.
process.stderr.write('bench: warm-up\n');
await new Promise((r) => setTimeout(r, 1500));
process.stderr.write(`bench: measuring (frames so far ${frames}, produced ${produced})\n`);
const startProduced = produced;
const startFrames = frames;
const startHeld = store.getSnapshot().ring.end;
const started = Date.now();
const latencies = [];
const noKey = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false, home: false, end: false };
let missed = 0;
while (Date.now() - started < seconds * 1000) {
  await new Promise((r) => setTimeout(r, 150));
  const wantPaused = store.getSnapshot().following;
  const t0 = performance.now();
  sinceKey = '';
  let frame = nextFrame();
  m.logsPane.onKey(runtime, ' ', noKey, rows - 4);
  // The frame that shows the new mode.
  const deadline = t0 + 1000;
  let seen = false;
  while (performance.now() < deadline) {
    const f = await Promise.race([frame, new Promise((r) => setTimeout(() => r(null), Math.max(1, deadline - performance.now())))]);
    if (f === null) break;
    // Everything written so far, not just the write that woke us: Ink writes a frame in
    // several chunks in one tick (synchronised-update markers around the content), and a
    // waiter resolved by the first chunk runs only after the rest has been written.
    if (sinceKey.includes(wantPaused ? 'PAUSED' : 'FOLLOWING')) {
      seen = true;
      break;
    }
    frame = nextFrame();
  }
  if (!seen) missed++;
  latencies.push(performance.now() - t0);
}
const elapsed = (Date.now() - started) / 1000;
const snap = store.getSnapshot();
const taken = snap.ring.end - startHeld;
clearInterval(rssTimer);
loop.disable();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))].toFixed(1);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
const report = [
  `logs bench: ${fmt(rate)} lines/s offered for ${elapsed.toFixed(1)} s, ${cols}x${rows}, ring ${fmt(snap.limits.maxLines)} lines / ${snap.limits.maxBytes / 1048576} MiB`,
  `  records in:              ${fmt((produced - startProduced) / elapsed)} records/s`,
  `  lines taken in (shown):  ${fmt(taken / elapsed)} display lines/s (stack traces count per line)`,
  `  frames:                  ${fmt((frames - startFrames) / elapsed)} /s, ${fmt(bytes / 1024 / elapsed)} KiB/s`,
  `  keystroke -> frame:      p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${latencies[latencies.length - 1].toFixed(1)} ms (${latencies.length} presses, ${missed} without a frame within 1 s)`,
  `  event-loop delay:        p50 ${(loop.percentile(50) / 1e6).toFixed(1)} ms, p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms, max ${(loop.max / 1e6).toFixed(1)} ms`,
  `  lines held:              ${fmt(snap.ring.length)} (${fmt(snap.ring.bytes / 1048576)} MiB est.), dropped from memory ${fmt(snap.droppedOld)}`,
  `  peak RSS:                ${fmt(peakRss / 1048576)} MiB`,
];
process.stdout.write(`${report.join('\n')}\n`);
ink.unmount();
store.dispose();
writeFileSync(join(tmpdir(), 'warroom-bench-logs.txt'), report.join('\n'));
process.exit(0);
