import { describe, expect, it } from 'vitest';
import type { DeleteDialogState } from '../../../src/platform/stores/deleteDialogStore.js';
import { deleteDialogLines } from '../../../src/ui/views/deleteDialogLines.js';

const pod = (i: number) => ({
  target: { context: 'prod', ref: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: 'cart', name: `web-${i}` } },
  status: 'ready' as const,
  preview: { target: { context: 'prod', ref: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: 'cart', name: `web-${i}` } }, ok: true, dependents: [], direct: [], unread: [], cascade: 'Background' as const },
});

describe('the delete dialog in a small terminal', () => {
  it('50 marked pods: one line each as many as fit, how many more, and the typed confirmation always on screen', () => {
    const s: DeleteDialogState = { mode: 'kill', cascade: 'Background', cascadeOffered: false, phase: 'confirm', items: Array.from({ length: 50 }, (_, i) => pod(i)), confirmWord: 'cart', confirmInput: 'ca' };
    const lines = deleteDialogLines(s, 78, false, 19).map((l) => l.text.trimEnd());
    expect(lines).toHaveLength(19);
    expect(lines[0]).toBe(' Kill 50 objects (grace period 0, at once)');
    expect(lines[1]).toMatch(/^ {3}Pod cart\/web-0 {2}\S+ dry-run ok$/);
    expect(lines.some((l) => /^ {3}\S+ and 36 more$/.test(l))).toBe(true);
    expect(lines.at(-2)).toBe('   type cart and press Enter to kill, Esc cancels');
    expect(lines.at(-1)).toMatch(/^ {3}confirm: ca.$/);
  });

  it('one Deployment in detail: what it owns and some of their names', () => {
    const item = { ...pod(0), target: { context: 'prod', ref: { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespace: 'cart', name: 'web' } } };
    item.preview = { ...item.preview, dependents: [{ kind: 'Pod', count: 12, names: ['web-a', 'web-b', 'web-c'] }, { kind: 'ReplicaSet', count: 1, names: ['web-7d'] }] } as never;
    const lines = deleteDialogLines({ mode: 'delete', cascade: 'Background', cascadeOffered: false, phase: 'confirm', items: [item], confirmInput: '' }, 78, false, 19).map((l) => l.text.trimEnd());
    expect(lines).toContain('     also goes (owned): 12 Pods, 1 ReplicaSet');
    expect(lines.some((l) => /Pod: web-a, web-b, web-c, \S+$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('   y or Enter deletes it, Esc cancels');
  });
});

describe('the cascade in the delete dialog', () => {
  const deployment = (cascade: 'Background' | 'Foreground' | 'Orphan') => {
    const ref = { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespace: 'cart', name: 'web' };
    const rs = { kind: 'ReplicaSet', count: 1, names: ['web-7d9f'] };
    return { target: { context: 'prod', ref }, status: 'ready' as const, preview: { target: { context: 'prod', ref }, ok: true, cascade, direct: [rs], dependents: [{ kind: 'Pod', count: 3, names: ['web-7d9f-a', 'web-7d9f-b', 'web-7d9f-c'] }, rs], unread: [] } };
  };
  const linesOf = (cascade: 'Background' | 'Foreground' | 'Orphan') =>
    deleteDialogLines({ mode: 'delete', cascade, cascadeOffered: true, phase: 'confirm', items: [deployment(cascade)], confirmInput: '' }, 78, false, 19).map((l) => l.text.trimEnd());

  it('shows the three choices with the chosen one bracketed, what it does, and the dry-run naming it', () => {
    const bg = linesOf('Background');
    expect(bg[1]).toBe('   cascade (Tab): [Background]  Foreground   Orphan');
    expect(bg[2]).toBe('     it goes now; what it owns is deleted after it, in the background');
    expect(bg[3]).toMatch(/^ {3}Deployment cart\/web {2}\S+ dry-run ok \(Background\)$/);
    expect(bg).toContain('     also goes (owned): 3 Pods, 1 ReplicaSet');
    const fg = linesOf('Foreground');
    expect(fg[1]).toBe('   cascade (Tab):  Background  [Foreground]  Orphan');
    expect(fg).toContain('     it stays, Terminating, until what it owns is deleted; then it goes');
    expect(fg).toContain('     goes before it (owned): 3 Pods, 1 ReplicaSet');
  });

  it('Orphan: says what is left behind (the ReplicaSet and its pods) and that nothing else goes', () => {
    const lines = linesOf('Orphan');
    expect(lines[1]).toBe('   cascade (Tab):  Background   Foreground  [Orphan]');
    expect(lines).toContain('     orphans ReplicaSet web-7d9f and its 3 Pods:');
    expect(lines).toContain('       they stay, no longer owned; nothing else goes with it');
    expect(lines.some((l) => l.includes('also goes'))).toBe(false);
    expect(lines.every((l) => l.length <= 78)).toBe(true);
  });

  it('several objects, one line each: what each orphans', () => {
    const two = [deployment('Orphan'), { ...deployment('Orphan'), target: { context: 'prod', ref: { ...deployment('Orphan').target.ref, name: 'api' } } }];
    const lines = deleteDialogLines({ mode: 'delete', cascade: 'Orphan', cascadeOffered: true, phase: 'confirm', items: two, confirmWord: 'cart', confirmInput: '' }, 78, false, 19).map((l) => l.text.trimEnd());
    expect(lines.filter((l) => /dry-run ok \(Orphan\); orphans 1 ReplicaSet$/.test(l))).toHaveLength(2);
  });
});
