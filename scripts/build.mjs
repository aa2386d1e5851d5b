// Bundles the console and the demo platform into dist/ with esbuild.
// `--if-stale` skips the build when every output is newer than every source file,
// so `npm start` and `npm test` build on a fresh clone and cost nothing afterwards.
import { build } from 'esbuild';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  warroom: 'src/cli/main.ts',
  'demo-platform': 'src/demo/main.ts',
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
    statSync(fileURLToPath(import.meta.url)).mtimeMs);
  return Object.keys(entries).some((name) => {
    const out = join(root, 'dist', `${name}.mjs`);
    return !existsSync(out) || statSync(out).mtimeMs < sources;
  });
}

if (process.argv.includes('--if-stale') && !isStale()) process.exit(0);

const started = Date.now();
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, v])),
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  sourcemap: 'linked',
  jsx: 'automatic',
  legalComments: 'none',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
  alias: { 'react-devtools-core': './scripts/stubs/react-devtools-core.js' },
  // Native addons load from node_modules at run time.
  external: ['@lydell/node-pty'],
  banner: {
    js: "import{createRequire as __wrCreateRequire}from'node:module';const require=__wrCreateRequire(import.meta.url);",
  },
});
process.stderr.write(`warroom: built dist/ in ${Date.now() - started} ms\n`);
