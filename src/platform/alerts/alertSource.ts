import type { AlertsConfig } from '../../config/alertsConfig.js';
import type { ReadSession } from '../kube/kubeSession.js';
import { connectionCause, TransportTimeout, type Transport, type TransportResponse } from '../metrics/httpTransport.js';
import { transportFor } from '../metrics/sourceFromConfig.js';
import { sanitize } from '../text/sanitize.js';
import { quoteServerBody } from '../text/serverBody.js';
import type { Alert, AlertRule, AlertSnapshot, Matcher, Silence } from './alertModel.js';
import { matcherText } from './alertModel.js';
import { AlertsShapeError, parseAlertmanagerAlerts, parseAlertmanagerGroups, parsePrometheusAlerts, parsePrometheusRules, parseSilence, parseSilences } from './alertsApi.js';

// Where a context's alerts come from: its Alertmanager (grouped, silenced, inhibited, and
// silences), else its Prometheus (firing and pending, with their rules). With both, pending
// alerts come from Prometheus (it sends Alertmanager only what fires). Only reads here; a
// silence is created or expired through the gate (silenceWrites.ts).

export type AlertsErrorKind = 'unreachable' | 'timeout' | 'http' | 'shape' | 'aborted';

export class AlertsError extends Error {
  constructor(
    readonly kind: AlertsErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AlertsError';
  }
}

type ApiKind = 'Prometheus' | 'Alertmanager';

/** A request to an alerts API that got no answer: cancelled, timed out, or the server not reached. */
export function transportFailure(api: ApiKind, at: string, timeoutMs: number, err: unknown, signal?: AbortSignal): AlertsError {
  const e = err as NodeJS.ErrnoException;
  if (signal?.aborted || e?.name === 'AbortError') return new AlertsError('aborted', 'request cancelled');
  if (err instanceof TransportTimeout) return new AlertsError('timeout', `${api} at ${at} did not answer within ${timeoutMs / 1000} s`);
  return new AlertsError('unreachable', `cannot reach ${api} at ${at}: ${connectionCause(err)}`);
}

/** GET of an alerts API: the body (Alertmanager) or the envelope's data (Prometheus), or an AlertsError that says where. */
async function getJson(transport: Transport, api: ApiKind, path: string, params: URLSearchParams, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const at = transport.endpoint;
  let res: TransportResponse;
  try {
    res = await transport.send({ path, params, signal, timeoutMs });
  } catch (err) {
    throw transportFailure(api, at, timeoutMs, err, signal);
  }
  const ok = res.status >= 200 && res.status < 300;
  if (res.status === 401 || res.status === 403) throw new AlertsError('http', `${api} at ${at} refused the credentials (HTTP ${res.status}); check the token or basic auth in the config`, res.status);
  if (res.status === 404) throw new AlertsError('http', `${api} at ${at} has no ${path} (HTTP 404): is this the ${api} URL?`, 404);
  if (api === 'Prometheus') {
    const body = res.json as { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown } | undefined;
    if (body?.status === 'success' && ok) return body.data;
    if (body?.status === 'error') throw new AlertsError('http', `Prometheus at ${at}: ${sanitize(String(body.errorType), { maxLength: 40 })}: ${quoteServerBody(String(body.error))}`, res.status);
  } else if (ok && res.json !== undefined) return res.json;
  if (!ok) {
    const quote = quoteServerBody(res.text);
    throw new AlertsError('http', `${api} at ${at} answered HTTP ${res.status}${quote ? `: ${quote}` : ''}`, res.status);
  }
  throw new AlertsError('shape', `${at} did not answer with the ${api} API's JSON; is this the ${api} URL?`);
}

function shaped<T>(api: ApiKind, at: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof AlertsShapeError) throw new AlertsError('shape', `unexpected answer from ${api} at ${at}: ${err.message}`);
    throw err;
  }
}

/** Alertmanager's read API (v2). */
export class AlertmanagerReads {
  constructor(
    private readonly transport: Transport,
    private readonly timeoutMs: number,
  ) {}

  get endpoint(): string {
    return this.transport.endpoint;
  }

  private get(path: string, params = new URLSearchParams(), signal?: AbortSignal): Promise<unknown> {
    return getJson(this.transport, 'Alertmanager', path, params, this.timeoutMs, signal);
  }

  /** Every alert as Alertmanager groups them (silenced and inhibited included). */
  async groups(signal?: AbortSignal): Promise<Alert[]> {
    const body = await this.get('/api/v2/alerts/groups', undefined, signal);
    return shaped('Alertmanager', this.endpoint, () => parseAlertmanagerGroups(body));
  }

  /** The alerts matchers match now, as Alertmanager matches them (its `filter` parameter). */
  async alerts(matchers: readonly Matcher[] = [], signal?: AbortSignal): Promise<Alert[]> {
    const params = new URLSearchParams();
    for (const m of matchers) params.append('filter', matcherText(m));
    const body = await this.get('/api/v2/alerts', params, signal);
    return shaped('Alertmanager', this.endpoint, () => parseAlertmanagerAlerts(body));
  }

