import type { WorkloadKind } from '../kube/rows.js';
import { glyphs } from '../../terminal/glyphs.js';

// Alerts and silences as warroom holds them, whichever API they came from (Prometheus'
// /api/v1/alerts or Alertmanager's /api/v2): every string already sanitised, times in ms.

export type Labels = Readonly<Record<string, string>>;

/** What the alerts view says of an alert: Prometheus' states, and Alertmanager's suppression. */
export type AlertState = 'firing' | 'pending' | 'silenced' | 'inhibited';

export interface Alert {
  /** Stable per alert: Alertmanager's fingerprint, or the labels (Prometheus). */
  key: string;
  /** labels.alertname */
  name: string;
  /** labels.severity as given ('' when none). */
  severity: string;
  state: AlertState;
  labels: Labels;
  annotations: Labels;
  /** Since when: Prometheus' activeAt (pending since), Alertmanager's startsAt (firing since); 0 when unknown. */
  since: number;
  /** Silences that mute it, and the alerts that inhibit it (Alertmanager). */
  silencedBy: readonly string[];
  inhibitedBy: readonly string[];
  /** How Alertmanager groups it (`namespace=cart`), or the Prometheus rule group. */
  group?: string;
  receivers?: readonly string[];
  generatorURL?: string;
  /** The alerting rule it comes from (Prometheus /api/v1/rules), when known. */
  rule?: AlertRule;
}

export interface AlertRule {
  group: string;
  name: string;
  query: string;
  /** `for`, in seconds. */
  forSeconds: number;
  /** ok, err, unknown */
  health: string;
  lastError?: string;
}

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** false: `!=` / `!~` (Alertmanager ≥ 0.22). */
  isEqual: boolean;
}

export type SilenceState = 'active' | 'pending' | 'expired';

export interface Silence {
  id: string;
  state: SilenceState;
  matchers: readonly Matcher[];
  startsAt: number;
  endsAt: number;
  updatedAt: number;
  createdBy: string;
  comment: string;
}

/** One poll's answer: the alerts, and the silences where the source has them. */
export interface AlertSnapshot {
  alerts: Alert[];
  silences?: Silence[];
  /** Alerting rules that fail to evaluate (Prometheus), one line each. */
  ruleProblems?: string[];
}

// ------------------------------------------------------------------ severity

/**
 * Severity as a rank, most urgent first. Teams name them differently (critical / page / P1,
 * warning / ticket / P3); unknown words rank with warnings, so nothing sinks unseen.
 */
export function severityRank(severity: string): number {
  const s = severity.toLowerCase();
  if (/^(critical|crit|page|p1|emergency|fatal|disaster)$/.test(s)) return 0;
  if (/^(error|err|high|major|p2)$/.test(s)) return 1;
  if (/^(info|informational|low|notice|p4|p5)$/.test(s)) return 3;
  if (s === '' || s === 'none') return 4;
  return 2;
}

/** A symbol per rank, so a severity reads without colour: ✗ critical, ✗ error, ! warning, i info, · none. */
export function severitySymbol(severity: string): string {
  return [glyphs.cross, glyphs.cross, '!', 'i', glyphs.finished][severityRank(severity)];
}

export function isCritical(a: Alert): boolean {
  return severityRank(a.severity) === 0;
}

/** Firing and not silenced or inhibited: what the header counts. */
export function isFiringCritical(a: Alert): boolean {
  return a.state === 'firing' && isCritical(a);
}

export function stateRank(state: AlertState): number {
  return state === 'firing' ? 0 : state === 'pending' ? 1 : 2;
}

// ------------------------------------------------------------------ what an alert is about

/** The system, application or pod an alert's labels name, most specific first. */
export interface AlertTarget {
  namespace?: string;
  app?: { kind: WorkloadKind; name: string };
  pod?: string;
}

export function alertTarget(labels: Labels): AlertTarget {
  const namespace = labels.namespace || undefined;
  if (!namespace) return {};
  const app = labels.deployment ? { kind: 'Deployment' as const, name: labels.deployment } : labels.statefulset ? { kind: 'StatefulSet' as const, name: labels.statefulset } : undefined;
  return { namespace, app, pod: labels.pod || undefined };
}

/** `cart/cart-api-7d9f-x2k9p`, `cart/deploy/cart-api`, `cart`, or the alert's other key labels (`node=worker-3`). */
export function targetText(labels: Labels): string {
  const t = alertTarget(labels);
  if (t.pod) return `${t.namespace}/${t.pod}`;
  if (t.app) return `${t.namespace}/${t.app.kind === 'Deployment' ? 'deploy' : 'sts'}/${t.app.name}`;
  if (t.namespace) return t.namespace;
  for (const k of ['node', 'instance', 'service', 'job']) if (labels[k]) return `${k}=${labels[k]}`;
  return '';
}

/** The annotation a person reads first: summary, else description, else message. */
export function summaryOf(a: Pick<Alert, 'annotations'>): string {
  return a.annotations.summary || a.annotations.description || a.annotations.message || '';
}

// ------------------------------------------------------------------ matchers

/** Labels that say what an alert is: first in a silence's matchers. */
const FIRST = ['alertname', 'namespace', 'deployment', 'statefulset', 'pod', 'container', 'severity'];

/** Exact matchers for every label of an alert (alertname first): a silence of exactly that alert. */
export function matchersFor(labels: Labels): Matcher[] {
  const order = (k: string) => (FIRST.includes(k) ? FIRST.indexOf(k) : FIRST.length);
  return Object.keys(labels)
    .sort((a, b) => order(a) - order(b) || a.localeCompare(b))
    .map((name) => ({ name, value: labels[name], isRegex: false, isEqual: true }));
}

/** `name="value"`, `name=~"re"`, `name!="v"`: how Alertmanager writes (and its filter parameter reads) a matcher. */
export function matcherText(m: Matcher): string {
  const op = `${m.isEqual ? '=' : '!'}${m.isRegex ? '~' : m.isEqual ? '' : '='}`;
  return `${m.name}${op}"${m.value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

export function matchersText(ms: readonly Matcher[]): string {
  return ms.map(matcherText).join(',');
}

/**
 * Whether labels satisfy every matcher, as Alertmanager decides it: a missing label is the
 * empty string, a regex matches the whole value. An invalid regex matches nothing.
 */
export function matchesAll(ms: readonly Matcher[], labels: Labels): boolean {
  return ms.every((m) => {
    const value = labels[m.name] ?? '';
    let hit: boolean;
    if (m.isRegex) {
      try {
        hit = new RegExp(`^(?:${m.value})$`).test(value);
      } catch {
        return false;
      }
    } else hit = value === m.value;
    return hit === m.isEqual;
  });
}

// ------------------------------------------------------------------ durations

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `2h`, `30m`, `1h30m`, `1d`, `90m` in ms; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (!/^(\d+[smhdw])+$/.test(t)) return undefined;
  let ms = 0;
  for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/g)) ms += Number(n) * UNIT_MS[unit];
  return ms;
}

/** `2h`, `1h30m`, `3d4h`: the largest unit of a duration and the one below it (`2h`, not `2h31s`). */
export function formatDuration(ms: number): string {
  let left = Math.max(0, Math.round(ms / 1000));
  const parts: string[] = [];
  let units = 0;
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (units > 0 || n > 0) units++;
    if (n > 0) parts.push(`${n}${unit}`);
    if (units === 2) break;
  }
  return parts.join('') || '0s';
}
