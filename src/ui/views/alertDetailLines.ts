import { alertTarget, formatDuration, matchersText, severitySymbol, targetText } from '../../platform/alerts/alertModel.js';
import type { AlertRow } from '../../platform/alerts/alertRows.js';
import { timeOfDay } from '../../platform/alerts/silenceDialogStore.js';
import type { ContextRuntime } from '../../platform/contextRuntime.js';
import { fit, wrapWords } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';
import { fieldLines } from './silenceDialogLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// `i` on an alert: everything it says, as lines of text (pure; the overlay draws them).

export function alertDetailLines(row: AlertRow, ctx: ContextRuntime | undefined, width: number, now: number, fleet: boolean): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => {
    for (const l of wrapWords(text, width, 3)) out.push({ text: fit(l, width), tone });
  };
  const field = (label: string, value: string, tone: LineTone = 'normal') => out.push(...fieldLines(label, value, width, tone));
  const a = row.alert;
  push(` ${a.name}  ${severitySymbol(a.severity)} ${a.severity || 'none'}  ${a.state} since ${a.since ? `${timeOfDay(a.since)} (${formatDuration(now - a.since)})` : '?'}${fleet ? `  [${row.cluster}]` : ''}`, 'title');
  // What a person reads first goes first: at 80x24 the end may not fit.
  for (const key of ['summary', 'description', 'message']) if (a.annotations[key]) field(key, a.annotations[key]);
  field('labels', Object.entries(a.labels).map(([k, v]) => `${k}=${v}`).join('  '), 'accent');
  const silences = ctx?.alerts.silences() ?? [];
  for (const id of a.silencedBy) {
    const s = silences.find((x) => x.id === id);
    field('silenced by', s ? `${id} by ${s.createdBy}, until ${timeOfDay(s.endsAt)}: "${s.comment}" (${matchersText(s.matchers)})` : id, 'warn');
  }
  if (a.inhibitedBy.length) {
    const all = ctx?.alerts.alerts() ?? [];
    const names = a.inhibitedBy.map((fp) => all.find((x) => x.key === fp)).map((x, i) => (x ? `${x.name} ${targetText(x.labels)}`.trim() : a.inhibitedBy[i]));
    field('inhibited by', names.join(', '), 'warn');
  }
  if (a.annotations.runbook_url) field('runbook', a.annotations.runbook_url);
  if (a.group !== undefined || a.receivers?.length) field('group', `${a.group ?? ''}${a.receivers?.length ? ` ${glyphs.to} ${a.receivers.join(', ')}` : ''}`);
  if (a.rule) field('rule', `${a.rule.group}: ${a.rule.query}  for ${formatDuration(a.rule.forSeconds * 1000)}  health ${a.rule.health}${a.rule.lastError ? `: ${a.rule.lastError}` : ''}`, a.rule.health === 'err' ? 'error' : 'normal');
  for (const [k, v] of Object.entries(a.annotations)) if (!['summary', 'description', 'message', 'runbook_url'].includes(k)) field(k, v, 'dim');
  if (a.generatorURL) field('source', a.generatorURL, 'dim');
  if (ctx?.alerts.source) field('from', ctx.alerts.source.endpoint, 'dim');
  push('');
  const t = alertTarget(a.labels);
  push(`   ${t.namespace ? `Enter opens ${targetText(a.labels)}, ` : ''}S silences it, Esc closes`, 'dim');
  return out;
}
