// `kubectl exec` for the demo: the WebSocket exec protocol (v5/v4.channel.k8s.io) in front of real processes, so
// the console's terminal hand-off and run-on-all-pods meet real shells. Channel bytes: 0 stdin, 1 stdout, 2 stderr,
// 3 error/status (a metav1.Status JSON when the command ends), 4 resize, 255 close (v5).
//
// Each pod gets a scratch directory (its HOME and working directory) holding a few files, a `.bashrc` whose prompt
// names the pod, and `bin/` shims (`hostname` prints the pod name, `health` answers like a health endpoint).
// With tty the command runs in a pseudo-terminal (node-pty, imported on first use); without, with plain pipes so
// stdout and stderr stay apart. The environment is the pod's, not the demo process's: no tokens leak into it.
// Anyone holding the demo's admin token can run commands as the local user: the demo listens on loopback only.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { IPty } from '@lydell/node-pty';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PodRecord } from './records.js';
import { ownedTempDir, type OwnedTempDir } from '../platform/ownedTempDir.js';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const CLOSE = 255;
const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Executables the demo's images lack, by container name: envoy's image is minimal (no bash), so a shell there
 * exercises the /bin/sh fallback as a distroless or alpine image would.
 */
const MISSING_IN_IMAGE: Record<string, string[]> = { envoy: ['/bin/bash', 'bash'] };

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

/** What containerd says when the executable is not in the image (no exit code: the command never ran). */
function notFoundStatus(cmd: string): string {
  const why = isAbsolute(cmd) ? `stat ${cmd}: no such file or directory` : 'executable file not found in $PATH';
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message: `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec: OCI runtime exec failed: exec failed: unable to start container process: exec: "${cmd}": ${why}: unknown`,
    reason: 'InternalError',
    code: 500,
  });
}

type PtyModule = typeof import('@lydell/node-pty');
let ptyModule: Promise<PtyModule> | undefined;

