// Start-up time and memory of a demo fleet (`warroom demo --clusters N`): N demo platforms, one
// process each, started in parallel. Prints the time until every cluster is ready, each
// platform's RSS (now and peak) after the start and after a settling period with churn, and how
// long one cluster takes to stop and to come back on its ports.
//
//   npm run bench:fleet -- --clusters 3 --pods 1000
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    clusters: { type: 'string', default: '3' },
    pods: { type: 'string', default: '1000' },
    'settle-seconds': { type: 'string', default: '20' },
    'no-churn': { type: 'boolean', default: false },
  },
});
const clusters = Array.from({ length: Number(values.clusters) }, (_, i) => `dc${i + 1}`);
const pods = Number(values.pods);

// startDemoFleet is TypeScript: bundle it for this run, inside the repo so `yaml` resolves.
const outfile = join(root, 'dist', '.bench', 'demo-fleet.mjs');
await build({ entryPoints: [join(root, 'src', 'demo', 'fleet.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, packages: 'external', logLevel: 'error' });
const { startDemoFleet } = await import(outfile);

const memOf = (pid) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024, hwm: Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024 };
  } catch {
    return { rss: NaN, hwm: NaN };
  }
};
const report = (when, fleet) => {
  let total = 0;
  const parts = fleet.clusters.map((c) => {
    const m = memOf(c.pid);
    total += m.rss;
    return `${c.name} ${m.rss.toFixed(0)} MB (peak ${m.hwm.toFixed(0)})`;
  });
  console.log(`  RSS ${when}: ${parts.join(', ')}; total ${total.toFixed(0)} MB`);
};

console.log(`demo fleet: ${clusters.length} clusters x ${pods} pods, churn ${values['no-churn'] ? 'off' : 'on'}, ${(await import('node:os')).cpus().length} CPUs`);
const t0 = performance.now();
const fleet = await startDemoFleet({ clusters, pods, seed: 1, churn: !values['no-churn'], readyTimeoutMs: 300_000, entry: join(root, 'dist', 'demo-platform.mjs') });
console.log(`  all ${clusters.length} ready in ${(performance.now() - t0).toFixed(0)} ms`);
try {
  report('after start', fleet);
  await new Promise((r) => setTimeout(r, Number(values['settle-seconds']) * 1000));
  report(`after ${values['settle-seconds']} s`, fleet);
  const last = clusters[clusters.length - 1];
  let t = performance.now();
  await fleet.stop(last);
  console.log(`  stop(${last}) ${(performance.now() - t).toFixed(0)} ms`);
  t = performance.now();
  await fleet.start(last);
  console.log(`  start(${last}) again on ${fleet.cluster(last).url} in ${(performance.now() - t).toFixed(0)} ms`);
} finally {
  await fleet.close();
}
