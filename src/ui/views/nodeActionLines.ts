import type { DrainPlan, DrainPodProgress, DrainProgress } from '../../platform/actions/nodeDrain.js';
import type { NodeActionState } from '../../platform/stores/nodeActionStore.js';
import { forDisplay } from '../../platform/text/sanitize.js';
import { fit } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// The cordon / drain dialog as lines of text from its state: pure, so the view only draws them.
// Server words (a budget's cause, an error) are untrusted: shown through forDisplay.

const STATE_TONE: Record<DrainPodProgress['state'], LineTone> = {
  pending: 'dim', evicting: 'normal', waiting: 'warn', evicted: 'ok', gone: 'ok', failed: 'error', stopped: 'warn', 'timed out': 'error',
};

function planLines(p: DrainPlan, push: (t: string, tone?: LineTone) => void): void {
  if (p.problem) return push(`   ${p.node}: ${forDisplay(p.problem)}`, 'error');
  const blocked = p.evict.filter((x) => x.verdict === 'blocked');
  push(`   ${p.node}${p.cordoned ? ' (cordoned already)' : ': cordon, then'} evict ${p.evict.length} pod${p.evict.length === 1 ? '' : 's'}, skip ${p.skipped.length}${blocked.length ? `; ${blocked.length} blocked by a disruption budget now` : ''}`, blocked.length ? 'warn' : 'normal');
  for (const x of p.evict) {
    const why = x.verdict === 'blocked' ? `  ${glyphs.warn} ${forDisplay(x.note ?? x.pdb ?? '')} (retried until it passes)` : x.verdict === 'error' ? `  ${glyphs.cross} ${forDisplay(x.note ?? '')}` : x.pdb ? `  PDB ${forDisplay(x.pdb)}` : '';
    push(`     ${glyphs.to} ${x.namespace}/${x.name}  ${x.owner}${why}`, x.verdict === 'blocked' ? 'warn' : x.verdict === 'error' ? 'error' : 'normal');
  }
  for (const x of p.skipped) push(`     ${glyphs.sep} skip ${x.namespace}/${x.name}: ${forDisplay(x.why)}`, 'dim');
}

function progressLines(p: DrainProgress, push: (t: string, tone?: LineTone) => void): void {
  const gone = p.pods.filter((x) => x.state === 'gone').length;
  push(`   ${p.node}: ${p.phase}  ${gone}/${p.pods.length} gone`, p.phase === 'done' ? 'ok' : p.phase === 'evicting' || p.phase === 'cordoning' ? 'accent' : 'warn');
  for (const x of p.pods) push(`     ${fit(x.state, 9)} ${x.namespace}/${x.name}${x.note ? `  ${forDisplay(x.note)}` : ''}${x.state === 'waiting' && x.attempts > 1 ? ` (try ${x.attempts})` : ''}`, STATE_TONE[x.state]);
  if (p.message) push(`   ${forDisplay(p.message)}`, p.phase === 'done' ? 'ok' : 'warn');
}

export function nodeActionLines(s: NodeActionState, width: number): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => out.push({ text: fit(text, width), tone });
  const n = s.nodes.length;
  const names = s.nodes.map((x) => x.name).join(', ');
  if (s.kind === 'cordon') {
    const verb = s.unschedulable ? 'Cordon' : 'Uncordon';
    push(` ${verb} ${n} node${n === 1 ? '' : 's'} in ${s.context}: ${s.unschedulable ? 'no new pod is scheduled there; pods running there stay' : 'new pods may be scheduled there again'}`, 'title');
    if (s.phase === 'checking') push(`   checking access and dry-running the patch${glyphs.ellipsis}`, 'dim');
    for (const p of s.preview ?? []) {
      const r = s.results?.find((x) => x.name === p.name);
      if (r) push(`   ${r.ok ? glyphs.check : glyphs.cross} ${p.name}: ${forDisplay(r.outcome)}`, r.ok ? 'ok' : 'error');
      else push(`   ${p.ok ? glyphs.check : glyphs.cross} ${p.name}: ${p.unchanged ? `already ${s.unschedulable ? 'cordoned' : 'schedulable'}` : p.ok ? 'dry-run accepted' : forDisplay(p.reason ?? '')}`, p.unchanged ? 'dim' : p.ok ? 'normal' : 'error');
    }
  } else {
    push(` Drain ${n} node${n === 1 ? '' : 's'} in ${s.context} (${names}): cordon, then evict through the Eviction API, honouring disruption budgets`, 'title');
    if (s.phase === 'checking') push(`   listing the pods, their budgets, dry-running each eviction${glyphs.ellipsis}`, 'dim');
    if (s.phase === 'preview') for (const p of s.plans ?? []) planLines(p, push);
    if (s.progress) for (const p of s.progress) progressLines(p, push);
    if (s.message) push(`   ${s.message}`, 'warn');
  }
  push('');
  if (s.phase === 'preview') {
    if (s.confirmWord) {
      push(`   type ${s.confirmWord} and press Enter to ${s.kind === 'drain' ? 'drain' : 'apply'}, Esc cancels`, 'warn');
      push(`   confirm: ${s.confirmInput}${glyphs.caret}`, 'prompt');
    } else push('   Enter applies, Esc cancels', 'dim');
  } else if (s.kind === 'drain' && s.phase === 'running') push('   Esc stops the drain (no new eviction is sent; the node stays cordoned)', 'dim');
  else if (s.phase === 'done') push('   Enter or Esc closes', 'dim');
  if (s.note) push(`   ${forDisplay(s.note)}`, 'error');
  return out;
}
