// Starts the demo platform as a child process and waits for its ready line.
// Used by `warroom demo` and by every test that needs a Kubernetes API.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Socket } from 'node:net';
import { removeDir } from '../platform/ownedTempDir.js';
import { singleExecutable } from '../sea/singleExecutable.js';
import type { FleetMember } from './fleetScenario.js';

export interface DemoPlatformOptions {
  pods?: number;
  seed?: number;
  churn?: boolean;
  stateDir?: string;
  /** Bookmark interval for watches that allow bookmarks (default 3000 ms). */
  bookmarkIntervalMs?: number;
  /** Every list page after the first is answered this much later: a slow API server (default 0). */
  listPageDelayMs?: number;
  /** How long to wait for the ready line (default 60 s; 100,000 pods take a few seconds). */
  readyTimeoutMs?: number;
  /** Path of the bundled entry (default <repo>/dist/demo-platform.mjs). */
  entry?: string;
  /** One data centre of a demo fleet (see fleet.ts); without it, the single demo cluster. */
  member?: FleetMember;
  /** Ports to listen on (default: any free port); a cluster started again takes the ports it had. */
  ports?: { api?: number; logs?: number; prometheus?: number; alertmanager?: number };
  /** Serve the Kubernetes API over HTTPS (a CA and certificate made at start, trusted by the kubeconfig). */
  tls?: boolean;
}

export interface DemoPlatform {
  url: string;
  /** The kubeconfig's cluster name (warroom-demo, or warroom-demo-dc1 in a fleet). */
  cluster: string;
  kubeconfigPath: string;
  context: string;
  restrictedContext: string;
  /** May scale Deployments in a few systems (see authz.ts). */
  operatorContext: string;
  /** A warroom config file pointing both contexts at the demo's log store, Prometheus and Alertmanager. */
  configPath: string;
  /** The demo's Elasticsearch-compatible log store. */
  logsUrl: string;
  /** The demo's Prometheus-compatible query endpoint (with the alerting rules' /api/v1/alerts and /api/v1/rules). */
  prometheusUrl: string;
  /** The demo's Alertmanager (API v2: alerts, groups, silences). */
  alertmanagerUrl: string;
  pid: number;
  stop(): Promise<void>;
}

interface ReadyLine {
  ready: true;
  url: string;
  kubeconfig: string;
  cluster: string;
  context: string;
  restrictedContext: string;
  operatorContext: string;
  config: string;
  logsUrl: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
}

/** Walks up from this module to the package.json named "warroom" (works from src/, dist/ and dist/chunks/). */
export function findRepoRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'warroom') return dir;
      } catch {
        // not our package.json; keep walking
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the warroom package root above ${from}`);
    dir = parent;
  }
}

function unrefChild(child: ChildProcess): void {
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) (stream as unknown as Socket | null)?.unref?.();
}

export async function startDemoPlatform(opts: DemoPlatformOptions = {}): Promise<DemoPlatform> {
  // The single executable runs the demo platform itself (process.execPath is the executable): no `node` needed.
  const sea = opts.entry ? undefined : singleExecutable();
  const entry = sea ? process.execPath : (opts.entry ?? join(findRepoRoot(), 'dist', 'demo-platform.mjs'));
  if (!sea && !existsSync(entry)) throw new Error(`demo platform bundle not found at ${entry}; run \`npm run build\` first`);
  const args = [...(sea ? sea.demoPlatformArgs : [entry]), '--pods', String(opts.pods ?? 300), '--seed', String(opts.seed ?? 1), '--churn', opts.churn === false ? 'off' : 'on'];
  if (opts.stateDir) args.push('--state-dir', opts.stateDir);
  if (opts.bookmarkIntervalMs) args.push('--bookmark-interval-ms', String(opts.bookmarkIntervalMs));
  if (opts.listPageDelayMs) args.push('--list-page-delay-ms', String(opts.listPageDelayMs));
  if (opts.member) args.push('--cluster', opts.member.name, '--cluster-index', String(opts.member.index));
  if (opts.ports?.api) args.push('--port', String(opts.ports.api));
  if (opts.ports?.logs) args.push('--logs-port', String(opts.ports.logs));
  if (opts.ports?.prometheus) args.push('--prometheus-port', String(opts.ports.prometheus));
  if (opts.ports?.alertmanager) args.push('--alertmanager-port', String(opts.ports.alertmanager));
  if (opts.tls) args.push('--tls');
  // stdin stays an open pipe: when this process dies the pipe closes and the platform exits with it.
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-16_384);
  });
  const timeoutMs = opts.readyTimeoutMs ?? 60_000;
  const ready = await new Promise<ReadyLine>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`demo platform (${entry}) did not report ready within ${timeoutMs} ms${stderr ? `; its stderr:\n${stderr}` : ''}`));
    }, timeoutMs);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      reject(new Error(`demo platform (${entry}) exited before it was ready (${signal ?? `exit code ${code}`})${stderr ? `; its stderr:\n${stderr}` : ''}`));
    };
    child.once('exit', onExit);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the demo platform with ${process.execPath}: ${err.message}`));
    });
    child.stdout!.setEncoding('utf8');
    child.stdout!.on('data', (chunk: string) => {
      stdout += chunk;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      try {
        const line = JSON.parse(stdout.slice(0, nl)) as ReadyLine;
        if (line.ready !== true || typeof line.url !== 'string') throw new Error('not a ready line');
        resolve(line);
      } catch {
        child.kill('SIGKILL');
        reject(new Error(`demo platform printed an unexpected line: ${stdout.slice(0, nl)}`));
      }
    });
  });
  unrefChild(child);
  // A state directory the platform made itself is its own to remove when it ends; if it could
  // not (SIGKILL, the OOM killer), the process that started it does, once it is gone.
  const ownStateDir = opts.stateDir ? undefined : dirname(ready.kubeconfig);
  const exited = new Promise<void>((resolve) => {
    const gone = () => {
      if (ownStateDir) removeDir(ownStateDir);
      resolve();
    };
    if (child.exitCode !== null || child.signalCode !== null) gone();
    else child.once('exit', gone);
  });
  return {
    url: ready.url,
    cluster: ready.cluster,
    kubeconfigPath: ready.kubeconfig,
    context: ready.context,
    restrictedContext: ready.restrictedContext,
    operatorContext: ready.operatorContext,
    configPath: ready.config,
    logsUrl: ready.logsUrl,
    prometheusUrl: ready.prometheusUrl,
    alertmanagerUrl: ready.alertmanagerUrl,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
