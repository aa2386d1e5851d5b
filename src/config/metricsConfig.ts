import { existsSync, readFileSync } from 'node:fs';
import { LABEL_NAME } from '../platform/metrics/labelEscape.js';
import { checkPromql } from '../platform/metrics/promqlCheck.js';
import { DEFAULT_CHARTS, renderTemplate, TemplateError } from '../platform/metrics/queryTemplates.js';
import * as z from 'zod';
import type { ConfigFile } from './configFile.js';
import { basicAuthSchema, envVarName, httpUrl, mapping, nonEmptyString, numberFrom, parseSection, wholeNumber } from './configValues.js';

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
//         matchers: {cluster: prod-eu}                   # label matchers added to every chart's series (a Prometheus shared by clusters)
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

/** Where an HTTP API of the monitoring stack is (Prometheus, Alertmanager) and how to authenticate. */
export interface EndpointConfig {
  url?: string;
  proxy?: { namespace: string; service: string; port: number | string; scheme?: 'http' | 'https' };
  auth: PrometheusAuth;
  caFile?: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface PrometheusConfig extends EndpointConfig {
  /**
   * Label -> value that every series of this context carries (e.g. `cluster` in a Prometheus,
   * Thanos or Mimir that holds several clusters); added to every chart's and sparkline's selector.
   */
  matchers?: Readonly<Record<string, string>>;
  refreshMs: number;
  rateWindowSeconds: number;
  scrapeIntervalSeconds: number;
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




/** Seconds, or a duration like 30s, 1m or 2h; from `min` to `max` seconds. */
function duration(min: number, max: number) {
  const error = `must be a duration like 30s, 1m or 2h (or seconds), from ${min}s to ${max}s`;
  return z.union([z.number(), z.string().regex(/^\d+[smh]$/, { error })], { error }).transform((v, ctx) => {
    const s = typeof v === 'number' ? v : Number(v.slice(0, -1)) * { s: 1, m: 60, h: 3600 }[v.slice(-1) as 's' | 'm' | 'h'];
    if (!(s >= min && s <= max)) ctx.addIssue({ code: 'custom', message: error });
    return s;
  });
}

/** A chart line's query: a known chart and line, placeholders that exist, valid PromQL once filled in. */
const queriesSchema = z.record(z.string(), z.record(z.string(), nonEmptyString('a PromQL query'), { error: 'must be a mapping of line: query' }), { error: 'must be a mapping of chart: {line: query}' }).superRefine((queries, ctx) => {
  for (const [chartId, lines] of Object.entries(queries)) {
    const chart = DEFAULT_CHARTS.find((c) => c.id === chartId);
    if (!chart) {
      ctx.addIssue({ code: 'custom', path: [chartId], message: `unknown chart; known: ${DEFAULT_CHARTS.map((c) => c.id).join(', ')}` });
      continue;
    }
    for (const [lineId, text] of Object.entries(lines)) {
      if (!chart.lines.some((l) => l.id === lineId)) {
        ctx.addIssue({ code: 'custom', path: [chartId, lineId], message: `unknown line; ${chartId} has ${chart.lines.map((l) => l.id).join(', ')}` });
        continue;
      }
      let rendered: string;
      try {
        rendered = renderTemplate(text, { selector: 'namespace="x"', rate: '1m', by: 'pod' });
      } catch (err) {
        if (err instanceof TemplateError) {
          ctx.addIssue({ code: 'custom', path: [chartId, lineId], message: err.message });
          continue;
        }
        throw err;
      }
      const check = checkPromql(rendered);
      if (!check.ok) ctx.addIssue({ code: 'custom', path: [chartId, lineId], message: `not valid PromQL: ${check.problem.message} (at character ${check.problem.position + 1} after filling in the placeholders)` });
    }
  }
});

const existing = (what: string) => nonEmptyString(what).refine((p) => existsSync(p), { error: 'no such file' });

/** The keys of a `prometheus:` section (a context's; a fleet's adds its own, see fleetsConfig.ts). */
export const prometheusFields = {
  url: httpUrl('https://prometheus.example:9090', 'bearerTokenEnv, bearerTokenFile or basicAuth.passwordEnv').optional(),
  proxy: mapping(
    {
      namespace: nonEmptyString('a namespace'),
      service: nonEmptyString('a service name'),
      port: z.union([wholeNumber(1, 65535), nonEmptyString()], { error: 'must be a port number (1 to 65535) or a port name' }),
      scheme: z.enum(['http', 'https'], { error: 'must be http or https' }).optional(),
    },
    'a mapping {namespace, service, port}',
  ).optional(),
  bearerTokenEnv: envVarName.optional(),
  bearerTokenFile: existing('a file path').optional(),
  basicAuth: basicAuthSchema.optional(),
  caFile: existing('a file path').optional(),
  headers: z.record(z.string(), nonEmptyString(), { error: 'must be a mapping of header: value' }).optional(),
  matchers: z
    .record(z.string(), nonEmptyString('a label value (e.g. the cluster\'s name)'), { error: 'must be a mapping of label: value (e.g. {cluster: prod-eu})' })
    .superRefine((m, ctx) => {
      if (Object.keys(m).length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one label: value' });
      for (const name of Object.keys(m)) {
        if (!LABEL_NAME.test(name)) ctx.addIssue({ code: 'custom', message: `has ${JSON.stringify(name)}, which is not a Prometheus label name (letters, digits and _ only)` });
      }
    })
    .optional(),
  refreshSeconds: numberFrom(1, 3600).optional(),
  rateWindow: duration(10, 86400).optional(),
  scrapeInterval: duration(1, 3600).optional(),
  timeoutSeconds: numberFrom(1, 300).optional(),
  queries: queriesSchema.optional(),
};

export type PrometheusSection = z.output<z.ZodObject<typeof prometheusFields>>;

/** At most one way to authenticate. */
export const oneAuthRule = [
  (p: Pick<PrometheusSection, 'bearerTokenEnv' | 'bearerTokenFile' | 'basicAuth'>) => [p.bearerTokenEnv, p.bearerTokenFile, p.basicAuth].filter((a) => a !== undefined).length <= 1,
  { error: 'give one of bearerTokenEnv, bearerTokenFile, basicAuth, not several' },
] as const;

export const prometheusSchema = mapping(prometheusFields)
  .refine((p) => (p.url === undefined) !== (p.proxy === undefined), { error: 'give either url or proxy: {namespace, service, port}' })
  .refine(...oneAuthRule);

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

export function parsePrometheusConfig(file: ConfigFile, keys: string[], env: NodeJS.ProcessEnv): { config?: PrometheusConfig; problem?: string } {
  const p = parseSection(prometheusSchema.nullish(), file, ...keys);
  return p ? prometheusConfigOf(p, file, keys, env) : {};
}

/** A checked `prometheus:` section (at `keys` in the file) as the sources take it: secrets looked up, defaults filled in. */
export function prometheusConfigOf(p: PrometheusSection, file: ConfigFile, keys: string[], env: NodeJS.ProcessEnv): { config: PrometheusConfig; problem?: string } {
  const key = keys.join('.');
  let auth: PrometheusAuth = { kind: 'none' };
  let problem: string | undefined;
  if (p.bearerTokenEnv !== undefined) {
    const name = p.bearerTokenEnv;
    if (!env[name]) problem = `the token variable ${name} (${key}.bearerTokenEnv in ${file.path}) is not set`;
    auth = { kind: 'bearer', token: () => env[name], source: `$${name}` };
  } else if (p.bearerTokenFile !== undefined) {
    auth = { kind: 'bearer', token: tokenFile(p.bearerTokenFile), source: p.bearerTokenFile };
  } else if (p.basicAuth !== undefined) {
    const name = p.basicAuth.passwordEnv;
    if (!env[name]) problem = `the password variable ${name} (${key}.basicAuth.passwordEnv in ${file.path}) is not set`;
    auth = { kind: 'basic', username: p.basicAuth.username, password: () => env[name], source: `$${name}` };
  }
  const config: PrometheusConfig = {
    url: p.url,
    proxy: p.proxy && { namespace: p.proxy.namespace, service: p.proxy.service, port: p.proxy.port, scheme: p.proxy.scheme },
    auth,
    caFile: p.caFile,
    headers: p.headers ?? {},
    matchers: p.matchers,
    refreshMs: p.refreshSeconds === undefined ? PROMETHEUS_DEFAULTS.refreshMs : p.refreshSeconds * 1000,
    rateWindowSeconds: p.rateWindow ?? PROMETHEUS_DEFAULTS.rateWindowSeconds,
    scrapeIntervalSeconds: p.scrapeInterval ?? PROMETHEUS_DEFAULTS.scrapeIntervalSeconds,
    timeoutMs: p.timeoutSeconds === undefined ? PROMETHEUS_DEFAULTS.timeoutMs : p.timeoutSeconds * 1000,
    queries: p.queries,
  };
  return { config, problem };
}

export function metricsConfigFrom(file: ConfigFile, contextName: string, env: NodeJS.ProcessEnv = process.env): MetricsConfig {
  const given = programmatic.get(contextName) ?? programmatic.get('*');
  if (given) {
    return { configPath: file.path, prometheus: { auth: { kind: 'none' }, headers: {}, ...PROMETHEUS_DEFAULTS, ...given } };
  }
  const key = `contexts.${contextName}.prometheus`;
  const { config, problem } = parsePrometheusConfig(file, ['contexts', contextName, 'prometheus'], env);
  if (!config) return { configPath: file.path, problem: `no Prometheus configured for context ${contextName}: add ${key}.url (or .proxy) to ${file.path}` };
  return { configPath: file.path, prometheus: config, problem };
}

