import { loadLogsConfig } from '../../config/logsConfig.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { EsLogSource } from './esLogSource.js';
import { KubeLogSource } from './kubeLogSource.js';
import { LogsStore, type SourceChoice } from './logsStore.js';
import { DEFAULT_RING_LIMITS } from './logRing.js';

// Where a console's logs come from. Each time logs are opened the config file is read for the
// current kubeconfig context: Elasticsearch when configured, else the Kubernetes log API.

interface HasSession {
  readonly session: ReadSession;
}

export function chooseSources(runtime: HasSession): SourceChoice {
  const session = () => runtime.session;
  const fallback = new KubeLogSource(session);
  const contextName = runtime.session.contextName;
  let cfg;
  try {
    cfg = loadLogsConfig(contextName);
  } catch (err) {
    return { fallback, why: `${(err as Error).message}; using the Kubernetes log API`, limits: DEFAULT_RING_LIMITS };
  }
  if (cfg.elasticsearch) return { primary: new EsLogSource(cfg.elasticsearch), fallback, limits: cfg.limits };
  const why = cfg.problem
    ? `${cfg.problem}; using the Kubernetes log API`
    : `no Elasticsearch configured for context ${contextName}${cfg.configPath ? ` in ${cfg.configPath}` : ''}`;
  return { fallback, why, limits: cfg.limits };
}

/** The console's logs store (the runtime builds one). */
export function newLogsStore(runtime: HasSession): LogsStore {
  return new LogsStore(() => chooseSources(runtime));
}
