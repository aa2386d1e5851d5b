// A demo fleet: one demo platform per data centre (dc1, dc2, ...), each its own child process
// with its own API server, Elasticsearch-compatible log store, Prometheus-compatible endpoint and Alertmanager,
// as real data centres have; one kubeconfig with a context per cluster (and each cluster's
// restricted and operator contexts); one warroom config file pointing each context at its own
// log store and Prometheus, with the fleet named `demo`. A cluster can be stopped and started
// again (same ports, same state directory and tokens, so the kubeconfig and config stay valid)
// to see that one cluster down never blocks the others. What differs between the clusters is in
// fleetScenario.ts.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { CLUSTER_NAME, FLEET_MAX_CLUSTERS, siteOf, type FleetMember } from './fleetScenario.js';
import { startDemoPlatform, type DemoPlatform, type DemoPlatformOptions } from './launch.js';
import { ownedTempDir } from '../platform/ownedTempDir.js';

/** The fleet's name in the config file it writes (`fleets: {demo: [...]}`). */
export const DEMO_FLEET = 'demo';

export interface DemoFleetOptions {
  /** Cluster names, in fleet order (1 to 5), e.g. ['dc1', 'dc2', 'dc3']. */
  clusters: string[];
  /** Pods per cluster. */
  pods?: number;
  seed?: number;
  churn?: boolean;
  /** Where the fleet's kubeconfig, config file and each cluster's state directory go (default: a new temporary directory). */
  stateDir?: string;
  bookmarkIntervalMs?: number;
  readyTimeoutMs?: number;
  entry?: string;
  /**
   * Also one Prometheus-compatible endpoint for the whole fleet, as a Thanos or Mimir in front
   * of the clusters' Prometheus servers (every series labelled with its cluster), named in the
   * config file as the fleet's (`fleets: {demo: {contexts, prometheus}}`). It runs in this
   * process and reads each cluster's pods over its API.
   */
  fleetPrometheus?: boolean;
  /** Each cluster serves its Kubernetes API over HTTPS (its own CA, in the kubeconfig). */
  tls?: boolean;
}

export interface FleetCluster {
  /** dc1 */
  name: string;
  /** 1-based position in the fleet: what the cluster's story hangs on (fleetScenario.ts). */
  index: number;
  region: string;
  zones: readonly string[];
  /** Stay the same across stop and start. */
  url: string;
  port: number;
  logsUrl: string;
  prometheusUrl: string;
  alertmanagerUrl: string;
  context: string;
  restrictedContext: string;
  operatorContext: string;
  stateDir: string;
  /** Whether its platform process runs now. */
  running: boolean;
  /** The running platform's process id (undefined while stopped). */
  pid: number | undefined;
}

export interface DemoFleet {
  /** One kubeconfig with every cluster's contexts; the first cluster's is the current context. */
  kubeconfigPath: string;
  /** The warroom config file: each context's log store and Prometheus, and `fleets: {demo: [...]}`. */
  configPath: string;
  /** The clusters' admin contexts in fleet order (the `demo` fleet). */
  contexts: string[];
  /** The fleet-wide endpoint (with `fleetPrometheus`): series of every cluster, label `cluster` = dc1, dc2, ... */
  fleetPrometheusUrl?: string;
  clusters: readonly FleetCluster[];
  cluster(name: string): FleetCluster;
  /** Stops one cluster's platform: its ports refuse connections until start(name). */
  stop(name: string): Promise<void>;
  /** Starts a stopped cluster again on the same ports with the same state directory and tokens. */
  start(name: string): Promise<void>;
  /** Stops every cluster and removes the fleet's directory if it made it (not a `stateDir` given to it). */
  close(): Promise<void>;
}

