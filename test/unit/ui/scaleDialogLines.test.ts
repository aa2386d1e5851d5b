import { describe, expect, it } from 'vitest';
import type { ScaleDialogState } from '../../../src/platform/stores/scaleDialogStore.js';
import { scaleDialogLines } from '../../../src/ui/views/scaleDialogLines.js';

// The scale field as the user reads it while typing: every input shows what it leads to or why
// it is not read, one line under the field.

const target = (name: string, desired: number) => ({ ref: { kind: 'Deployment' as const, namespace: 'cart', name }, desired, ready: desired });

function editing(input: string, targets = [target('cart-api', 4)], inputError?: string): ScaleDialogState {
  return { kind: 'scale', title: 'Scale', phase: 'edit', targets, system: 'cart', fixed: false, input, inputFresh: false, inputError, confirmInput: '' };
}

/** The line under the field's help line, with its tone. */
function meaning(s: ScaleDialogState): { text: string; tone: string } | undefined {
  const lines = scaleDialogLines(s, 160, 0);
  const help = lines.findIndex((l) => l.text.includes('(a step)'));
  const next = lines[help + 1];
  return next && next.text.trim() ? { text: next.text.trim(), tone: next.tone } : undefined;
}

describe('scale field lines', () => {
  it('the help says a leading sign is a step, on one application and on many', () => {
    const one = scaleDialogLines(editing('4'), 160, 0).map((l) => l.text);
    expect(one.some((l) => /\+2 \/ -1 \(a step\)/.test(l))).toBe(true);
    const many = scaleDialogLines(editing('', [target('a', 1), target('b', 2)]), 160, 0).map((l) => l.text);
    expect(many.some((l) => /\+2 \/ -1 \(a step\)/.test(l))).toBe(true);
  });

  it('a change shows the counts it leads to before Enter', () => {
    expect(meaning(editing('-1'))).toEqual({ text: 'means 4 -> 3 replicas (a step of -1)', tone: 'accent' });
    expect(meaning(editing('x1.5'))).toEqual({ text: 'means 4 -> 6 replicas (x1.5, rounded up)', tone: 'accent' });
    expect(meaning(editing('x2', [target('a', 1), target('b', 2)]))?.text).toBe('means 2 of 2 applications change: 3 -> 6 replicas (x2, rounded up)');
  });

  it('text that is not read says why while typing, and as an error after Enter', () => {
    expect(meaning(editing('1e3'))).toEqual({ text: "'1e3' is exponent notation: type the count in digits (1000)", tone: 'warn' });
    expect(meaning(editing('abc', undefined, "'abc' is not a replica count: type 5, +2, -1, x2 or x1.5"))).toEqual({ text: "'abc' is not a replica count: type 5, +2, -1, x2 or x1.5", tone: 'error' });
    // An empty field repeats nothing: the help line already lists the forms.
    expect(meaning(editing(''))).toBeUndefined();
    expect(meaning(editing('', undefined, 'type a number (5), a step (+2, -1) or a factor (x2, x1.5)'))?.tone).toBe('error');
  });
});

