// npm run package: warroom as one executable per platform — dist/warroom-linux-x64 and dist/warroom-linux-arm64,
// with dist/SHA256SUMS — that runs on a machine with no Node. It is Node's single executable application
// (SEA): the Node 24 LTS binary from the npm registry (node-linux-<arch>) with a blob injected (postject)
// that holds the CommonJS bundle of src/sea/main.ts (console and demo platform), the themes and
// @lydell/node-pty's prebuilt addon for that platform.
//
// Downloads go to a git-ignored cache (.cache/package, or $WARROOM_PACKAGE_CACHE) through `npm pack` and are
// checked against the integrity pinned here (Node) or in package-lock.json (the addon). An executable whose
// inputs did not change is left as it is, so a second run costs the bundle only.
//
//   node scripts/package.mjs [--arch x64,arm64]
//   node scripts/package.mjs --runtime-dir    prints the folder of that Node binary (fetched if need be)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForSea, bundleListDecoderForSea } from './sea/bundle.mjs';
import { launcherNodeFlags } from './launcherFlags.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cache = process.env.WARROOM_PACKAGE_CACHE || join(root, '.cache', 'package');

/** The runtime every executable embeds: Node 24 LTS (end of life 2028-04-30), as the npm registry serves it. */
const NODE = {
  version: '24.22.3',
  integrity: {
    x64: 'sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==',
    arm64: 'sha512-IZx0J52/1NDwAsY2iyWR9nlPIYuYviTWetjj8+ElvYQh2+XRhLfCfkbFEF/2O5vGI2hcUbyPNHV+nz342FbJXw==',
  },
};
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function log(line) {
  process.stderr.write(`package: ${line}\n`);
}

function sha(algorithm, data, encoding = 'hex') {
  return createHash(algorithm).update(data).digest(encoding);
}

