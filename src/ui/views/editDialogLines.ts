import type { EditState } from '../../platform/stores/editStore.js';
import { glyphs } from '../../terminal/glyphs.js';
import { fit } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';

// The edit preview as lines of text from its state: the server's dry-run as a diff, or why it
// cannot be applied. Pure, so the view only draws them.

export function editDialogLines(s: EditState, width: number, height: number): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => out.push({ text: fit(text, width), tone });
  const { ref } = s;
  push(` Edit ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`, 'title');
  if (s.phase === 'previewing') {
    push(`   asking the server (access review, dry-run)${glyphs.ellipsis}`, 'dim');
    return out;
  }
  if (s.phase === 'conflict' || s.phase === 'refused') {
    push(`   ${s.phase === 'conflict' ? 'changed on the server since you opened it' : 'not applied'}: ${s.message ?? ''}`, 'error');
    push('');
    push(s.phase === 'conflict' ? '   e edits again from the object as it is now (your change on top as comments), Esc cancels' : '   e edits again (the error on top), Esc cancels', 'prompt');
    return out;
  }
  const diff = s.preview?.diff ?? [];
  const room = Math.max(1, height - 4);
  push(`   the server's dry-run: ${diff.filter((l) => l[0] === '+').length} lines added, ${diff.filter((l) => l[0] === '-').length} removed${diff.length > room ? ` (j/k scroll, ${s.scroll + 1}-${Math.min(diff.length, s.scroll + room)} of ${diff.length})` : ''}`, 'dim');
  for (const line of diff.slice(s.scroll, s.scroll + room)) push(`   ${line}`, line[0] === '+' ? 'ok' : line[0] === '-' ? 'error' : 'normal');
  push(s.phase === 'applying' ? `   applying${glyphs.ellipsis}` : '   Enter applies it, e edits again, Esc cancels (nothing is sent)', 'prompt');
  return out;
}
