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
  push(`   ${p.node}: ${p.cordoned ? 'cordoned already,' : 'cordon,'} evict ${p.evict.length}, skip ${p.skipped.length}${blocked.length ? `; ${blocked.length} blocked by a PDB now` : ''}`, blocked.length ? 'warn' : 'normal');
  // What needs a look first: blocked and failing evictions, then what is skipped, then the rest.
  const rank = (v: string) => (v === 'blocked' ? 0 : v === 'error' ? 1 : 2);
  const evict = [...p.evict].sort((a, b) => rank(a.verdict) - rank(b.verdict));
  const ok = evict.filter((x) => rank(x.verdict) === 2);
  for (const x of evict.filter((y) => rank(y.verdict) < 2)) {
    const tone = x.verdict === 'blocked' ? 'warn' : 'error';
    push(`     ${x.verdict === 'blocked' ? glyphs.warn : glyphs.cross} ${x.namespace}/${x.name}${x.verdict === 'blocked' ? ' (blocked now; retried)' : ''}`, tone);
    // The server's words on a line of their own: at 80 columns they would be cut off after the name.
    push(`       ${forDisplay(x.note ?? x.pdb ?? '')}`, tone);
  }
  for (const x of p.skipped) push(`     ${glyphs.sep} skip ${x.namespace}/${x.name}: ${forDisplay(x.why)}`, 'dim');
  for (const x of ok) push(`     ${glyphs.to} ${x.namespace}/${x.name}  ${x.owner}${x.pdb ? `  PDB ${forDisplay(x.pdb)}` : ''}`);
}

function progressLines(p: DrainProgress, push: (t: string, tone?: LineTone) => void): void {
  const gone = p.pods.filter((x) => x.state === 'gone').length;
  push(`   ${p.node}: ${p.phase}  ${gone}/${p.pods.length} gone`, p.phase === 'done' ? 'ok' : p.phase === 'evicting' || p.phase === 'cordoning' ? 'accent' : 'warn');
  const order: DrainPodProgress['state'][] = ['waiting', 'failed', 'timed out', 'stopped', 'evicting', 'evicted', 'pending', 'gone'];
  const pods = [...p.pods].sort((a, b) => order.indexOf(a.state) - order.indexOf(b.state));
  if (p.message) push(`   ${forDisplay(p.message)}`, p.phase === 'done' ? 'ok' : 'warn');
  for (const x of pods) {
    push(`     ${fit(x.state, 9)} ${x.namespace}/${x.name}${x.state === 'waiting' && x.attempts > 1 ? ` (try ${x.attempts})` : ''}`, STATE_TONE[x.state]);
    if (x.note && x.state !== 'gone' && x.state !== 'evicted') push(`       ${forDisplay(x.note)}`, STATE_TONE[x.state]);
  }
}

/**
 * The lines cut to `height`: the head (the title and what needs a look, listed first) and the
 * prompt lines after the last blank line; what does not fit is counted on one line.
 */
export function fitDialog(lines: DialogLine[], height: number, width: number): DialogLine[] {
  if (lines.length <= height) return lines;
  const blank = lines.map((l) => l.text.trim()).lastIndexOf('');
  const footer = blank >= 0 ? lines.slice(blank) : [];
  const head = blank >= 0 ? lines.slice(0, blank) : lines;
  const room = Math.max(1, height - footer.length - 1);
  return [...head.slice(0, room), { text: fit(`     ${glyphs.ellipsis} ${head.length - room} more line${head.length - room === 1 ? '' : 's'}`, width), tone: 'dim' }, ...footer];
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
