import { formatDuration, matcherText, matchersText, parseDuration, targetText } from '../../platform/alerts/alertModel.js';
import { timeOfDay, type SilenceDialogState } from '../../platform/alerts/silenceDialogStore.js';
import { fit, wrapWords } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// The silence dialogs as lines of text from their state: pure, so the view only draws them.

/** Alerts named in a preview before `+N more`. */
const SAMPLE = 3;

/** `   label        value`, the value wrapped under itself. */
export function fieldLines(label: string, value: string, width: number, tone: LineTone = 'normal'): DialogLine[] {
  const lead = `   ${label.padEnd(11)} `;
  return wrapWords(value, Math.max(8, width - lead.length)).map((l, i) => ({ text: fit(`${i === 0 ? lead : ' '.repeat(lead.length)}${l}`, width), tone }));
}

export function silenceDialogLines(s: SilenceDialogState, width: number, now: number): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => {
    const indent = /^ */.exec(text)![0].length + 2;
    for (const l of wrapWords(text, width, indent)) out.push({ text: fit(l, width), tone });
  };
  const field = (label: string, value: string, tone: LineTone = 'normal') => out.push(...fieldLines(label, value, width, tone));
  if (s.kind === 'create') createLines(s, now, push, field);
  else expireLines(s, now, push, field);
  if (s.error) push(`   ${s.error}`, 'error');
  if (s.note) push(`   ${s.note}`, 'warn');
  return out;
}

type Push = (text: string, tone?: LineTone) => void;
type Field = (label: string, value: string, tone?: LineTone) => void;

function createLines(s: SilenceDialogState, now: number, push: Push, field: Field): void {
  const n = s.matchers.length;
  if (s.phase === 'edit') {
    const { crumb, caret } = glyphs;
    push(` ${s.title}  (context ${s.context})`, 'title');
    push(`   Matchers ${glyphs.dash} Space keeps or drops one; ${glyphs.up} ${glyphs.down} move between fields:`, 'dim');
    s.matchers.forEach((m, i) => push(`${i === s.focus ? ` ${crumb} ` : '   '}[${m.on ? 'x' : ' '}] ${matcherText(m.matcher)}`, m.on ? (i === s.focus ? 'accent' : 'normal') : 'dim'));
    const ms = parseDuration(s.duration);
    const until = ms === undefined ? 'type e.g. 2h, 30m, 1h30m, 1d' : `until ${timeOfDay(now + ms)}`;
    push(`${s.focus === n ? ` ${crumb} ` : '   '}Duration    ${s.duration}${s.focus === n ? caret : ''}   (${until})`, s.focus === n ? 'prompt' : 'normal');
    push(`${s.focus === n + 1 ? ` ${crumb} ` : '   '}Comment     ${s.comment}${s.focus === n + 1 ? caret : ''}${s.comment ? '' : '   (required: why, a ticket)'}`, s.focus === n + 1 ? 'prompt' : 'normal');
    field('created by', s.createdBy);
    push('');
    push('   Enter previews what it matches (nothing is sent yet), Esc cancels', 'dim');
    return;
  }
  const p = s.preview;
  const on = s.matchers.filter((m) => m.on).map((m) => m.matcher);
  push(` ${s.title}: ${s.phase === 'previewing' ? `asking Alertmanager what it matches${glyphs.ellipsis}` : 'preview'}`, 'title');
  field('context', s.context);
  field('matchers', matchersText(on));
  if (!p) return;
  field('from now', `for ${formatDuration(p.endsAt - p.startsAt)}, until ${timeOfDay(p.endsAt)}`);
  const names = p.matching.slice(0, SAMPLE).map((a) => `${a.name} ${targetText(a.labels)}`.trim());
  const more = p.matching.length > SAMPLE ? `, +${p.matching.length - SAMPLE} more` : '';
  field('matches', `${p.matching.length} alert${p.matching.length === 1 ? '' : 's'} now${names.length ? `: ${names.join(', ')}${more}` : ' (it also silences alerts that fire later and match)'}`);
  if (p.matchingNote) field('', `(${p.matchingNote})`, 'warn');
  field('created by', s.createdBy);
  field('comment', s.comment);
  field('access', p.access, p.accessDenied ? 'error' : 'dim');
  for (const o of p.overlapping) push(`   ${glyphs.warn} silence ${o.id} already has these matchers (${o.state}, until ${timeOfDay(o.endsAt)}, by ${o.createdBy})`, 'warn');
  push('');
  if (s.phase === 'applying') return push(`   creating the silence${glyphs.ellipsis}`, 'dim');
  if (s.phase === 'done') return push('   Enter or Esc closes', 'dim');
  if (s.confirmWord) {
    push(`   it matches more than a few alerts: type ${s.confirmWord} and press Enter to create it, Esc goes back`, 'warn');
    push(`   confirm: ${s.confirmInput}${glyphs.caret}`, 'prompt');
  } else push('   Enter creates the silence in Alertmanager, Esc goes back', 'dim');
}

function expireLines(s: SilenceDialogState, now: number, push: Push, field: Field): void {
  const x = s.silence!;
  push(` ${s.title}${s.phase === 'previewing' ? `: reading it again${glyphs.ellipsis}` : ''}  (context ${s.context})`, 'title');
  field('matchers', matchersText(x.matchers));
  field('created by', `${x.createdBy || '?'}: "${x.comment}"`);
  field('ends', x.state === 'expired' ? `ended ${timeOfDay(x.endsAt)}` : `${timeOfDay(x.endsAt)} (in ${formatDuration(x.endsAt - now)}) ${glyphs.to} now`);
  if (s.conflict) push(`   ${glyphs.warn} ${s.conflict}`, 'warn');
  if (s.silencedNow) {
    const names = s.silencedNow.slice(0, SAMPLE).map((a) => `${a.name} ${targetText(a.labels)}`.trim());
    const more = s.silencedNow.length > SAMPLE ? `, +${s.silencedNow.length - SAMPLE} more` : '';
    field('brings back', s.silencedNow.length ? `${s.silencedNow.length} alert${s.silencedNow.length === 1 ? '' : 's'} it silences now (they notify again): ${names.join(', ')}${more}` : 'no alert it silences now');
  }
  field('access', 'Alertmanager has no Kubernetes RBAC and no dry-run: its own authentication (or the service proxy) decides', 'dim');
  push('');
  if (s.phase === 'applying') return push(`   expiring the silence${glyphs.ellipsis}`, 'dim');
  if (s.phase === 'done') return push('   Enter or Esc closes', 'dim');
  if (s.phase === 'preview') push('   Enter expires it now, Esc cancels', 'dim');
}