/** `npm pack SPEC` into the cache; the tarball's sha512 must be `integrity`. Returns its path. */
function fetchPackage(spec, integrity) {
  const dir = join(cache, 'tarballs');
  mkdirSync(dir, { recursive: true });
  const [info] = JSON.parse(execFileSync('npm', ['pack', spec, '--json', '--pack-destination', dir], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
  const tarball = join(dir, info.filename);
  const got = `sha512-${sha('sha512', readFileSync(tarball), 'base64')}`;
  if (got !== integrity) {
    rmSync(tarball, { force: true });
    throw new Error(`${spec}: the registry's tarball has integrity ${got}, expected ${integrity}`);
  }
  return tarball;
}

/** One file of a package tarball, extracted to `dest` (written beside and renamed: an interrupted run leaves nothing half-written). */
function extract(tarball, member, dest) {
  const tmp = mkdtempSync(join(cache, 'extract-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', tmp, `package/${member}`]);
    mkdirSync(dirname(dest), { recursive: true });
    renameSync(join(tmp, 'package', member), dest);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Drops the symbol table and debug info (about 18 MB of 127); the dynamic symbols addons link against stay. */
function strip(file, arch) {
  const tools = ['llvm-strip', ...(arch === process.arch ? ['strip'] : [])];
  for (const tool of tools) {
    try {
      execFileSync(tool, ['--strip-all', file], { stdio: 'ignore' });
      return tool;
    } catch {
      // not installed, or does not know this architecture: the next one
    }
  }
  log(`no strip tool for ${arch} (llvm-strip or binutils): the executable keeps Node's debug symbols`);
  return 'none';
}

/** The Node binary for linux-<arch>, stripped, from the cache or the registry. */
function nodeRuntime(arch) {
  const dir = join(cache, `node-v${NODE.version}-linux-${arch}`);
  const file = join(dir, 'node');
  if (!existsSync(file)) {
    log(`fetching node-linux-${arch}@${NODE.version} from the npm registry`);
    const tarball = fetchPackage(`node-linux-${arch}@${NODE.version}`, NODE.integrity[arch]);
    const partial = join(dir, 'node.partial');
    extract(tarball, 'bin/node', partial);
    writeFileSync(join(dir, 'stripped-by'), strip(partial, arch));
    renameSync(partial, file);
  }
  return { file, strippedBy: readFileSync(join(dir, 'stripped-by'), 'utf8') };
}

/** @lydell/node-pty's prebuilt pty.node for linux-<arch>, the version package-lock.json pins. */
function ptyAddon(arch) {
  const name = `@lydell/node-pty-linux-${arch}`;
  const locked = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')).packages[`node_modules/${name}`];
  if (!locked?.integrity) throw new Error(`package-lock.json does not pin ${name}: is @lydell/node-pty still the pty dependency?`);
  const file = join(cache, `node-pty-${locked.version}-linux-${arch}`, 'pty.node');
  if (!existsSync(file)) {
    log(`fetching ${name}@${locked.version} from the npm registry`);
    extract(fetchPackage(`${name}@${locked.version}`, locked.integrity), 'pty.node', file);
  }
  return file;
}

function buildExecutable(arch, bundle, hostNode) {
  const runtime = nodeRuntime(arch);
  const assets = { 'native/pty.node': ptyAddon(arch), 'list-decoder.cjs': join(root, 'dist', 'sea', 'list-decoder.cjs') };
  for (const f of readdirSync(join(root, 'themes')).filter((f) => f.endsWith('.yaml')).sort()) assets[`themes/${f}`] = join(root, 'themes', f);
  const output = join(root, 'dist', `warroom-linux-${arch}`);
  const work = join(root, 'dist', 'sea');
  const postjectVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'postject', 'package.json'), 'utf8')).version;
  const inputs = sha('sha256', JSON.stringify({
    node: NODE.version, arch, strippedBy: runtime.strippedBy, postjectVersion,
    script: sha('sha256', readFileSync(fileURLToPath(import.meta.url))),
    bundle: sha('sha256', readFileSync(bundle)),
    assets: Object.entries(assets).map(([key, file]) => [key, sha('sha256', readFileSync(file))]),
  }));
  const stamp = join(work, `warroom-linux-${arch}.inputs`);
  if (existsSync(output) && existsSync(stamp) && readFileSync(stamp, 'utf8') === inputs) {
    log(`dist/warroom-linux-${arch}: up to date`);
    return output;
  }
  const config = join(work, `sea-config-${arch}.json`);
  const blob = join(work, `warroom-linux-${arch}.blob`);
  writeFileSync(config, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, execArgv: launcherNodeFlags(), useSnapshot: false, useCodeCache: arch === process.arch, assets }, null, 2));
  // The blob is made by the same Node version it will run in (the host's build of it). V8's code cache
  // (about a third less CPU to the first frame) can only be made for the host's own architecture.
  execFileSync(hostNode, ['--experimental-sea-config', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const partial = `${output}.partial`;
  copyFileSync(runtime.file, partial);
  chmodSync(partial, 0o755);
  const postject = join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  try {
    // postject's ELF library warns about Node's many note sections; its output is shown only when it fails.
    execFileSync(process.execPath, [postject, partial, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE], { stdio: 'pipe' });
  } catch (err) {
    rmSync(partial, { force: true });
    throw new Error(`postject failed for ${arch}:\n${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: err });
  }
  renameSync(partial, output);
  writeFileSync(stamp, inputs);
  return output;
}

function parseArches(argv) {
  const i = argv.indexOf('--arch');
  const arches = i >= 0 ? (argv[i + 1] ?? '').split(',').filter(Boolean) : ['x64', 'arm64'];
  for (const a of arches) if (!NODE.integrity[a]) throw new Error(`--arch ${a}: only x64 and arm64 are packaged`);
  return arches;
}

async function main() {
  if (process.platform !== 'linux') throw new Error('npm run package builds the Linux executables on Linux only');
  if (!NODE.integrity[process.arch]) throw new Error(`npm run package runs on linux-x64 or linux-arm64, not ${process.arch}`);
  if (process.argv.includes('--runtime-dir')) {
    // For CI's second `npm test`: the folder of the Node the executables embed, to put first on PATH.
    process.stdout.write(`${dirname(nodeRuntime(process.arch).file)}\n`);
    return;
  }
  const arches = parseArches(process.argv.slice(2));
  const started = Date.now();
  mkdirSync(join(root, 'dist', 'sea'), { recursive: true });
  const bundle = join(root, 'dist', 'sea', 'warroom.cjs');
  await bundleForSea(root, relative(root, bundle));
  await bundleListDecoderForSea(root, relative(root, join(root, 'dist', 'sea', 'list-decoder.cjs')));
  const hostNode = nodeRuntime(process.arch).file;
  const built = arches.map((arch) => buildExecutable(arch, bundle, hostNode));
  const sums = built.map((file) => `${sha('sha256', readFileSync(file))}  ${relative(join(root, 'dist'), file)}\n`).join('');
  writeFileSync(join(root, 'dist', 'SHA256SUMS'), sums);
  // The executable this machine can run must start and say what it is, with no node anywhere on PATH.
  const own = built.find((f) => f.endsWith(`-${process.arch}`));
  if (own) {
    const version = execFileSync(own, ['--version'], { encoding: 'utf8', env: { PATH: '' } });
    if (!version.startsWith('warroom ')) throw new Error(`${own} --version printed:\n${version}`);
    log(version.trim().split('\n').join(' | '));
  }
  for (const file of built) log(`${relative(root, file)}: ${(statSync(file).size / 1e6).toFixed(1)} MB`);
  log(`dist/SHA256SUMS written; done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err) => {
  process.stderr.write(`package: ${err.message}\n`);
  process.exit(1);
});
