import { readFleetReplicaInput, type FleetClusterName } from '../../platform/actions/fleetReplicaInput.js';
import { describeOutcome, readReplicaInput, targetReplicas, type ReplicaChange } from '../../platform/actions/replicaMath.js';
import type { PreviewRow } from '../../platform/actions/scaleOperation.js';
import { refLabel } from '../../platform/actions/workloadRef.js';
import type { ScaleDialogState } from '../../platform/stores/scaleDialogStore.js';
import { fit, wrapWords } from '../format.js';
import { clusterLabels } from './lists/fleetClusters.js';
import { glyphs } from '../../terminal/glyphs.js';

// The scale dialog as lines of text from its state: pure, so the view only draws them.

export type LineTone = 'title' | 'normal' | 'dim' | 'warn' | 'error' | 'ok' | 'accent' | 'prompt';

export interface DialogLine {
  text: string;
  tone: LineTone;
}

export function progressBar(done: number, total: number, width: number): string {
  const cells = Math.max(4, width);
  const filled = total === 0 ? cells : Math.round((done / total) * cells);
  return `[${glyphs.barFull.repeat(filled)}${glyphs.barEmpty.repeat(cells - filled)}]`;
}

function statusText(r: PreviewRow): string {
  switch (r.status) {
    case 'ok':
      return 'accepted';
    case 'unchanged':
      return 'unchanged';
    case 'forbidden':
      return 'FORBIDDEN';
    case 'rejected':
      return 'REJECTED';
    case 'left-out':
      return 'LEFT OUT';
    default:
      return 'ERROR';
  }
}

/**
 * What the typed text means before Enter: the counts it leads to, or why it is not read.
 * After Enter on text that is not read, the reason is an error.
 */
function inputMeaning(s: ScaleDialogState): DialogLine | undefined {
  if (s.inputError) return { text: s.inputError, tone: 'error' };
  // Empty: the help line above already lists what may be typed.
  if (s.input.trim() === '') return undefined;
  const fleet = clustersOf(s);
  const clusters = s.clusters ?? fleet?.contexts.map((context) => ({ context, label: fleet.label(context), scaled: true }));
  if (clusters) return fleetMeaning(s, clusters);
  const reading = readReplicaInput(s.input);
  if ('reason' in reading) return { text: reading.reason, tone: 'warn' };
  return { text: `means ${describeOutcome(s.targets.filter((t) => !t.leftOut).map((t) => t.desired), reading.change)}`, tone: 'accent' };
}

/**
 * A fleet's field: each cluster's own counts from -> to (one application each), else per cluster
 * what its applications come to, or the one change's total; a cluster not named keeps its counts.
 */
function fleetMeaning(s: ScaleDialogState, clusters: readonly FleetClusterName[]): DialogLine {
  const reading = readFleetReplicaInput(s.input, clusters);
  if ('reason' in reading) return { text: reading.reason, tone: 'warn' };
  const asked = s.targets.filter((t) => !t.leftOut);
  const oneEach = new Set(asked.map((t) => t.context)).size === asked.length;
  const changeOf = (context: string | undefined): ReplicaChange | undefined => (context === undefined ? undefined : reading.changes.get(context));
  if (!reading.perCluster && !oneEach) {
    const change = changeOf(asked[0]?.context);
    return { text: change ? `means ${describeOutcome(asked.map((t) => t.desired), change)}` : 'nothing to scale', tone: 'accent' };
  }
  const parts = clusters.flatMap(({ context, label }) => {
    const ts = asked.filter((t) => t.context === context);
    if (!ts.length) return [];
    const change = changeOf(context);
    if (!change) return [`${label} keeps ${ts.length === 1 ? ts[0].desired : 'its counts'} (not named)`];
    if (ts.length === 1) return [`${label} ${ts[0].desired} -> ${targetReplicas(ts[0].desired, change)}`];
    return [`${label}: ${describeOutcome(ts.map((t) => t.desired), change)}`];
  });
  return { text: `means ${parts.join(oneEach ? ', ' : '; ')}`, tone: 'accent' };
}

