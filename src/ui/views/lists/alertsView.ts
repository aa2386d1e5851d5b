import { alertTarget, severityRank, severitySymbol, stateRank, summaryOf, targetText } from '../../../platform/alerts/alertModel.js';
import { alertRows, type AlertRow } from '../../../platform/alerts/alertRows.js';
import type { ConsoleRuntime } from '../../../platform/consoleRuntime.js';
import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import type { ViewState } from '../../../platform/stores/navStore.js';
import { formatAge, formatClock } from '../../format.js';
import { metricsViewFor } from '../metricsView.js';
import { byNumber, byString, computeModel, type TableDef, type Tone } from '../tableModel.js';
import { clusterLabels } from './fleetClusters.js';
import type { Binding } from '../../keys/keymap.js';
import { rowKey, type ListViewDescriptor, type RowKeyContext } from './listView.js';
import type { RowScope } from './scopeKeys.js';
import { glyphs } from '../../../terminal/glyphs.js';

// `:alerts`: the firing, pending, silenced and inhibited alerts of the context (every cluster's,
// with a CLUSTER column, on a fleet), critical first, then newest first; severity in words and
// a symbol, so it reads without colour. Enter opens the pod, application or system the alert
// names (in its cluster), S silences it, i shows all it says.

/** The clusters a view of alerts or silences shows: its own, else the fleet's, else the one. */
export function shownContexts(ctx: ContextRuntime, contexts: readonly ContextRuntime[], view: ViewState): readonly ContextRuntime[] {
  return view.context === undefined && contexts.length > 1 ? contexts : [ctx];
}

function alertTone({ alert: a }: AlertRow): Tone {
  if (a.state === 'silenced' || a.state === 'inhibited') return 'dim';
  if (a.state === 'pending') return 'normal';
  const rank = severityRank(a.severity);
  return rank <= 1 ? 'error' : rank === 2 ? 'warn' : 'normal';
}

/** Critical first; in a severity, firing before pending before silenced; then newest first. */
const bySeverity = (a: AlertRow, b: AlertRow) =>
  severityRank(a.alert.severity) - severityRank(b.alert.severity) || stateRank(a.alert.state) - stateRank(b.alert.state) || b.alert.since - a.alert.since;

export function alertsTable(clusters: readonly string[]): TableDef<AlertRow> {
  const labels = new Map(clusters.map((c, i) => [c, clusterLabels(clusters, 12)[i]]));
  return {
    key: (r) => r.key,
    defaultSort: 'severity',
    tone: alertTone,
    // `/` finds an alert by any label (`/pod=cart-api`), its annotations, group or the silence muting it.
    filterText: ({ alert: a }) => [...Object.entries(a.labels).map(([k, v]) => `${k}=${v}`), a.annotations.description ?? '', a.group ?? '', ...a.silencedBy].join(' '),
    columns: [
      { id: 'severity', title: 'SEVERITY', width: 10, sortKey: 'V', text: ({ alert: a }) => `${severitySymbol(a.severity)} ${a.severity || 'none'}`, compare: bySeverity },
      { id: 'name', title: 'ALERT', width: 26, sortKey: 'N', text: (r) => r.alert.name, compare: byString((r) => r.alert.name) },
      ...(clusters.length > 1 ? [{ id: 'cluster', title: 'CLUSTER', width: 7, sortKey: 'C', text: (r: AlertRow) => labels.get(r.cluster) ?? r.cluster, compare: byString((r: AlertRow) => r.cluster) }] : []),
      { id: 'target', title: 'TARGET', width: 'flex', sortKey: 'O', text: (r) => targetText(r.alert.labels), compare: byString((r) => targetText(r.alert.labels)) },
      { id: 'state', title: 'STATE', width: 9, sortKey: 'E', text: (r) => r.alert.state, compare: byNumber((r) => stateRank(r.alert.state)) },
      { id: 'age', title: 'SINCE', width: 6, align: 'right', sortKey: 'A', text: (r, now) => formatAge(r.alert.since, now), compare: byNumber((r) => -r.alert.since) },
      { id: 'summary', title: 'SUMMARY', width: 44, text: (r) => summaryOf(r.alert), minTerminalWidth: 140 },
      { id: 'group', title: 'GROUP', width: 30, text: (r) => r.alert.group ?? '', minTerminalWidth: 190 },
    ],
  };
}

/** Enter: the pod, else the application, else the system the alert names, in its cluster. */
export function openAlertTarget(runtime: ConsoleRuntime, { alert, cluster }: AlertRow): void {
  const nav = runtime.nav;
  const t = alertTarget(alert.labels);
  const context = runtime.fleet ? cluster : undefined;
  if (!t.namespace) return nav.say(`${alert.name} names no system, application or pod (${targetText(alert.labels) || 'no namespace label'}); i shows its labels`, 'warn');
  const ctx = runtime.contextNamed(cluster) ?? runtime.ctx;
  if (t.pod) {
    const pod = [...(ctx.store.podsInSystem.get(t.namespace)?.values() ?? [])].find((p) => p.name === t.pod);
    if (pod) {
      const [kind, name] = pod.appKey.split('/');
      const app = kind === 'Deployment' || kind === 'StatefulSet' ? { kind, name } as const : undefined;
      return nav.push({ kind: 'pod', namespace: t.namespace, pod: t.pod, app, context });
    }
    nav.push(t.app ? { kind: 'pods', namespace: t.namespace, app: t.app, context } : { kind: 'pods', namespace: t.namespace, context, filter: t.pod.replace(/-[a-z0-9]+-[a-z0-9]{5}$/, '') });
    return nav.say(`pod ${t.namespace}/${t.pod} is gone; showing ${t.app ? `the pods of ${t.app.name}` : `the pods of ${t.namespace} like it`}`, 'warn');
  }
  if (t.app) return nav.push({ kind: 'pods', namespace: t.namespace, app: t.app, context });
  nav.push({ kind: 'apps', namespace: t.namespace, context });
}

