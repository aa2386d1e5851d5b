// esbuild options both bundles share: dist/ (ESM, run by `node`, npm run build) and the single
// executable's (CommonJS, npm run package), and what --version says about the build.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inkPatches } from './inkPatches.mjs';

/** warroom's version and commit (`git describe`; `unknown` outside a git checkout). */
export function buildInfo(root) {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['describe', '--always', '--dirty', '--tags', '--abbrev=12'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    // not a git checkout (an unpacked npm tarball): the version alone
  }
  return { version, commit };
}

export function sharedOptions(root) {
  return {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    minify: true,
    jsx: 'automatic',
    legalComments: 'none',
    logLevel: 'warning',
    // Fixes to the pinned Ink both bundles need (incremental rendering, ink#910).
    plugins: [inkPatches],
    define: { 'process.env.NODE_ENV': '"production"', __WARROOM_BUILD__: JSON.stringify(buildInfo(root)) },
    alias: {
      'react-devtools-core': './scripts/stubs/react-devtools-core.js',
      // node-fetch@2 (under @kubernetes/client-node 1.4) reaches Node's own punycode module, which
      // Node 22 and 24 report as deprecated (DEP0040) on stderr; the package of the same code does not.
      punycode: 'punycode/punycode.js',
    },
  };
}
