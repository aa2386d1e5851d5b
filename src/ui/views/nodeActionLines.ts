import { formatTimeout, type DrainFlags } from '../../platform/actions/drainFlags.js';
import type { DrainPlan, DrainPodProgress, DrainProgress } from '../../platform/actions/nodeDrain.js';
import { DISABLE_EVICTION_WORD, type DrainEditing, type NodeActionState } from '../../platform/stores/nodeActionStore.js';
import { forDisplay } from '../../platform/text/sanitize.js';
import { fit } from '../format.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// The cordon / drain dialog as lines of text from its state: pure, so the view only draws them.
// Server words (a budget's cause, an error) are untrusted: shown through forDisplay.

const STATE_TONE: Record<DrainPodProgress['state'], LineTone> = {
  pending: 'dim', evicting: 'normal', waiting: 'warn', evicted: 'ok', gone: 'ok', failed: 'error', stopped: 'warn', 'timed out': 'error',
};

const box = (on: boolean) => (on ? '[x]' : '[ ]');

/** The options, with the key of each: two lines that fit 80 columns. */
function flagLines(f: DrainFlags, push: (t: string, tone?: LineTone) => void): void {
  push(`   options: e delete-emptydir-data ${box(f.deleteEmptyDirData)}  f force ${box(f.force)}  x disable-eviction ${box(f.disableEviction)}`, 'prompt');
  // A selector gets a line of its own: beside the others it would be cut at 80 columns.
  const selector = `l pod-selector: ${f.podSelector ? forDisplay(f.podSelector) : 'all'}`;
  push(`            g grace-period: ${f.gracePeriodSeconds === undefined ? "pod's own" : `${f.gracePeriodSeconds}s`}   t timeout: ${f.timeoutMs === 0 ? 'none' : formatTimeout(f.timeoutMs)}${f.podSelector ? '' : `   ${selector}`}`, 'prompt');
  if (f.podSelector) push(`            ${selector}`, 'prompt');
  if (f.disableEviction) push('   disable-eviction: pods are DELETED, no disruption budget is consulted', 'error');
}

function planLines(p: DrainPlan, push: (t: string, tone?: LineTone) => void): void {
  if (p.problem) return push(`   ${p.node}: ${forDisplay(p.problem)}`, 'error');
  const blocked = p.evict.filter((x) => x.verdict === 'blocked');
  const verb = p.flags.disableEviction ? 'delete' : 'evict';
  push(
    `   ${p.node}: ${p.cordoned ? 'cordoned already,' : 'cordon,'} ${verb} ${p.evict.length}, skip ${p.skipped.length}${blocked.length ? `; ${blocked.length} blocked by a PDB now` : ''}${p.blocking.length ? `; ${p.blocking.length} block${p.blocking.length === 1 ? 's' : ''} the drain` : ''}`,
    p.blocking.length ? 'error' : blocked.length ? 'warn' : 'normal',
  );
  // What needs a look first: pods that block the drain, blocked and failing evictions, what an
  // option lets go (its data, a pod nothing recreates), then what is skipped, then the rest.
  // The key and option that let it go beside the name, why on a line of its own (80 columns).
  for (const x of p.blocking) {
    push(`     ${glyphs.cross} ${x.namespace}/${x.name}  ${x.needs.map((n) => `${n === 'force' ? 'f' : 'e'} --${n}`).join(', ')}`, 'error');
    push(`       ${forDisplay(x.why)}`, 'error');
  }
  const rank = (v: string) => (v === 'blocked' ? 0 : v === 'error' ? 1 : 2);
  const evict = [...p.evict].sort((a, b) => rank(a.verdict) - rank(b.verdict) || Number(!a.warning) - Number(!b.warning));
  const ok = evict.filter((x) => rank(x.verdict) === 2);
  for (const x of evict.filter((y) => rank(y.verdict) < 2)) {
    const tone = x.verdict === 'blocked' ? 'warn' : 'error';
    push(`     ${x.verdict === 'blocked' ? glyphs.warn : glyphs.cross} ${x.namespace}/${x.name}${x.verdict === 'blocked' ? ' (blocked now; retried)' : ''}`, tone);
    // The server's words on a line of their own: at 80 columns they would be cut off after the name.
    push(`       ${forDisplay(x.note ?? x.pdb ?? '')}`, tone);
  }
  for (const x of ok.filter((y) => y.warning)) push(`     ${glyphs.to} ${x.namespace}/${x.name}: ${forDisplay(x.warning ?? '')}`, 'warn');
  for (const x of p.skipped) push(`     ${glyphs.sep} skip ${x.namespace}/${x.name}: ${forDisplay(x.why)}`, 'dim');
  // The budget before the owner: a long owner is what 80 columns cut.
  for (const x of ok.filter((y) => !y.warning)) push(`     ${glyphs.to} ${x.namespace}/${x.name}${x.pdb ? `  PDB ${forDisplay(x.pdb)}${p.flags.disableEviction ? ' (bypassed)' : ''}` : ''}  ${x.owner}`);
}

