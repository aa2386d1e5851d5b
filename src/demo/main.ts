// Child-process entry of the demo platform (bundled to dist/demo-platform.mjs).
// stdout carries exactly one line, the ready JSON; everything else goes to stderr.
// The process ends when stdin closes, when its parent dies, or on SIGTERM/SIGINT/SIGHUP.
import { stageBurst } from './logs/lineGenerator.js';
import { existsSync, fstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Tokens } from './authz.js';
import { demoNames, writeKubeconfig } from './kubeconfig.js';
import { newTokens, startPlatform } from './platform.js';
import { CLUSTER_NAME, FLEET_MAX_CLUSTERS, siteOf } from './fleetScenario.js';
import { clusterPodView } from './logs/clusterPodView.js';
import { startLogStore } from './logs/logStoreServer.js';
import { clusterMetricsWorld } from './metrics/clusterMetricsWorld.js';
import { startDemoPrometheus } from './metrics/prometheusServer.js';
import { clusterAlertWorld, DemoAlertRules } from './alerts/alertRules.js';
import { startDemoAlertmanager } from './alerts/alertmanagerServer.js';
import { startWorkloadExporter } from './metrics/workloadExporter.js';
import { DEMO_PODS_MAX, DEMO_PODS_MIN } from './demoPodCount.js';
import { demoTlsMaterial, type DemoTlsMaterial } from './tlsCertificate.js';
import { X509Certificate } from 'node:crypto';
import { ownedTempDir } from '../platform/ownedTempDir.js';

interface Args {
  pods: number;
  seed: number;
  port: number;
  host: string;
  churn: boolean;
  stateDir?: string;
  bookmarkIntervalMs: number;
  listPageDelayMs: number;
  /** A data centre of a demo fleet: its name and position (fleetScenario.ts). */
  cluster?: string;
  clusterIndex?: number;
  logsPort: number;
  prometheusPort: number;
  alertmanagerPort: number;
  /** Serve the Kubernetes API over HTTPS (a certificate made at start; the kubeconfig trusts its CA). */
  tls: boolean;
}

function fail(message: string): never {
  process.stderr.write(`warroom demo platform: ${message}\n`);
  process.exit(2);
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { pods: 300, seed: 1, port: 0, host: '127.0.0.1', churn: true, bookmarkIntervalMs: 3000, listPageDelayMs: 0, logsPort: 0, prometheusPort: 0, alertmanagerPort: 0, tls: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    const int = (min: number, max: number): number => {
      const v = value();
      if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) fail(`${flag} must be an integer from ${min} to ${max}, got "${v}"`);
      return Number(v);
    };
    switch (flag) {
      case '--pods':
        args.pods = int(DEMO_PODS_MIN, DEMO_PODS_MAX);
        break;
      case '--seed':
        args.seed = int(0, 2 ** 31 - 1);
        break;
      case '--port':
        args.port = int(0, 65535);
        break;
      case '--host': {
        const v = value();
        if (v !== '127.0.0.1') fail(`--host must be 127.0.0.1 (the demo serves on loopback only), got "${v}"`);
        args.host = v;
        break;
      }
      case '--churn': {
        const v = value();
        if (v !== 'on' && v !== 'off') fail(`--churn must be on or off, got "${v}"`);
        args.churn = v === 'on';
        break;
      }
      case '--state-dir':
        args.stateDir = resolve(value());
        break;
      case '--bookmark-interval-ms':
        args.bookmarkIntervalMs = int(100, 600_000);
        break;
      case '--list-page-delay-ms':
        args.listPageDelayMs = int(0, 60_000);
        break;
      case '--cluster': {
        const v = value();
        if (!CLUSTER_NAME.test(v)) fail(`--cluster must be a DNS label (lowercase letters, digits, -; at most 32), got "${v}"`);
        args.cluster = v;
        break;
      }
      case '--cluster-index':
        args.clusterIndex = int(1, FLEET_MAX_CLUSTERS);
        break;
      case '--logs-port':
        args.logsPort = int(0, 65535);
        break;
      case '--prometheus-port':
        args.prometheusPort = int(0, 65535);
        break;
      case '--alertmanager-port':
        args.alertmanagerPort = int(0, 65535);
        break;
      case '--tls':
        args.tls = true;
        break;
      default:
        fail(`unknown argument "${flag}"`);
    }
  }
  if ((args.cluster === undefined) !== (args.clusterIndex === undefined)) fail('--cluster and --cluster-index go together');
  return args;
}

