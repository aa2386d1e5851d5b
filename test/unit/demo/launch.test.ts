// The demo platform as a child process: ready-line protocol, kubeconfig, and no orphans, nor
// directories left behind.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Exec, KubeConfig } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { findRepoRoot, startDemoPlatform } from '../../../src/demo/launch.js';
import { ensureDemoBundle } from '../../contract/demoBundle.js';
import { scratchDir } from '../../support/scratchDir.js';

let entry: string;
beforeAll(async () => {
  entry = await ensureDemoBundle();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function fetchAs(kc: KubeConfig, url: string): Promise<Response> {
  const opts: { headers: Record<string, string> } = { headers: {} };
  await kc.applyToHTTPSOptions(opts);
  return fetch(url, { headers: opts.headers });
}

async function readyLine(child: ChildProcessWithoutNullStreams): Promise<{ kubeconfig: string }> {
  let stdout = '';
  child.stdout.setEncoding('utf8');
  return new Promise((resolve) => {
    child.stdout.on('data', (c: string) => {
      stdout += c;
      if (stdout.includes('\n')) resolve(JSON.parse(stdout) as { kubeconfig: string });
    });
  });
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

describe('startDemoPlatform', () => {
  it('finds the repository root from src/', () => {
    const root = findRepoRoot();
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('warroom');
  });

  it('starts, writes a private kubeconfig with its three contexts, answers, and stops', async () => {
    const stateDir = scratchDir('warroom-demo-test-');
    const demo = await startDemoPlatform({ pods: 100, churn: false, stateDir, entry });
    try {
      expect(demo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(demo.kubeconfigPath).toBe(join(stateDir, 'kubeconfig'));
      expect(statSync(demo.kubeconfigPath).mode & 0o777).toBe(0o600);
      expect([demo.context, demo.restrictedContext]).toEqual(['warroom-demo', 'warroom-demo-restricted']);
      const kc = new KubeConfig();
      kc.loadFromFile(demo.kubeconfigPath);
      expect(kc.getCurrentContext()).toBe('warroom-demo');
      expect(kc.getContexts().map((c) => c.name).sort()).toEqual(['warroom-demo', 'warroom-demo-operator', 'warroom-demo-restricted']);
      expect(kc.getCurrentCluster()?.server).toBe(demo.url);
      expect(kc.getContextObject('warroom-demo')?.namespace).toBeUndefined();
      const r = await fetchAs(kc, `${demo.url}/api/v1/namespaces`);
      expect(r.status).toBe(200);
      const version = await (await fetch(`${demo.url}/version`)).json();
      expect(version.major).toBe('1');
    } finally {
      await demo.stop();
    }
    expect(await waitGone(demo.pid, 3000)).toBe(true);
  });

  it('reports a child that fails to start, with its stderr', async () => {
    await expect(startDemoPlatform({ pods: 5, entry })).rejects.toThrow(/--pods must be an integer from 100 to 100000/);
  });
});

describe('demo platform process', () => {
  it('prints exactly one JSON line on stdout and exits when stdin closes', async () => {
    const child = spawn(process.execPath, [entry, '--pods', '100', '--churn', 'off'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    await new Promise<void>((resolve) => {
      const check = () => (stdout.includes('\n') ? resolve() : setTimeout(check, 20));
      check();
    });
    const line = JSON.parse(stdout.trim());
    expect(Object.keys(line).sort()).toEqual(['alertmanagerUrl', 'cluster', 'config', 'context', 'kubeconfig', 'logsUrl', 'operatorContext', 'prometheusUrl', 'ready', 'restrictedContext', 'url', 'workloadMetricsUrl']);
    expect(line.ready).toBe(true);
    // Without --cluster: the single demo's names, as before fleets.
    expect([line.cluster, line.context, line.restrictedContext, line.operatorContext]).toEqual(['warroom-demo', 'warroom-demo', 'warroom-demo-restricted', 'warroom-demo-operator']);
    // The console reads this config in `warroom demo`: both contexts reach the demo's log store, Prometheus and Alertmanager.
    const config = (await import('node:fs')).readFileSync(line.config, 'utf8');
    expect(config.match(new RegExp(line.logsUrl.replace(/[.]/g, '\\.'), 'g'))).toHaveLength(2);
    expect(config.match(new RegExp(line.prometheusUrl.replace(/[.]/g, '\\.'), 'g'))).toHaveLength(2);
    expect(config.match(new RegExp(`alertmanager: \\{url: "${line.alertmanagerUrl.replace(/[.]/g, '\\.')}"`, 'g'))).toHaveLength(2);
    // Its state directory (no --state-dir: one of its own, with the kubeconfig's tokens) goes with it.
    const stateDir = dirname(line.kubeconfig);
    expect(basename(stateDir)).toMatch(/^warroom-demo-/);
    expect(existsSync(stateDir)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(existsSync(stateDir)).toBe(false);
  });

  it('does not outlive a parent that is killed', async () => {
    // A parent that starts the platform and then dies with SIGKILL (no chance to clean up).
    const script = `
      const { spawn } = require('node:child_process');
      const c = spawn(process.execPath, [${JSON.stringify(entry)}, '--pods', '100', '--churn', 'off'], { stdio: ['pipe', 'pipe', 'inherit'] });
      c.stdout.once('data', (d) => { process.stdout.write(JSON.stringify({ pid: c.pid, kubeconfig: JSON.parse(String(d)).kubeconfig }) + '\\n'); });
    `;
    const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const { pid, kubeconfig } = await new Promise<{ pid: number; kubeconfig: string }>((resolve) => parent.stdout.setEncoding('utf8').once('data', (d: string) => resolve(JSON.parse(d))));
    expect(alive(pid)).toBe(true);
    expect(existsSync(kubeconfig)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitGone(pid, 5000)).toBe(true);
    // No one was left to clean up after it but itself.
    expect(existsSync(dirname(kubeconfig))).toBe(false);
  });

  it('exits on SIGTERM, and removes the state directory it made for itself', async () => {
    const child = spawn(process.execPath, [entry, '--pods', '100'], { stdio: ['pipe', 'pipe', 'pipe'] });
    const line = await readyLine(child);
    expect(existsSync(line.kubeconfig)).toBe(true);
    expect(statSync(dirname(line.kubeconfig)).mode & 0o777).toBe(0o700);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(dirname(line.kubeconfig))).toBe(false);
  });

  it('keeps a --state-dir the user named, with its kubeconfig and tokens, after SIGTERM', async () => {
    const stateDir = join(scratchDir('warroom-demo-test-'), 'mine');
    const child = spawn(process.execPath, [entry, '--pods', '100', '--state-dir', stateDir], { stdio: ['pipe', 'pipe', 'pipe'] });
    const line = await readyLine(child);
    expect(line.kubeconfig).toBe(join(stateDir, 'kubeconfig'));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readdirSync(stateDir).sort()).toEqual(['config.yaml', 'kubeconfig', 'tokens.json']);
  });

  it('a SIGTERM while it starts (before its ready line) ends it cleanly, leaving nothing in the temp directory', async () => {
    const tmp = scratchDir('warroom-demo-test-');
    const child = spawn(process.execPath, [entry, '--pods', '20000'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, TMPDIR: tmp } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Its state directory is the first thing it makes.
    for (const deadline = Date.now() + 10_000; readdirSync(tmp).length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 5));
    expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^warroom-demo-/)]);
    expect(stdout).toBe('');
    child.kill('SIGTERM');
    // Handled, not the default death: it stops through its own exit (after the start it is in, which does not yield).
    expect(await exited).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('startDemoPlatform and the state directory', () => {
  it('removes the directory of a platform that was SIGKILLed (it could not)', async () => {
    const demo = await startDemoPlatform({ pods: 100, churn: false, entry });
    const stateDir = dirname(demo.kubeconfigPath);
    expect(existsSync(stateDir)).toBe(true);
    process.kill(demo.pid, 'SIGKILL');
    expect(await waitGone(demo.pid, 5000)).toBe(true);
    await demo.stop();
    expect(existsSync(stateDir)).toBe(false);
  });

  it('puts exec shells\' pod directories under it, so they go with it too', async () => {
    const demo = await startDemoPlatform({ pods: 100, churn: false, entry });
    const stateDir = dirname(demo.kubeconfigPath);
    const kc = new KubeConfig();
    kc.loadFromFile(demo.kubeconfigPath);
    const pods = (await (await fetchAs(kc, `${demo.url}/api/v1/namespaces/trade/pods`)).json()) as { items: Array<{ metadata: { name: string }; spec: { containers: Array<{ name: string }> }; status: { phase: string } }> };
    const pod = pods.items.find((p) => p.status.phase === 'Running')!;
    let out = '';
    const stdout = new PassThrough().on('data', (c: Buffer) => (out += c.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      new Exec(kc).exec('trade', pod.metadata.name, pod.spec.containers[0].name, ['pwd'], stdout, new PassThrough(), null, false, () => resolve()).catch(reject);
    });
    expect(out.trim().startsWith(`${stateDir}/`)).toBe(true);
    expect(existsSync(out.trim())).toBe(true);
    process.kill(demo.pid, 'SIGKILL');
    await demo.stop();
    expect(existsSync(stateDir)).toBe(false);
  });

  it('keeps a stateDir it was given when the platform was SIGKILLed', async () => {
    const stateDir = scratchDir('warroom-demo-test-');
    const demo = await startDemoPlatform({ pods: 100, churn: false, entry, stateDir });
    process.kill(demo.pid, 'SIGKILL');
    await demo.stop();
    expect(existsSync(join(stateDir, 'kubeconfig'))).toBe(true);
  });
});
