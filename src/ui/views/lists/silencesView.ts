import { formatDuration, matchersText, type SilenceState } from '../../../platform/alerts/alertModel.js';
import { silenceRows, type SilenceRow } from '../../../platform/alerts/alertRows.js';
import type { ConsoleRuntime } from '../../../platform/consoleRuntime.js';
import type { ContextRuntime } from '../../../platform/contextRuntime.js';
import { byNumber, byString, computeModel, type TableDef, type Tone } from '../tableModel.js';
import { refreshKey, shownContexts } from './alertsView.js';
import { clusterLabels } from './fleetClusters.js';
import { rowKey, type ListViewDescriptor } from './listView.js';
import { glyphs } from '../../../terminal/glyphs.js';

// `:silences`: the Alertmanager's silences (every cluster's on a fleet): active first, then
// pending, then expired; what they match, when they end, who set them and why. x (or Ctrl-D)
// expires one after a preview; Enter lists the alerts it silences.

const stateOrder: Record<SilenceState, number> = { active: 0, pending: 1, expired: 2 };

function silenceTone({ silence: s }: SilenceRow): Tone {
  return s.state === 'expired' ? 'dim' : s.state === 'pending' ? 'warn' : 'normal';
}

/** `in 1h59m` for an active one, `starts in 3h` for a pending one, `2h ago` for an expired one. */
function endsText({ silence: s }: SilenceRow, now: number): string {
  if (s.state === 'pending') return `starts in ${formatDuration(s.startsAt - now)}`;
  if (s.state === 'active') return `in ${formatDuration(s.endsAt - now)}`;
  return `${formatDuration(now - s.endsAt)} ago`;
}

/** Active and pending by the soonest end; expired by the latest end. */
const byState = (a: SilenceRow, b: SilenceRow) =>
  stateOrder[a.silence.state] - stateOrder[b.silence.state] || (a.silence.state === 'expired' ? b.silence.endsAt - a.silence.endsAt : a.silence.endsAt - b.silence.endsAt);

export function silencesTable(clusters: readonly string[]): TableDef<SilenceRow> {
  const labels = new Map(clusters.map((c, i) => [c, clusterLabels(clusters, 12)[i]]));
  return {
    key: (r) => r.key,
    defaultSort: 'state',
    tone: silenceTone,
    filterText: (r) => `${r.silence.id} ${r.silence.comment}`,
    columns: [
      { id: 'state', title: 'STATE', width: 8, sortKey: 'E', text: (r) => r.silence.state, compare: byState },
      { id: 'matchers', title: 'MATCHERS', width: 'flex', sortKey: 'M', text: (r) => matchersText(r.silence.matchers), compare: byString((r) => matchersText(r.silence.matchers)) },
      ...(clusters.length > 1 ? [{ id: 'cluster', title: 'CLUSTER', width: 7, sortKey: 'C', text: (r: SilenceRow) => labels.get(r.cluster) ?? r.cluster, compare: byString((r: SilenceRow) => r.cluster) }] : []),
      { id: 'ends', title: 'ENDS', width: 15, sortKey: 'D', text: endsText, compare: byNumber((r) => r.silence.endsAt) },
      { id: 'by', title: 'BY', width: 16, sortKey: 'B', text: (r) => r.silence.createdBy, compare: byString((r) => r.silence.createdBy) },
      { id: 'comment', title: 'COMMENT', width: 32, text: (r) => r.silence.comment, minTerminalWidth: 110 },
      { id: 'id', title: 'ID', width: 36, text: (r) => r.silence.id, minTerminalWidth: 170 },
    ],
  };
}

function expire(runtime: ConsoleRuntime, row: SilenceRow): void {
  void runtime.contextNamed(row.cluster)?.silenceDialog.openExpire(row.silence);
}

export const silencesView: ListViewDescriptor<'silences'> = {
  id: 'silences',
  title: 'Silences',
  commands: ['silences', 'silence'],
  topLevel: true,
  widestTable: () => silencesTable(['a', 'b']),
  version: (ctx, contexts) => contexts.map((c) => c.alerts.getSnapshot().version).join(','),
  model({ ctx, contexts, view, filter, filterError, now }) {
    const shown = shownContexts(ctx, contexts, view);
    const def = silencesTable(shown.map((c) => c.contextName));
    const all = silenceRows(shown);
    const rows = computeModel({ def, rows: all, filter, sort: view.sort, now });
    return { kind: 'silences', descriptor: silencesView, def, rows, total: all.length, filter, filterError, problem: silencesProblem(shown), changedAt: () => undefined };
  },
  keys: [
    { ...rowKey<'silences'>('silence.alerts', ['enter'], 'the alerts the silence mutes now', (row, { runtime }) => {
      runtime.nav.push({ kind: 'alerts', context: runtime.fleet ? row.cluster : undefined, filter: row.silence.id });
    }), before: 'list.drill' },
    rowKey<'silences'>('silence.expire', ['x', 'ctrl+d'], 'expire the silence now (re-read first, previewed with the alerts it brings back, audited)', (row, { runtime }) => expire(runtime, row)),
    refreshKey('silences'),
  ],
};

/** Why a context lists no silences: it has no Alertmanager (alerts from Prometheus have none), or it fails. */
function silencesProblem(contexts: readonly ContextRuntime[]): string | undefined {
  const fleet = contexts.length > 1;
  const lines = contexts.flatMap((c) => {
    const who = fleet ? `${c.contextName}: ` : '';
    const s = c.alerts.status;
    if (s.kind === 'failing') return [`${who}${s.message} (retrying; the silences listed are from before)`];
    if (!c.alerts.source?.alertmanager) return [`${who}silences are Alertmanager's: add contexts.${c.contextName}.alertmanager.url (or .proxy) to the config file`];
    return [];
  });
  return lines.length ? lines.join(` ${glyphs.sep} `) : undefined;
}
