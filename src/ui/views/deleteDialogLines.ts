import { CASCADES, cascadeApplies, dependentsLine, orphansLine, type Cascade } from '../../platform/actions/deleteObjects.js';
import type { DeleteDialogState, DeleteItem } from '../../platform/stores/deleteDialogStore.js';
import { glyphs } from '../../terminal/glyphs.js';
import { fit, wrapWords } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';

// The delete / kill dialog as lines of text from its state: pure, so the view only draws them.

function mark(item: DeleteItem, cascade: string): { text: string; tone: LineTone } {
  switch (item.status) {
    case 'previewing':
      return { text: `dry-run${glyphs.ellipsis}`, tone: 'dim' };
    case 'ready':
      return { text: `${glyphs.check} dry-run ok${cascade}`, tone: 'ok' };
    case 'skipped':
      return { text: `${glyphs.cross} skipped`, tone: 'warn' };
    case 'sending':
      return { text: `deleting${glyphs.ellipsis}`, tone: 'accent' };
    case 'terminating':
      return { text: `${glyphs.pending} ${item.message ?? 'terminating'}`, tone: item.message?.startsWith('waiting on finalizers') ? 'warn' : 'accent' };
    case 'gone':
      return { text: `${glyphs.check} gone`, tone: 'ok' };
    case 'failed':
      return { text: `${glyphs.cross} failed`, tone: 'error' };
  }
}

/** `head item, item, ...` over as many lines as the width needs (a namespace holds many kinds). */
function wrapped(head: string, items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = head;
  for (const [i, item] of items.entries()) {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line.length + 1 + piece.length > width && line !== head) {
      lines.push(line);
      line = `  ${piece}`;
    } else line = `${line} ${piece}`;
  }
  lines.push(line);
  return lines;
}

const CASCADE_MEANS: Record<Cascade, string> = {
  Background: 'it goes now; what it owns is deleted after it, in the background',
  Foreground: 'it stays, Terminating, until what it owns is deleted; then it goes',
  Orphan: 'only it goes: what it owns stays, running, without an owner',
};

/** `cascade (Tab): [Background]  Foreground  Orphan` and what the chosen one does. */
function cascadeLines(s: DeleteDialogState): Array<[string, LineTone]> {
  if (!s.cascadeOffered) return [];
  const choices = CASCADES.map((c) => (c === s.cascade ? `[${c}]` : ` ${c} `)).join(' ');
  return [[`   cascade (Tab): ${choices}`, 'prompt'], [`     ${CASCADE_MEANS[s.cascade]}`, 'dim']];
}

/**
 * The dialog's lines in `height` rows: one object in detail (what goes with it, some names);
 * several one line each (what each takes with it inline) as many as fit, and the confirmation
 * always shown below them.
 */
export function deleteDialogLines(s: DeleteDialogState, width: number, multiCluster: boolean, height = Infinity): DialogLine[] {
  const line = (text: string, tone: LineTone = 'normal'): DialogLine => ({ text: fit(text, width), tone });
  const n = s.items.length;
  const verb = s.mode === 'kill' ? 'Kill' : 'Delete';
  const title = line(` ${verb} ${n === 1 ? `${s.items[0].target.ref.kind} ${s.items[0].target.ref.name}` : `${n} objects`}${s.mode === 'kill' ? ' (grace period 0, at once)' : ''}`, 'title');
  const body: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => body.push(line(text, tone));
  for (const [text, tone] of cascadeLines(s)) push(text, tone);
  for (const item of s.items) {
    const { ref, context } = item.target;
    const deps = item.preview?.dependents ?? [];
    const cascade = s.cascadeOffered && cascadeApplies(s.mode, ref, deps) ? (item.preview?.cascade ?? s.cascade) : undefined;
    const orphaning = cascade === 'Orphan' && (item.preview?.direct.length ?? 0) > 0;
    const m = mark(item, cascade ? ` (${cascade})` : '');
    const isNamespace = ref.kind === 'Namespace' && !ref.group;
    const what = `${multiCluster ? `${context} ` : ''}${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}  ${m.text}`;
    const problem = (item.status === 'skipped' || item.status === 'failed') && item.message ? item.message : undefined;
    if (n > 1) {
      const goes = orphaning ? `; orphans ${dependentsLine(item.preview!.direct)}` : deps.length ? `; also ${dependentsLine(deps)}` : '';
      push(`   ${what}${goes}${problem ? `: ${problem}` : ''}`, deps.length && m.tone === 'ok' ? 'warn' : m.tone);
      continue;
    }
    push(`   ${what}`, m.tone);
    if (problem) push(`     ${problem}`, item.status === 'failed' ? 'error' : 'warn');
    if (item.preview?.ok && orphaning) {
      for (const l of wrapWords(`orphans ${orphansLine(item.preview)}:`, width - 5, 2)) push(`     ${l}`, 'warn');
      push('       they stay, no longer owned; nothing else goes with it', 'dim');
    } else if (item.preview?.ok && deps.length > 0) {
      const head = isNamespace ? 'everything in it goes' : cascade === 'Foreground' ? 'goes before it (owned)' : 'also goes (owned)';
      for (const l of wrapped(`${head}:`, deps.map((d) => dependentsLine([d])), width - 5)) push(`     ${l}`, 'warn');
      if (!isNamespace) for (const d of deps.slice(0, 3)) push(`       ${d.kind}: ${d.names.join(', ')}${d.count > d.names.length ? `, ${glyphs.ellipsis}` : ''}`, 'dim');
    } else if (item.preview?.ok && item.status === 'ready') push(`     ${isNamespace ? 'it is empty' : 'nothing it owns'}`, 'dim');
    if (item.preview?.unread.length) push(`     not read (forbidden or failed): ${item.preview.unread.join(', ')}`, 'warn');
  }
  const footer: DialogLine[] = [line('')];
  if (s.phase === 'previewing') footer.push(line(`   asking the server (access review, dry-run)${glyphs.ellipsis}`, 'dim'));
  else if (s.phase === 'confirm') {
    if (s.confirmWord) {
      footer.push(line(`   type ${s.confirmWord} and press Enter to ${verb.toLowerCase()}, Esc cancels`, 'warn'));
      footer.push(line(`   confirm: ${s.confirmInput}${glyphs.caret}`, 'prompt'));
    } else footer.push(line(`   y or Enter ${verb.toLowerCase()}s it, Esc cancels`, 'prompt'));
  } else if (s.phase === 'deleting') footer.push(line('   following until gone (Esc stops following; the deletion goes on)', 'dim'));
  else footer.push(line('   Enter or Esc closes', 'dim'));
  if (s.note) footer.push(line(`   ${s.note}`, s.phase === 'done' ? 'warn' : 'error'));
  const room = Math.max(1, height - 1 - footer.length);
  const shown = body.length > room ? [...body.slice(0, room - 1), line(`   ${glyphs.ellipsis} and ${body.length - room + 1} more`, 'dim')] : body;
  return [title, ...shown, ...footer];
}