interface FleetLabels {
  contexts: string[];
  label(context: string | undefined): string;
  width: number;
}

/**
 * Targets over several clusters (a fleet): their contexts in order and each one's short label,
 * the one the field reads (from the whole fleet: an application in only some clusters does not
 * shorten them to names the field would refuse).
 */
function clustersOf(s: ScaleDialogState): FleetLabels | undefined {
  const contexts = [...new Set(s.targets.map((t) => t.context).filter((c): c is string => c !== undefined))];
  if (contexts.length < 2) return undefined;
  const named = new Map(s.clusters?.map((c) => [c.context, c.label]));
  const labels = s.clusters ? contexts.map((c) => named.get(c) ?? c) : clusterLabels(contexts, 12);
  const byContext = new Map(contexts.map((c, i) => [c, labels[i]]));
  return { contexts, label: (c) => (c === undefined ? '' : (byContext.get(c) ?? c)), width: Math.max(7, ...labels.map((l) => l.length)) };
}

/** A fleet's targets per cluster: `dc1 23, dc2 23, dc3 left out (does not answer)` (counts, or applications when several). */
function perCluster(s: ScaleDialogState, fleet: FleetLabels): string {
  return fleet.contexts
    .map((c) => {
      const ts = s.targets.filter((t) => t.context === c);
      const out = ts.find((t) => t.leftOut);
      if (out) return `${fleet.label(c)} left out (${out.leftOut})`;
      return `${fleet.label(c)} ${ts.length === 1 ? ts[0].desired : `${ts.length} applications`}`;
    })
    .join(', ');
}

/** A row's count; a cluster left out was not read: its counts are not known. */
function count(r: PreviewRow, n: number): string {
  return (r.status === 'left-out' ? glyphs.dash : String(n)).padStart(5);
}

/** Narrower than this, a row's warnings go on the lines under it instead of beside it. */
const MIN_NOTES_WIDTH = 24;

/**
 * The dialog's lines, `width` columns each. Long texts wrap (continuation lines indented
 * under their first word) instead of being cut. With a `height`, what does not fit gives
 * way from the table in the middle, so the title, the field and the prompt stay: first the
 * rows' wrapped warnings collapse to one line, then rows are left out with a line saying so.
 */
