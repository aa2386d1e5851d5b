// `kubectl port-forward` for the demo: pods/portforward over a WebSocket as the kubelet serves it
// (v4.channel.k8s.io, or no subprotocol: binary channels). Per requested port two channels, data
// (2i) and error (2i+1), each opened by the port in two little-endian bytes. Behind every declared
// TCP container port sits a small HTTP server (one, on loopback, shared by all pods: it tells the
// pods apart by the connection) whose answer names the pod, container and port, so a forwarded
// `curl http://127.0.0.1:PORT/` shows where it landed. A port no container declares is refused on
// the error channel, in the kubelet's words ("error forwarding port P to pod ..."), as a real pod
// with nothing listening there would be.
import { createServer, type Server } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PodRecord } from './records.js';

const PROTOCOL = 'v4.channel.k8s.io';

export interface ForwardTarget {
  pod: PodRecord;
  ports: number[];
}

function portBytes(channel: number, port: number): Buffer {
  const b = Buffer.alloc(3);
  b[0] = channel;
  b.writeUInt16LE(port, 1);
  return b;
}

/** The `ports` query (`8080,9090` or repeated), as the API server reads PodPortForwardOptions; undefined when invalid. */
export function parseForwardPorts(values: string[]): number[] | undefined {
  const out: number[] = [];
  for (const v of values) {
    for (const p of v.split(',')) {
      if (!/^\d+$/.test(p) || Number(p) < 1 || Number(p) > 65535) return undefined;
      out.push(Number(p));
    }
  }
  return out.length ? out : undefined;
}

export class PortForwardServer {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => (offered.has(PROTOCOL) ? PROTOCOL : false) });
  /** The pods' "processes": one HTTP server; each connection is known by its client port. */
  private http: Promise<{ server: Server; port: number }> | undefined;
  private readonly byClientPort = new Map<number, { pod: PodRecord; container: string; port: number }>();
  private readonly open = new Set<WebSocket>();

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ForwardTarget): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.open.add(ws);
      ws.on('close', () => this.open.delete(ws));
      this.session(ws, target).catch(() => ws.close(1011));
    });
  }

  private podHttp(): Promise<{ server: Server; port: number }> {
    this.http ??= new Promise((resolve, reject) => {
      const server = createServer((req, res) => {
        const who = this.byClientPort.get(req.socket.remotePort ?? 0);
        const body = who
          ? `hello from pod ${who.pod.meta.namespace}/${who.pod.meta.name} (container ${who.container}, port ${who.port}): ${req.method} ${req.url}\n`
          : 'hello from the demo platform\n';
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
      });
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const a = server.address();
        resolve({ server, port: a && typeof a === 'object' ? a.port : 0 });
      });
    });
    return this.http;
  }

  private async session(ws: WebSocket, target: ForwardTarget): Promise<void> {
    const { pod, ports } = target;
    const sockets: Array<Socket | undefined> = [];
    // Frames may come before the pod side is connected: held until then.
    let held: Buffer[] | undefined = [];
    const deliver = (data: Buffer) => {
      const channel = data[0];
      const s = channel % 2 === 0 ? sockets[channel / 2] : undefined;
      s?.write(data.subarray(1));
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary || data.length === 0) return;
      if (held) held.push(data);
      else deliver(data);
    });
    ws.on('close', () => {
      for (const s of sockets) s?.destroy();
    });
    ports.forEach((port, i) => {
      ws.send(portBytes(2 * i, port));
      ws.send(portBytes(2 * i + 1, port));
    });
    const http = await this.podHttp();
    ports.forEach((port, i) => {
      const container = pod.template.containers.find((c) => (c.ports ?? []).some((p) => p.containerPort === port && p.protocol === 'TCP'));
      if (!container) {
        const msg = `error forwarding port ${port} to pod ${pod.meta.name}_${pod.meta.namespace}, uid ${pod.meta.uid}: failed to connect to localhost:${port} inside the pod's network namespace: dial tcp4 127.0.0.1:${port}: connect: connection refused`;
        ws.send(Buffer.concat([Buffer.from([2 * i + 1]), Buffer.from(msg, 'utf8')]));
        ws.close(1000);
        return;
      }
      const s = connect(http.port, '127.0.0.1');
      sockets[i] = s;
      s.on('connect', () => this.byClientPort.set(s.localPort ?? 0, { pod, container: container.name, port }));
      s.on('data', (d: Buffer) => ws.send(Buffer.concat([Buffer.from([2 * i]), d])));
      s.on('close', () => {
        if (s.localPort) this.byClientPort.delete(s.localPort);
        ws.close(1000);
      });
      s.on('error', () => ws.close(1011));
    });
    const queued = held;
    held = undefined;
    for (const d of queued) deliver(d);
  }

  close(): void {
    for (const ws of this.open) ws.terminate();
    void this.http?.then(({ server }) => server.close());
  }
}