/** What is typed, and how: one line, or two for the dangerous one. */
const FIELD_PROMPT: Record<DrainEditing['field'], (f: DrainFlags) => string[]> = {
  gracePeriod: (f) => [`grace-period in seconds (now ${f.gracePeriodSeconds === undefined ? "each pod's own" : `${f.gracePeriodSeconds}s`}; empty: each pod's own):`],
  timeout: (f) => [`timeout: 10m, 90s, 1h30m, 0 for none (now ${f.timeoutMs === 0 ? 'none' : formatTimeout(f.timeoutMs)}; empty keeps it):`],
  podSelector: (f) => [`pod-selector, a label selector (now ${f.podSelector ? forDisplay(f.podSelector) : 'every pod'}; empty: every pod):`],
  disableEviction: () => ['disable-eviction DELETES the pods, bypassing every disruption budget.', `Type ${DISABLE_EVICTION_WORD} and press Enter to turn it on:`],
};

function editingLines(f: DrainFlags, e: DrainEditing, push: (t: string, tone?: LineTone) => void): void {
  for (const l of FIELD_PROMPT[e.field](f)) push(`   ${l}`, e.field === 'disableEviction' ? 'error' : 'warn');
  push(`   ${forDisplay(e.input)}${glyphs.caret}`, 'prompt');
  push(e.error ? `   ${e.error}` : '   Enter sets it, Esc keeps it as it is', e.error ? 'error' : 'dim');
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
    const how = s.flags.disableEviction ? 'then delete its pods, bypassing disruption budgets' : 'then evict through the Eviction API, honouring disruption budgets';
    push(` Drain ${n} node${n === 1 ? '' : 's'} in ${s.context} (${names}): cordon, ${how}`, 'title');
    if (s.phase !== 'running' && s.phase !== 'done') flagLines(s.flags, push);
    if (s.phase === 'checking') push(`   listing the pods, their budgets, dry-running each ${s.flags.disableEviction ? 'deletion' : 'eviction'}${glyphs.ellipsis}`, 'dim');
    if (s.phase === 'preview' || s.phase === 'confirm') for (const p of s.plans ?? []) planLines(p, push);
    if (s.progress) for (const p of s.progress) progressLines(p, push);
    if (s.message) push(`   ${s.message}`, 'warn');
  }
  push('');
  if (s.kind === 'drain' && s.editing) editingLines(s.flags, s.editing, push);
  else if (s.kind === 'drain' && s.phase === 'preview') push('   Enter: on to the confirmation, Esc cancels; the keys above set the options', 'dim');
  else if (s.phase === (s.kind === 'drain' ? 'confirm' : 'preview')) {
    if (s.confirmWord) {
      push(`   type ${s.confirmWord} and press Enter to ${s.kind === 'drain' ? `drain${s.flags.disableEviction ? ', DELETING the pods' : ''}` : 'apply'}, Esc ${s.kind === 'drain' ? 'goes back' : 'cancels'}`, 'warn');
      push(`   confirm: ${s.confirmInput}${glyphs.caret}`, 'prompt');
    } else push('   Enter applies, Esc cancels', 'dim');
  } else if (s.kind === 'drain' && s.phase === 'running') push(`   Esc stops the drain (no new ${s.flags.disableEviction ? 'deletion' : 'eviction'} is sent; the node stays cordoned)`, 'dim');
  else if (s.phase === 'done') push('   Enter or Esc closes', 'dim');
  if (s.note) push(`   ${forDisplay(s.note)}`, 'error');
  return out;
}