/** What `l` and `m` on an alert open: its pod, application or system, in its cluster. */
function scopeOf(runtime: ConsoleRuntime, { alert, cluster }: AlertRow): (RowScope & { context?: string }) | undefined {
  const t = alertTarget(alert.labels);
  if (!t.namespace) {
    runtime.nav.say(`${alert.name} names no system, application or pod: no logs or charts to open`, 'warn');
    return undefined;
  }
  return { namespace: t.namespace, app: t.app, pod: t.pod, context: runtime.fleet ? cluster : undefined };
}

/** `S`: the silence dialog of the alert's cluster (a pending alert is not in Alertmanager yet). */
export function silenceAlert(runtime: ConsoleRuntime, row: AlertRow): void {
  const ctx = runtime.contextNamed(row.cluster);
  if (!ctx) return;
  if (row.alert.state === 'pending') return runtime.nav.say(`${row.alert.name} is pending: Prometheus has not sent it to Alertmanager yet, so a silence cannot be previewed against it; silence it once it fires`, 'warn');
  ctx.silenceDialog.openCreate(row.alert);
}

export const alertsView: ListViewDescriptor<'alerts'> = {
  id: 'alerts',
  title: 'Alerts',
  commands: ['alerts', 'alert'],
  topLevel: true,
  widestTable: () => alertsTable(['a', 'b']),
  version: (ctx, contexts) => contexts.map((c) => c.alerts.getSnapshot().version).join(','),
  model({ ctx, contexts, view, filter, filterError, now }) {
    const shown = shownContexts(ctx, contexts, view);
    const def = alertsTable(shown.map((c) => c.contextName));
    const all = alertRows(shown);
    const rows = computeModel({ def, rows: all, filter, sort: view.sort, now });
    return { kind: 'alerts', descriptor: alertsView, def, rows, total: all.length, filter, filterError, problem: alertsProblem(shown), changedAt: () => undefined };
  },
  keys: [
    { ...rowKey<'alerts'>('alert.open', ['enter'], 'open the pod, application or system the alert names (in its cluster)', (row, { runtime }) => openAlertTarget(runtime, row)), before: 'list.drill' },
    rowKey<'alerts'>('alert.silence', ['S'], 'silence the alert in Alertmanager: matchers from its labels, a duration, a comment (previewed, audited)', (row, { runtime }) => silenceAlert(runtime, row)),
    rowKey<'alerts'>('alert.details', ['i'], 'everything the alert says: labels, annotations, its rule, what silences or inhibits it', (row, { runtime }) => runtime.contextNamed(row.cluster)?.alertDetail.open(row)),
    rowKey<'alerts'>('row.logs', ['l'], 'logs of the pod, application or system the alert names', (row, { runtime }) => {
      const scope = scopeOf(runtime, row);
      if (scope) runtime.nav.push({ kind: 'logs', ...scope });
    }),
    rowKey<'alerts'>('row.metrics', ['m'], 'charts of the pod, application or system the alert names', (row, { runtime }) => {
      const scope = scopeOf(runtime, row);
      if (scope) runtime.nav.push({ ...metricsViewFor(scope), context: scope.context });
    }),
    refreshKey('alerts'),
  ],
};

/** `r` on the alerts or silences: read them again now from every cluster shown. */
export function refreshKey<K extends 'alerts' | 'silences'>(what: string): Binding<RowKeyContext<K>> {
  return {
    action: 'alerts.refresh',
    keys: ['r'],
    help: `read the ${what} again now`,
    run: ({ runtime, view }) => {
      for (const c of shownContexts(runtime.ctx, runtime.contexts, view)) c.alerts.refreshNow();
    },
  };
}

/** Why a view of alerts lists nothing at all: no shown context has an alert source. */
export function noAlertSource(contexts: readonly ContextRuntime[]): string | undefined {
  if (!contexts.every((c) => c.alerts.status.kind === 'off')) return undefined;
  const names = contexts.map((c) => c.contextName);
  const problems = contexts.map((c) => (c.alerts.status.kind === 'off' ? c.alerts.status.problem : undefined)).filter((p): p is string => !!p);
  if (problems.length) return problems.join('; ');
  const ctx = names.length === 1 ? names[0] : 'NAME';
  return `no alert source for context${names.length > 1 ? 's' : ''} ${names.join(', ')}: add contexts.${ctx}.alertmanager.url (or contexts.${ctx}.prometheus.url) to the config file`;
}

/** The line above the alerts: which source fails, which has none (beside those that do), which rules do not evaluate. */
export function alertsProblem(contexts: readonly ContextRuntime[]): string | undefined {
  const lines: string[] = [];
  const fleet = contexts.length > 1;
  // With no source anywhere the body says so (it wraps); a cluster without one beside others is named here.
  const someOn = !noAlertSource(contexts);
  for (const c of contexts) {
    const s = c.alerts.status;
    const who = fleet ? `${c.contextName}: ` : '';
    if (s.kind === 'off' && someOn) lines.push(`${who}${s.problem ?? 'no alert source configured'}`);
    else if (s.kind === 'failing') lines.push(`${who}${s.message} (since ${formatClock(s.since)}; retrying; the alerts listed are from before)`);
    for (const p of c.alerts.ruleProblems()) lines.push(`${who}${p}`);
  }
  return lines.length ? lines.join(` ${glyphs.sep} `) : undefined;
}
