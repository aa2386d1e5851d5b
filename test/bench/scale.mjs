// Benchmark: scale 1,000 Deployments (x2) through warroom's actions code until all report the new
// desired replicas. Prints figures; asserts nothing.
//
//   npm run bench:scale -- [--apps 1000] [--factor 2] [--concurrency 32,64] [--clusters N] [--kubeconfig PATH --context NAME[,NAME...]]
//
// Without --kubeconfig it starts the demo platform (with --clusters N, a demo fleet of N clusters,
// each its own process); with it (e.g. the lab's admin kubeconfig) it runs against that cluster, or
// those clusters. Either way it creates a namespace bench-scale-* with the Deployments in each
// cluster, scales them once per concurrency value (over a fleet, as one fleet operation: every
// cluster previewed and applied at once, each through its own gate), and deletes the namespace at the end.
//
// --console: the same x2 through the built console in a pseudo-terminal (--cols x --rows, default
// 80x24), as a user does it: `s` on the system's row (a fleet's Systems view over every cluster),
// x2, Enter; the figures are what the screen shows: the preview's typed-confirmation prompt, every
// request sent, every application ready at its new count.
import { warroomArgs } from './benchSupport.mjs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { cpuSeconds } from './procCpu.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    factor: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32,64' },
    clusters: { type: 'string', default: '1' },
    console: { type: 'boolean', default: false },
    cols: { type: 'string', default: '80' },
    rows: { type: 'string', default: '24' },
    kubeconfig: { type: 'string' },
    context: { type: 'string' },
    'timeout-seconds': { type: 'string', default: '120' },
  },
});

// The driver is TypeScript using src/platform/actions: bundle it once for this run.
// Inside the repo, so its imports resolve from node_modules.
const outfile = join(root, 'node_modules', '.cache', 'warroom-bench', 'scale-driver.mjs');
await build({ entryPoints: [join(root, 'test', 'bench', 'scaleDriver.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, packages: 'external', logLevel: 'error' });
const { runScaleBench, startDemoPlatform, startDemoFleet } = await import(outfile);

let kubeconfig = values.kubeconfig;
let context = values.context;
let demo;
let configPath;
const clusters = Number(values.clusters);
if (!kubeconfig && clusters > 1) {
  const t = performance.now();
  const fleet = await startDemoFleet({ clusters: Array.from({ length: clusters }, (_, i) => `dc${i + 1}`), pods: 300, churn: false, entry: join(root, 'dist', 'demo-platform.mjs') });
  console.log(`demo fleet of ${clusters} clusters started in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  demo = { stop: () => fleet.close() };
  kubeconfig = fleet.kubeconfigPath;
  context = fleet.contexts.join(',');
  configPath = fleet.configPath;
} else if (!kubeconfig) {
  demo = await startDemoPlatform({ pods: 300, churn: false, entry: join(root, 'dist', 'demo-platform.mjs') });
  kubeconfig = demo.kubeconfigPath;
  context = demo.context;
  configPath = demo.configPath;
}
console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} CPUs, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
/** Scales the system `ns` x--factor through the console in a PTY; logs what the screen shows when. */
async function throughConsole(ns) {
  const [{ default: pty }, { default: xtermHeadless }, { mkdtempSync }, { tmpdir }] = await Promise.all([import('@lydell/node-pty'), import('@xterm/headless'), import('node:fs'), import('node:os')]);
  const cols = Number(values.cols);
  const rows = Number(values.rows);
  const term = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true });
  const audit = join(mkdtempSync(join(tmpdir(), 'warroom-bench-console-')), 'audit.jsonl');
  const args = [...warroomArgs(), '--kubeconfig', kubeconfig, ...(context ? ['--context', context] : []), ...(configPath ? ['--config', configPath] : [])];
  const proc = pty.spawn(process.execPath, args, { name: 'xterm-256color', cols, rows, cwd: root, env: { ...process.env, TERM: 'xterm-256color', WARROOM_AUDIT_FILE: audit } });
  proc.onData((d) => term.write(d));
  const screen = () => {
    const b = term.buffer.active;
    return Array.from({ length: rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '').join('\n');
  };
  const selected = () => {
    const b = term.buffer.active;
    for (let y = 2; y < rows; y++) {
      const cell = b.getLine(b.viewportY + y)?.getCell(1);
      if (cell && (cell.isInverse() || !cell.isBgDefault())) return b.getLine(b.viewportY + y).translateToString(true);
    }
    return '';
  };
  const waitFor = async (pred, what, ms = Number(values['timeout-seconds']) * 1000) => {
    const start = performance.now();
    for (;;) {
      await new Promise((r) => term.write('', r));
      if (pred(screen())) return performance.now();
      if (performance.now() - start > ms) throw new Error(`timed out waiting for ${what}; screen:\n${screen()}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const type = async (text) => {
    for (const ch of text) {
      proc.write(ch);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
  try {
    await waitFor((s) => (s.split('\n')[0].match(/● live/g) ?? []).length >= clusters, 'every cluster live');
    await type(`/${ns}`);
    proc.write('\r');
    const pods = Number(values.apps) * clusters;
    await waitFor(() => selected().includes(ns) && selected().includes(`${pods}/${pods}`), `the system's row with its ${pods} pods ready`);
    proc.write('s');
    await waitFor((s) => s.includes(`Scale system ${ns}`), 'the scale dialog');
    await type(`x${values.factor}`);
    const t0 = performance.now();
    let cpu0 = cpuSeconds(proc.pid);
    proc.write('\r');
    const confirm = new RegExp(`Type\\s+${ns}\\s+to\\s+confirm`);
    const previewed = await waitFor((s) => confirm.test(s), 'the typed confirmation under the preview');
    const previewCpu = cpuSeconds(proc.pid) - cpu0;
    await type(ns);
    const t1 = performance.now();
    cpu0 = cpuSeconds(proc.pid);
    proc.write('\r');
    const sent = await waitFor((s) => /replicas ready|\d+ applied/.test(s), 'every request sent');
    const applyCpu = cpuSeconds(proc.pid) - cpu0;
    const ready = await waitFor((s) => /\d+ applied.*(all ready|timed out)/.test(s), 'every application ready at its new count');
    console.log(
      `console ${cols}x${rows}, s on system ${ns} (${pods} Deployments${clusters > 1 ? ` in ${clusters} clusters` : ''}), x${values.factor}: ` +
        `Enter -> preview with its confirmation prompt ${sec(previewed - t0)} [console CPU ${sec(previewCpu * 1000)}]; ` +
        `Enter -> every request sent ${sec(sent - t1)} [console CPU ${sec(applyCpu * 1000)}]; -> all ready at the new count ${sec(ready - t1)}`,
    );
    console.log(screen().split('\n').filter((l) => /applied|ready/.test(l)).slice(-1)[0]?.trim() ?? '');
  } finally {
    proc.kill();
  }
}

try {
  await runScaleBench({
    kubeconfig,
    context,
    apps: Number(values.apps),
    factor: Number(values.factor),
    concurrency: values.concurrency.split(',').map(Number),
    timeoutMs: Number(values['timeout-seconds']) * 1000,
    log: (line) => process.stdout.write(`${line}\n`),
    console: values.console ? throughConsole : undefined,
  });
} finally {
  await demo?.stop();
}