/**
 * The tokens of a state directory: those written by an earlier run (a cluster started again
 * keeps the kubeconfig written for it valid), else new ones, kept there for the next run.
 */
function stateTokens(stateDir: string | undefined): Tokens {
  const file = stateDir && join(stateDir, 'tokens.json');
  if (file && existsSync(file)) {
    const t = JSON.parse(readFileSync(file, 'utf8')) as Partial<Tokens>;
    if (typeof t.admin === 'string' && typeof t.restricted === 'string' && typeof t.operator === 'string') return t as Tokens;
  }
  const tokens = newTokens();
  if (file) writeFileSync(file, JSON.stringify(tokens), { mode: 0o600 });
  return tokens;
}

/**
 * The TLS material of a state directory: that of an earlier run while it stays valid for a day
 * more (a cluster started again keeps the kubeconfig's CA valid), else new, kept there (owner
 * only: it holds the serving key) for the next run.
 */
function stateTls(stateDir: string | undefined, host: string): DemoTlsMaterial {
  const file = stateDir && join(stateDir, 'tls.json');
  if (file && existsSync(file)) {
    const t = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoTlsMaterial>;
    if (typeof t.caPem === 'string' && typeof t.certPem === 'string' && typeof t.keyPem === 'string' && Date.parse(new X509Certificate(t.certPem).validTo) > Date.now() + 86_400_000) return t as DemoTlsMaterial;
  }
  const tls = demoTlsMaterial(host);
  if (file) writeFileSync(file, JSON.stringify(tls), { mode: 0o600 });
  return tls;
}

/**
 * Calls `stop` on SIGTERM, SIGINT, SIGHUP, when the parent closes our stdin and when the parent
 * is gone. Installed first thing, so a stop during start-up also ends the process through
 * process.exit (and its 'exit' handlers).
 */
