import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { KubeConfig, PortForward as ClientPortForward } from '@kubernetes/client-node';
import type WebSocket from 'ws';
import { describeError } from '../errors.js';
import type { MutatingClient } from '../kube/kubeSession.js';
import type { ActionGate, Mutation } from '../actions/actionGate.js';
import { SessionExecTransport } from './execTransport.js';

// A port-forward as kubectl does it, without kubectl: a listener on 127.0.0.1 (never another
// address), and for every connection to it one WebSocket to the API server's pods/portforward
// (client-node's PortForward class speaking v4.channel.k8s.io: channel 0 data, channel 1 errors,
// each starting with the port in two little-endian bytes), opened with the console's own
// credentials through the client the gate hands out. The forward is one gate.perform that lasts
// until it is stopped: refused on a read-only context, audited when it starts and when it ends.
// The v4 protocol has no half-close: when the local client closes its side, the socket to the pod
// is closed (as client-node does); HTTP and most request/response protocols do not mind.

export interface ForwardSpec {
  context: string;
  namespace: string;
  pod: string;
  podPort: number;
  /** 0: a free port chosen by the system. */
  localPort: number;
  /** How the pod was chosen: `Service cart/cart-api port 80`. */
  via?: string;
}

export interface ForwardStats {
  /** Connections open now. */
  active: number;
  /** Connections accepted since the start. */
  total: number;
  /** Bytes from the pod to the local client. */
  bytesIn: number;
  /** Bytes from the local client to the pod. */
  bytesOut: number;
  /** The last error the API server or the pod side reported (error channel, refused upgrade). */
  lastError?: string;
}

/** One live forward: its listener, its connections, its counters. */
export class PortForward {
  readonly stats: ForwardStats = { active: 0, total: 0, bytesIn: 0, bytesOut: 0 };
  readonly since = Date.now();
  /** Resolves with a summary once the forward has stopped. */
  readonly closed: Promise<string>;
  private readonly sockets = new Set<Socket>();
  private readonly webSockets = new Set<WebSocket>();
  private stopped = false;
  private resolveClosed!: (summary: string) => void;

  private constructor(
    readonly spec: ForwardSpec,
    readonly localPort: number,
    private readonly server: Server,
    private readonly client: MutatingClient,
    private readonly changed: () => void,
  ) {
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on 127.0.0.1 (the given port, or a free one); rejects when the port is taken. */
  static async listen(client: MutatingClient, spec: ForwardSpec, changed: () => void): Promise<PortForward> {
    const server = createServer({ pauseOnConnect: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) =>
        reject(new Error(err.code === 'EADDRINUSE' ? `127.0.0.1:${spec.localPort} is in use: type another local port, or leave it empty for a free one` : `cannot listen on 127.0.0.1:${spec.localPort}: ${err.message}`)),
      );
      server.listen(spec.localPort, '127.0.0.1', () => resolve());
    });
    const addr = server.address();
    const port = addr && typeof addr === 'object' ? addr.port : spec.localPort;
    return new PortForward(spec, port, server, client, changed);
  }

  get running(): boolean {
    return !this.stopped;
  }

  summary(): string {
    const s = this.stats;
    return `stopped after ${s.total} connection${s.total === 1 ? '' : 's'} (${s.bytesIn} bytes in, ${s.bytesOut} bytes out)${s.lastError ? `; last error: ${s.lastError}` : ''}`;
  }

  stop(): Promise<string> {
    if (!this.stopped) {
      this.stopped = true;
      this.server.close();
      for (const s of this.sockets) s.destroy();
      for (const ws of this.webSockets) ws.close(1000);
      this.resolveClosed(this.summary());
      this.changed();
    }
    return this.closed;
  }

  private accept(socket: Socket): void {
    if (this.stopped) return void socket.destroy();
    this.sockets.add(socket);
    this.stats.active++;
    this.stats.total++;
    this.changed();
    const input = new PassThrough();
    let ws: WebSocket | undefined;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.sockets.delete(socket);
      if (ws) this.webSockets.delete(ws);
      this.stats.active--;
      socket.destroy();
      ws?.close(1000);
      this.changed();
    };
    socket.on('data', (chunk: Buffer) => {
      this.stats.bytesOut += chunk.length;
      input.write(chunk);
    });
    socket.on('end', () => input.end());
    socket.on('error', finish);
    socket.on('close', finish);
    const output = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        this.stats.bytesIn += chunk.length;
        this.changed();
        if (socket.destroyed) return cb();
        socket.write(chunk, () => cb());
      },
    });
    const errors = new Writable({
      write: (chunk: Buffer, _enc, cb) => {
        const text = chunk.toString('utf8').trim();
        if (text) this.report(text);
        cb();
      },
    });
    const transport = new SessionExecTransport(this.client, {
      onProtocolError: (err) => this.report(err.message),
      // The pod side ended (or the API server closed the stream): the local client sees EOF.
      onClose: () => (socket.destroyed ? finish() : socket.end()),
    });
    const forwarder = new ClientPortForward(new KubeConfig(), false, transport);
    socket.resume();
    forwarder.portForward(this.spec.namespace, this.spec.pod, [this.spec.podPort], output, errors, input).then(
      (opened) => {
        ws = opened as unknown as WebSocket;
        if (done || this.stopped) return void ws.close(1000);
        this.webSockets.add(ws);
      },
      (err: unknown) => {
        this.report(describeError(err));
        finish();
      },
    );
  }

  private report(text: string): void {
    this.stats.lastError = text;
    this.changed();
  }
}

export function forwardTarget(spec: ForwardSpec): Mutation<string>['target'] {
  return { namespace: spec.namespace, kind: 'Pod', name: spec.pod, apiVersion: 'v1' };
}

/**
 * Starts a forward through the gate: resolves with it once it listens (the start audited),
 * rejects when the gate refuses (read-only), the audit file cannot be written or the port is
 * taken. The gate's record of its end says how many connections and bytes it carried; `ended`
 * settles once that record is written.
 */
export function startPortForward(gate: ActionGate, spec: ForwardSpec, changed: () => void): Promise<{ forward: PortForward; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let forward: PortForward | undefined;
    const m: Mutation<string> = {
      action: 'port-forward',
      target: forwardTarget(spec),
      to: `127.0.0.1:${spec.localPort || 'auto'} -> ${spec.podPort}${spec.via ? ` (${spec.via})` : ''}`,
      dryRun: 'none',
      kubernetesEvent: false,
      outcome: (summary) => summary,
      run: async (client) => {
        forward = await PortForward.listen(client, spec, changed);
        await gate.note([gate.record({ ...m, to: `127.0.0.1:${forward.localPort} -> ${spec.podPort}${spec.via ? ` (${spec.via})` : ''}` }, 'started')]).catch(() => undefined);
        resolve({ forward, ended: performed.then(() => undefined, () => undefined) });
        return forward.closed;
      },
    };
    const performed = gate.perform(m);
    performed.catch((err: unknown) => {
      if (!forward) reject(err);
    });
  });
}
