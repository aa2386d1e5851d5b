import { describe, expect, it } from 'vitest';
import { diffPlan, parsePlan, planYaml, type ScalePlan } from '../../../src/platform/actions/scalePlanFile.js';
import { UndoHistory } from '../../../src/platform/actions/undoHistory.js';
import type { ApplyResult, PreviewRow } from '../../../src/platform/actions/scaleOperation.js';

const plan: ScalePlan = {
  savedAt: '2026-11-20T08:00:00.000Z',
  context: 'prod',
  applications: [
    { namespace: 'cart', kind: 'Deployment', name: 'cart-api', replicas: 12 },
    { namespace: 'cart', kind: 'StatefulSet', name: 'cart-redis', replicas: 3 },
    { namespace: 'cart', kind: 'Deployment', name: 'gone-app', replicas: 2 },
  ],
};

describe('scale plans', () => {
  it('round-trips through YAML', () => {
    expect(parsePlan(planYaml(plan), 'p.yaml')).toEqual(plan);
  });

  it('diffs plan against the cluster: changed and missing applications, unchanged ones left out', () => {
    const current = new Map([
      ['cart/Deployment/cart-api', 4],
      ['cart/StatefulSet/cart-redis', 3],
    ]);
    const diff = diffPlan(plan, current);
    expect(diff).toEqual([
      { ref: { namespace: 'cart', kind: 'Deployment', name: 'cart-api' }, current: 4, planned: 12 },
      { ref: { namespace: 'cart', kind: 'Deployment', name: 'gone-app' }, current: undefined, planned: 2 },
    ]);
  });

  it('names the file and the entry when a plan is wrong', () => {
    expect(() => parsePlan('kind: Something\n', 'x.yaml')).toThrow(/scale plan x.yaml: not a warroom scale plan/);
    expect(() => parsePlan('kind: ScalePlan\napplications:\n  - {namespace: a, kind: Deployment, name: b, replicas: -1}\n', 'x.yaml')).toThrow(/applications\[0\]: replicas must be/);
    expect(() => parsePlan('kind: ScalePlan\napplications:\n  - {namespace: a, kind: Pod, name: b, replicas: 1}\n', 'x.yaml')).toThrow(/kind \(Deployment/);
  });
});

function result(name: string, from: number, to: number, outcome: ApplyResult['outcome']): ApplyResult {
  const row: PreviewRow = { ref: { kind: 'Deployment', namespace: 'cart', name }, from, to, resourceVersion: '1', uid: 'u', status: 'ok', warnings: [] };
  return { row, outcome };
}

describe('undo state', () => {
  it('restores the previous counts of the applications the last operation changed, not the failed ones', () => {
    const h = new UndoHistory();
    expect(h.undoItems('ctx')).toEqual({ problem: expect.stringContaining('nothing to undo') });
    h.remember('ctx', 'op1', [result('a', 3, 6, 'applied'), result('b', 2, 4, 'failed'), result('c', 1, 2, 'applied')]);
    expect(h.undoItems('ctx')).toEqual({
      items: [
        { ref: { kind: 'Deployment', namespace: 'cart', name: 'a' }, change: { kind: 'absolute', value: 3 } },
        { ref: { kind: 'Deployment', namespace: 'cart', name: 'c' }, change: { kind: 'absolute', value: 1 } },
      ],
    });
  });

  it('keeps the last real change when an operation applied nothing, and refuses another context', () => {
    const h = new UndoHistory();
    h.remember('ctx', 'op1', [result('a', 3, 6, 'applied')]);
    h.remember('ctx', 'op2', [result('a', 6, 12, 'failed')]);
    expect(h.peek()?.operation).toBe('op1');
    expect(h.undoItems('other')).toEqual({ problem: expect.stringContaining(":ctx ctx") });
  });
});
