// Entry of the single executable (scripts/sea/bundle.mjs bundles it to CommonJS for Node's SEA). One file
// runs both roles: the console, and, when started by the console with DEMO_PLATFORM_ARG, the demo
// platform; so `warroom demo` needs no `node` on the machine. Themes come from the embedded assets.
import * as sea from 'node:sea';
import { runAsSingleExecutable } from './singleExecutable.js';
import { initYoga } from './yoga.js';

const DEMO_PLATFORM_ARG = '--warroom-role=demo-platform';

function embeddedText(path: string): string | undefined {
  try {
    return sea.getAsset(path, 'utf8');
  } catch {
    return undefined;
  }
}

runAsSingleExecutable({
  readText: embeddedText,
  // getAssetKeys() is Node 24's (the runtime this is built with); @types/node follows Node 20.
  list: (dir) => (sea as unknown as { getAssetKeys(): string[] }).getAssetKeys().filter((k) => k.startsWith(`${dir}/`)),
  demoPlatformArgs: [DEMO_PLATFORM_ARG],
});

async function start(): Promise<void> {
  if (process.argv[2] === DEMO_PLATFORM_ARG) {
    process.argv.splice(2, 1);
    await import('../demo/main.js');
    return;
  }
  await initYoga();
  await import('../cli/main.js');
}

start().catch((err: unknown) => {
  process.stderr.write(`warroom: cannot start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(70);
});
