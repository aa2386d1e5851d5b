import type { ConfigFile } from './configFile.js';
import { mapping, parseSection } from './configValues.js';
import { oneAuthRule, parsePrometheusConfig, prometheusConfigOf, prometheusFields, type EndpointConfig, type PrometheusConfig } from './metricsConfig.js';

// Where a context's alerts come from, per kubeconfig context: its Alertmanager (alerts as
// Alertmanager groups them, silenced / inhibited, and silences), else its Prometheus (firing
// and pending alerts from /api/v1/alerts, their rules from /api/v1/rules). With both, the
// pending alerts (which Prometheus does not send to Alertmanager) come from Prometheus.
//
//   contexts:
//     prod-eu:
//       prometheus: {url: https://prometheus.prod-eu.example}
//       alertmanager:
//         url: https://alertmanager.prod-eu.example   # or proxy: {namespace: monitoring, service: alertmanager-main, port: 9093}
//         bearerTokenEnv: WARROOM_AM_TOKEN             # or bearerTokenFile, or basicAuth: {username, passwordEnv}
//         caFile: /etc/warroom/am-ca.pem
//         headers: {X-Scope-OrgID: prod}              # e.g. a Mimir tenant
//         refreshSeconds: 10
//         timeoutSeconds: 10

export interface AlertmanagerConfig extends EndpointConfig {
  refreshMs: number;
}

export interface AlertsConfig {
  configPath: string;
  alertmanager?: AlertmanagerConfig;
  prometheus?: PrometheusConfig;
  /** Why alerts cannot be read (a secret variable not set); nothing configured is not a problem: there are no alerts to show. */
  problem?: string;
}

export const ALERTMANAGER_DEFAULTS = { refreshMs: 10_000, timeoutMs: 10_000 } as const;

/** The keys of `alertmanager:`: those of `prometheus:` that say where it is and how to reach it. */
const { url, proxy, bearerTokenEnv, bearerTokenFile, basicAuth, caFile, headers, refreshSeconds, timeoutSeconds } = prometheusFields;

export const alertmanagerSchema = mapping({ url, proxy, bearerTokenEnv, bearerTokenFile, basicAuth, caFile, headers, refreshSeconds, timeoutSeconds })
  .refine((p) => (p.url === undefined) !== (p.proxy === undefined), { error: 'give either url or proxy: {namespace, service, port}' })
  .refine(...oneAuthRule);

export function alertsConfigFrom(file: ConfigFile, contextName: string, env: NodeJS.ProcessEnv = process.env): AlertsConfig {
  const keys = ['contexts', contextName, 'alertmanager'];
  const am = parseSection(alertmanagerSchema.nullish(), file, ...keys);
  const prom = parsePrometheusConfig(file, ['contexts', contextName, 'prometheus'], env);
  let alertmanager: AlertmanagerConfig | undefined;
  let problem: string | undefined;
  if (am) {
    // Read as a Prometheus section is (secrets looked up), with Alertmanager's defaults.
    const read = prometheusConfigOf(am, file, keys, env);
    const { url, proxy, auth, caFile, headers } = read.config;
    alertmanager = {
      url,
      proxy,
      auth,
      caFile,
      headers,
      refreshMs: am.refreshSeconds === undefined ? ALERTMANAGER_DEFAULTS.refreshMs : am.refreshSeconds * 1000,
      timeoutMs: am.timeoutSeconds === undefined ? ALERTMANAGER_DEFAULTS.timeoutMs : am.timeoutSeconds * 1000,
    };
    problem = read.problem;
  }
  // Prometheus with a missing secret gives no alerts; Alertmanager alone still does.
  const prometheus = prom.config && !prom.problem ? prom.config : undefined;
  if (!alertmanager && prom.problem) problem = prom.problem;
  return { configPath: file.path, alertmanager, prometheus, problem };
}
