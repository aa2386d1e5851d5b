// @ts-expect-error: a build script, JavaScript without types
import { launcherNodeFlags } from '../../scripts/launcherFlags.mjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleUnderTest, keys, repoRoot } from '../tty/harness.js';
import { scratchDir } from '../support/scratchDir.js';

// The single executable (npm run package) on a machine with no Node: PATH is empty, and strace follows
// every process it starts (the demo platform, the shell in a pod) to show that none of them is a `node`.
// Run with `npm run test:package`, which builds it first.

const exe = join(repoRoot, 'dist', `warroom-linux-${process.arch}`);
const strace = ['/usr/bin/strace', '/bin/strace'].find((p) => existsSync(p));
const noNode = { PATH: '', HOME: process.env.HOME, LANG: 'C.UTF-8' };

let scratch: string;
let traced: number | undefined;

/** strace, the console and every process below them, by pid: a test stopped midway must leave none running. */
function killTree(root: number): void {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const ppid = Number(readFileSync(`/proc/${name}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const all = [root];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  for (const pid of all.reverse()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

afterAll(() => {
  if (traced !== undefined) killTree(traced);
});

beforeAll(() => {
  if (!existsSync(exe)) throw new Error(`${exe} is missing: run \`npm run package\` first (npm run test:package does)`);
  if (!strace) throw new Error('strace is needed to show that no node is executed (apt-get install strace)');
  scratch = scratchDir('warroom-sea-test-');
});

interface Exec {
  pid: number;
  path: string;
  argv: string;
}

/** The execve/execveat calls of an `strace -f -o FILE` log, failed ones too (a `node` looked up and not found counts). */
function execs(log: string): Exec[] {
  return [...readFileSync(log, 'utf8').matchAll(/^(\d+)\s+execve(?:at)?\((?:\d+, )?"([^"]*)", \[([^\]]*)\]/gm)].map((m) => ({ pid: Number(m[1]), path: m[2], argv: m[3] }));
}

/** Runs the executable without a terminal, under strace, with no PATH. */
function run(args: string[]): { status: number | null; stdout: string; stderr: string; execs: Exec[] } {
  const log = join(scratch, `strace-${Date.now()}.log`);
  const r = spawnSync(strace!, ['-f', '-qq', '-e', 'trace=execve,execveat', '-o', log, '--', exe, ...args], { env: noNode, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, execs: execs(log) };
}

function nodeExecs(list: Exec[]): Exec[] {
  return list.filter((e) => /^node(js)?$/.test(basename(e.path)));
}

describe('the single executable, with no node on the machine', () => {
  it('--version names warroom, its commit, the embedded Node LTS and the platform', () => {
    const r = run(['--version']);
    expect(r.status).toBe(0);
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    expect(r.stdout).toMatch(new RegExp(`^warroom ${pkg.version.replaceAll('.', '\\.')}\\n`));
    expect(r.stdout).toMatch(/^commit +[0-9a-f]{7,}/m);
    expect(r.stdout).toMatch(/^node +v(22|24)\.\d+\.\d+, embedded in this executable$/m);
    expect(r.stdout).toMatch(new RegExp(`^platform +linux-${process.arch}, glibc \\d+\\.\\d+$`, 'm'));
    // The node flags bin/warroom starts the console with, carried by the executable (its execArgv).
    expect(r.stdout).toMatch(new RegExp(`^flags +${launcherNodeFlags().join(' ')}$`, 'm'));
    expect(r.execs.map((e) => e.path)).toEqual([exe]);
  });

  it('--help prints the usage; a broken kubeconfig is one clear error naming the file, no stack trace', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('warroom demo [demo options]');
    const broken = join(scratch, 'broken-kubeconfig');
    writeFileSync(broken, 'apiVersion: v1\nkind: Config\nclusters: [ {name: a, cluster: {server: \n');
    const r = run(['--kubeconfig', broken]);
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^warroom: .*${broken}`, 'm'));
    expect(r.stderr).not.toMatch(/\s+at \S+ \(/);
    expect(nodeExecs([...help.execs, ...r.execs])).toEqual([]);
  });

  it('demo at 80x24: systems, a system\'s pods, a shell in a pod, q; the demo platform is the executable itself and nothing runs node', async () => {
    const log = join(scratch, 'strace-demo.log');
    const c = new ConsoleUnderTest(['demo', '--clusters', '1', '--pods', '300', '--seed', '1', '--no-churn'], {
      cols: 80,
      rows: 24,
      command: [strace!, '-f', '-qq', '-e', 'trace=execve,execveat', '-o', log, '--', exe],
      env: { ...noNode, XDG_CACHE_HOME: join(scratch, 'cache'), XDG_STATE_HOME: join(scratch, 'state'), XDG_CONFIG_HOME: join(scratch, 'config') },
    });
    traced = c.proc.pid;
    try {
      await c.waitFor('● live', 30_000);
      await c.waitFor(/SYSTEM.*PODS/);
      await c.type('/cart');
      c.press(keys.enter);
      await c.waitFor(/Systems +\(1 of \d+\) +filter: cart/);
      expect(c.selectedRow()).toContain('Shopping Cart');
      c.press('p');
      await c.waitFor(/Systems › (cart|Shopping Cart) › Pods/);
      await c.type('/cart-api');
      c.press(keys.enter);
      await c.waitFor((s) => s.includes('filter: cart-api') && /cart-api-\S+\s+\d\/\d\s+Running/.test(s));
      const pod = (c.selectedRow() ?? '').trim().split(/\s+/)[0];
      expect(pod).toMatch(/^cart-api-/);
      c.press('s');
      // Seed 1 gives cart-api an envoy sidecar: the picker comes first, its default container first.
      await c.waitFor(/which container\?[\s\S]*▸ cart-api +default/);
      c.press(keys.enter);
      await c.waitFor('warroom exec', 30_000);
      await c.waitFor(`[${pod}]`);
      await c.type('echo shell-says-$((6*7))\r');
      await c.waitFor(/^shell-says-42\s*$/m);
      await c.type('exit\r');
      await c.waitFor(/shell \/bin\/bash ended: exit 0/);
      c.press('q');
      expect(await c.exited).toBe(0);
      expect(c.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
    } finally {
      await c.quit();
    }
    const all = execs(log);
    // The trace followed every process: the console, the demo platform it started, the pod's shell.
    expect(all[0]?.path).toBe(exe);
    expect(all.some((e) => e.path === exe && e.argv.includes('--warroom-role=demo-platform') && e.pid !== all[0].pid)).toBe(true);
    expect(all.some((e) => e.path === '/bin/bash')).toBe(true);
    expect(nodeExecs(all)).toEqual([]);
    // node-pty's addon was written to the user's cache, privately, under its content hash.
    const native = join(scratch, 'cache', 'warroom', 'native');
    const found = execFileSync('find', [native, '-name', 'pty.node'], { encoding: 'utf8' }).trim().split('\n');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/\/native\/[0-9a-f]{16}\/pty\.node$/);
    const mode = (p: string) => statSync(p).mode & 0o777;
    expect([mode(join(scratch, 'cache', 'warroom')), mode(native), mode(dirname(found[0])), mode(found[0])]).toEqual([0o700, 0o700, 0o700, 0o500]);
  });
});
