import { existsSync, readFileSync } from 'node:fs';
import { checkPromql } from '../platform/metrics/promqlCheck.js';
import { DEFAULT_CHARTS, renderTemplate, TemplateError } from '../platform/metrics/queryTemplates.js';
import { ConfigError, section, type ConfigFile } from './configFile.js';
import { httpUrl, mapping, num, str } from './configValues.js';

// The metrics part of the config file, per kubeconfig context: where its Prometheus (or a
// Prometheus-compatible API: Thanos, Mimir, VictoriaMetrics) is, how to authenticate, and
// optional PromQL overrides. Secrets come from environment variables or files named in the
// config, never from the config itself, and are never shown.
//
//   contexts:
//     prod-eu:
//       prometheus:
//         url: https://prometheus.prod-eu.example        # or proxy: {namespace, service, port[, scheme]}
//         bearerTokenEnv: WARROOM_PROM_TOKEN              # or bearerTokenFile, or basicAuth: {username, passwordEnv}
//         caFile: /etc/warroom/prom-ca.pem
//         headers: {X-Scope-OrgID: prod}                 # e.g. Mimir tenant
//         refreshSeconds: 10
//         rateWindow: 1m                                 # the smallest rate() window; grows with the step
//         scrapeInterval: 15s
//         timeoutSeconds: 15
//         queries:                                       # replace a default chart line (see queryTemplates.ts)
//           cpu: {usage: 'sum by ($by) (rate(container_cpu_usage_seconds_total{$selector}[$rate]))'}
//
// `warroom demo` (and tests) give the URL programmatically with usePrometheusFor().

export type PrometheusAuth =
  | { kind: 'none' }
  | { kind: 'bearer'; token: () => string | undefined; source: string }
  | { kind: 'basic'; username: string; password: () => string | undefined; source: string };

export interface PrometheusConfig {
  url?: string;
  proxy?: { namespace: string; service: string; port: number | string; scheme?: 'http' | 'https' };
  auth: PrometheusAuth;
  caFile?: string;
  headers: Record<string, string>;
  refreshMs: number;
  rateWindowSeconds: number;
  scrapeIntervalSeconds: number;
  timeoutMs: number;
  queries?: Record<string, Record<string, string>>;
}

export interface MetricsConfig {
  configPath: string;
  prometheus?: PrometheusConfig;
  /** Why charts cannot be drawn (nothing configured, a secret missing), with what to do. */
  problem?: string;
}

export const PROMETHEUS_DEFAULTS = { refreshMs: 10_000, rateWindowSeconds: 60, scrapeIntervalSeconds: 15, timeoutMs: 15_000 } as const;

const programmatic = new Map<string, Partial<PrometheusConfig> & { url: string }>();

/** Gives a context's Prometheus without a config file (`warroom demo`, tests); '*' = every context. */
export function usePrometheusFor(context: string, config: Partial<PrometheusConfig> & { url: string }): void {
  programmatic.set(context, config);
}




