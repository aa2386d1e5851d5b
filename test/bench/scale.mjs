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
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    apps: { type: 'string', default: '1000' },
    factor: { type: 'string', default: '2' },
    concurrency: { type: 'string', default: '32,64' },
    clusters: { type: 'string', default: '1' },
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
const clusters = Number(values.clusters);
if (!kubeconfig && clusters > 1) {
  const t = performance.now();
  const fleet = await startDemoFleet({ clusters: Array.from({ length: clusters }, (_, i) => `dc${i + 1}`), pods: 300, churn: false, entry: join(root, 'dist', 'demo-platform.mjs') });
  console.log(`demo fleet of ${clusters} clusters started in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  demo = { stop: () => fleet.close() };
  kubeconfig = fleet.kubeconfigPath;
  context = fleet.contexts.join(',');
} else if (!kubeconfig) {
  demo = await startDemoPlatform({ pods: 300, churn: false, entry: join(root, 'dist', 'demo-platform.mjs') });
  kubeconfig = demo.kubeconfigPath;
  context = demo.context;
}
console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} CPUs, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
try {
  await runScaleBench({
    kubeconfig,
    context,
    apps: Number(values.apps),
    factor: Number(values.factor),
    concurrency: values.concurrency.split(',').map(Number),
    timeoutMs: Number(values['timeout-seconds']) * 1000,
    log: (line) => process.stdout.write(`${line}\n`),
  });
} finally {
  await demo?.stop();
}
