import type { LogsConfig } from '../../config/logsConfig.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { EsLogSource } from './esLogSource.js';
import { KubeLogSource } from './kubeLogSource.js';
import { LogsStore, type SourceChoice } from './logsStore.js';
import { DEFAULT_RING_LIMITS } from './logRing.js';

// Where a context's logs come from, decided each time logs are opened from the config file the
// CLI read: Elasticsearch when configured for the context, else the Kubernetes log API.

export interface LogsDeps {
  readonly session: ReadSession;
  /** The logs section for this context (throws a ConfigError on a bad value). */
  logsConfig(): LogsConfig;
}

export function chooseSources(deps: LogsDeps): SourceChoice {
  const session = () => deps.session;
  const fallback = new KubeLogSource(session);
  const contextName = deps.session.contextName;
  let cfg;
  try {
    cfg = deps.logsConfig();
  } catch (err) {
    return { fallback, why: `${(err as Error).message}; using the Kubernetes log API`, limits: DEFAULT_RING_LIMITS };
  }
  if (cfg.elasticsearch) return { primary: new EsLogSource(cfg.elasticsearch), fallback, limits: cfg.limits };
  const why = cfg.problem
    ? `${cfg.problem}; using the Kubernetes log API`
    : `no Elasticsearch configured for context ${contextName}${cfg.configPath ? ` in ${cfg.configPath}` : ''}`;
  return { fallback, why, limits: cfg.limits };
}

/** A context's logs store (the context runtime builds one). */
export function newLogsStore(deps: LogsDeps): LogsStore {
  return new LogsStore(() => chooseSources(deps));
}
