import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCALE_SETTINGS, type ActionsConfig } from '../../../src/config/actionsConfig.js';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { ClusterStore } from '../../../src/platform/stores/clusterStore.js';
import { ScaleDialogStore, type DialogTarget } from '../../../src/platform/stores/scaleDialogStore.js';
import { FakeScaleApi } from './fakeScaleApi.js';
import { scratchDir } from '../../support/scratchDir.js';

// One scale operation over a fleet without a screen: each cluster previewed and changed through
// its own gate, per-cluster counts, clusters that are read-only or down left out, one id.

interface Cluster {
  api: FakeScaleApi;
  gate: ActionGate;
  store: ClusterStore;
  auditPath: string;
}

function setup(opts: { readOnly?: string[] } = {}) {
  const dir = scratchDir('warroom-fleet-scale-');
  const counts: Record<string, number> = { dc1: 4, dc2: 2, dc3: 3 };
  const clusters = new Map<string, Cluster>();
  for (const [context, replicas] of Object.entries(counts)) {
    const api = new FakeScaleApi();
    api.add('cart', 'cart-api', replicas);
    const session = api.session(context);
    const auditPath = join(dir, `${context}.jsonl`);
    const gate = new ActionGate({ session: () => session, policy: { global: false, contexts: new Set(opts.readOnly ?? []) }, audit: new AuditLog(auditPath) });
    clusters.set(context, { api, gate, store: new ClusterStore(), auditPath });
  }
  const config: ActionsConfig = { configPath: '', auditPath: join(dir, 'unused.jsonl'), kubernetesEvents: false, scale: { ...DEFAULT_SCALE_SETTINGS }, readOnlyContexts: new Set(opts.readOnly ?? []) };
  const said: string[] = [];
  const first = clusters.get('dc1')!;
  const dialog = new ScaleDialogStore({
    gate: () => first.gate,
    config: () => config,
    store: () => first.store,
    say: (t) => said.push(t),
    fleet: { contexts: () => [...clusters.keys()], cluster: (c) => clusters.get(c) },
  });
  const settle = async (pred: () => boolean) => {
    for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
  };
  const audit = (context: string) => {
    try {
      return readFileSync(clusters.get(context)!.auditPath, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    } catch {
      return [];
    }
  };
  const targets = (leftOut: Record<string, string> = {}): DialogTarget[] =>
    Object.entries(counts).map(([context, n]) => ({ ref: { kind: 'Deployment', namespace: 'cart', name: 'cart-api' }, context, desired: n, ready: n, leftOut: leftOut[context] }));
  const replicas = () => Object.fromEntries([...clusters].map(([c, x]) => [c, x.api.objects.get('cart/cart-api')!.replicas]));
  return { clusters, dialog, said, settle, audit, targets, replicas };
}

async function typeAndPreview(f: ReturnType<typeof setup>, input: string): Promise<void> {
  for (const ch of input) f.dialog.type(ch);
  f.dialog.enter();
  await f.settle(() => f.dialog.getSnapshot()?.phase === 'preview');
}

describe('a scale over the fleet', () => {
  it('x2 doubles each cluster\'s own count, after a typed confirmation; each cluster\'s audit has its part under one operation id; u restores every cluster', async () => {
    const f = setup();
    f.dialog.openBulk(f.targets(), 'Scale cart-api in 3 clusters');
    await typeAndPreview(f, 'x2');
    const s = f.dialog.getSnapshot()!;
    expect(s.preview!.rows.map((r) => `${r.context} ${r.from}->${r.to} ${r.status}`)).toEqual(['dc1 4->8 ok', 'dc2 2->4 ok', 'dc3 3->6 ok']);
    // Each cluster's own dry-run, nothing changed yet.
    for (const c of f.clusters.values()) expect(c.api.requests.filter((r) => r.method === 'PATCH').map((r) => r.dryRun)).toEqual([true]);
    expect(f.replicas()).toEqual({ dc1: 4, dc2: 2, dc3: 3 });
    // Always typed across a fleet, even for one application.
    expect(s.confirmWord).toBe('cart');
    f.dialog.enter();
    expect(f.replicas()).toEqual({ dc1: 4, dc2: 2, dc3: 3 });
    for (const ch of 'cart') f.dialog.type(ch);
    f.dialog.enter();
    await f.settle(() => f.dialog.getSnapshot()?.results !== undefined);
    expect(f.replicas()).toEqual({ dc1: 8, dc2: 4, dc3: 6 });
    const records = ['dc1', 'dc2', 'dc3'].map((c) => f.audit(c));
    for (const [i, r] of records.entries()) expect(r).toMatchObject([{ context: `dc${i + 1}`, name: 'cart-api', outcome: 'applied' }]);
    const ids = new Set(records.map((r) => r[0].operation));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/\w+/);
    expect(f.dialog.getSnapshot()!.clusterProgress).toEqual([
      { context: 'dc1', done: 1, total: 1 },
      { context: 'dc2', done: 1, total: 1 },
      { context: 'dc3', done: 1, total: 1 },
    ]);

    f.dialog.close();
    f.dialog.undoLast();
    await f.settle(() => f.dialog.getSnapshot()?.phase === 'preview');
    expect(f.dialog.getSnapshot()!.preview!.rows.map((r) => `${r.context} ${r.from}->${r.to}`)).toEqual(['dc1 8->4', 'dc2 4->2', 'dc3 6->3']);
    for (const ch of 'cart') f.dialog.type(ch);
    f.dialog.enter();
    await f.settle(() => f.dialog.getSnapshot()?.results !== undefined);
    expect(f.replicas()).toEqual({ dc1: 4, dc2: 2, dc3: 3 });
  });

  it('a read-only cluster and one that does not answer are listed with the reason and left out; the others are changed', async () => {
    const f = setup({ readOnly: ['dc2'] });
    f.dialog.openBulk(f.targets({ dc3: 'does not answer' }), 'Scale cart-api in 3 clusters');
    await typeAndPreview(f, '+1');
    const rows = f.dialog.getSnapshot()!.preview!.rows;
    expect(rows.map((r) => `${r.context} ${r.status}`)).toEqual(['dc1 ok', 'dc2 left-out', 'dc3 left-out']);
    expect(rows[1].reason).toBe('read-only (config file)');
    expect(rows[2].reason).toBe('does not answer');
    // Nothing at all was asked of the clusters left out.
    expect(f.clusters.get('dc2')!.api.requests).toEqual([]);
    expect(f.clusters.get('dc3')!.api.requests).toEqual([]);
    for (const ch of 'cart') f.dialog.type(ch);
    f.dialog.enter();
    await f.settle(() => f.dialog.getSnapshot()?.results !== undefined);
    expect(f.replicas()).toEqual({ dc1: 5, dc2: 2, dc3: 3 });
    expect(f.dialog.getSnapshot()!.results!.map((r) => `${r.row.context} ${r.outcome}`).sort()).toEqual(['dc1 applied', 'dc2 skipped', 'dc3 skipped']);
    // Each cluster's audit says what happened there, under the same operation.
    const [a1, a2, a3] = ['dc1', 'dc2', 'dc3'].map((c) => f.audit(c));
    expect(a1).toMatchObject([{ context: 'dc1', outcome: 'applied' }]);
    expect(a2).toMatchObject([{ context: 'dc2', outcome: 'skipped: left out, read-only (config file)' }]);
    expect(a3).toMatchObject([{ context: 'dc3', outcome: 'skipped: left out, does not answer' }]);
    expect(new Set([a1[0].operation, a2[0].operation, a3[0].operation]).size).toBe(1);
  });

  it('a cluster whose preview fails is listed with the error; the others are previewed and applicable', async () => {
    const f = setup();
    const dc2 = f.clusters.get('dc2')!;
    dc2.api.objects.delete('cart/cart-api');
    f.dialog.openBulk(f.targets(), 'Scale cart-api in 3 clusters');
    await typeAndPreview(f, '6');
    const rows = f.dialog.getSnapshot()!.preview!.rows;
    expect(rows.map((r) => `${r.context} ${r.status}`)).toEqual(['dc1 ok', 'dc2 error', 'dc3 ok']);
    expect(rows[1].reason).toMatch(/not found/);
  });

  it('dc1=8 dc3=x2: each named cluster to its own target, dc2 not named is kept and never asked; u restores each cluster it changed', async () => {
    const f = setup();
    f.dialog.openBulk(f.targets(), 'Scale cart-api in 3 clusters');
    await typeAndPreview(f, 'dc1=8 dc3=x2');
    const s = f.dialog.getSnapshot()!;
    expect(s.inputError).toBeUndefined();
    expect(s.preview!.rows.map((r) => `${r.context} ${r.from}->${r.to} ${r.status}`)).toEqual(['dc1 4->8 ok', 'dc3 3->6 ok']);
    expect(s.kept).toEqual(['dc2']);
    expect(f.clusters.get('dc2')!.api.requests).toEqual([]);
    for (const ch of 'cart') f.dialog.type(ch);
    f.dialog.enter();
    await f.settle(() => f.dialog.getSnapshot()?.results !== undefined);
    expect(f.replicas()).toEqual({ dc1: 8, dc2: 2, dc3: 6 });
    expect(f.audit('dc2')).toEqual([]);
    // The undo record carries each line's cluster: each one goes back to its own count.
    expect(f.dialog.undo.peek()!.entries.map((e) => `${e.context} ${e.ref.name} ${e.before}->${e.after}`)).toEqual(['dc1 cart-api 4->8', 'dc3 cart-api 3->6']);
    f.dialog.close();
    f.dialog.undoLast();
    await f.settle(() => f.dialog.getSnapshot()?.phase === 'preview');
    expect(f.dialog.getSnapshot()!.preview!.rows.map((r) => `${r.context} ${r.from}->${r.to}`)).toEqual(['dc1 8->4', 'dc3 6->3']);
    for (const ch of 'cart') f.dialog.type(ch);
    f.dialog.enter();
    await f.settle(() => f.dialog.getSnapshot()?.results !== undefined);
    expect(f.replicas()).toEqual({ dc1: 4, dc2: 2, dc3: 3 });
  });

  it('an unknown cluster name is refused in the field: the reason names the fleet\'s clusters, nothing is asked of any cluster', async () => {
    const f = setup();
    f.dialog.openBulk(f.targets(), 'Scale cart-api in 3 clusters');
    for (const ch of 'dc1=8 dc9=2') f.dialog.type(ch);
    f.dialog.enter();
    expect(f.dialog.getSnapshot()).toMatchObject({ phase: 'edit', inputError: "no cluster 'dc9' in this fleet: dc1, dc2, dc3" });
    await new Promise((r) => setTimeout(r, 20));
    for (const c of f.clusters.values()) expect(c.api.requests).toEqual([]);
  });

  it('a named cluster that is read-only is listed as left out with its reason; x2 for the others', async () => {
    const f = setup({ readOnly: ['dc2'] });
    f.dialog.openBulk(f.targets(), 'Scale cart-api in 3 clusters');
    await typeAndPreview(f, 'x2 dc2=10');
    expect(f.dialog.getSnapshot()!.preview!.rows.map((r) => `${r.context} ${r.status} ${r.reason ?? ''}`.trim())).toEqual(['dc1 ok', 'dc2 left-out read-only (config file)', 'dc3 ok']);
    expect(f.dialog.getSnapshot()!.kept).toEqual([]);
  });

  it('every cluster read-only: the dialog is not offered and the guard says why', () => {
    const f = setup({ readOnly: ['dc1', 'dc2', 'dc3'] });
    f.dialog.openBulk(f.targets(), 'Scale cart-api in 3 clusters');
    expect(f.dialog.isOpen).toBe(false);
    expect(f.said.at(-1)).toMatch(/scale refused: context 'dc1' is read-only/);
  });
});
