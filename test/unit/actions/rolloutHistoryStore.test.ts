import { afterEach, describe, expect, it } from 'vitest';
import type { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { RolloutHistoryStore } from '../../../src/platform/stores/rolloutHistoryStore.js';

// The history pane's store against a scripted gate and API: Esc while the rollback is being sent
// keeps its outcome on screen, and Esc after a finished rollback does not cancel the reading of
// the revisions that follows it (their numbers change with the rollback).

type Json = Record<string, unknown>;
const ref = { kind: 'Deployment' as const, namespace: 'trade', name: 'order-api' };
const template = (image: string): Json => ({ metadata: { labels: { app: 'order-api' } }, spec: { containers: [{ name: 'app', image }] } });
const owner = [{ uid: 'd1', controller: true }];
const rs = (name: string, revision: number, image: string): Json => ({
  metadata: { name, ownerReferences: owner, creationTimestamp: '2026-01-01T00:00:00Z', annotations: { 'deployment.kubernetes.io/revision': String(revision) } },
  spec: { replicas: 0, template: template(image) },
  status: {},
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** One Deployment at revision 2 (image v2) with a revision 1 (v1); a rollback makes v1 revision 3. */
function scripted() {
  let rolledBack = false;
  const after = { lists: 0, held: undefined as ReturnType<typeof deferred<void>> | undefined, sent: undefined as ReturnType<typeof deferred<void>> | undefined };
  const workload = (): Json => ({
    metadata: { uid: 'd1', name: 'order-api', generation: 2, annotations: { 'deployment.kubernetes.io/revision': rolledBack ? '3' : '2' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'order-api' } }, template: template(rolledBack ? 'order-api:v1' : 'order-api:v2') },
    status: { observedGeneration: 2, replicas: 1, updatedReplicas: 1, availableReplicas: 1 },
  });
  const session = {
    user: 'admin',
    getJson: async (path: string, _query: unknown, signal?: AbortSignal) => {
      if (!path.endsWith('/replicasets')) return workload();
      if (!rolledBack) return { items: [rs('order-api-b', 2, 'order-api:v2'), rs('order-api-a', 1, 'order-api:v1')] };
      // Right after the patch the controller has not renumbered the ReplicaSet yet; later it has.
      if (++after.lists === 1) return { items: [rs('order-api-b', 2, 'order-api:v2'), rs('order-api-a', 1, 'order-api:v1')] };
      // As the real client: an aborted request rejects.
      await Promise.race([after.held?.promise, new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))))]);
      return { items: [rs('order-api-b', 2, 'order-api:v2'), rs('order-api-a', 3, 'order-api:v1')] };
    },
  };
  const gate = {
    session,
    assertWritable: () => undefined,
    canI: async () => ({ allowed: true }),
    dryRun: async () => ({ spec: { template: template('order-api:v1') } }),
    perform: async () => {
      await after.sent?.promise;
      rolledBack = true;
    },
  } as unknown as ActionGate;
  return { gate, after };
}

const settle = () => new Promise((r) => setTimeout(r, 20));
let store: RolloutHistoryStore | undefined;
afterEach(() => store?.close());

async function previewed(gate: ActionGate): Promise<RolloutHistoryStore> {
  store = new RolloutHistoryStore({ gate: () => gate, pollMs: 5 });
  store.open(ref);
  await settle();
  store.move(1);
  await store.startRollback();
  expect(store.getSnapshot()?.rollback?.phase).toBe('preview');
  return store;
}

describe('rollout history store', () => {
  it('Esc while the rollback is being sent stays on it: its outcome is shown, not dropped behind the list', async () => {
    const api = scripted();
    api.after.sent = deferred<void>();
    const s = await previewed(api.gate);
    const confirmed = s.confirm();
    expect(s.getSnapshot()?.rollback?.phase).toBe('applying');
    expect(s.back()).toBe(true);
    expect(s.getSnapshot()?.mode).toBe('rollback');
    api.after.sent.resolve();
    await confirmed;
    await settle();
    expect(s.getSnapshot()?.rollback?.status?.message).toMatch(/successfully rolled out/);
  });

  it('Esc after a finished rollback leaves the revisions being read again to arrive: the rolled-back one under its new number', async () => {
    const api = scripted();
    const s = await previewed(api.gate);
    api.after.held = deferred<void>();
    await s.confirm();
    await settle();
    expect(s.getSnapshot()?.rollback?.phase).toBe('done');
    expect(s.back()).toBe(true);
    api.after.held.resolve();
    await settle();
    const running = s.getSnapshot()?.revisions.find((r) => r.current);
    expect(running).toMatchObject({ name: 'order-api-a', revision: 3 });
  });
});
