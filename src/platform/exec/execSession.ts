import { PassThrough, Writable, type Readable } from 'node:stream';
import { Exec, KubeConfig } from '@kubernetes/client-node';
import type { MutatingClient } from '../kube/kubeSession.js';
import { endFromStatus, type ExecEnd, type ExecStatus } from './execStatus.js';
import { SessionExecTransport } from './execTransport.js';

// One pods/exec stream through @kubernetes/client-node's Exec, with streams of its own for
// every call (see the notes, §3.3): Exec never sees process.stdin/stdout, so it cannot end
// them, and its never-removed stdin listener sits on a PassThrough that dies with the call.

export interface ExecTarget {
  namespace: string;
  pod: string;
  container: string;
}

/** A terminal whose size the remote pty follows: columns/rows read live, 'resize' on change. */
export interface SizedTerminal {
  readonly columns: number;
  readonly rows: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface ExecRequest {
  target: ExecTarget;
  command: string[];
  /** Allocate a pty in the container. Then stderr arrives on stdout (the kubelet merges them). */
  tty: boolean;
  /** Bytes for the command's stdin; omitted = no stdin. Ending it half-closes stdin (v5). */
  stdin?: Readable;
  /** Receives channel 1; never ended by the exec. */
  stdout: Writable;
  /** Receives channel 2 (not with tty); never ended by the exec. */
  stderr?: Writable;
  /** With tty: the size is sent at start and after every 'resize'. */
  terminal?: SizedTerminal;
}

export interface ExecHandle {
  /** The negotiated channel protocol, e.g. `v5.channel.k8s.io`. */
  protocol: string;
  /** Resolves once: exit code, failure, dropped connection, or detach. Never rejects. */
  ended: Promise<ExecEnd>;
  /** Detach: closes the stream. (The remote process may outlive it: kubernetes-client/javascript#2532.) */
  close(): void;
}

/**
 * Forwards to `sink` without ever ending it (Exec ends its stdout/stderr on status). Writes go
 * through at once, so everything the command printed is in `sink` when `ended` resolves.
 */
function forwardTo(sink: Writable): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      if (!sink.destroyed && !sink.writableEnded) sink.write(chunk);
      cb();
    },
  });
}

/**
 * Starts the command. Rejects when the stream cannot be opened (KubeApiError for a refused
 * upgrade: 403, pod gone, container not running; KubeUnreachableError for the transport).
 */
/** `client` comes from ActionGate.perform: an exec is a change, guarded and audited. */
export async function startExec(client: MutatingClient, req: ExecRequest): Promise<ExecHandle> {
  let settle!: (end: ExecEnd) => void;
  let settled = false;
  const ended = new Promise<ExecEnd>((resolve) => {
    settle = (end) => {
      if (settled) return;
      settled = true;
      resolve(end);
    };
  });

  const stdout = forwardTo(req.stdout);
  const terminal = req.tty ? req.terminal : undefined;
  const onResize = (): void => {
    stdout.emit('resize');
  };
  if (terminal) {
    // Exec sends sizes when its stdout has rows, columns and on(): live getters, forwarded events.
    Object.defineProperties(stdout, {
      rows: { get: () => terminal.rows },
      columns: { get: () => terminal.columns },
    });
    terminal.on('resize', onResize);
  }
  const stderr = req.tty ? null : forwardTo(req.stderr ?? new PassThrough().resume());
  const stdin = req.stdin ? new PassThrough() : null;
  if (req.stdin && stdin) req.stdin.pipe(stdin);

  const cleanup = (): void => {
    terminal?.off('resize', onResize);
    if (req.stdin && stdin) {
      req.stdin.unpipe(stdin);
      stdin.destroy();
    }
  };
  void ended.then(cleanup);

  let detached = false;
  const transport = new SessionExecTransport(client, {
    onProtocolError: (err) => settle({ kind: 'error', message: `unreadable exec stream: ${err.message}` }),
    onClose: (code, reason) => settle(detached ? { kind: 'detached' } : { kind: 'closed', code, reason }),
  });
  let ws;
  try {
    // Exec reads its config only to build a WebSocket handler of its own, which `transport`
    // replaces: it gets an empty one, so credentials stay behind the gate's client.
    ws = await new Exec(new KubeConfig(), transport).exec(
      req.target.namespace,
      req.target.pod,
      req.target.container,
      req.command,
      stdout,
      stderr,
      stdin,
      req.tty,
      (status) => settle(endFromStatus(status as ExecStatus)),
    );
  } catch (err) {
    cleanup();
    throw err;
  }
  const socket = transport.socket ?? ws;
  return {
    protocol: socket.protocol,
    ended,
    close() {
      if (settled) return;
      detached = true;
      socket.close(1000);
      // A half-open connection may never answer the close handshake.
      setTimeout(() => {
        socket.terminate();
        settle({ kind: 'detached' });
      }, 2000).unref();
    },
  };
}