describe('scale preview at 80 columns', () => {
  const pdb = 'PodDisruptionBudget checkout-web-pdb wants at least 5 available (minAvailable 5); 2 would violate it';
  const factor = 'a change of more than x3 (6 -> 2)';
  function preview(n: number): ScaleDialogState {
    const targets = Array.from({ length: n }, (_, i) => target(i ? `app-${i}` : 'checkout-web', 6));
    const rows = targets.map((t, i) => ({ ref: t.ref, from: 6, to: 2, resourceVersion: '1', uid: `u${i}`, status: 'ok' as const, warnings: [{ code: 'pdb' as const, text: pdb }, { code: 'factor' as const, text: factor }] }));
    return { ...editing('2', targets), phase: 'preview', preview: { rows, problems: [], namespaces: ['cart'] }, confirmWord: 'cart' };
  }
  const texts = (s: ScaleDialogState, height?: number) => scaleDialogLines(s, 80, 0, height).map((l) => l.text);

  it('wraps every warning whole beside its row instead of cutting it at the edge', () => {
    const lines = texts(preview(1));
    for (const l of lines) expect(l.length).toBe(80);
    const row = lines.findIndex((l) => /^ {3}checkout-web +6 +2 {2}accepted/.test(l));
    const column = lines[row].indexOf('PodDisruptionBudget');
    expect(column).toBeGreaterThan(40);
    const notes = lines.slice(row).map((l) => l.slice(column).trim()).filter(Boolean);
    const text = notes.slice(0, notes.findIndex((l) => l.startsWith('This changes'))).join(' ');
    expect(text).toContain(pdb);
    expect(text).toContain(factor);
    expect(lines.join('\n')).not.toContain('…');
    // Continuation lines leave the other columns empty.
    expect(lines[row + 1].slice(0, column).trim()).toBe('');
  });

  it('on a short screen the rows give way, never the prompt: one line per row, then a count of the rest', () => {
    const tall = texts(preview(6));
    expect(tall.some((l) => l.includes('Type cart to confirm'))).toBe(true);
    const short = texts(preview(6), 14);
    expect(short.length).toBeLessThanOrEqual(14);
    expect(short.some((l) => l.includes('Type cart to confirm'))).toBe(true);
    const tiny = texts(preview(12), 12);
    expect(tiny.length).toBeLessThanOrEqual(12);
    expect(tiny.some((l) => /… \d+ more applications \(a taller terminal shows them\)/.test(l))).toBe(true);
    expect(tiny.some((l) => l.includes('Type cart to confirm'))).toBe(true);
  });

  it('under 24 columns for the warnings they go under the row', () => {
    const lines = scaleDialogLines(preview(1), 60, 0).map((l) => l.text);
    const row = lines.findIndex((l) => /checkout-web/.test(l));
    expect(lines[row]).toMatch(/accepted\s*$/);
    expect(lines[row + 1]).toMatch(/^ {5}PodDisruptionBudget/);
  });
});

