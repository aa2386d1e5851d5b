import { describe, expect, it } from 'vitest';
import { conflictText, editableObject, editPatch, mergePatchBetween, parseEdited, withErrorOnTop } from '../../../src/platform/actions/editObject.js';
import { unifiedDiff } from '../../../src/platform/actions/rolloutHistory.js';

const cm = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'app', namespace: 'cart', uid: 'u1', resourceVersion: '42', labels: { team: 'cart', tier: 'web' }, managedFields: [{ manager: 'kubectl' }] },
  data: { level: 'info', ports: '80' },
  status: { x: 1 },
};

describe('what the user edits', () => {
  it('leaves out managedFields and status, keeps the resourceVersion', () => {
    const e = editableObject(cm);
    expect(e.status).toBeUndefined();
    expect((e.metadata as Record<string, unknown>).managedFields).toBeUndefined();
    expect((e.metadata as Record<string, unknown>).resourceVersion).toBe('42');
  });

  it('reads the saved file back; a YAML error says where; an empty file (comments only) is empty', () => {
    expect(parseEdited('# header\nkind: ConfigMap\ndata:\n  a: "1"\n').object).toEqual({ kind: 'ConfigMap', data: { a: '1' } });
    expect(parseEdited('data:\n  level: info: :\n').error).toMatch(/line 2/);
    expect(parseEdited('# only\n#comments\n\n').empty).toBe(true);
    expect(parseEdited('- a\n- b\n').error).toMatch(/one object/);
  });

  it('puts the error on top as comments, replacing the previous one', () => {
    const once = withErrorOnTop('kind: x\n', 'bad\nat line 2');
    expect(once).toBe('# error: bad\n#   at line 2\nkind: x\n');
    expect(withErrorOnTop(once, 'worse')).toBe('# error: worse\nkind: x\n');
  });

  it('after a conflict, the user\'s change rides along as comments over the object as it is now', () => {
    const t = conflictText('kind: ConfigMap\n', { data: { level: 'debug' } }, 'Conflict (409)');
    expect(t.split('\n').slice(0, 3)).toEqual(['# error: Conflict (409)', '#   The object changed on the server since you opened it; below is its current state.', '#   Your change (a merge patch) was:']);
    expect(t).toContain('#       level: debug');
    expect(parseEdited(t).object).toEqual({ kind: 'ConfigMap' });
  });
});

describe('the patch sent', () => {
  it('is a JSON merge patch from what was shown to what was saved: changed keys, removed ones as null, lists whole', () => {
    expect(mergePatchBetween({ a: 1, b: { c: 2, d: 3 }, l: [1, 2] }, { a: 1, b: { c: 5 }, l: [1, 2, 3], n: 'x' })).toEqual({ b: { c: 5, d: null }, l: [1, 2, 3], n: 'x' });
    expect(mergePatchBetween({ a: { b: 1 } }, { a: { b: 1 } })).toBeUndefined();
  });

  it('carries the resourceVersion that was shown (a change made meanwhile is a 409), and nothing when nothing changed', () => {
    const shown = editableObject(cm);
    const edited = { ...shown, metadata: { ...(shown.metadata as object), labels: { team: 'cart' } }, data: { level: 'debug', ports: '80' } };
    expect(editPatch(shown, edited)).toEqual({ metadata: { labels: { tier: null }, resourceVersion: '42' }, data: { level: 'debug' } });
    expect(editPatch(shown, structuredClone(shown))).toBeUndefined();
  });
});

describe('the diff', () => {
  it('shows a changed line as diff prints it: the old one, then the new one', () => {
    expect(unifiedDiff(['a', 'level: info', 'b'], ['a', 'level: debug', 'b'])).toEqual(['  a', '- level: info', '+ level: debug', '  b']);
  });
});
