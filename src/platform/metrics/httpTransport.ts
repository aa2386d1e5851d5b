import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';

// The bytes on the wire for a Prometheus API call: either straight to a URL (with bearer
// or basic auth and a CA file) or through the Kubernetes API's service proxy. The source
// above it does not care which.

export interface TransportRequest {
  /** API path below the base, e.g. "/api/v1/query_range". */
  path: string;
  params: URLSearchParams;
  signal?: AbortSignal;
  timeoutMs: number;
}

export interface TransportResponse {
  status: number;
  /** Parsed JSON when the body was JSON, else undefined. */
  json: unknown;
  /** The first bytes of a non-JSON body, for the error message. */
  text: string;
}

export interface Transport {
  readonly endpoint: string;
  send(req: TransportRequest): Promise<TransportResponse>;
}

export class TransportTimeout extends Error {}

/**
 * Why a request got no answer, in the words of the status line that already names the server (`connection
 * refused`), not Node's message, which repeats the address and the code (`connect ECONNREFUSED 127.0.0.1:9090
 * (ECONNREFUSED)`) and pushed the age of the charts shown off an 80- or 120-column line.
 */
export function connectionCause(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  switch (e?.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found (DNS)';
    case 'ECONNRESET':
      return 'connection reset';
    case 'ETIMEDOUT':
      return 'connection timed out';
    case 'EHOSTUNREACH':
      return 'host unreachable';
    case 'ENETUNREACH':
      return 'network unreachable';
    default:
      return `${e?.message ?? String(err)}${e?.code ? ` (${e.code})` : ''}`;
  }
}

/** Long queries (an application with hundreds of pods) go as a form POST; URLs have limits. */
export const MAX_GET_QUERY_CHARS = 4000;
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export interface DirectTransportOptions {
  url: string;
  bearerToken?: () => string | undefined;
  basicAuth?: { username: string; password: () => string | undefined };
  caFile?: string;
  /** Extra headers (e.g. X-Scope-OrgID for Mimir). */
  headers?: Record<string, string>;
}

/** A request with a body (a JSON write such as an Alertmanager silence), for directRequester. */
export interface DirectRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path below the base URL, with its query string. */
  path: string;
  body?: Buffer;
  contentType?: string;
  signal?: AbortSignal;
  timeoutMs: number;
}

/** Sends requests to the configured URL with its credentials, CA and headers. */
export function directRequester(opts: DirectTransportOptions): { endpoint: string; send(req: DirectRequest): Promise<TransportResponse> } {
  const base = new URL(opts.url);
  const basePath = base.pathname.replace(/\/$/, '');
  const endpoint = `${base.protocol}//${base.host}${basePath}`;
  const ca = opts.caFile ? readFileSync(opts.caFile) : undefined;
  const agent = base.protocol === 'https:' ? new https.Agent({ keepAlive: true, ca }) : new http.Agent({ keepAlive: true });
  const lib = base.protocol === 'https:' ? https : http;
  return {
    endpoint,
    send(req) {
      const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
      const token = opts.bearerToken?.();
      if (token) headers.Authorization = `Bearer ${token}`;
      else if (opts.basicAuth) {
        const pw = opts.basicAuth.password() ?? '';
        headers.Authorization = `Basic ${Buffer.from(`${opts.basicAuth.username}:${pw}`).toString('base64')}`;
      }
      if (req.body) {
        headers['Content-Type'] = req.contentType ?? 'application/json';
        headers['Content-Length'] = String(req.body.length);
      }
      return new Promise<TransportResponse>((resolve, reject) => {
        const r = lib.request(
          { protocol: base.protocol, hostname: base.hostname, port: base.port, path: `${basePath}${req.path}`, method: req.method, headers, agent, signal: req.signal },
          (res) => {
            const chunks: Buffer[] = [];
            let size = 0;
            res.on('data', (c: Buffer) => {
              size += c.length;
              if (size > MAX_BODY_BYTES) r.destroy(new Error(`answer larger than ${MAX_BODY_BYTES >> 20} MiB`));
              else chunks.push(c);
            });
            res.on('end', () => {
              clearTimeout(timer);
              resolve(decode(res.statusCode ?? 0, String(res.headers['content-type'] ?? ''), Buffer.concat(chunks)));
            });
            res.on('error', (e) => {
              clearTimeout(timer);
              reject(e);
            });
          },
        );
        const timer = setTimeout(() => r.destroy(new TransportTimeout(`no answer within ${req.timeoutMs} ms`)), req.timeoutMs);
        r.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        r.end(req.body);
      });
    },
  };
}

export function directTransport(opts: DirectTransportOptions): Transport {
  const requester = directRequester(opts);
  return {
    endpoint: requester.endpoint,
    send(req) {
      const query = req.params.toString();
      // Long queries (an application with hundreds of pods) go as a form POST.
      const post = query.length > MAX_GET_QUERY_CHARS;
      return requester.send(
        post
          ? { method: 'POST', path: req.path, body: Buffer.from(query), contentType: 'application/x-www-form-urlencoded', signal: req.signal, timeoutMs: req.timeoutMs }
          : { method: 'GET', path: query ? `${req.path}?${query}` : req.path, signal: req.signal, timeoutMs: req.timeoutMs },
      );
    },
  };
}

export function decode(status: number, contentType: string, body: Buffer): TransportResponse {
  // Enough of an error page to reach its <title> past a block of styles.
  const text = body.subarray(0, 4096).toString('utf8');
  if (/json/i.test(contentType) || /^\s*[{[]/.test(text)) {
    try {
      return { status, json: JSON.parse(body.toString('utf8')), text };
    } catch {
      return { status, json: undefined, text };
    }
  }
  return { status, json: undefined, text };
}