describe('scale over a fleet at 80 columns', () => {
  const fleetTarget = (context: string, desired: number, leftOut?: string) => ({ ...target('cart-api', desired), context, leftOut });
  const targets = [fleetTarget('prod-dc1', 23), fleetTarget('prod-dc2', 12), fleetTarget('prod-dc3', 0, 'does not answer')];
  const rows = targets.map((t, i) => ({ ref: t.ref, context: t.context, from: t.desired, to: t.desired * 2, resourceVersion: '1', uid: `u${i}`, status: t.leftOut ? ('left-out' as const) : ('ok' as const), reason: t.leftOut, warnings: [] }));
  const base: ScaleDialogState = { ...editing('x2', targets), title: 'Scale Deployment cart/cart-api in 3 clusters' };

  it('the field names each cluster\'s own count and what x2 makes of it; a cluster left out says why', () => {
    const lines = scaleDialogLines(base, 80, 0).map((l) => l.text.trimEnd());
    expect(lines).toContain('   cart-api in 3 clusters: dc1 23, dc2 12, dc3 left out (does not answer)');
    expect(lines).toContain('   means dc1 23 -> 46, dc2 12 -> 24');
  });

  it('the preview, the apply and the readiness have a CLUSTER column under its header, the header never wraps', () => {
    const applied = rows.filter((r) => r.status === 'ok');
    const state: ScaleDialogState = {
      ...base,
      phase: 'watching',
      preview: { rows, problems: [], namespaces: ['cart'] },
      results: [...applied.map((row) => ({ row, outcome: 'applied' as const })), { row: rows[2], outcome: 'skipped' as const, reason: rows[2].reason }],
      readiness: applied.map((r) => ({ ref: r.ref, context: r.context, to: r.to, desired: r.to, ready: r.to, unreadyBefore: 0, done: true })),
    };
    const lines = scaleDialogLines(state, 80, 0, 24).map((l) => l.text);
    for (const l of lines) expect(l.length).toBe(80);
    const header = lines.findIndex((l) => l.startsWith('   CLUSTER APPLICATION'));
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 1]).toMatch(/^ {3}dc1 {5}cart-api +23 +46 {2}applied +46\/46 ✓/);
    expect(lines[header + 2]).toMatch(/^ {3}dc2 {5}cart-api +12 +24 {2}applied/);
    // Left out: its counts were not read; the reason under it (the READY column leaves no room beside).
    expect(lines[header + 3]).toMatch(/^ {3}dc3 {5}cart-api +— +— {2}SKIPPED/);
    expect(lines[header + 4]).toMatch(/^ {5}does not answer/);
    // FROM stands over the counts.
    expect(lines[header].indexOf('FROM') + 4).toBe(lines[header + 1].indexOf('23') + 2);
  });

  const clusters = ['prod-dc1', 'prod-dc2', 'prod-dc3'].map((context) => ({ context, label: context.slice(5), scaled: true }));

  it('per-cluster targets: the field says what each cluster comes to and which keep their count; a bad name is a warning', () => {
    const perCluster = (input: string) => scaleDialogLines({ ...base, targets: targets.slice(0, 2).concat(fleetTarget('prod-dc3', 7)), clusters, input }, 80, 0).map((l) => l.text.trimEnd());
    expect(perCluster('dc1=40')).toContain('   means dc1 23 -> 40, dc2 keeps 12 (not named), dc3 keeps 7 (not named)');
    expect(perCluster('x2 dc2=+3')).toContain('   means dc1 23 -> 46, dc2 12 -> 15, dc3 7 -> 14');
    expect(perCluster('dc7=3')).toContain("   no cluster 'dc7' in this fleet: dc1, dc2, dc3");
    expect(perCluster('')).toContain('   per cluster: dc1=40 dc2=x2 (a cluster not named keeps its count)');
  });

  it('the preview names each cluster not named, with the count it keeps', () => {
    const shown = rows.slice(0, 1);
    const state: ScaleDialogState = { ...base, targets: targets.slice(0, 2).concat(fleetTarget('prod-dc3', 0, 'does not answer')), clusters, input: 'dc1=46', phase: 'preview', preview: { rows: shown, problems: [], namespaces: ['cart'] }, kept: ['prod-dc2', 'prod-dc3'], confirmWord: 'cart' };
    const lines = scaleDialogLines(state, 80, 0, 24).map((l) => l.text.trimEnd());
    const header = lines.findIndex((l) => l.startsWith('   CLUSTER APPLICATION'));
    expect(lines[header + 1]).toMatch(/^ {3}dc1 {5}cart-api +23 +46 {2}accepted/);
    expect(lines[header + 2]).toBe('   dc2     not named: cart-api keeps 12');
    expect(lines[header + 3]).toBe('   dc3     not named: left as it is');
    expect(lines.join('\n')).toMatch(/This changes 1 application in 1 of 3 clusters \(dc1\)/);
  });

  it('a cluster is named as the field reads it, even when the application runs in only some of the fleet', () => {
    // Over these two alone the last words would tell them apart (west, east); the field reads the fleet's names.
    const fleet = [
      { context: 'prod-eu-west', label: 'eu-west', scaled: true },
      { context: 'prod-eu-east', label: 'eu-east', scaled: true },
      { context: 'prod-us-east', label: 'us-east', scaled: false },
    ];
    const two = [fleetTarget('prod-eu-west', 23), fleetTarget('prod-eu-east', 12)];
    const lines = (input: string) => scaleDialogLines({ ...base, targets: two, clusters: fleet, input }, 80, 0).map((l) => l.text.trimEnd());
    expect(lines('')).toContain('   cart-api in 2 clusters: eu-west 23, eu-east 12');
    expect(lines('')).toContain('   per cluster: eu-west=40 eu-east=x2 (a cluster not named keeps its count)');
    expect(lines('eu-west=40 eu-east=x2')).toContain('   means eu-west 23 -> 40, eu-east 12 -> 24');
  });

  it('applying shows each cluster\'s requests', () => {
    const state: ScaleDialogState = { ...base, phase: 'applying', preview: { rows, problems: [], namespaces: ['cart'] }, progress: { done: 1, total: 2, what: 'requests' }, clusterProgress: [{ context: 'prod-dc1', done: 1, total: 1 }, { context: 'prod-dc2', done: 0, total: 1 }] };
    expect(scaleDialogLines(state, 80, 0).map((l) => l.text.trimEnd())).toContain('   dc1 1/1 ✓   dc2 0/1');
  });
});
