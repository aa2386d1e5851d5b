import { createHash } from 'node:crypto';
import { sanitize } from '../text/sanitize.js';
import type { Alert, AlertRule, AlertState, Labels, Matcher, Silence, SilenceState } from './alertModel.js';

// The JSON of the alert APIs warroom reads, checked as it arrives and turned into the alert
// model with every string sanitised (label values and annotations are whatever a rule author
// or an alert sender wrote: they must never drive the terminal):
//
//   Prometheus  GET /api/v1/alerts         data.alerts[]: {labels, annotations, state, activeAt, value}
//               GET /api/v1/rules          data.groups[]: {name, file, rules[]: {type, name, query, duration, health, lastError, alerts[]}}
//   Alertmanager GET /api/v2/alerts/groups [{labels, receiver: {name}, alerts: gettableAlert[]}]
//               GET /api/v2/alerts         gettableAlert[]: {labels, annotations, fingerprint, startsAt, endsAt, updatedAt,
//                                            receivers[], status: {state, silencedBy[], inhibitedBy[]}, generatorURL}
//               GET /api/v2/silences       gettableSilence[]: {id, status: {state}, matchers[], startsAt, endsAt, updatedAt, createdBy, comment}
//
// (prometheus/alertmanager api/v2/openapi.yaml; prometheus web/api/v1/api.go.) Fields a newer
// server adds are ignored; a missing required field is an AlertsShapeError naming it.

export class AlertsShapeError extends Error {}

const LABEL_MAX = 1000;
const TEXT_MAX = 4000;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: unknown, where: string): unknown[] {
  if (!Array.isArray(v)) throw new AlertsShapeError(`${where} is not a list`);
  return v;
}

function text(v: unknown, where: string, max = LABEL_MAX): string {
  if (typeof v !== 'string') throw new AlertsShapeError(`${where} is not a string`);
  return sanitize(v, { maxLength: max });
}

function optionalText(v: unknown, max = LABEL_MAX): string | undefined {
  return typeof v === 'string' ? sanitize(v, { maxLength: max }) : undefined;
}

function labelSet(v: unknown, where: string, max = LABEL_MAX): Labels {
  if (v === undefined || v === null) return {};
  if (!isRecord(v)) throw new AlertsShapeError(`${where} is not an object`);
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[sanitize(k, { maxLength: 200 })] = text(x, `${where}.${k}`, max);
  return out;
}

/** RFC 3339 in ms; 0 for Go's zero time or a missing value. */
function time(v: unknown, where: string, required = false): number {
  if (v === undefined || v === null) {
    if (required) throw new AlertsShapeError(`${where} is missing`);
    return 0;
  }
  if (typeof v !== 'string') throw new AlertsShapeError(`${where} is not a time`);
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new AlertsShapeError(`${where} is not a time: ${sanitize(v, { maxLength: 40 })}`);
  return ms < 0 ? 0 : ms;
}

/** A key for an alert without a fingerprint: its labels, sorted. */
export function labelsKey(labels: Labels): string {
  const sorted = Object.keys(labels).sort().map((k) => `${k}\u0000${labels[k]}`).join('\u0001');
  return createHash('sha256').update(sorted).digest('hex').slice(0, 16);
}

// ------------------------------------------------------------------ Prometheus

/** `data` of /api/v1/alerts. */
export function parsePrometheusAlerts(data: unknown): Alert[] {
  if (!isRecord(data)) throw new AlertsShapeError('"data" is not an object');
  return list(data.alerts, 'data.alerts').map((a, i) => prometheusAlert(a, `alert ${i}`));
}

function prometheusAlert(a: unknown, where: string, group?: string): Alert {
  if (!isRecord(a)) throw new AlertsShapeError(`${where} is not an object`);
  const labels = labelSet(a.labels, `${where}.labels`);
  const state = a.state === 'firing' || a.state === 'pending' ? a.state : undefined;
  if (!state) throw new AlertsShapeError(`${where}.state is ${JSON.stringify(a.state)}, not firing or pending`);
  return {
    key: labelsKey(labels),
    name: labels.alertname ?? '',
    severity: labels.severity ?? '',
    state,
    labels,
    annotations: labelSet(a.annotations, `${where}.annotations`, TEXT_MAX),
    since: time(a.activeAt, `${where}.activeAt`),
    silencedBy: [],
    inhibitedBy: [],
    group,
  };
}

/** `data` of /api/v1/rules: the alerting rules, by alert name, and the alerts inside them. */
export function parsePrometheusRules(data: unknown): { rules: AlertRule[]; alerts: Alert[] } {
  if (!isRecord(data)) throw new AlertsShapeError('"data" is not an object');
  const rules: AlertRule[] = [];
  const alerts: Alert[] = [];
  list(data.groups, 'data.groups').forEach((g, gi) => {
    if (!isRecord(g)) throw new AlertsShapeError(`group ${gi} is not an object`);
    const group = text(g.name, `group ${gi}.name`);
    list(g.rules, `group ${group}.rules`).forEach((r, ri) => {
      const where = `group ${group} rule ${ri}`;
      if (!isRecord(r)) throw new AlertsShapeError(`${where} is not an object`);
      if (r.type !== 'alerting') return;
      const name = text(r.name, `${where}.name`);
      rules.push({
        group,
        name,
        query: text(r.query, `${where}.query`, TEXT_MAX),
        forSeconds: typeof r.duration === 'number' ? r.duration : 0,
        health: optionalText(r.health) ?? 'unknown',
        lastError: optionalText(r.lastError, TEXT_MAX) || undefined,
      });
      for (const [ai, a] of list(r.alerts ?? [], `${where}.alerts`).entries()) alerts.push(prometheusAlert(a, `${where} alert ${ai}`, group));
    });
  });
  return { rules, alerts };
}

