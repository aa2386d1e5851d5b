import { joinCommandLine } from '../../platform/exec/commandLine.js';
import type { RunConfirmState } from '../../platform/stores/runConfirmStore.js';
import { fit } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// The `:run` preview as lines of text from its state: pure, so the view only draws them.

const SAMPLE = 6;

export function runConfirmLines(s: RunConfirmState, width: number): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => out.push({ text: fit(text, width), tone });
  const p = s.plan;
  const n = p.pods.length;
  push(` Run a command on ${n} pod${n === 1 ? '' : 's'}: preview`, 'title');
  push(`   context     ${p.context}`);
  push(`   system      ${p.systems.join(', ')}`);
  push(`   target      ${p.scope}`);
  const names = p.pods.slice(0, SAMPLE).map((x) => x.name).join(', ');
  push(`   pods        ${n} Running${p.skipped ? ` (${p.skipped} not Running left out)` : ''}: ${names}${n > SAMPLE ? `, ${glyphs.ellipsis}` : ''}`);
  push(`   container   ${p.container ?? "each pod's default container"}`);
  push(`   command     ${joinCommandLine(p.command)}`, 'accent');
  push('');
  if (s.confirmWord) {
    push(`   more than the confirmation threshold of pods: type ${s.confirmWord} and press Enter to run, Esc cancels`, 'warn');
    push(`   confirm: ${s.confirmInput}${glyphs.caret}`, 'prompt');
  } else {
    push('   Enter runs it in every pod listed, Esc cancels', 'dim');
  }
  if (s.note) push(`   ${s.note}`, 'error');
  return out;
}
