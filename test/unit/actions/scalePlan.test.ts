import { describe, expect, it } from 'vitest';
import { diffPlan, isFleetPlan, parsePlan, planContexts, planYaml, type ScalePlan } from '../../../src/platform/actions/scalePlanFile.js';
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

describe('a fleet\'s scale plan', () => {
  const fleetPlan: ScalePlan = {
    savedAt: '2026-11-20T08:00:00.000Z',
    context: '',
    applications: [
      { context: 'prod-dc1', namespace: 'cart', kind: 'Deployment', name: 'cart-api', replicas: 40 },
      { context: 'prod-dc2', namespace: 'cart', kind: 'Deployment', name: 'cart-api', replicas: 20 },
      { context: 'prod-dc3', namespace: 'cart', kind: 'Deployment', name: 'cart-api', replicas: 9 },
    ],
  };

  it('names the context on every line and round-trips through YAML; a one-cluster plan stays one', () => {
    const text = planYaml(fleetPlan);
    expect(text).toContain('- context: prod-dc1\n    namespace: cart');
    expect(text).not.toMatch(/^context:/m);
    expect(parsePlan(text, 'p.yaml')).toEqual(fleetPlan);
    expect(isFleetPlan(fleetPlan)).toBe(true);
    expect(isFleetPlan(plan)).toBe(false);
    expect(planContexts(fleetPlan)).toEqual(['prod-dc1', 'prod-dc2', 'prod-dc3']);
    expect(planContexts(plan)).toEqual(['prod']);
  });

  it('diffs each line against its own cluster\'s counts; a cluster whose counts are not known keeps its lines', () => {
    const counts: Record<string, Map<string, number>> = { 'prod-dc1': new Map([['cart/Deployment/cart-api', 40]]), 'prod-dc2': new Map([['cart/Deployment/cart-api', 23]]) };
    expect(diffPlan(fleetPlan, (c) => counts[c])).toEqual([
      { ref: { namespace: 'cart', kind: 'Deployment', name: 'cart-api' }, context: 'prod-dc2', current: 23, planned: 20 },
      { ref: { namespace: 'cart', kind: 'Deployment', name: 'cart-api' }, context: 'prod-dc3', current: undefined, planned: 9 },
    ]);
  });

  it('refuses a line without a context beside lines that name one, and a context that is not a name', () => {
    const mixed = 'kind: ScalePlan\napplications:\n  - {context: dc1, namespace: a, kind: Deployment, name: b, replicas: 1}\n  - {namespace: a, kind: Deployment, name: c, replicas: 1}\n';
    expect(() => parsePlan(mixed, 'x.yaml')).toThrow('scale plan x.yaml: applications[1] has no context while applications[0] names one');
    expect(() => parsePlan('kind: ScalePlan\napplications:\n  - {context: 7, namespace: a, kind: Deployment, name: b, replicas: 1}\n', 'x.yaml')).toThrow('applications[0]: context must be a kubeconfig context name, got 7');
  });
});

function result(name: string, from: number, to: number, outcome: ApplyResult['outcome'], context?: string): ApplyResult {
  const row: PreviewRow = { ref: { kind: 'Deployment', namespace: 'cart', name }, context, from, to, resourceVersion: '1', uid: 'u', status: 'ok', warnings: [] };
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

  it('a fleet\'s operation: each line restores its own cluster, in the fleet it was made in', () => {
    const h = new UndoHistory();
    h.remember('dc1,dc2,dc3', 'op1', [result('a', 3, 40, 'applied', 'dc1'), result('a', 5, 20, 'applied', 'dc2'), result('a', 4, 8, 'skipped', 'dc3')]);
    expect(h.undoItems('dc1,dc2,dc3')).toEqual({
      items: [
        { ref: { kind: 'Deployment', namespace: 'cart', name: 'a' }, context: 'dc1', change: { kind: 'absolute', value: 3 } },
        { ref: { kind: 'Deployment', namespace: 'cart', name: 'a' }, context: 'dc2', change: { kind: 'absolute', value: 5 } },
      ],
    });
    expect(h.undoItems('dc1')).toEqual({ problem: expect.stringContaining(':ctx dc1,dc2,dc3') });
  });
});
