import type { Exec } from '@kubernetes/client-node';
import type WebSocket from 'ws';
import type { MutatingClient } from '../kube/kubeSession.js';

// The WebSocket side of client-node's Exec, opened through our KubeSession so exec uses the
// same credentials (exec plugins run by us, token renewal on 401) and the same error wording
// as every other request. client-node's own handler is not used because (a) a v5 CLOSE frame
// makes it end() its default streams — process.stdout included — and (b) it passes CLOSE
// frames on to Exec, which throws "Unknown stream" from inside a socket event.

/** Channel protocols in order of preference; v5 adds the CLOSE signal (half-close of stdin). */
/** client-node does not export the interface Exec takes; it is the constructor's second parameter. */
type WebSocketInterface = NonNullable<ConstructorParameters<typeof Exec>[1]>;

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'v3.channel.k8s.io', 'v2.channel.k8s.io', 'channel.k8s.io'];

export const CHANNEL = { stdin: 0, stdout: 1, stderr: 2, status: 3, resize: 4, close: 255 } as const;

export class SessionExecTransport implements WebSocketInterface {
  /** The socket, once connected (for close and the negotiated protocol). */
  socket: WebSocket | undefined;

  constructor(
    private readonly client: MutatingClient,
    private readonly events: {
      /** A message the stream could not make sense of (bad status JSON, unknown channel). */
      onProtocolError: (err: Error) => void;
      onClose: (code: number, reason: string) => void;
    },
  ) {}

  async connect(
    path: string,
    _textHandler: ((text: string) => boolean) | null,
    binaryHandler: ((stream: number, buff: Buffer) => boolean) | null,
  ): Promise<WebSocket> {
    const ws = await this.client.openWebSocket(path, EXEC_PROTOCOLS);
    this.socket = ws;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      // The channel protocols are binary; text frames belong to the base64 variants we never offer.
      if (!isBinary || !binaryHandler || data.length === 0) return;
      const channel = data[0];
      if (channel === CHANNEL.close || channel === CHANNEL.resize) return;
      let keep: boolean;
      try {
        keep = binaryHandler(channel, data.subarray(1));
      } catch (err) {
        this.events.onProtocolError(err instanceof Error ? err : new Error(String(err)));
        keep = false;
      }
      if (!keep) ws.close(1000);
    });
    ws.on('close', (code: number, reason: Buffer) => this.events.onClose(code, reason.toString('utf8')));
    ws.resume();
    // client-node's Exec types its result as isomorphic-ws's WebSocket, which is ws's.
    return ws;
  }
}
