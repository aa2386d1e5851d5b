// Assembles the demo platform in-process: scenario -> cluster state -> controller -> API server.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { ApiServer } from './apiServer.js';
import type { Tokens } from './authz.js';
import { Cluster } from './cluster.js';
import { Controller } from './controller.js';
import type { PodRecord } from './records.js';
import { clusterPodView } from './logs/clusterPodView.js';
import { servePodLog } from './logs/podLogHandler.js';
import { buildScenario } from './scenario.js';
import { fleetScenario, memberPodSeed, type FleetMember } from './fleetScenario.js';
import { loadDisruptionBudgets, refreshDisruptionBudgets } from './disruptionBudgets.js';
import { RolloutRestarter } from './rolloutRestarter.js';
import { loadBatch } from './batch.js';
import { loadConfigMaps } from './configMaps.js';
import { loadIngresses } from './ingresses.js';
import { loadPromotions } from './promotions.js';
import { ServiceEndpoints } from './services.js';
import type { DemoTlsMaterial } from './tlsCertificate.js';

export interface PlatformOptions {
  pods: number;
  seed: number;
  churn: boolean;
  host?: string;
  port?: number;
  bookmarkIntervalMs?: number;
  /** Every list page after the first is answered this much later (a slow API server). */
  listPageDelayMs?: number;
  /** Retained watch history (events younger than this). */
  watchWindowMs?: number;
  tokens?: Tokens;
  log?: (line: string) => void;
  /** The controller's clock (default Date.now): a test moves it and calls controller.tick(). */
  now?: () => number;
  /** One data centre of a demo fleet (fleetScenario.ts); without it, the single demo cluster. */
  member?: FleetMember;
  /** The resourceVersion the platform starts counting from (default 0). */
  firstResourceVersion?: number;
  /** Serve the Kubernetes API over HTTPS with this material (tlsCertificate.ts) instead of plain HTTP. */
  tls?: DemoTlsMaterial;
  /** Where exec shells get their pods' scratch directories (default the temp directory). */
  scratchDir?: string;
}

export interface RunningPlatform {
  url: string;
  port: number;
  tokens: Tokens;
  /** PEM of the CA that signed the API server's certificate (with `tls`). */
  caPem?: string;
  cluster: Cluster;
  controller: Controller;
  close(): Promise<void>;
}

export function newTokens(): Tokens {
  return { admin: `wr-admin-${randomBytes(24).toString('base64url')}`, restricted: `wr-restricted-${randomBytes(24).toString('base64url')}`, operator: `wr-operator-${randomBytes(24).toString('base64url')}` };
}

export async function startPlatform(options: PlatformOptions): Promise<RunningPlatform> {
  const cluster = new Cluster({ windowMs: options.watchWindowMs ?? 150_000, maxEvents: Math.max(20_000, options.pods / 2) }, options.firstResourceVersion);
  const { member } = options;
  const podSeed = member ? memberPodSeed(options.seed, member.index) : options.seed;
  const controller = new Controller(cluster, { churn: options.churn, seed: podSeed, now: options.now, maxEvents: Math.max(500, Math.min(5000, Math.round(options.pods / 20))) });
  controller.bootstrap(member ? fleetScenario(options.seed, options.pods, member) : buildScenario(options.seed, options.pods));
  loadDisruptionBudgets(cluster);
  loadBatch(cluster);
  loadConfigMaps(cluster);
  loadIngresses(cluster);
  loadPromotions(cluster);
  const services = new ServiceEndpoints(cluster);
  // These join the start-up baseline (no watch events yet, so sealing again is safe).
  cluster.sealBaseline();
  controller.start();
  const pdbTimer = setInterval(() => {
    refreshDisruptionBudgets(cluster);
    services.refresh();
  }, 1000);
  pdbTimer.unref();
  const tokens = options.tokens ?? newTokens();
  // Pod logs come from the demo log store's generator, so the log API and Elasticsearch tell the same story.
  const pods = clusterPodView(cluster);
  const podLog = (res: ServerResponse, pod: PodRecord, query: URLSearchParams) => {
    const { namespace, name, uid } = pod.meta;
    const current = () => {
      const p = pods.pod(namespace, name);
      return p && p.uid === uid ? p : undefined;
    };
    servePodLog(res, current()!, query, { current });
  };
  const restarter = new RolloutRestarter(cluster, controller);
  const api = new ApiServer({ cluster, controller, tokens, bookmarkIntervalMs: options.bookmarkIntervalMs ?? 3000, listPageDelayMs: options.listPageDelayMs, log: options.log, podLog, restart: (r, key, at) => restarter.restart(r, key, at), tls: options.tls && { key: options.tls.keyPem, cert: options.tls.certPem }, scratchDir: options.scratchDir });
  const host = options.host ?? '127.0.0.1';
  const port = await api.listen(host, options.port ?? 0);
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    tokens,
    caPem: options.tls?.caPem,
    cluster,
    controller,
    async close() {
      controller.stop();
      clearInterval(pdbTimer);
      services.stop();
      restarter.stop();
      await api.close();
    },
  };
}
