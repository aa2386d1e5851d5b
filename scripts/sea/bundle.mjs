// The single executable's bundle: src/sea/main.ts and everything it reaches (console, demo platform,
// @lydell/node-pty's JavaScript) in one CommonJS file, as Node's SEA wants its main script. Three things
// in dependencies need a hand for CommonJS and for an executable with no node_modules beside it:
// - yoga-layout waits for its WebAssembly at the top level: Ink's import goes to src/sea/yoga.ts;
// - Ink's reconciler awaits at the top level for its development mode only: those two awaits go;
// - @lydell/node-pty requires its addon from node_modules: it gets src/sea/nativeAddon.ts instead.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { sharedOptions } from '../bundleOptions.mjs';

/** Replaces each `from` in `text` with `to`; a pattern gone from a new version of the file stops the build. */
function patch(file, text, edits) {
  for (const [from, to] of edits) {
    if (!text.includes(from)) throw new Error(`scripts/sea/bundle.mjs: '${from}' is no longer in ${file}; check the pinned version and this patch`);
    text = text.replace(from, to);
  }
  return text;
}

function seaPlugin(root) {
  return {
    name: 'warroom-single-executable',
    setup(b) {
      b.onResolve({ filter: /^yoga-layout$/ }, () => ({ path: join(root, 'src', 'sea', 'yoga.ts') }));
      b.onResolve({ filter: /^\.\/requireBinary$/ }, (args) =>
        /[\\/]@lydell[\\/]node-pty[\\/]/.test(args.importer) ? { path: join(root, 'src', 'sea', 'nativeAddon.ts') } : undefined,
      );
      b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]reconciler\.js$/ }, (args) => ({
        contents: patch(args.path, readFileSync(args.path, 'utf8'), [
          ["await import('./devtools.js');", 'void 0;'],
          ['? await loadPackageJson()', '? {}'],
        ]),
        loader: 'js',
      }));
    },
  };
}

/** Writes the bundle to `outfile` (relative to `root`). */
export async function bundleForSea(root, outfile) {
  const shared = sharedOptions(root);
  await build({
    ...shared,
    entryPoints: ['src/sea/main.ts'],
    outfile,
    format: 'cjs',
    target: 'node24',
    plugins: [...shared.plugins, seaPlugin(root)],
    define: {
      ...shared.define,
      // CommonJS has no import.meta. What reads it (packageRoot, findRepoRoot) is not reached in the
      // executable (its files are assets); if it were, it would fail naming the missing package folder.
      'import.meta.url': '"file:///"',
    },
  });
}

/**
 * The list decoder's worker (src/platform/kube/listDecoderWorker.ts) as one CommonJS script, carried by
 * the executable as an asset and started with `new Worker(code, { eval: true })`: a worker cannot load
 * a file from inside the executable.
 */
export async function bundleListDecoderForSea(root, outfile) {
  const shared = sharedOptions(root);
  await build({ ...shared, entryPoints: ['src/platform/kube/listDecoderWorker.ts'], outfile, format: 'cjs', target: 'node24' });
}