export function scaleDialogLines(s: ScaleDialogState, width: number, now: number, height = Infinity): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => {
    const indent = /^ */.exec(text)![0].length + (text.trimStart().startsWith(`${glyphs.warn} `) ? 2 : 0);
    for (const l of wrapWords(text, width, indent)) out.push({ text: fit(l, width), tone });
  };
  let table: DialogTable | undefined;
  push(` ${s.title}`, 'title');
  const withSystem = new Set(s.targets.map((t) => t.ref.namespace)).size > 1;
  const fleet = clustersOf(s);
  const clusterCell = (context: string | undefined) => (fleet ? `${fleet.label(context).padEnd(fleet.width)} ` : '');
  const nameWidth = Math.max(16, Math.min(40, ...s.targets.map((t) => refLabel(t.ref, withSystem).length + 1)));

  if (s.kind === 'restart') {
    const r = s.restart;
    if (s.phase === 'previewing') push(`   dry-run of the restart${glyphs.ellipsis}`, 'dim');
    if (r) {
      push(`   pods of ${r.ref.name} are replaced one at a time by the rollout strategy (annotation kubectl.kubernetes.io/restartedAt)`);
      push(`   dry-run: ${r.ok ? 'accepted by the API server' : r.reason}`, r.ok ? 'ok' : 'error');
    }
  } else if (s.phase === 'edit' && !s.fixed) {
    if (fleet) {
      const apps = new Set(s.targets.map((t) => refLabel(t.ref, true)));
      const what = apps.size === 1 ? refLabel(s.targets[0].ref, withSystem) : `${apps.size} applications${s.system ? ` of ${s.system}` : ''}`;
      push(`   ${what} in ${fleet.contexts.length} clusters: ${perCluster(s, fleet)}`);
      push('');
      push(`   scale by: ${s.input}${glyphs.caret}`, 'prompt');
      push("   x2 / x1.5 (a factor of each cluster's own count, rounded up), 5 (a number), +2 / -1 (a step)", 'dim');
      const [a, b] = fleet.contexts.map((c) => fleet.label(c));
      push(`   per cluster: ${a}=40 ${b}=x2 (a cluster not named keeps its count)`, 'dim');
    } else if (s.targets.length === 1) {
      const t = s.targets[0];
      push(`   desired ${t.desired}   ready ${t.ready}/${t.desired}`);
      push('');
      push(`   replicas: ${s.input}${glyphs.caret}`, 'prompt');
      push('   5 (a number), +2 / -1 (a step), x2 / x1.5 (a factor); + and - keys step', 'dim');
    } else {
      push(`   ${s.targets.length} applications${s.system ? ` in ${s.system}` : ''}: ${s.targets.slice(0, 6).map((t) => refLabel(t.ref, withSystem)).join(', ')}${s.targets.length > 6 ? `, ${glyphs.ellipsis}` : ''}`);
      push('');
      push(`   scale by: ${s.input}${glyphs.caret}`, 'prompt');
      push('   x2 / x1.5 (a factor, rounded up), 5 (a number), +2 / -1 (a step)', 'dim');
    }
    const meaning = inputMeaning(s);
    if (meaning) push(`   ${meaning.text}`, meaning.tone);
  }

  if (s.progress) {
    const label = s.progress.what === 'dry-run' ? 'preview (server-side dry-run)' : 'applying';
    push(`   ${label} ${progressBar(s.progress.done, s.progress.total, 30)} ${s.progress.done}/${s.progress.total} ${s.progress.what}   Esc cancels what is not sent`, 'accent');
    if (fleet && s.clusterProgress) push(`   ${s.clusterProgress.map((c) => `${fleet.label(c.context)} ${c.done}/${c.total}${c.done === c.total ? ` ${glyphs.check}` : ''}`).join('   ')}`, 'accent');
  }

  if (s.kind !== 'restart' && s.preview && (s.phase === 'preview' || s.phase === 'applying' || s.phase === 'done' || s.phase === 'watching')) {
    const rows = s.preview.rows.filter((r) => r.status !== 'unchanged');
    const unchanged = s.preview.rows.length - rows.length;
    const results = new Map((s.results ?? []).map((r) => [r.row, r]));
    const placeOf = (r: { ref: PreviewRow['ref']; context?: string }) => `${r.context ?? ''}|${r.ref.namespace}/${r.ref.kind}/${r.ref.name}`;
    const readiness = new Map((s.readiness ?? []).map((r) => [placeOf(r), r]));
    push('');
    // The header is cut, never wrapped: wrapping would lose its columns' alignment.
    out.push({ text: fit(`   ${fleet ? 'CLUSTER'.padEnd(fleet.width + 1) : ''}${'APPLICATION'.padEnd(nameWidth)} ${'FROM'.padStart(5)} ${'TO'.padStart(5)}  ${(s.results ? 'RESULT' : 'DRY-RUN').padEnd(11)} ${s.readiness ? 'READY      ' : ''}WARNINGS / REASON`, width), tone: 'title' });
    // Rows are made as they are drawn: a fleet's 2,000 rows at 80x24 show a dozen.
    const row = (i: number): TableRow => {
      const r = rows[i];
      const res = results.get(r);
      const rd = readiness.get(placeOf(r));
      const state = res ? (res.outcome === 'applied' ? 'applied' : res.outcome.toUpperCase()) : statusText(r);
      const ready = s.readiness ? (rd ? `${rd.ready}/${rd.to}${rd.done ? ` ${glyphs.check}` : ''}`.padEnd(11) : ''.padEnd(11)) : '';
      const notes = res?.reason !== undefined ? [res.reason] : r.reason !== undefined ? [r.reason] : r.warnings.map((w) => w.text);
      const tone: LineTone = res ? (res.outcome === 'applied' ? (rd && !rd.done ? 'accent' : 'ok') : 'error') : r.status === 'ok' ? (r.warnings.length ? 'warn' : 'normal') : 'error';
      const cells = `   ${clusterCell(r.context)}${refLabel(r.ref, withSystem).padEnd(nameWidth)} ${count(r, r.from)} ${count(r, r.to)}  ${state.padEnd(11)} ${ready}`;
      return { full: () => rowLines(cells, notes, width).map((text) => ({ text: fit(text, width), tone })), short: () => ({ text: fit(cells + notes.join('; '), width), tone }) };
    };
    table = { at: out.length, count: rows.length, row };
    if (unchanged) push(`   ${unchanged} application${unchanged === 1 ? ' is' : 's are'} already at the target count`, 'dim');
    for (const c of s.kept ?? []) push(`   ${clusterCell(c)}${keptText(s.targets.filter((t) => t.context === c))}`);
    for (const p of s.preview.problems) push(`   ${glyphs.warn} ${p}`, 'warn');
  }

  if (s.kind === 'hpa' && s.hpaChange) {
    const c = s.hpaChange;
    push('');
    push(`   Instead: change HPA ${c.hpa.name} from min ${c.hpa.min}, max ${c.hpa.max} to min ${c.min}, max ${c.max}`, 'accent');
    push(`   dry-run: ${s.hpaDryRun ?? ''}`, s.hpaDryRun === 'accepted' ? 'ok' : 'dim');
  }

  if (s.readiness && s.phase === 'watching') {
    const ready = s.readiness.filter((r) => r.done).length;
    const secs = s.watchStarted ? Math.round((now - s.watchStarted) / 1000) : 0;
    push('');
    push(`   replicas ready ${progressBar(ready, s.readiness.length, 30)} ${ready}/${s.readiness.length} applications at their new count (${secs}s)   Esc stops watching, u undoes`, 'accent');
  }

  push('');
  if (s.error) push(`   ${s.error}`, 'error');
  if (s.phase === 'preview') {
    const n = s.kind === 'restart' ? (s.restart?.ok ? 1 : 0) : s.kind === 'hpa' ? 1 : (s.preview?.rows.filter((r) => r.status === 'ok').length ?? 0);
    if (s.confirmWord) {
      const where = fleet ? ` in ${changedClusters(s, fleet)}` : '';
      push(`   This changes ${n} application${n === 1 ? '' : 's'}${where}${s.preview?.rows.some((r) => r.status === 'ok' && r.to === 0) ? ', some to ZERO' : ''}. Type ${s.confirmWord} to confirm: ${s.confirmInput}${glyphs.caret}`, 'warn');
    } else if (n > 0) {
      const hpaHint = s.kind === 'scale' && s.targets.length === 1 && s.preview?.rows[0]?.hpa ? '   h: change the HPA limits instead' : '';
      push(`   Enter applies ${s.kind === 'hpa' ? 'the HPA change' : `${n} change${n === 1 ? '' : 's'}`}   Esc goes back${hpaHint}`, 'prompt');
    } else {
      push('   nothing to apply   Esc goes back', 'dim');
    }
  }
  if (s.phase === 'done') {
    const res = s.results ?? [];
    const count = (o: string) => res.filter((r) => r.outcome === o).length;
    if (res.length) {
      const parts = [`${count('applied')} applied`];
      for (const o of ['failed', 'conflict', 'skipped', 'cancelled', 'refused']) if (count(o)) parts.push(`${count(o)} ${o}`);
      push(`   ${parts.join(', ')}${s.timedOut ? '; timed out waiting for replicas to become ready' : count('applied') ? '; all ready at the new counts' : ''}`, count('applied') === res.length && !s.timedOut ? 'ok' : 'warn');
    }
    if (s.note) push(`   ${s.note}`, 'accent');
    const conflicts = count('conflict');
    push(`   ${conflicts ? 'Enter previews the conflicting applications again   ' : 'Enter/Esc closes   '}${count('applied') ? 'u undoes' : ''}`, 'prompt');
  } else if (s.note) push(`   ${s.note}`, 'warn');
  return table ? withTable(out, table, width, height) : out;
}

