import { FIELD_PRESETS } from '../../../src/platform/logs/fieldMapping.js';
import type { EsConfig } from '../../../src/config/logsConfig.js';
import { startLogStore, type RunningLogStore } from '../../../src/demo/logs/logStoreServer.js';
import { staticPodView, type DemoLogPod } from '../../../src/demo/logs/podView.js';

// The Elasticsearch the logs contract runs against: WARROOM_ES_URL (the lab's real cluster,
// `npm run test:e2e`) or, when unset, the demo log store started here with a fixed set of pods.
// WARROOM_ES_FILTER=field=value: the context's filter (`contexts.<name>.elasticsearch.filter`), e.g. the
// lab's first cluster in the store both clusters ship into; every query of the suite carries it.

export interface LogsTarget {
  url: string;
  external: boolean;
  index: string;
  demo?: RunningLogStore;
  config(overrides?: Partial<EsConfig>): EsConfig;
  stop(): Promise<void>;
}

const HOUR = 3_600_000;

export function demoPods(now = Date.now()): DemoLogPod[] {
  const pods: DemoLogPod[] = [];
  for (const suffix of ['x2x9q', 'b7kpl', 'm4zt8']) {
    pods.push({ namespace: 'cart', name: `cart-api-6d9f7c5b8-${suffix}`, uid: `uid-api-${suffix}`, containers: ['api', 'istio-proxy'], deployment: 'cart-api', replicaSet: 'cart-api-6d9f7c5b8', runningSince: now - 2 * HOUR, restarts: 0, nodeName: 'node-1', labels: { app: 'cart-api' } });
  }
  for (const i of [0, 1]) pods.push({ namespace: 'cart', name: `cart-db-${i}`, uid: `uid-db-${i}`, containers: ['postgres'], statefulSet: 'cart-db', runningSince: now - 2 * HOUR, restarts: 0, nodeName: 'node-2' });
  // A sibling whose name shares the prefix: must not count as cart-api's.
  pods.push({ namespace: 'cart', name: 'cart-api-admin-5f6c7d8e9-qqqqq', uid: 'uid-admin', containers: ['admin'], deployment: 'cart-api-admin', runningSince: now - HOUR, restarts: 0 });
  pods.push({ namespace: 'search', name: 'search-web-7c8d9e0f1-aaaaa', uid: 'uid-search', containers: ['web'], deployment: 'search-web', runningSince: now - HOUR, restarts: 0 });
  return pods;
}

function filterFromEnv(): Record<string, string> | undefined {
  const raw = process.env.WARROOM_ES_FILTER;
  if (!raw) return undefined;
  const at = raw.indexOf('=');
  if (at < 1) throw new Error(`WARROOM_ES_FILTER must be field=value, got "${raw}"`);
  return { [raw.slice(0, at)]: raw.slice(at + 1) };
}

export async function startLogsTarget(): Promise<LogsTarget> {
  const external = process.env.WARROOM_ES_URL;
  const index = process.env.WARROOM_ES_INDEX ?? 'warroom-logs-*';
  const filter = external ? filterFromEnv() : undefined;
  const base = (url: string): EsConfig => ({ urls: [url], auth: { kind: 'none' }, index, fields: FIELD_PRESETS.ecs.fields, preset: 'ecs', filter, lateWindowMs: 5000, requestTimeoutMs: 10_000 });
  if (external) {
    const url = external.replace(/\/+$/, '');
    return { url, external: true, index, config: (o = {}) => ({ ...base(url), ...o }), stop: async () => undefined };
  }
  const demo = await startLogStore(staticPodView(demoPods()), { retentionMs: HOUR });
  return { url: demo.url, external: false, index, demo, config: (o = {}) => ({ ...base(demo.url), ...o }), stop: () => demo.close() };
}