/** Free loopback ports from 20000-32767 (under Linux's default ephemeral range, 32768-60999). */
async function freePorts(count: number): Promise<number[]> {
  const out: number[] = [];
  for (let tries = 0; out.length < count && tries < count * 50; tries++) {
    const port = 20000 + Math.floor(Math.random() * 12768);
    if (!out.includes(port) && (await canListen(port))) out.push(port);
  }
  if (out.length < count) throw new Error(`no ${count} free ports on 127.0.0.1 between 20000 and 32767 for the demo fleet`);
  return out;
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

export function checkClusterNames(names: readonly string[]): void {
  if (names.length < 1 || names.length > FLEET_MAX_CLUSTERS) throw new Error(`a demo fleet has 1 to ${FLEET_MAX_CLUSTERS} clusters, got ${names.length}`);
  for (const n of names) if (!CLUSTER_NAME.test(n)) throw new Error(`demo cluster name "${n}" is not a DNS label (lowercase letters, digits, -)`);
  if (new Set(names).size !== names.length) throw new Error(`demo cluster names must differ: ${names.join(', ')}`);
}

interface KubeconfigDoc {
  clusters?: unknown[];
  users?: unknown[];
  contexts?: unknown[];
}

export async function startDemoFleet(opts: DemoFleetOptions): Promise<DemoFleet> {
  checkClusterNames(opts.clusters);
  // A root of our own goes with the fleet's close (or this process's exit); one the caller named stays.
  // The clusters' state directories are under it and named to them, so stopping one keeps its own.
  const owned = opts.stateDir ? undefined : ownedTempDir('warroom-fleet-');
  const root = opts.stateDir ?? owned!.path;
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const members: FleetMember[] = opts.clusters.map((name, i) => ({ name, index: i + 1 }));
  const launchOptions = (m: FleetMember): DemoPlatformOptions => ({
    pods: opts.pods,
    seed: opts.seed,
    churn: opts.churn,
    bookmarkIntervalMs: opts.bookmarkIntervalMs,
    readyTimeoutMs: opts.readyTimeoutMs,
    entry: opts.entry,
    member: m,
    stateDir: join(root, m.name),
    tls: opts.tls,
  });

  // Ports below the kernel's ephemeral range: a stopped cluster comes back on the same ports,
  // and an ephemeral port could meanwhile be taken by any outgoing connection on the machine.
  const ports = await freePorts(members.length * 4);
  const portsOf = (i: number) => ({ api: ports[4 * i], logs: ports[4 * i + 1], prometheus: ports[4 * i + 2], alertmanager: ports[4 * i + 3] });
  const started = await Promise.allSettled(members.map((m, i) => startDemoPlatform({ ...launchOptions(m), ports: portsOf(i) })));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    owned?.remove();
    throw failed.reason;
  }
  const platforms = new Map<string, DemoPlatform | undefined>();
  const clusters: FleetCluster[] = members.map((m, i) => {
    const p = (started[i] as PromiseFulfilledResult<DemoPlatform>).value;
    platforms.set(m.name, p);
    const site = siteOf(m.index);
    return {
      name: m.name,
      index: m.index,
      region: site.region,
      zones: site.zones,
      url: p.url,
      port: portOf(p.url),
      logsUrl: p.logsUrl,
      prometheusUrl: p.prometheusUrl,
      alertmanagerUrl: p.alertmanagerUrl,
      context: p.context,
      restrictedContext: p.restrictedContext,
      operatorContext: p.operatorContext,
      stateDir: join(root, m.name),
      running: true,
      pid: p.pid,
    };
  });

  // One kubeconfig and one config file from the clusters' own (their names are already distinct).
  const kubeconfigs = [...platforms.values()].map((p) => parse(readFileSync(p!.kubeconfigPath, 'utf8')) as KubeconfigDoc);
  const kubeconfigPath = join(root, 'kubeconfig');
  writeFileSync(
    kubeconfigPath,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: kubeconfigs.flatMap((k) => k.clusters ?? []),
      users: kubeconfigs.flatMap((k) => k.users ?? []),
      contexts: kubeconfigs.flatMap((k) => k.contexts ?? []),
      'current-context': clusters[0].context,
    }),
    { mode: 0o600 },
  );
  chmodSync(kubeconfigPath, 0o600);
  const contexts: Record<string, unknown> = {};
  for (const p of platforms.values()) Object.assign(contexts, (parse(readFileSync(p!.configPath, 'utf8')) as { contexts?: Record<string, unknown> }).contexts);
  const fleetProm = opts.fleetPrometheus ? await startFleetPrometheus(kubeconfigPath, clusters) : undefined;
  const fleetContexts = clusters.map((c) => c.context);
  // Its cluster label says dc1, not warroom-demo-dc1: the config maps each context to its value.
  const fleet = fleetProm ? { contexts: fleetContexts, prometheus: { url: fleetProm.url, clusterLabel: 'cluster', clusters: Object.fromEntries(clusters.map((c) => [c.context, c.name])) } } : fleetContexts;
  const configPath = join(root, 'config.yaml');
  writeFileSync(
    configPath,
    `# Written by warroom demo --clusters ${clusters.length}: each context's own log store and Prometheus, and the fleet${fleetProm ? ' with its fleet-wide Prometheus' : ''}.\n${stringify({ fleets: { [DEMO_FLEET]: fleet }, contexts })}`,
    { mode: 0o600 },
  );

  const find = (name: string): FleetCluster => {
    const c = clusters.find((x) => x.name === name);
    if (!c) throw new Error(`no demo cluster "${name}" in this fleet (${clusters.map((x) => x.name).join(', ')})`);
    return c;
  };
  const stop = async (name: string) => {
    const c = find(name);
    const p = platforms.get(name);
    platforms.set(name, undefined);
    c.running = false;
    c.pid = undefined;
    await p?.stop();
  };
  return {
    kubeconfigPath,
    configPath,
    contexts: fleetContexts,
    fleetPrometheusUrl: fleetProm?.url,
    clusters,
    cluster: find,
    stop,
    async start(name) {
      const c = find(name);
      if (platforms.get(name)) return;
      const m = members[c.index - 1];
      const p = await startDemoPlatform({ ...launchOptions(m), ports: { api: c.port, logs: portOf(c.logsUrl), prometheus: portOf(c.prometheusUrl), alertmanager: portOf(c.alertmanagerUrl) } });
      if (p.url !== c.url || p.logsUrl !== c.logsUrl || p.prometheusUrl !== c.prometheusUrl || p.alertmanagerUrl !== c.alertmanagerUrl) {
        await p.stop();
        throw new Error(`demo cluster ${name} came back at ${p.url} instead of ${c.url}`);
      }
      platforms.set(name, p);
      c.running = true;
      c.pid = p.pid;
    },
    async close() {
      await Promise.all([...clusters.map((c) => stop(c.name)), fleetProm?.close()]);
      owned?.remove();
    },
  };
}

/** One endpoint over every cluster's pods, each series labelled with its cluster (dc1, ...). */
async function startFleetPrometheus(kubeconfigPath: string, clusters: readonly FleetCluster[]): Promise<{ url: string; close(): Promise<void> }> {
  const [{ kubeApiMetricsWorld, kubeconfigEndpoint }, { fleetMetricsWorld }, { startDemoPrometheus }] = await Promise.all([
    import('./metrics/kubeApiMetricsWorld.js'),
    import('./metrics/metricsWorld.js'),
    import('./metrics/prometheusServer.js'),
  ]);
  // The pods' own times (no invented history): the same series as each cluster's own endpoint.
  const worlds = await Promise.all(clusters.map(async (c) => ({ cluster: c.name, world: await kubeApiMetricsWorld({ ...kubeconfigEndpoint(kubeconfigPath, c.context), historyMs: 0 }) })));
  const server = await startDemoPrometheus({ world: fleetMetricsWorld(worlds) });
  return {
    url: server.url,
    async close() {
      for (const w of worlds) w.world.stop();
      await server.close();
    },
  };
}