/** A cluster not named in `dc1=40 …`: what stays as it is. */
function keptText(targets: readonly ScaleDialogState['targets'][number][]): string {
  const known = targets.filter((t) => !t.leftOut);
  if (known.length === 1) return `not named: ${refLabel(known[0].ref, false)} keeps ${known[0].desired}`;
  return `not named: ${known.length ? `its ${known.length} applications keep their counts` : 'left as it is'}`;
}

/** `2 of 3 clusters (dc1, dc3)`: where a fleet preview changes something. */
function changedClusters(s: ScaleDialogState, fleet: FleetLabels): string {
  const changed = fleet.contexts.filter((c) => s.preview?.rows.some((r) => r.context === c && r.status === 'ok'));
  return `${changed.length} of ${fleet.contexts.length} clusters (${changed.map((c) => fleet.label(c)).join(', ') || 'none'})`;
}

/** A table row with its warnings: each warning wrapped beside the row, or under it when narrow. */
function rowLines(row: string, notes: string[], width: number): string[] {
  const column = row.length;
  if (width - column >= MIN_NOTES_WIDTH) {
    const lines = notes.flatMap((n) => wrapWords(n, width - column, 2));
    return lines.length ? lines.map((l, i) => (i === 0 ? row : ' '.repeat(column)) + l) : [row];
  }
  const under = 5;
  return [row.trimEnd(), ...notes.flatMap((n) => wrapWords(n, width - under, 2).map((l) => ' '.repeat(under) + l))];
}