  async silences(signal?: AbortSignal): Promise<Silence[]> {
    const body = await this.get('/api/v2/silences', undefined, signal);
    return shaped('Alertmanager', this.endpoint, () => parseSilences(body));
  }

  async silence(id: string, signal?: AbortSignal): Promise<Silence> {
    const body = await this.get(`/api/v2/silence/${encodeURIComponent(id)}`, undefined, signal);
    return shaped('Alertmanager', this.endpoint, () => parseSilence(body));
  }
}

/** Prometheus' alerts and rules (/api/v1). */
export class PrometheusAlertReads {
  constructor(
    private readonly transport: Transport,
    private readonly timeoutMs: number,
  ) {}

  get endpoint(): string {
    return this.transport.endpoint;
  }

  async alerts(signal?: AbortSignal): Promise<Alert[]> {
    const data = await getJson(this.transport, 'Prometheus', '/api/v1/alerts', new URLSearchParams(), this.timeoutMs, signal);
    return shaped('Prometheus', this.endpoint, () => parsePrometheusAlerts(data));
  }

  async rules(signal?: AbortSignal): Promise<{ rules: AlertRule[]; alerts: Alert[] }> {
    const data = await getJson(this.transport, 'Prometheus', '/api/v1/rules', new URLSearchParams({ type: 'alert' }), this.timeoutMs, signal);
    return shaped('Prometheus', this.endpoint, () => parsePrometheusRules(data));
  }
}

/** Rules change with a deploy of the rule files, not every poll: read them this often. */
export const RULES_EVERY_MS = 60_000;

/** A context's alert source, from its config: what the store polls. */
export class AlertSource {
  readonly alertmanager?: AlertmanagerReads;
  readonly prometheus?: PrometheusAlertReads;
  readonly refreshMs: number;
  private rules: { at: number; byName: Map<string, AlertRule>; problems: string[] } | undefined;

  constructor(config: AlertsConfig, session: () => ReadSession) {
    if (config.alertmanager) this.alertmanager = new AlertmanagerReads(transportFor(config.alertmanager, session), config.alertmanager.timeoutMs);
    if (config.prometheus) this.prometheus = new PrometheusAlertReads(transportFor(config.prometheus, session), config.prometheus.timeoutMs);
    this.refreshMs = config.alertmanager?.refreshMs ?? config.prometheus?.refreshMs ?? 10_000;
  }

  /** Shown to the user: where alerts come from. */
  get endpoint(): string {
    return this.alertmanager ? `Alertmanager at ${this.alertmanager.endpoint}` : `Prometheus at ${this.prometheus?.endpoint ?? '?'}`;
  }

  /** One poll: the alerts (and silences, from Alertmanager). Prometheus failing beside an Alertmanager only loses the pending alerts. */
  async poll(now: number, signal?: AbortSignal): Promise<AlertSnapshot> {
    const am = this.alertmanager;
    if (am) {
      const [alerts, silences, pending] = await Promise.all([am.groups(signal), am.silences(signal), this.pending(now, signal)]);
      return { alerts: [...alerts, ...pending.alerts].map((a) => this.withRule(a)), silences, ruleProblems: pending.problems };
    }
    const prom = this.prometheus!;
    const [alerts] = await Promise.all([prom.alerts(signal), this.readRules(now, signal)]);
    return { alerts: alerts.map((a) => this.withRule(a)), ruleProblems: this.rules?.problems };
  }

  private async pending(now: number, signal?: AbortSignal): Promise<{ alerts: Alert[]; problems?: string[] }> {
    if (!this.prometheus) return { alerts: [] };
    try {
      const [alerts] = await Promise.all([this.prometheus.alerts(signal), this.readRules(now, signal)]);
      return { alerts: alerts.filter((a) => a.state === 'pending'), problems: this.rules?.problems };
    } catch (err) {
      if (err instanceof AlertsError && err.kind === 'aborted') throw err;
      return { alerts: [], problems: [`pending alerts unknown: ${(err as Error).message}`] };
    }
  }

  private async readRules(now: number, signal?: AbortSignal): Promise<void> {
    if (!this.prometheus || (this.rules && now - this.rules.at < RULES_EVERY_MS)) return;
    let rules: AlertRule[];
    try {
      ({ rules } = await this.prometheus.rules(signal));
    } catch (err) {
      if (err instanceof AlertsError && err.kind === 'aborted') throw err;
      // The alerts still come; what their rules say is not known until the next try.
      this.rules = { at: now, byName: this.rules?.byName ?? new Map(), problems: [`alerting rules unknown: ${(err as Error).message}`] };
      return;
    }
    const failing = rules.filter((r) => r.health === 'err');
    this.rules = {
      at: now,
      byName: new Map(rules.map((r) => [r.name, r])),
      problems: failing.map((r) => `alerting rule ${r.name} (group ${r.group}) fails to evaluate${r.lastError ? `: ${r.lastError}` : ''}`),
    };
  }

  private withRule(a: Alert): Alert {
    const rule = this.rules?.byName.get(a.name);
    return rule ? { ...a, rule, group: a.group ?? rule.group } : a;
  }
}
