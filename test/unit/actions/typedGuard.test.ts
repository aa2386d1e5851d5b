import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { ReadOnlyError } from '../../../src/platform/actions/readOnlyGuard.js';
import type { ConsoleRuntime } from '../../../src/platform/consoleRuntime.js';
import { startExec } from '../../../src/platform/exec/execSession.js';
import { patchScale } from '../../../src/platform/actions/scaleClient.js';
import {
  GateClientRevokedError,
  loadKubeSession,
  MutationOutsideGateError,
  readSessionOf,
  type DryRunClient,
  type KubeSession,
  type MutatingClient,
  type ReadSession,
} from '../../../src/platform/kube/kubeSession.js';
import { sendJson, startFakeApiServer, tempDir, writeKubeconfig, type FakeApiServer } from '../kube/fakeApiServer.js';

// The read-only guard is enforced by types, not by convention: views get a ReadSession, which
// has no mutating method, and the only client that can send a change is the one
// ActionGate.perform hands to `run`, after the read-only check and with the audit around it.

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function cluster(): Promise<{ api: FakeApiServer; full: KubeSession; dir: string }> {
  const api = await startFakeApiServer((req, res) => {
    if (req.method === 'GET') return sendJson(res, 200, { kind: 'Namespace', metadata: { name: 'cart' } });
    sendJson(res, 200, { kind: 'Scale', spec: { replicas: 4 } });
  });
  cleanups.push(() => api.close());
  const dir = tempDir();
  const full = loadKubeSession({ kubeconfig: writeKubeconfig(dir, [{ name: 'prod', server: api.url, token: 't0ken' }]), env: {}, homeDir: dir });
  return { api, full, dir };
}

const mutatingVerbs = () => ['POST', 'PUT', 'PATCH', 'DELETE'];

function gateOn(full: KubeSession, dir: string, readOnly: boolean): ActionGate {
  return new ActionGate({ session: () => full, policy: { global: readOnly, contexts: new Set() }, audit: new AuditLog(join(dir, 'audit.jsonl')) });
}

