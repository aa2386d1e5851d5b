// `kubectl exec` for the demo: the WebSocket exec protocol (v5/v4.channel.k8s.io) in front of a tiny fake shell,
// so the console's terminal hand-off has something to talk to. Channel bytes: 0 stdin, 1 stdout, 2 stderr,
// 3 error/status (a metav1.Status JSON when the command ends), 4 resize, 255 close (v5).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PodRecord } from './records.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

export interface ExecRequest {
  pod: PodRecord;
  container: string;
  command: string[];
  tty: boolean;
  stdin: boolean;
}

function frame(channel: number, data: string | Buffer): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return Buffer.concat([Buffer.from([channel]), body]);
}

function run(command: string[], req: ExecRequest): { out: string; code: number } {
  const [cmd, ...args] = command;
  const c = req.pod.template.containers.find((x) => x.name === req.container);
  switch (cmd) {
    case undefined:
    case '':
      return { out: '', code: 0 };
    case 'hostname':
      return { out: `${req.pod.meta.name}\n`, code: 0 };
    case 'whoami':
      return { out: 'app\n', code: 0 };
    case 'pwd':
      return { out: '/app\n', code: 0 };
    case 'ls':
      return { out: args.includes('-l') ? 'total 12\n-rwxr-xr-x 1 app app 41213952 Jan  1 00:00 server\n-rw-r--r-- 1 app app      812 Jan  1 00:00 config.yaml\ndrwxr-xr-x 2 app app     4096 Jan  1 00:00 static\n' : 'config.yaml  server  static\n', code: 0 };
    case 'env':
      return { out: `HOSTNAME=${req.pod.meta.name}\nPOD_NAMESPACE=${req.pod.meta.namespace}\nPOD_IP=${req.pod.podIP ?? ''}\nNODE_NAME=${req.pod.nodeName ?? ''}\nIMAGE=${c?.image ?? ''}\nPATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n`, code: 0 };
    case 'date':
      return { out: `${new Date().toUTCString()}\n`, code: 0 };
    case 'ps':
      return { out: '  PID USER     TIME  COMMAND\n    1 app       0:42 /app/server --config /app/config.yaml\n   27 app       0:00 sh\n', code: 0 };
    case 'cat':
      if (args[0] === '/etc/os-release') return { out: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"\n', code: 0 };
      return { out: `cat: can't open '${args[0] ?? ''}': No such file or directory\n`, code: 1 };
    case 'echo':
      return { out: `${args.join(' ')}\n`, code: 0 };
    case 'true':
      return { out: '', code: 0 };
    case 'false':
      return { out: '', code: 1 };
    default:
      return { out: `sh: ${cmd}: not found\n`, code: 127 };
  }
}

function exitStatus(code: number): string {
  if (code === 0) return JSON.stringify({ metadata: {}, status: 'Success' });
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${code}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  });
}

export class ExecServer {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false });

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => this.session(ws, exec));
  }

  close(): void {
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  private session(ws: WebSocket, req: ExecRequest): void {
    const send = (channel: number, data: string) => ws.send(frame(channel, data));
    const finish = (code: number) => {
      send(3, exitStatus(code));
      ws.close(1000);
    };
    const interactive = req.stdin && (req.command.length === 0 || ['sh', 'bash', '/bin/sh', '/bin/bash', 'ash'].includes(req.command[0]));
    if (!interactive) {
      const { out, code } = run(req.command, req);
      send(code === 0 ? 1 : 2, out);
      finish(code);
      return;
    }
    const prompt = `${req.pod.meta.name}:/app$ `;
    const nl = req.tty ? '\r\n' : '\n';
    send(1, prompt);
    let line = '';
    ws.on('message', (raw: Buffer) => {
      const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      if (data.length === 0 || data[0] !== 0) return; // resize (4) and close (255) need no answer
      for (const ch of data.subarray(1).toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          if (req.tty) send(1, '\r\n');
          const words = line.trim().split(/\s+/).filter((w) => w !== '');
          line = '';
          if (words[0] === 'exit') {
            finish(Number(words[1] ?? 0) || 0);
            return;
          }
          const { out } = run(words, req);
          send(1, req.tty ? out.replace(/\n/g, nl) : out);
          send(1, prompt);
        } else if (ch === '\u0004') {
          finish(0);
          return;
        } else if (ch === '\u0003') {
          line = '';
          send(1, `^C${nl}${prompt}`);
        } else if (ch === '\u007f' || ch === '\b') {
          if (line.length > 0) {
            line = line.slice(0, -1);
            if (req.tty) send(1, '\b \b');
          }
        } else {
          line += ch;
          if (req.tty) send(1, ch);
        }
      }
    });
  }
}
