// Raw HTTP against a Kubernetes API server, authenticated from a kubeconfig context through @kubernetes/client-node.
// Raw requests (not the generated client) so the contract sees exactly what is on the wire.
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

export interface KubeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

export interface RequestOptions {
  method?: string;
  accept?: string;
  body?: unknown;
  contentType?: string;
}

// Kubernetes JSON is walked loosely in assertions.
 
export type Json = any;

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Json;
}

export function json(r: KubeResponse): Json {
  try {
    return JSON.parse(r.text);
  } catch {
    throw new Error(`expected JSON, got HTTP ${r.status}: ${r.text.slice(0, 300)}`);
  }
}

export class KubeClient {
  readonly server: string;

  /** `kc` null: no credentials at all (same cluster and TLS settings as `base`). */
  constructor(private readonly kc: KubeConfig) {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error(`kubeconfig context ${kc.getCurrentContext()} has no cluster`);
    this.server = cluster.server.replace(/\/$/, '');
  }

  /** A client for the same cluster with an empty user (no token, no client certificate). */
  static anonymous(base: KubeConfig): KubeClient {
    const cluster = base.getCurrentCluster()!;
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [cluster],
      users: [{ name: 'anonymous' }],
      contexts: [{ name: 'anonymous', cluster: cluster.name, user: 'anonymous' }],
      currentContext: 'anonymous',
    });
    return new KubeClient(kc);
  }

  private async options(method: string, path: string, headers: Record<string, string>): Promise<https.RequestOptions> {
    const url = new URL(this.server + path);
    const opts: https.RequestOptions = { method, headers: { ...headers } };
    await this.kc.applyToHTTPSOptions(opts);
    return { ...opts, protocol: url.protocol, hostname: url.hostname, port: url.port, path: url.pathname + url.search };
  }

  private send(opts: https.RequestOptions): http.ClientRequest {
    return opts.protocol === 'https:' ? https.request(opts) : http.request(opts);
  }

  async request(path: string, o: RequestOptions = {}): Promise<KubeResponse> {
    const headers: Record<string, string> = { Accept: o.accept ?? 'application/json' };
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['Content-Type'] = o.contentType ?? 'application/json';
    }
    const opts = await this.options(o.method ?? 'GET', path, headers);
    return new Promise((resolve, reject) => {
      const req = this.send(opts);
      req.on('error', reject);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.end(body);
    });
  }

  async watch(path: string, accept = 'application/json'): Promise<WatchStream> {
    const opts = await this.options('GET', path, { Accept: accept });
    return new Promise((resolve, reject) => {
      const req = this.send(opts);
      req.on('error', reject);
      req.on('response', (res) => resolve(new WatchStream(req, res)));
      req.end();
    });
  }
}

/** Collects newline-delimited watch events and lets a test wait for one that matches. */
export class WatchStream {
  readonly events: WatchEvent[] = [];
  readonly status: number;
  readonly contentType: string;
  ended = false;
  private buffer = '';
  private waiters: (() => void)[] = [];
  rawText = '';

  constructor(
    private readonly req: http.ClientRequest,
    res: http.IncomingMessage,
  ) {
    this.status = res.statusCode ?? 0;
    this.contentType = String(res.headers['content-type'] ?? '');
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (this.status !== 200) this.rawText += chunk;
      this.buffer += chunk;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (line && this.status === 200) this.events.push(JSON.parse(line) as WatchEvent);
      }
      this.wake();
    });
    const end = () => {
      this.ended = true;
      this.wake();
    };
    res.on('end', end);
    res.on('close', end);
    res.on('error', end);
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves with the first event (already received or later) that matches, or rejects after timeoutMs. */
  async waitFor(predicate: (e: WatchEvent) => boolean, timeoutMs: number, what: string): Promise<WatchEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.ended) throw new Error(`watch ended before ${what}; got ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; got ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  async waitForEnd(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`watch did not end within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  describe(): string {
    return `${this.events.length} events [${this.events
      .slice(-8)
      .map((e) => `${e.type}:${e.object?.metadata?.name ?? e.object?.rows?.[0]?.object?.metadata?.name ?? e.object?.message ?? ''}`)
      .join(', ')}]`;
  }

  close(): void {
    this.req.destroy();
  }
}