describe('the read session cannot change the cluster', () => {
  it('reads, but refuses every mutating verb before anything is sent', async () => {
    const { api, full } = await cluster();
    const read = readSessionOf(full);
    expect((await read.request('GET', '/api/v1/namespaces/cart')).status).toBe(200);
    for (const verb of mutatingVerbs()) {
      // A JavaScript caller or a cast gets past the types; the run-time check still refuses.
      await expect(read.request(verb as 'GET', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale')).rejects.toBeInstanceOf(MutationOutsideGateError);
    }
    expect(api.requests.map((r) => r.method)).toEqual(['GET']);
  });

  it('allows only the POSTs that change nothing, at their own paths', async () => {
    const { api, full } = await cluster();
    const read = readSessionOf(full);
    await read.postReadOnly('access-review', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', { body: {} });
    await read.postReadOnly('prometheus-query', '/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query_range', { body: 'query=up' });
    await expect(read.postReadOnly('access-review', '/api/v1/namespaces/cart/pods')).rejects.toBeInstanceOf(MutationOutsideGateError);
    await expect(read.postReadOnly('prometheus-query', '/api/v1/namespaces/cart/pods/x/eviction')).rejects.toBeInstanceOf(MutationOutsideGateError);
    expect(api.requests.map((r) => `${r.method} ${r.url.pathname}`)).toEqual([
      'POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      'POST /api/v1/namespaces/monitoring/services/prometheus:9090/proxy/api/v1/query_range',
    ]);
  });

  it('holds no way back to the full session: no WebSocket, no generic request, frozen', async () => {
    const { full } = await cluster();
    const read = readSessionOf(full) as unknown as Record<string, unknown>;
    expect(read.openWebSocket).toBeUndefined();
    expect(read.kubeConfig).toBeUndefined();
    expect(Object.values(read).every((v) => typeof v === 'function' || typeof v === 'string' || v === undefined)).toBe(true);
    expect(Object.isFrozen(read)).toBe(true);
  });
});

describe('mutations go only through the gate', () => {
  it('on a read-only context the client is never handed out: nothing reaches the API server, the refusal is audited', async () => {
    const { api, full, dir } = await cluster();
    const gate = gateOn(full, dir, true);
    let ran = false;
    await expect(
      gate.perform({
        action: 'scale',
        target: { namespace: 'cart', kind: 'Deployment', name: 'cart-api' },
        run: (client) => {
          ran = true;
          return client.request('PATCH', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale', { body: { spec: { replicas: 4 } } });
        },
      }),
    ).rejects.toBeInstanceOf(ReadOnlyError);
    expect(ran).toBe(false);
    expect(api.requests).toHaveLength(0);
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toMatch(/"outcome":"refused: read-only \(--readonly\)"/);
  });

  it('on a writable context the change is sent with the handed-out client and audited', async () => {
    const { api, full, dir } = await cluster();
    const gate = gateOn(full, dir, false);
    await gate.perform({
      action: 'scale',
      target: { namespace: 'cart', kind: 'Deployment', name: 'cart-api' },
      from: 2,
      to: 4,
      run: (client) => client.request('PATCH', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale', { body: { spec: { replicas: 4 } } }),
    });
    expect(api.requests.map((r) => r.method)).toEqual(['PATCH']);
    expect(readFileSync(join(dir, 'audit.jsonl'), 'utf8')).toMatch(/"action":"scale".*"outcome":"applied"/);
  });

  it('a preview client sends every write as a server-side dry-run', async () => {
    const { api, full, dir } = await cluster();
    const gate = gateOn(full, dir, true);
    await gate.dryRun((client) => client.request('PATCH', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale', { body: { spec: { replicas: 0 } } }));
    expect(api.requests.map((r) => `${r.method} dryRun=${r.url.searchParams.get('dryRun')}`)).toEqual(['PATCH dryRun=All']);
  });

  it('a client kept past its run is revoked: a later change never reaches the API server', async () => {
    const { api, full, dir } = await cluster();
    const gate = gateOn(full, dir, false);
    let kept: MutatingClient | undefined;
    let keptPreview: DryRunClient | undefined;
    await gate.perform({ action: 'scale', target: { namespace: 'cart', kind: 'Deployment', name: 'cart-api' }, run: async (client) => void (kept = client) });
    await gate.dryRun(async (client) => void (keptPreview = client));
    await expect(kept!.request('PATCH', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale', { body: { spec: { replicas: 0 } } })).rejects.toBeInstanceOf(GateClientRevokedError);
    await expect(kept!.openWebSocket('/api/v1/namespaces/cart/pods/p/exec', [])).rejects.toBeInstanceOf(GateClientRevokedError);
    await expect(keptPreview!.request('PATCH', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale')).rejects.toBeInstanceOf(GateClientRevokedError);
    expect(api.requests).toHaveLength(0);
    // The client is an object of its own: no credentials, no way back to the full session.
    expect((kept as unknown as Record<string, unknown>).kubeConfig).toBeUndefined();
  });

  it('the gate hands views the read side only', async () => {
    const { full, dir } = await cluster();
    const read = gateOn(full, dir, false).session as unknown as Record<string, unknown>;
    expect(read.openWebSocket).toBeUndefined();
    await expect((read.request as ReadSession['request'])('DELETE' as 'GET', '/api/v1/namespaces/cart')).rejects.toBeInstanceOf(MutationOutsideGateError);
  });
});

/**
 * Checked by `npm run typecheck`, never run: each line must stay a type error. If someone gives
 * the read side a way to mutate, the @ts-expect-error above it becomes unused and tsc fails.
 */
export function mutationsDoNotTypeCheck(read: ReadSession, runtime: ConsoleRuntime, full: KubeSession): void {
  const ref = { kind: 'Deployment' as const, namespace: 'cart', name: 'cart-api' };
  const req = { target: { namespace: 'cart', pod: 'p', container: 'c' }, command: ['sh'], tty: false, stdout: process.stdout };
  // @ts-expect-error an action takes the gate's client, never a session: not the read one
  void patchScale(read, ref, 0);
  // @ts-expect-error nor the full one (only the gate turns it into a MutatingClient)
  void patchScale(full, ref, 0);
  // @ts-expect-error exec opens its socket only with the client gate.perform hands to run
  void startExec(full, req);
  // @ts-expect-error a read session has no mutating verb
  void read.request('PATCH', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale');
  // @ts-expect-error nor a WebSocket (exec)
  void read.openWebSocket('/api/v1/namespaces/cart/pods/p/exec', []);
  // @ts-expect-error views get the runtime's read session
  void runtime.ctx.session.request('DELETE', '/api/v1/namespaces/cart');
  // @ts-expect-error the full session stays inside the runtime
  void runtime.ctx.fullSession;
  // @ts-expect-error a POST on the read side names one of the read-only purposes
  void read.postReadOnly('scale', '/apis/apps/v1/namespaces/cart/deployments/cart-api/scale');
}