function seconds(file: string, key: string, v: unknown, min: number, max: number): number {
  if (typeof v === 'number') return num(file, key, v, min, max);
  const m = /^(\d+)(s|m|h)$/.exec(str(file, key, v));
  if (!m) throw new ConfigError(file, key, `must be a duration like 30s, 1m or 2h, got ${JSON.stringify(v)}`);
  return num(file, key, Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'], min, max);
}

function parseUrl(file: string, key: string, v: unknown): string {
  return httpUrl(file, key, v, 'https://prometheus.example:9090', 'bearerTokenEnv, bearerTokenFile or basicAuth.passwordEnv');
}

/** Reads a token file at most once a minute (mounted tokens rotate). */
function tokenFile(path: string): () => string | undefined {
  let cached: { at: number; value: string | undefined } | undefined;
  return () => {
    if (!cached || Date.now() - cached.at > 60_000) {
      let value: string | undefined;
      try {
        value = readFileSync(path, 'utf8').trim() || undefined;
      } catch {
        value = undefined;
      }
      cached = { at: Date.now(), value };
    }
    return cached.value;
  };
}

const KNOWN = ['url', 'proxy', 'bearerTokenEnv', 'bearerTokenFile', 'basicAuth', 'caFile', 'headers', 'refreshSeconds', 'rateWindow', 'scrapeInterval', 'timeoutSeconds', 'queries'];

export function parsePrometheusConfig(file: string, key: string, raw: unknown, env: NodeJS.ProcessEnv): { config?: PrometheusConfig; problem?: string } {
  if (raw === undefined || raw === null) return {};
  const p = mapping(file, key, raw);
  for (const k of Object.keys(p)) if (!KNOWN.includes(k)) throw new ConfigError(file, `${key}.${k}`, `unknown key; known: ${KNOWN.join(', ')}`);
  if ((p.url === undefined) === (p.proxy === undefined)) throw new ConfigError(file, key, 'give either url or proxy: {namespace, service, port}');
  let proxy: PrometheusConfig['proxy'];
  if (p.proxy !== undefined) {
    const x = mapping(file, `${key}.proxy`, p.proxy);
    for (const k of Object.keys(x)) if (!['namespace', 'service', 'port', 'scheme'].includes(k)) throw new ConfigError(file, `${key}.proxy.${k}`, 'unknown key; known: namespace, service, port, scheme');
    const port = typeof x.port === 'number' ? num(file, `${key}.proxy.port`, x.port, 1, 65535) : str(file, `${key}.proxy.port`, x.port);
    const scheme = x.scheme === undefined ? undefined : str(file, `${key}.proxy.scheme`, x.scheme);
    if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') throw new ConfigError(file, `${key}.proxy.scheme`, 'must be http or https');
    proxy = { namespace: str(file, `${key}.proxy.namespace`, x.namespace), service: str(file, `${key}.proxy.service`, x.service), port, scheme };
  }
  const authKeys = ['bearerTokenEnv', 'bearerTokenFile', 'basicAuth'].filter((k) => p[k] !== undefined);
  if (authKeys.length > 1) throw new ConfigError(file, key, `give one of ${authKeys.join(', ')}, not several`);
  let auth: PrometheusAuth = { kind: 'none' };
  let problem: string | undefined;
  if (p.bearerTokenEnv !== undefined) {
    const name = str(file, `${key}.bearerTokenEnv`, p.bearerTokenEnv);
    if (!env[name]) problem = `the token variable ${name} (${key}.bearerTokenEnv in ${file}) is not set`;
    auth = { kind: 'bearer', token: () => env[name], source: `$${name}` };
  } else if (p.bearerTokenFile !== undefined) {
    const path = str(file, `${key}.bearerTokenFile`, p.bearerTokenFile);
    if (!existsSync(path)) throw new ConfigError(file, `${key}.bearerTokenFile`, `no such file ${path}`);
    auth = { kind: 'bearer', token: tokenFile(path), source: path };
  } else if (p.basicAuth !== undefined) {
    const b = mapping(file, `${key}.basicAuth`, p.basicAuth);
    if ('password' in b) throw new ConfigError(file, `${key}.basicAuth.password`, 'passwords do not go into the file; name an environment variable with passwordEnv');
    const username = str(file, `${key}.basicAuth.username`, b.username);
    const name = str(file, `${key}.basicAuth.passwordEnv`, b.passwordEnv);
    if (!env[name]) problem = `the password variable ${name} (${key}.basicAuth.passwordEnv in ${file}) is not set`;
    auth = { kind: 'basic', username, password: () => env[name], source: `$${name}` };
  }
  let caFile: string | undefined;
  if (p.caFile !== undefined) {
    caFile = str(file, `${key}.caFile`, p.caFile);
    if (!existsSync(caFile)) throw new ConfigError(file, `${key}.caFile`, `no such file ${caFile}`);
  }
  const headers: Record<string, string> = {};
  if (p.headers !== undefined) for (const [h, v] of Object.entries(mapping(file, `${key}.headers`, p.headers))) headers[h] = str(file, `${key}.headers.${h}`, v);
  let queries: Record<string, Record<string, string>> | undefined;
  if (p.queries !== undefined) {
    queries = {};
    for (const [chartId, lines] of Object.entries(mapping(file, `${key}.queries`, p.queries))) {
      const chart = DEFAULT_CHARTS.find((c) => c.id === chartId);
      if (!chart) throw new ConfigError(file, `${key}.queries.${chartId}`, `unknown chart; known: ${DEFAULT_CHARTS.map((c) => c.id).join(', ')}`);
      queries[chartId] = {};
      for (const [lineId, q] of Object.entries(mapping(file, `${key}.queries.${chartId}`, lines))) {
        const where = `${key}.queries.${chartId}.${lineId}`;
        if (!chart.lines.some((l) => l.id === lineId)) throw new ConfigError(file, where, `unknown line; ${chartId} has ${chart.lines.map((l) => l.id).join(', ')}`);
        const text = str(file, where, q);
        let rendered: string;
        try {
          rendered = renderTemplate(text, { selector: 'namespace="x"', rate: '1m', by: 'pod' });
        } catch (err) {
          if (err instanceof TemplateError) throw new ConfigError(file, where, err.message);
          throw err;
        }
        const check = checkPromql(rendered);
        if (!check.ok) throw new ConfigError(file, where, `not valid PromQL: ${check.problem.message} (at character ${check.problem.position + 1} after filling in the placeholders)`);
        queries[chartId][lineId] = text;
      }
    }
  }
  const config: PrometheusConfig = {
    url: p.url === undefined ? undefined : parseUrl(file, `${key}.url`, p.url),
    proxy,
    auth,
    caFile,
    headers,
    refreshMs: p.refreshSeconds === undefined ? PROMETHEUS_DEFAULTS.refreshMs : num(file, `${key}.refreshSeconds`, p.refreshSeconds, 1, 3600) * 1000,
    rateWindowSeconds: p.rateWindow === undefined ? PROMETHEUS_DEFAULTS.rateWindowSeconds : seconds(file, `${key}.rateWindow`, p.rateWindow, 10, 86400),
    scrapeIntervalSeconds: p.scrapeInterval === undefined ? PROMETHEUS_DEFAULTS.scrapeIntervalSeconds : seconds(file, `${key}.scrapeInterval`, p.scrapeInterval, 1, 3600),
    timeoutMs: p.timeoutSeconds === undefined ? PROMETHEUS_DEFAULTS.timeoutMs : num(file, `${key}.timeoutSeconds`, p.timeoutSeconds, 1, 300) * 1000,
    queries,
  };
  return { config, problem };
}

export function metricsConfigFrom(file: ConfigFile, contextName: string, env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  const given = programmatic.get(contextName) ?? programmatic.get('*');
  if (given) {
    return { configPath: file.path, prometheus: { auth: { kind: 'none' }, headers: {}, ...PROMETHEUS_DEFAULTS, ...given } };
  }
  const key = `contexts.${contextName}.prometheus`;
  const { config, problem } = parsePrometheusConfig(file.path, key, section(file.data, 'contexts', contextName, 'prometheus'), env);
  if (!config) return { configPath: file.path, problem: `no Prometheus configured for context ${contextName}: add ${key}.url (or .proxy) to ${file.path}` };
  return { configPath: file.path, prometheus: config, problem };
}