function onStopRequest(stop: (why: string) => void): void {
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  // Only a pipe from a parent is a lifeline; a terminal or /dev/null (a backgrounded shell job) is not.
  const stdinKind = (() => {
    try {
      const st = fstatSync(0);
      return st.isFIFO() || st.isSocket() ? 'pipe' : 'other';
    } catch {
      return 'other';
    }
  })();
  if (stdinKind === 'pipe') {
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('close', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin error'));
    process.stdin.resume();
  }
  // A parent that dies without closing our stdin (SIGKILL with an inherited pipe) shows as a new ppid.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stop('parent exited');
  }, 1000).unref();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  // What to close on a stop: nothing until everything has started (a stop before that just exits).
  let closeAll = (): Promise<unknown> => Promise.resolve();
  let stopping = false;
  onStopRequest((why) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`warroom demo platform: stopping (${why})\n`);
    const force = setTimeout(() => process.exit(0), 2000);
    force.unref();
    void closeAll().finally(() => process.exit(0));
  });
  if (args.stateDir) mkdirSync(args.stateDir, { recursive: true, mode: 0o700 });
  // A directory the user named (--state-dir) stays; one made here holds this run's tokens only
  // and goes when the process ends, whichever way short of SIGKILL (then the parent that
  // started it removes it, see launch.ts).
  const stateDir = args.stateDir ?? ownedTempDir('warroom-demo-').path;
  const member = args.cluster !== undefined && args.clusterIndex !== undefined ? { name: args.cluster, index: args.clusterIndex } : undefined;
  const platform = await startPlatform({
    member,
    tokens: stateTokens(args.stateDir),
    // A fleet cluster may be stopped and started again under a watching console: counting from
    // the clock in microseconds puts every resourceVersion of this run above those of the last,
    // so a watch from before the stop gets 410 Gone and relists, as after an etcd compaction.
    firstResourceVersion: member ? Date.now() * 1000 : 0,
    pods: args.pods,
    seed: args.seed,
    churn: args.churn,
    host: args.host,
    port: args.port,
    bookmarkIntervalMs: args.bookmarkIntervalMs,
    listPageDelayMs: args.listPageDelayMs,
    tls: args.tls ? stateTls(args.stateDir, args.host) : undefined,
    // Under the state directory: gone with it, even after a SIGKILL (see launch.ts).
    scratchDir: stateDir,
    log: (line) => process.stderr.write(`warroom demo platform: ${line}\n`),
  });
  const names = demoNames(member?.name);
  const kubeconfig = join(stateDir, 'kubeconfig');
  writeKubeconfig(kubeconfig, platform.url, platform.tokens, names, platform.caPem);
  // The log store (Elasticsearch _search), the Prometheus-compatible endpoint and the
  // Alertmanager tell the same story as the API server; a warroom config file points both
  // contexts at them.
  const demoLog = (line: string) => process.stderr.write(`warroom demo platform: ${line}\n`);
  // Log lines are generated on demand for the pods and the window a search asks about, so
  // the log store keeps the generator's defaults at any size: the same lines, rate and hour
  // of history as the pods/log API serves.
  const logStore = await startLogStore(clusterPodView(platform.cluster), { host: args.host, port: args.logsPort });
  const metricsWorld = clusterMetricsWorld(platform.cluster);
  // Alerting rules over the cluster (dated back at this first evaluation, as if Prometheus had
  // been watching), served by the Prometheus endpoint and, once firing, by the Alertmanager.
  const alertRules = new DemoAlertRules(clusterAlertWorld(platform.cluster));
  alertRules.evaluate();
  const incident = platform.controller.incident;
  if (incident) {
    // The staged incident's alert: the application short of replicas from its pod's OOM kill until the HPA scaled it up.
    stageBurst(`${incident.namespace}/${incident.name}`, incident.oomAt);
    alertRules.seedHistory([{ labels: { alertname: 'KubeDeploymentReplicasMismatch', namespace: incident.namespace, deployment: incident.name, severity: 'warning' }, firedAt: incident.oomAt + 60_000, resolvedAt: incident.hpaAt + 60_000 }]);
  }
  const prometheus = await startDemoPrometheus({ world: metricsWorld, alerts: alertRules, log: demoLog, port: args.prometheusPort });
  const alertmanager = await startDemoAlertmanager({ rules: alertRules, prometheusUrl: prometheus.url, log: demoLog, port: args.alertmanagerPort });
  const workloads = await startWorkloadExporter({ world: metricsWorld });
  const config = join(stateDir, 'config.yaml');
  const contextConfig = `    elasticsearch: {urls: ["${logStore.url}"], index: "warroom-logs-*", fields: ecs}\n    prometheus: {url: "${prometheus.url}"}\n    alertmanager: {url: "${alertmanager.url}"}\n`;
  writeFileSync(config, `# Written by the warroom demo platform.\ncontexts:\n  ${names.context}:\n${contextConfig}  ${names.restrictedContext}:\n${contextConfig}`, { mode: 0o600 });

  closeAll = () => Promise.allSettled([logStore.close(), prometheus.close(), alertmanager.close(), workloads.close()]).then(() => platform.close());

  process.stderr.write(
    `warroom demo platform: ${member ? `cluster ${member.name} (${siteOf(member.index).region}), ` : ''}${args.pods} pods, seed ${args.seed}, churn ${args.churn ? 'on' : 'off'}, ready in ${Date.now() - started} ms at ${platform.url}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({ ready: true, url: platform.url, kubeconfig, cluster: names.cluster, context: names.context, restrictedContext: names.restrictedContext, operatorContext: names.operatorContext, config, logsUrl: logStore.url, prometheusUrl: prometheus.url, alertmanagerUrl: alertmanager.url, workloadMetricsUrl: workloads.url })}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`warroom demo platform: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