// ------------------------------------------------------------------ Alertmanager

/** One gettableAlert of /api/v2/alerts or of a group. */
export function parseAlertmanagerAlert(a: unknown, where: string, group?: string): Alert {
  if (!isRecord(a)) throw new AlertsShapeError(`${where} is not an object`);
  const labels = labelSet(a.labels, `${where}.labels`);
  const status = a.status;
  if (!isRecord(status)) throw new AlertsShapeError(`${where}.status is not an object`);
  const silencedBy = list(status.silencedBy ?? [], `${where}.status.silencedBy`).map((s, i) => text(s, `${where}.status.silencedBy[${i}]`));
  const inhibitedBy = list(status.inhibitedBy ?? [], `${where}.status.inhibitedBy`).map((s, i) => text(s, `${where}.status.inhibitedBy[${i}]`));
  let state: AlertState;
  if (status.state === 'active' || status.state === 'unprocessed') state = 'firing';
  else if (status.state === 'suppressed') state = silencedBy.length ? 'silenced' : 'inhibited';
  else throw new AlertsShapeError(`${where}.status.state is ${JSON.stringify(status.state)}, not active, suppressed or unprocessed`);
  const receivers = list(a.receivers ?? [], `${where}.receivers`).map((r, i) => (isRecord(r) ? text(r.name, `${where}.receivers[${i}].name`) : ''));
  return {
    key: typeof a.fingerprint === 'string' ? sanitize(a.fingerprint, { maxLength: 64 }) : labelsKey(labels),
    name: labels.alertname ?? '',
    severity: labels.severity ?? '',
    state,
    labels,
    annotations: labelSet(a.annotations, `${where}.annotations`, TEXT_MAX),
    since: time(a.startsAt, `${where}.startsAt`, true),
    silencedBy,
    inhibitedBy,
    group,
    receivers,
    generatorURL: optionalText(a.generatorURL),
  };
}

/** /api/v2/alerts */
export function parseAlertmanagerAlerts(body: unknown): Alert[] {
  return list(body, 'the answer').map((a, i) => parseAlertmanagerAlert(a, `alert ${i}`));
}

/** The group's labels as Alertmanager shows them: `namespace=cart`, `{}` for the root group. */
function groupText(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.length ? keys.map((k) => `${k}=${labels[k]}`).join(',') : '{}';
}

/**
 * /api/v2/alerts/groups: every alert once (an alert routed to two receivers is in two groups;
 * it keeps its first group and lists both receivers).
 */
export function parseAlertmanagerGroups(body: unknown): Alert[] {
  const byKey = new Map<string, Alert>();
  list(body, 'the answer').forEach((g, gi) => {
    if (!isRecord(g)) throw new AlertsShapeError(`group ${gi} is not an object`);
    const group = groupText(labelSet(g.labels, `group ${gi}.labels`));
    list(g.alerts, `group ${gi}.alerts`).forEach((a, ai) => {
      const alert = parseAlertmanagerAlert(a, `group ${gi} alert ${ai}`, group);
      const seen = byKey.get(alert.key);
      if (seen) byKey.set(alert.key, { ...seen, receivers: [...new Set([...(seen.receivers ?? []), ...(alert.receivers ?? [])])] });
      else byKey.set(alert.key, alert);
    });
  });
  return [...byKey.values()];
}

function matcher(m: unknown, where: string): Matcher {
  if (!isRecord(m)) throw new AlertsShapeError(`${where} is not an object`);
  return { name: text(m.name, `${where}.name`), value: text(m.value, `${where}.value`), isRegex: m.isRegex === true, isEqual: m.isEqual !== false };
}

/** One gettableSilence (/api/v2/silence/{id}, an item of /api/v2/silences). */
export function parseSilence(s: unknown, where = 'the silence'): Silence {
  if (!isRecord(s)) throw new AlertsShapeError(`${where} is not an object`);
  const status = s.status;
  const state = isRecord(status) && (status.state === 'active' || status.state === 'pending' || status.state === 'expired') ? (status.state as SilenceState) : undefined;
  if (!state) throw new AlertsShapeError(`${where}.status.state is not active, pending or expired`);
  return {
    id: text(s.id, `${where}.id`, 64),
    state,
    matchers: list(s.matchers, `${where}.matchers`).map((m, i) => matcher(m, `${where}.matchers[${i}]`)),
    startsAt: time(s.startsAt, `${where}.startsAt`, true),
    endsAt: time(s.endsAt, `${where}.endsAt`, true),
    updatedAt: time(s.updatedAt, `${where}.updatedAt`),
    createdBy: optionalText(s.createdBy) ?? '',
    comment: optionalText(s.comment, TEXT_MAX) ?? '',
  };
}

/** /api/v2/silences */
export function parseSilences(body: unknown): Silence[] {
  return list(body, 'the answer').map((s, i) => parseSilence(s, `silence ${i}`));
}
