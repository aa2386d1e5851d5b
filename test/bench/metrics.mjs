// Benchmark: the metrics pane against the demo's Prometheus-compatible endpoint. Prints
// figures; asserts nothing.
//
//   npm run bench:metrics -- [--pods 1000] [--opens 5] [--seconds 60] [--refresh 10]
//
// Starts the demo platform (dist/demo-platform.mjs) in its own process and the demo metrics
// endpoint in this one (fed with the platform's pods over its API), then runs the built
// console in a pseudo-terminal. Figures:
//   - `m` on an application -> first chart drawn (braille on screen), median and max of N opens
//   - CPU of the console while an application's metrics pane (7 charts, 11 queries) sits
//     auto-refreshing for --seconds, against the same console on the Applications table
//     (the baseline: watch churn and the clock), and the queries it sent per refresh
import { warroomArgs } from './benchSupport.mjs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import { startDemoChild } from './demoChild.mjs';
import { cpuSeconds } from './procCpu.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '1000' },
    opens: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '60' },
    refresh: { type: 'string', default: '10' },
    cols: { type: 'string', default: '160' },
    rows: { type: 'string', default: '50' },
  },
});
const cols = Number(values.cols);
const rows = Number(values.rows);
const dir = mkdtempSync(join(tmpdir(), 'warroom-bench-metrics-'));

// The demo metrics endpoint is TypeScript under src/: bundle it for this script.
const entry = join(dir, 'demo-metrics.mjs');
await build({
  stdin: {
    contents: "export { startDemoPrometheus } from './src/demo/metrics/prometheusServer.ts'; export { kubeApiMetricsWorld, kubeconfigEndpoint } from './src/demo/metrics/kubeApiMetricsWorld.ts';",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: entry,
  logLevel: 'warning',
  banner: { js: "import{createRequire as __c}from'node:module';const require=__c(import.meta.url);" },
});
const { startDemoPrometheus, kubeApiMetricsWorld, kubeconfigEndpoint } = await import(pathToFileURL(entry).href);

const ready = await startDemoChild(root, ['--pods', values.pods, '--churn', 'on']);
const world = await kubeApiMetricsWorld(kubeconfigEndpoint(ready.kubeconfig, ready.context));
const prom = await startDemoPrometheus({ world });
const config = join(dir, 'config.yaml');
writeFileSync(config, `contexts:\n  ${ready.context}:\n    prometheus:\n      url: ${prom.url}\n      refreshSeconds: ${Number(values.refresh)}\n`);

const term = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true });
const proc = pty.spawn(process.execPath, [...warroomArgs(), '--kubeconfig', ready.kubeconfig, '--context', ready.context], {
  name: 'xterm-256color',
  cols,
  rows,
  cwd: root,
  env: { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: '', WARROOM_CONFIG: config },
});
proc.onData((d) => term.write(d));
const flush = () => new Promise((r) => term.write('', r));
const screen = () => {
  const b = term.buffer.active;
  return Array.from({ length: rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '').join('\n');
};
async function waitFor(pred, ms = 60_000) {
  const start = performance.now();
  for (;;) {
    await flush();
    const s = screen();
    if (pred(s)) return performance.now();
    if (performance.now() - start > ms) throw new Error(`timeout; screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
const selected = () => {
  const b = term.buffer.active;
  for (let y = 3; y < rows; y++) {
    const line = b.getLine(b.viewportY + y);
    const cell = line?.getCell(1);
    if (cell && (cell.isInverse() || !cell.isBgDefault())) return line.translateToString(true);
  }
  return '';
};
const BRAILLE = /[\u2801-\u28ff]/;

await waitFor((s) => /● live/.test(s));
proc.write('\r');
await waitFor((s) => /APPLICATION.*KIND/.test(s));
// Baseline: the same console on the Applications table (watch churn, clock), no charts.
await new Promise((r) => setTimeout(r, 1000));
const b0 = cpuSeconds(proc.pid);
const bw0 = performance.now();
await new Promise((r) => setTimeout(r, Number(values.seconds) * 1000));
const baseCpu = cpuSeconds(proc.pid) - b0;
const baseWall = (performance.now() - bw0) / 1000;

const opens = [];
const paneOpens = [];
for (let i = 0; i < Number(values.opens); i++) {
  // Next Deployment row (a different application each time).
  for (let k = 0; k < 40; k++) {
    proc.write('j');
    await new Promise((r) => setTimeout(r, 15));
    await flush();
    if (/\bdeploy\b/.test(selected())) break;
  }
  await new Promise((r) => setTimeout(r, 200));
  await flush();
  const t0 = performance.now();
  proc.write('m');
  const tPane = await waitFor((s) => /range .*\[1h\]/.test(s));
  const t1 = await waitFor((s) => BRAILLE.test(s) && /updated \d+s ago/.test(s));
  opens.push(t1 - t0);
  paneOpens.push(tPane - t0);
  proc.write('\x1b');
  await waitFor((s) => /APPLICATION.*KIND/.test(s));
}

// Auto-refresh cost: sit on one application's pane.
proc.write('m');
await waitFor((s) => BRAILLE.test(s) && /updated \d+s ago/.test(s));
await new Promise((r) => setTimeout(r, 1000));
const q0 = prom.requests.get('/api/v1/query_range') ?? 0;
const c0 = cpuSeconds(proc.pid);
const w0 = performance.now();
const seconds = Number(values.seconds);
await new Promise((r) => setTimeout(r, seconds * 1000));
const cpu = cpuSeconds(proc.pid) - c0;
const wall = (performance.now() - w0) / 1000;
const queries = (prom.requests.get('/api/v1/query_range') ?? 0) - q0;
const refreshes = Math.max(1, Math.round(wall / Number(values.refresh)));
const charts = (screen().match(/^ [A-Z][A-Za-z ()5x]+ \((cores|millicores|MiB|GiB|KiB|B|count|KiB\/s|MiB\/s|B\/s|req\/s|k req\/s|%|ms|s)\)/gm) ?? []).length;

proc.write('q');
await new Promise((r) => proc.onExit(r));
world.stop();
await prom.close();
ready.stop();

opens.sort((a, b) => a - b);
const median = opens[Math.floor(opens.length / 2)];
console.log(`warroom bench:metrics  pods=${values.pods}  terminal=${cols}x${rows}  refresh=${values.refresh}s  node=${process.version}`);
paneOpens.sort((a, b) => a - b);
console.log(`  m -> pane drawn (header, before data)  median ${paneOpens[Math.floor(paneOpens.length / 2)].toFixed(0)} ms`);
console.log(`  m -> first chart drawn (${opens.length} applications)  median ${median.toFixed(0)} ms  max ${opens[opens.length - 1].toFixed(0)} ms`);
console.log(`  auto-refresh, application pane (${charts} charts on screen, 7 in the pane) for ${wall.toFixed(0)} s:`);
console.log(`    console CPU ${cpu.toFixed(2)} s = ${((cpu / wall) * 100).toFixed(1)}% of one core`);
console.log(`    baseline on the Applications table: ${((baseCpu / baseWall) * 100).toFixed(1)}% of one core -> the pane adds ${(((cpu / wall) - (baseCpu / baseWall)) * 100).toFixed(1)} points`);
console.log(`    query_range requests ${queries} (~${(queries / refreshes).toFixed(1)} per refresh)`);
process.exit(0);
