// Makes sure dist/demo-platform.mjs reflects src/ (src/demo and the platform code it imports), so `npx vitest run test/contract` never tests a stale bundle.
// Builds only the demo entry (same esbuild settings as scripts/build.mjs, without code splitting) when stale;
// a directory lock keeps parallel test workers from building at once.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot } from '../../src/demo/launch.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return newest;
}

export async function ensureDemoBundle(): Promise<string> {
  const root = findRepoRoot();
  const out = join(root, 'dist', 'demo-platform.mjs');
  const fresh = () => existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(root, 'src'));
  if (fresh()) return out;
  mkdirSync(join(root, 'dist'), { recursive: true });
  const lock = join(root, 'dist', '.demo-platform.lock');
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (fresh()) return out;
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (fresh()) return out;
    const { build } = await import('esbuild');
    const tmp = join(root, 'dist', `.demo-platform.${process.pid}.mjs`);
    await build({
      absWorkingDir: root,
      entryPoints: ['src/demo/main.ts'],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
      // Native addon: loaded from node_modules at run time, as in scripts/build.mjs.
      external: ['@lydell/node-pty'],
      banner: { js: "import{createRequire as __wrCreateRequire}from'node:module';const require=__wrCreateRequire(import.meta.url);" },
    });
    renameSync(tmp, out);
    return out;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