/** A preview row: the row with its warnings wrapped beside or under it, or cut to one line. */
interface TableRow {
  full(): DialogLine[];
  short(): DialogLine;
}

/** The preview table: `count` rows put in at `at`, each made when it is drawn. */
interface DialogTable {
  at: number;
  count: number;
  row(i: number): TableRow;
}

/** Puts the table's rows in at `at`: wrapped when everything fits, else shorter (see scaleDialogLines). */
function withTable(out: DialogLine[], table: DialogTable, width: number, height: number): DialogLine[] {
  const before = out.slice(0, table.at);
  const after = out.slice(table.at);
  const room = height - before.length - after.length;
  if (table.count > room) {
    // Not even a line each: the first rows, cut, and how many more there are.
    const shown = Math.max(0, room - 1);
    const more = table.count - shown;
    const short = Array.from({ length: shown }, (_, i) => table.row(i).short());
    return [...before, ...short, { text: fit(`   ${glyphs.ellipsis} ${more} more application${more === 1 ? '' : 's'} (a taller terminal shows them)`, width), tone: 'dim' }, ...after];
  }
  const rows = Array.from({ length: table.count }, (_, i) => table.row(i));
  const full = rows.map((r) => r.full());
  if (full.reduce((n, lines) => n + lines.length, 0) <= room) return [...before, ...full.flat(), ...after];
  // Wrapped rows while room lasts, one-line rows for the rest.
  const lines: DialogLine[] = [];
  rows.forEach((r, i) => {
    const left = rows.length - i - 1;
    lines.push(...(lines.length + full[i].length + left <= room ? full[i] : [r.short()]));
  });
  return [...before, ...lines, ...after];
}
