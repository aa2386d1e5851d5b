import { describe, expect, it } from 'vitest';
import type { DeleteDialogState } from '../../../src/platform/stores/deleteDialogStore.js';
import { deleteDialogLines } from '../../../src/ui/views/deleteDialogLines.js';

const pod = (i: number) => ({
  target: { context: 'prod', ref: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: 'cart', name: `web-${i}` } },
  status: 'ready' as const,
  preview: { target: { context: 'prod', ref: { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespace: 'cart', name: `web-${i}` } }, ok: true, dependents: [], unread: [] },
});

describe('the delete dialog in a small terminal', () => {
  it('50 marked pods: one line each as many as fit, how many more, and the typed confirmation always on screen', () => {
    const s: DeleteDialogState = { mode: 'kill', phase: 'confirm', items: Array.from({ length: 50 }, (_, i) => pod(i)), confirmWord: 'cart', confirmInput: 'ca' };
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
    const lines = deleteDialogLines({ mode: 'delete', phase: 'confirm', items: [item], confirmInput: '' }, 78, false, 19).map((l) => l.text.trimEnd());
    expect(lines).toContain('     also goes (owned): 12 Pods, 1 ReplicaSet');
    expect(lines.some((l) => /Pod: web-a, web-b, web-c, \S+$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('   y or Enter deletes it, Esc cancels');
  });
});
