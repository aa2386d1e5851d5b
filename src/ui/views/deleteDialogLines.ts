import type { DeleteDialogState, DeleteItem } from '../../platform/stores/deleteDialogStore.js';
import { glyphs } from '../../terminal/glyphs.js';
import { fit } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';

// The delete / kill dialog as lines of text from its state: pure, so the view only draws them.

const SHOWN = 8;

function mark(item: DeleteItem): { text: string; tone: LineTone } {
  switch (item.status) {
    case 'previewing':
      return { text: `dry-run${glyphs.ellipsis}`, tone: 'dim' };
    case 'ready':
      return { text: `${glyphs.check} dry-run ok`, tone: 'ok' };
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

export function deleteDialogLines(s: DeleteDialogState, width: number, multiCluster: boolean): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => out.push({ text: fit(text, width), tone });
  const n = s.items.length;
  const verb = s.mode === 'kill' ? 'Kill' : 'Delete';
  push(` ${verb} ${n === 1 ? `${s.items[0].target.ref.kind} ${s.items[0].target.ref.name}` : `${n} objects`}${s.mode === 'kill' ? ' (grace period 0, at once)' : ''}`, 'title');
  for (const item of s.items.slice(0, SHOWN)) {
    const { ref, context } = item.target;
    const m = mark(item);
    push(`   ${multiCluster ? `${context} ` : ''}${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}  ${m.text}`, m.tone);
    if ((item.status === 'skipped' || item.status === 'failed') && item.message) push(`     ${item.message}`, item.status === 'failed' ? 'error' : 'warn');
    const deps = item.preview?.dependents ?? [];
    const isNamespace = ref.kind === 'Namespace' && !ref.group;
    if (item.preview?.ok && deps.length > 0) {
      for (const line of wrapped(`${isNamespace ? 'everything in it goes' : 'also goes (owned)'}:`, deps.map((d) => `${d.count} ${d.kind}${d.count === 1 ? '' : 's'}`), width - 5)) push(`     ${line}`, 'warn');
      if (!isNamespace) for (const d of deps.slice(0, 3)) push(`       ${d.kind}: ${d.names.join(', ')}${d.count > d.names.length ? `, ${glyphs.ellipsis}` : ''}`, 'dim');
    } else if (item.preview?.ok && item.status === 'ready') push(`     ${isNamespace ? 'it is empty' : 'nothing it owns'}`, 'dim');
    if (item.preview?.unread.length) push(`     not read (forbidden or failed): ${item.preview.unread.join(', ')}`, 'warn');
  }
  if (n > SHOWN) push(`   ${glyphs.ellipsis} and ${n - SHOWN} more`, 'dim');
  push('');
  if (s.phase === 'previewing') push(`   asking the server (access review, dry-run)${glyphs.ellipsis}`, 'dim');
  else if (s.phase === 'confirm') {
    if (s.confirmWord) {
      push(`   type ${s.confirmWord} and press Enter to ${verb.toLowerCase()}, Esc cancels`, 'warn');
      push(`   confirm: ${s.confirmInput}${glyphs.caret}`, 'prompt');
    } else push(`   y or Enter ${verb.toLowerCase()}s it, Esc cancels`, 'prompt');
  } else if (s.phase === 'deleting') push(`   following until gone (Esc stops following; the deletion goes on)`, 'dim');
  else push('   Enter or Esc closes', 'dim');
  if (s.note) push(`   ${s.note}`, s.phase === 'done' ? 'warn' : 'error');
  return out;
}
