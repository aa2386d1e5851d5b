// pods/exec over WebSocket: what warroom's exec client relies on from the API server (and the
// demo platform must imitate): channel protocol negotiation, stdout/stderr/status channels,
// exit codes, stdin, refusals that say what is missing.
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeApiError } from '../../../src/platform/kube/kubeErrors.js';
import type { ExecTarget } from '../../../src/platform/exec/execSession.js';
import { isMissingExecutable, type ExecEnd } from '../../../src/platform/exec/execStatus.js';
import type { KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { restrictedConfigured, startExecTarget, startExecThroughGate, type ExecContractTarget } from './execTarget.js';

let target: ExecContractTarget;
beforeAll(async () => {
  target = await startExecTarget();
});
afterAll(async () => {
  await target?.stop();
});

function collector(): { sink: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(c: Buffer, _e, cb) {
      chunks.push(c);
      cb();
    },
  });
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}

async function run(command: string[], opts: { session?: KubeSession; target?: ExecTarget } = {}): Promise<{ end: ExecEnd; out: string; err: string; protocol: string }> {
  const out = collector();
  const err = collector();
  const h = await startExecThroughGate(opts.session ?? target.admin, { target: opts.target ?? target.pod, command, tty: false, stdout: out.sink, stderr: err.sink });
  const end = await withTimeout(h.ended, 15_000, `exec ${command.join(' ')}`);
  return { end, out: out.text(), err: err.text(), protocol: h.protocol };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`${what}: no end within ${ms} ms`)), ms).unref())]);
}