export class ExecServer {
  private readonly wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false });
  /** The pods' scratch directories, made on the first exec; removed on close or when the process exits. */
  private root: OwnedTempDir | undefined;
  private readonly kills = new Set<() => void>();

  /** `scratchBase`: where the pods' directories go (default the temp directory). */
  constructor(private readonly scratchBase?: string) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, exec: ExecRequest): void {
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.session(ws, exec).catch((err: unknown) => {
        ws.send(frame(3, JSON.stringify({ metadata: {}, status: 'Failure', message: `demo exec failed: ${String(err)}`, reason: 'InternalError', code: 500 })));
        ws.close(1000);
      });
    });
  }

  close(): void {
    for (const kill of [...this.kills]) kill();
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
    this.root?.remove();
    this.root = undefined;
  }

  /** The pod's scratch directory, made on its first exec. */
  private podDir(pod: PodRecord): string {
    this.root ??= ownedTempDir('warroom-demo-exec-', this.scratchBase);
    const dir = join(this.root.path, pod.meta.namespace, pod.meta.name);
    if (existsSync(dir)) return dir;
    mkdirSync(join(dir, 'bin'), { recursive: true });
    mkdirSync(join(dir, 'static'), { recursive: true });
    const name = pod.meta.name;
    writeFileSync(join(dir, 'config.yaml'), `server:\n  port: 8080\npod: ${name}\nnamespace: ${pod.meta.namespace}\n`);
    // /etc/bash.bashrc may set its own PS1; ~/.bashrc runs after it.
    writeFileSync(join(dir, '.bashrc'), `PS1='[${name}]\\$ '\n`);
    writeFileSync(join(dir, 'bin', 'hostname'), `#!/bin/sh\necho '${name}'\n`, { mode: 0o755 });
    const healthy = pod.ready && !pod.crashLoops;
    writeFileSync(
      join(dir, 'bin', 'health'),
      `#!/bin/sh\n# What curl localhost:8080/health would answer in this pod.\necho '{"status":"${healthy ? 'UP' : 'DOWN'}","pod":"${name}"}'\nexit ${healthy ? 0 : 1}\n`,
      { mode: 0o755 },
    );
    return dir;
  }

  private env(req: ExecRequest, dir: string): Record<string, string> {
    const p = req.pod;
    const image = p.template.containers.find((c) => c.name === req.container)?.image ?? '';
    return {
      PATH: `${join(dir, 'bin')}${delimiter}${SYSTEM_PATH}`,
      HOME: dir,
      HOSTNAME: p.meta.name,
      PS1: `[${p.meta.name}]$ `,
      LANG: 'C.UTF-8',
      POD_NAME: p.meta.name,
      POD_NAMESPACE: p.meta.namespace,
      POD_IP: p.podIP ?? '',
      NODE_NAME: p.nodeName ?? '',
      CONTAINER: req.container,
      IMAGE: image,
      ...(req.tty ? { TERM: 'xterm-256color' } : {}),
    };
  }

  private missing(req: ExecRequest, env: Record<string, string>): boolean {
    const cmd = req.command[0] ?? '';
    if ((MISSING_IN_IMAGE[req.container] ?? []).includes(cmd)) return true;
    if (isAbsolute(cmd)) return !existsSync(cmd);
    return !env.PATH.split(delimiter).some((d) => existsSync(join(d, cmd)));
  }

  private async session(ws: WebSocket, req: ExecRequest): Promise<void> {
    const send = (channel: number, data: string | Buffer) => {
      if (ws.readyState === ws.OPEN) ws.send(frame(channel, data));
    };
    const finish = (status: string) => {
      send(3, status);
      ws.close(1000);
    };
    if (req.command.length === 0) return finish(notFoundStatus(''));
    const dir = this.podDir(req.pod);
    const env = this.env(req, dir);
    if (this.missing(req, env)) return finish(notFoundStatus(req.command[0]));
    if (req.tty) return this.ptySession(ws, req, dir, env, send, finish);
    return this.pipeSession(ws, req, dir, env, send, finish);
  }

  private async ptySession(ws: WebSocket, req: ExecRequest, dir: string, env: Record<string, string>, send: (c: number, d: string | Buffer) => void, finish: (s: string) => void): Promise<void> {
    // Messages (the first resize, early keys) may arrive while node-pty loads: queue them.
    const early: Buffer[] = [];
    const queue = (raw: Buffer) => early.push(raw);
    ws.on('message', queue);
    ptyModule ??= import('@lydell/node-pty');
    const pty = await ptyModule;
    const [file, ...args] = req.command;
    const child: IPty = pty.spawn(file, args, { name: 'xterm-256color', cols: 80, rows: 24, cwd: dir, env });
    const kill = () => child.kill('SIGHUP');
    this.kills.add(kill);
    child.onData((d) => send(1, d));
    child.onExit(({ exitCode, signal }) => {
      this.kills.delete(kill);
      // node-pty may report the exit before the last output; let it drain first.
      setTimeout(() => finish(exitStatus(signal ? 128 + signal : exitCode)), 50);
    });
    const onMessage = (raw: Buffer) => {
      const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      if (data.length === 0) return;
      const body = data.subarray(1);
      if (data[0] === 0 && req.stdin) child.write(body.toString('utf8'));
      else if (data[0] === 4) {
        try {
          // client-node sends {width, height}; kubectl {Width, Height}.
          const size = JSON.parse(body.toString('utf8')) as { width?: number; height?: number; Width?: number; Height?: number };
          const cols = size.width ?? size.Width;
          const rows = size.height ?? size.Height;
          if (cols && rows) child.resize(cols, rows);
        } catch {
          // a malformed resize is ignored, as the kubelet does
        }
      }
    };
    ws.off('message', queue);
    ws.on('message', onMessage);
    for (const m of early) onMessage(m);
    // The client went away (detach, dropped connection): the shell goes too.
    ws.on('close', () => {
      if (this.kills.has(kill)) kill();
    });
  }

  private pipeSession(ws: WebSocket, req: ExecRequest, dir: string, env: Record<string, string>, send: (c: number, d: string | Buffer) => void, finish: (s: string) => void): void {
    const [file, ...args] = req.command;
    const child = spawn(file, args, { cwd: dir, env, stdio: [req.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'] });
    const kill = () => child.kill('SIGKILL');
    this.kills.add(kill);
    let done = false;
    const end = (status: string) => {
      this.kills.delete(kill);
      if (done) return;
      done = true;
      finish(status);
    };
    child.stdout?.on('data', (d: Buffer) => send(1, d));
    child.stderr?.on('data', (d: Buffer) => send(2, d));
    child.on('error', () => end(notFoundStatus(file)));
    child.on('close', (code, signal) => end(exitStatus(code ?? (signal ? 128 + 9 : 1))));
    ws.on('message', (raw: Buffer) => {
      const data = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as ArrayBuffer);
      if (data[0] === 0) child.stdin?.write(data.subarray(1));
      else if (data[0] === CLOSE && data[1] === 0) child.stdin?.end();
    });
    ws.on('close', () => {
      if (this.kills.has(kill)) kill();
    });
  }
}
