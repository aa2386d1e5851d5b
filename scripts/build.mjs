// Bundles the console and the demo platform into dist/ with esbuild.
// `--if-stale` skips the build when every output is newer than every source file,
// so `npm start` and `npm test` build on a fresh clone and cost nothing afterwards.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedOptions } from './bundleOptions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  warroom: 'src/cli/main.ts',
  'demo-platform': 'src/demo/main.ts',
  // The worker thread that reads big list pages (src/platform/kube/listDecoder.ts).
  'list-decoder': 'src/platform/kube/listDecoderWorker.ts',
};

function newestMtime(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

function isStale() {
  const sources = Math.max(newestMtime(join(root, 'src')), statSync(join(root, 'package-lock.json')).mtimeMs,
    statSync(fileURLToPath(import.meta.url)).mtimeMs, statSync(join(root, 'scripts', 'bundleOptions.mjs')).mtimeMs,
    statSync(join(root, 'scripts', 'inkPatches.mjs')).mtimeMs);
  return Object.keys(entries).some((name) => {
    const out = join(root, 'dist', `${name}.mjs`);
    return !existsSync(out) || statSync(out).mtimeMs < sources;
  });
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const started = Date.now();
await build({
  ...sharedOptions(root),
  entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v])),
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Native addons load from node_modules at run time.
  external: ['@lydell/node-pty'],
  banner: {
    js: "import{createRequire as __wrCreateRequire}from'node:module';const require=__wrCreateRequire(import.meta.url);",
  },
});
process.stderr.write(`warroom: built dist/ in ${Date.now() - started} ms\n`);