/** Opens the exec socket by hand, offering exactly `protocols`; resolves with the one the server chose. */
async function negotiate(protocols: string[]): Promise<string> {
  const t = target.pod;
  const q = new URLSearchParams({ container: t.container, stdout: 'true', tty: 'false' });
  q.append('command', 'true');
  // Borrow the session's credentials through a throwaway first socket is not possible; use the
  // kubeconfig's token the way kubectl does.
  const kc = target.admin.kubeConfig;
  const opts: { headers?: Record<string, string>; rejectUnauthorized?: boolean; ca?: unknown; cert?: unknown; key?: unknown } = { headers: {} };
  await kc.applyToHTTPSOptions(opts as never);
  const url = `${target.admin.server.replace(/^http/, 'ws')}/api/v1/namespaces/${t.namespace}/pods/${t.pod}/exec?${q}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, protocols, opts as WebSocket.ClientOptions);
    ws.on('open', () => {
      resolve(ws.protocol);
      ws.close();
    });
    ws.on('error', reject);
  });
}

describe('channel protocol negotiation', () => {
  it('a client offering v5 and v4 gets one of them (v5 where the server has it; the demo does)', async () => {
    const chosen = await negotiate(['v5.channel.k8s.io', 'v4.channel.k8s.io']);
    expect(['v5.channel.k8s.io', 'v4.channel.k8s.io']).toContain(chosen);
    if (target.isDemo) expect(chosen).toBe('v5.channel.k8s.io');
  });

  it('a client offering only v4 gets v4', async () => {
    expect(await negotiate(['v4.channel.k8s.io'])).toBe('v4.channel.k8s.io');
  });

  it("warroom's client reports the negotiated protocol", async () => {
    const r = await run(['true']);
    expect(r.protocol).toMatch(/^v[45]\.channel\.k8s\.io$/);
  });
});

describe('stdout, stderr and the status channel', () => {
  it('stdout arrives on channel 1 and a clean exit is status Success (exit 0)', async () => {
    const r = await run(['echo', 'hello', 'warroom']);
    expect(r.out).toBe('hello warroom\n');
    expect(r.err).toBe('');
    expect(r.end).toEqual({ kind: 'exit', code: 0 });
  });

  it('stderr arrives on channel 2, apart from stdout, and the exit code comes from the status', async () => {
    const r = await run(['cat', '/nonexistent-warroom-file']);
    expect(r.out).toBe('');
    expect(r.err).toContain('nonexistent-warroom-file');
    expect(r.end).toEqual({ kind: 'exit', code: 1 });
  });

  it('a non-zero exit is a Failure status with an ExitCode cause', async () => {
    expect((await run(['false'])).end).toEqual({ kind: 'exit', code: 1 });
  });

  it('an executable missing from the image is recognisable (so warroom can fall back to /bin/sh)', async () => {
    const r = await run(['/no/such/warroom-shell']);
    expect(isMissingExecutable(r.end)).toBe(true);
  });
});

describe('interactive sessions', () => {
  it('stdin reaches a shell in a pty, and `exit 3` ends the stream with exit code 3', async () => {
    const out = collector();
    const stdin = new PassThrough();
    const h = await startExecThroughGate(target.admin, { target: target.pod, command: ['sh'], tty: true, stdin, stdout: out.sink });
    stdin.write('echo hello-$((40+2))\r');
    // Shells answer at their own pace; wait for the output before exiting.
    await waitForText(out.text, 'hello-42');
    stdin.write('exit 3\r');
    const end = await withTimeout(h.ended, 15_000, 'interactive sh');
    expect(end).toEqual({ kind: 'exit', code: 3 });
  });

  it('resize messages (channel 4) set the size of the pty the command sees', async () => {
    const out = collector();
    const stdin = new PassThrough();
    const size = new EventEmitter() as EventEmitter & { columns: number; rows: number };
    size.columns = 101;
    size.rows = 33;
    const h = await startExecThroughGate(target.admin, { target: target.pod, command: ['sh'], tty: true, stdin, stdout: out.sink, terminal: size });
    // The first size goes on channel 4 beside stdin: on a busy server (the lab's kwok) a stty
    // may run before the pty has it; ask until it shows, as for the resize below.
    await waitFor(async () => {
      stdin.write('stty size\r');
      await new Promise((r) => setTimeout(r, 200));
      return out.text().includes('33 101');
    });
    size.columns = 77;
    size.rows = 19;
    size.emit('resize');
    // A resize may land while stty is already running; ask until the new size shows.
    await waitFor(async () => {
      stdin.write('stty size\r');
      await new Promise((r) => setTimeout(r, 200));
      return out.text().includes('19 77');
    });
    stdin.write('exit\r');
    expect(await withTimeout(h.ended, 15_000, 'sh')).toEqual({ kind: 'exit', code: 0 });
  });

  it('ending stdin half-closes it (v5 CLOSE signal): cat sees end of input and exits 0', async () => {
    const out = collector();
    const stdin = new PassThrough();
    const h = await startExecThroughGate(target.admin, { target: target.pod, command: ['cat'], tty: false, stdin, stdout: out.sink, stderr: collector().sink });
    stdin.end('line one\nline two\n');
    const end = await withTimeout(h.ended, 15_000, 'cat');
    if (h.protocol !== 'v5.channel.k8s.io') return; // v4 has no half-close: the client can only drop the socket
    expect(end).toEqual({ kind: 'exit', code: 0 });
    expect(out.text()).toBe('line one\nline two\n');
  });
});

describe('refusals', () => {
  it.skipIf(!restrictedConfigured)('a user without pods/exec is refused with 403 naming pods/exec', async () => {
    if (!target.restricted) throw new Error('no restricted context');
    const err = await run(['true'], { session: target.restricted }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(403);
    // Kubernetes 1.34 authorizes a WebSocket exec as `get` on pods/exec (SPDY as `create`;
    // the AuthorizePodWebsocketUpgradeCreatePermission gate changes this in later releases).
    expect((err as KubeApiError).message).toMatch(/cannot (get|create) resource "pods\/exec"/);
  });

  it('a pod that does not exist is 404 naming the pod', async () => {
    const err = await run(['true'], { target: { ...target.pod, pod: 'warroom-no-such-pod' } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(404);
    expect((err as KubeApiError).message).toContain('warroom-no-such-pod');
  });

  it('a container the pod does not have is refused with 400', async () => {
    const err = await run(['true'], { target: { ...target.pod, container: 'warroom-no-such-container' } }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).status).toBe(400);
    expect((err as KubeApiError).message).toContain('warroom-no-such-container');
  });
});

async function waitForText(text: () => string, needle: string, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!text().includes(needle)) {
    if (Date.now() - t0 > ms) throw new Error(`no "${needle}" within ${ms} ms; got ${JSON.stringify(text())}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function waitFor(check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  const t0 = Date.now();
  while (!(await check())) {
    if (Date.now() - t0 > ms) throw new Error(`condition not met within ${ms} ms`);
  }
}
