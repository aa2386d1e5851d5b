import { readPackageFile } from '../config/packageRoot.js';
import { singleExecutable } from '../sea/singleExecutable.js';

// `warroom --version`: what a bug report or a jump host's admin needs to know — warroom's version and
// commit (fixed when the bundle is built), the Node runtime that runs it and the platform.

/** Set by the bundlers (scripts/bundleOptions.mjs); absent when the sources run under vitest. */
declare const __WARROOM_BUILD__: { version: string; commit: string } | undefined;

/** Node 20's end of life: the runtime still works, and --version says so. */
const NODE_20_EOL = '2026-04-30';

export function versionText(): string {
  const built = typeof __WARROOM_BUILD__ === 'undefined' ? undefined : __WARROOM_BUILD__;
  const version = built?.version ?? (JSON.parse(readPackageFile('package.json') ?? '{}') as { version?: string }).version ?? 'unknown';
  const runtime = singleExecutable()
    ? `${process.version}, embedded in this executable`
    : `${process.version} at ${process.execPath}${process.versions.node.startsWith('20.') ? ` (end of life since ${NODE_20_EOL}: use Node 22 or 24)` : ''}`;
  const glibc = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header?.glibcVersionRuntime;
  return [
    `warroom ${version}`,
    `commit   ${built?.commit ?? 'unknown (run from the sources)'}`,
    `node     ${runtime}`,
    // What node was started with: bin/warroom and the single executable give it --max-semi-space-size=8.
    `flags    ${process.execArgv.length > 0 ? process.execArgv.join(' ') : 'none (bin/warroom starts node with --max-semi-space-size=8)'}`,
    `platform ${process.platform}-${process.arch}${glibc ? `, glibc ${glibc}` : ''}`,
  ].join('\n');
}
