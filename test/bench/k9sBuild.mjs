// k9s for bench:compare, built from the Go module proxy at a pinned version into an ignored cache
// (test/bench/.cache/k9s: the binary, GOCACHE, GOMODCACHE). Not part of CI: a cold build
// downloads ~300 modules and compiles for minutes on 2 cores.
//
//   node test/bench/k9sBuild.mjs      # build if missing, print the path
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const K9S_VERSION = 'v0.50.16';
export const K9S_CACHE = join(import.meta.dirname, '.cache', 'k9s');
const bin = join(K9S_CACHE, 'bin', 'k9s');

function versionOf(path) {
  try {
    return /Version:?\s+(v\S+)/.exec(execFileSync(path, ['version', '--short'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }))?.[1];
  } catch {
    return undefined;
  }
}

/** The pinned k9s binary; built first if the cache lacks it (or holds another version). */
export async function ensureK9s({ log = console.error } = {}) {
  if (existsSync(bin) && versionOf(bin) === K9S_VERSION) return bin;
  mkdirSync(K9S_CACHE, { recursive: true });
  const env = {
    ...process.env,
    GOPROXY: process.env.GOPROXY ?? 'https://proxy.golang.org',
    GOTOOLCHAIN: 'local',
    GOFLAGS: '-mod=mod',
    GOCACHE: join(K9S_CACHE, 'gocache'),
    GOMODCACHE: join(K9S_CACHE, 'gomod'),
    GOBIN: join(K9S_CACHE, 'bin'),
  };
  const args = ['install', '-p', '2', '-trimpath', '-ldflags', `-s -w -X github.com/derailed/k9s/cmd.version=${K9S_VERSION}`, `github.com/derailed/k9s@${K9S_VERSION}`];
  log(`building k9s ${K9S_VERSION} from the Go module proxy into ${K9S_CACHE} (go ${args.join(' ')}); minutes on 2 cores`);
  const started = Date.now();
  await new Promise((resolve, reject) => {
    const child = spawn('go', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (err) => reject(new Error(`cannot run go (needed to build k9s): ${err.message}`)));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`go install github.com/derailed/k9s@${K9S_VERSION} exited with ${code}`))));
  });
  log(`built k9s ${versionOf(bin) ?? '(version unknown)'} in ${Math.round((Date.now() - started) / 1000)} s`);
  return bin;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await ensureK9s());
