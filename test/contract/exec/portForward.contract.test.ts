// pods/portforward over WebSocket, as warroom's Shift-F relies on it (and the demo platform must
// imitate): the v4.channel.k8s.io subprotocol chosen from client-node's offer, the port as two
// little-endian bytes opening the data and error channels, a refusal on the error channel in the
// kubelet's words, and warroom's forward (client-node's PortForward class over the gate's client)
// carrying several HTTP connections at once to the pod, counted, stopped and audited.
//
// On the lab the pods are kwok's: no container listens anywhere, and kwok (without a
// ClusterPortForward rule, which the lab does not configure) answers every forwarded connection on
// the error channel with "error forwarding port P to pod ...: no forward found for port P". The
// suite asserts that answer there; the HTTP answer naming the pod is asserted on the demo.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { ReadOnlyError } from '../../../src/platform/actions/readOnlyGuard.js';
import { PortForwards } from '../../../src/platform/exec/portForwards.js';
import { EXEC_PROTOCOLS } from '../../../src/platform/exec/execTransport.js';
import type { KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { startExecTarget, type ExecContractTarget } from './execTarget.js';
import { scratchDir } from '../../support/scratchDir.js';

let target: ExecContractTarget;
let podPort: number;
const forwards = new PortForwards();

beforeAll(async () => {
  target = await startExecTarget();
  const pod = await target.admin.getJson<{ spec: { containers: Array<{ ports?: Array<{ containerPort: number; protocol?: string }> }> } }>(`/api/v1/namespaces/${target.pod.namespace}/pods/${target.pod.pod}`);
  const declared = pod.spec.containers.flatMap((c) => c.ports ?? []).find((p) => (p.protocol ?? 'TCP') === 'TCP');
  if (!declared) throw new Error(`pod ${target.pod.namespace}/${target.pod.pod} declares no TCP port`);
  podPort = declared.containerPort;
});
afterAll(async () => {
  await forwards.stopAll();
  await target?.stop();
});

function gateFor(session: KubeSession, readOnly = false): { gate: ActionGate; auditPath: string } {
  const auditPath = join(scratchDir('warroom-pf-contract-'), 'audit.jsonl');
  return { gate: new ActionGate({ session: () => session, policy: { global: readOnly, contexts: new Set() }, audit: new AuditLog(auditPath) }), auditPath };
}

/** Frames of a raw port-forward socket until it closes (or `ms` pass). */
async function frames(ws: WebSocket, ms: number): Promise<Buffer[]> {
  const got: Buffer[] = [];
  ws.on('message', (d: Buffer) => got.push(Buffer.from(d)));
  ws.resume();
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    ws.once('close', () => {
      clearTimeout(t);
      resolve();
    });
  });
  return got;
}

const path = (port: number) => `/api/v1/namespaces/${target.pod.namespace}/pods/${target.pod.pod}/portforward?ports=${port}`;

describe('pods/portforward over WebSocket', () => {
  it("chooses v4.channel.k8s.io from client-node's offer and opens both channels with the port (little-endian)", async () => {
    const ws = await target.admin.openWebSocket(path(podPort), EXEC_PROTOCOLS);
    expect(ws.protocol).toBe('v4.channel.k8s.io');
    const got = await frames(ws, 1500);
    ws.close();
    const le = Buffer.alloc(2);
    le.writeUInt16LE(podPort);
    expect(got[0]).toEqual(Buffer.concat([Buffer.from([0]), le]));
    expect(got[1]).toEqual(Buffer.concat([Buffer.from([1]), le]));
  });

  it('a port nothing answers on is refused on the error channel, in the kubelet words, then the socket closes', async () => {
    const ws = await target.admin.openWebSocket(path(1), EXEC_PROTOCOLS);
    // The kubelet dials the pod when data comes: send a byte so kwok and the demo both try.
    ws.send(Buffer.from([0, 0x0a]));
    const got = await frames(ws, 10_000);
    const errors = got.filter((f) => f[0] === 1 && f.length > 3).map((f) => f.subarray(1).toString('utf8'));
    expect(errors.join('')).toMatch(/^error forwarding port 1 to pod /);
  });

  it('a restricted user is refused (403) before any socket opens', async () => {
    if (!target.restricted) return;
    await expect(target.restricted.openWebSocket(path(podPort), EXEC_PROTOCOLS)).rejects.toThrow(/403|forbidden/i);
  });
});

describe("warroom's forward through the gate", () => {
  it('several connections at once each reach the pod; bytes are counted; stop closes the port; start and stop are audited', async () => {
    const { gate, auditPath } = gateFor(target.admin);
    const row = await forwards.start(gate, { context: target.admin.contextName, namespace: target.pod.namespace, pod: target.pod.pod, podPort, localPort: 0 });
    expect(row.localPort).toBeGreaterThan(0);
    const url = `http://127.0.0.1:${row.localPort}/`;
    const answers = await Promise.all([1, 2, 3].map(() => fetch(url, { signal: AbortSignal.timeout(10_000) }).then(async (r) => ({ ok: true as const, text: await r.text() }), (err: unknown) => ({ ok: false as const, text: String(err) }))));
    const now = forwards.getSnapshot().rows.find((r) => r.id === row.id)!;
    if (target.isDemo) {
      for (const a of answers) expect(a.text).toContain(`hello from pod ${target.pod.namespace}/${target.pod.pod}`);
      expect(now.total).toBe(3);
      expect(now.bytesIn).toBeGreaterThan(100);
      expect(now.bytesOut).toBeGreaterThan(50);
    } else {
      // kwok: no forward rule for the pod, so every connection ends with the error-channel message.
      for (const a of answers) expect(a.ok).toBe(false);
      await expect.poll(() => forwards.getSnapshot().rows.find((r) => r.id === row.id)?.lastError ?? '', { timeout: 10_000 }).toMatch(new RegExp(`^error forwarding port ${podPort} to pod `));
    }
    const summary = await forwards.stop(row.id);
    expect(summary).toMatch(/^stopped after 3 connections/);
    await expect(new Promise((resolve, reject) => connect(row.localPort, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
    await expect.poll(() => readFileSync(auditPath, 'utf8').trim().split('\n').length, { timeout: 5_000 }).toBe(2);
    const records = readFileSync(auditPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; outcome: string; name: string; to: string });
    expect(records.map((r) => [r.action, r.name, r.outcome.split(' ')[0]])).toEqual([['port-forward', target.pod.pod, 'started'], ['port-forward', target.pod.pod, 'stopped']]);
    expect(records[0].to).toBe(`127.0.0.1:${row.localPort} -> ${podPort}`);
  });

  it('a read-only context refuses it (and audits the refusal); nothing listens', async () => {
    const { gate, auditPath } = gateFor(target.admin, true);
    const before = forwards.size;
    await expect(forwards.start(gate, { context: target.admin.contextName, namespace: target.pod.namespace, pod: target.pod.pod, podPort, localPort: 0 })).rejects.toBeInstanceOf(ReadOnlyError);
    expect(forwards.size).toBe(before);
    expect(readFileSync(auditPath, 'utf8')).toContain('refused: read-only');
  });
});
