import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EsHttpError, esErrors } from './esErrors.js';
import { runSearch } from './esSearch.js';
import { LogIndex, type LogIndexOptions } from './logIndex.js';
import type { DemoPodView } from './podView.js';

// The demo's Elasticsearch: the HTTP surface warroom uses (GET /, _search with and without
// a point in time, opening and closing PITs), on loopback. Every answer carries the
// `x-elastic-product: Elasticsearch` header the official client insists on.

export interface LogStoreOptions extends Partial<LogIndexOptions> {
  host?: string;
  port?: number;
  /** When set, requests must carry `Authorization: ApiKey <apiKey>`. */
  apiKey?: string;
  /** When set, requests must carry these basic credentials (either credential is accepted). */
  basic?: { username: string; password: string };
  log?: (line: string) => void;
}

export interface RunningLogStore {
  url: string;
  port: number;
  index: LogIndex;
  /** Test hook: answer every request after this delay (simulates an overloaded cluster). */
  setDelay(ms: number): void;
  close(): Promise<void>;
}

const VERSION = { number: '9.1.0', build_flavor: 'default', build_type: 'demo', lucene_version: '10.2.2', minimum_wire_compatibility_version: '8.19.0', minimum_index_compatibility_version: '8.0.0' };
const MAX_BODY = 10 * 1024 * 1024;

interface Pit {
  indices: string[];
  visibleAt: number;
  expiresAt: number;
}

function keepAliveMs(v: unknown): number {
  const m = /^(\d+)(ms|s|m|h|d)$/.exec(String(v ?? ''));
  if (!m) throw esErrors.badRequest(`failed to parse setting [keep_alive] with value [${String(v)}] as a time value: unit is missing or unrecognized`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
}

/** Resolves a comma-separated index expression with wildcards against the existing indices. */
export function resolveIndices(expr: string, existing: string[], allowNoIndices: boolean): string[] {
  const out = new Set<string>();
  for (const raw of expr.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    if (part === '_all' || part === '*') {
      for (const e of existing) out.add(e);
      continue;
    }
    if (part.startsWith('-')) {
      const re = wildcard(part.slice(1));
      for (const e of [...out]) if (re.test(e)) out.delete(e);
      continue;
    }
    if (part.includes('*')) {
      const re = wildcard(part);
      for (const e of existing) if (re.test(e)) out.add(e);
    } else if (existing.includes(part)) out.add(part);
    else throw esErrors.indexNotFound(part);
  }
  if (out.size === 0 && !allowNoIndices) throw esErrors.indexNotFound(expr);
  return [...out];
}

function wildcard(p: string): RegExp {
  return new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new EsHttpError(413, 'content_too_long_exception', 'request body is too large');
    chunks.push(c as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (err) {
    throw esErrors.parsing(`Failed to parse request body: ${(err as Error).message}`);
  }
}

export async function startLogStore(pods: DemoPodView, options: LogStoreOptions = {}): Promise<RunningLogStore> {
  const index = new LogIndex(pods, options);
  const pits = new Map<string, Pit>();
  let delayMs = 0;
  const now = () => index.options.now();

  const authorized = (req: IncomingMessage): boolean => {
    if (!options.apiKey && !options.basic) return true;
    const h = req.headers.authorization ?? '';
    if (options.apiKey && h === `ApiKey ${options.apiKey}`) return true;
    if (options.basic && h === `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')}`) return true;
    return false;
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'x-elastic-product': 'Elasticsearch',
      'content-type': 'application/vnd.elasticsearch+json;compatible-with=9',
      'content-length': Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (!authorized(req)) throw esErrors.unauthenticated(url.pathname);
    for (const [id, pit] of pits) if (pit.expiresAt < now()) pits.delete(id);

    if (parts.length === 0 && (method === 'GET' || method === 'HEAD')) {
      return send(res, 200, { name: 'demo-node-0', cluster_name: 'warroom-demo', cluster_uuid: 'demo', version: VERSION, tagline: 'You Know, for Search' });
    }
    if (parts.length === 1 && parts[0] === '_pit' && method === 'DELETE') {
      const body = await readJson(req);
      const ids = Array.isArray(body.id) ? body.id.map(String) : [String(body.id ?? '')];
      let freed = 0;
      for (const id of ids) if (pits.delete(id)) freed++;
      return send(res, freed > 0 ? 200 : 404, { succeeded: true, num_freed: freed });
    }
    if (parts.length === 2 && parts[1] === '_pit' && method === 'POST') {
      const indices = resolveIndices(parts[0], index.indices(), url.searchParams.get('allow_no_indices') !== 'false');
      const id = randomBytes(24).toString('base64url');
      pits.set(id, { indices, visibleAt: now(), expiresAt: now() + keepAliveMs(url.searchParams.get('keep_alive')) });
      return send(res, 200, { id, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } });
    }
    const isSearch = (parts.length === 1 && parts[0] === '_search') || (parts.length === 2 && parts[1] === '_search');
    if (isSearch && (method === 'GET' || method === 'POST')) {
      const body = await readJson(req);
      const pitSpec = body.pit as { id?: unknown; keep_alive?: unknown } | undefined;
      if (pitSpec) {
        if (parts.length === 2) throw esErrors.validation('[indices] cannot be used with point in time. Do not specify any index with point in time.');
        const id = String(pitSpec.id ?? '');
        const pit = pits.get(id);
        if (!pit) throw esErrors.pitMissing(id);
        if (pitSpec.keep_alive !== undefined) pit.expiresAt = now() + keepAliveMs(pitSpec.keep_alive);
        const { pit: _p, ...rest } = body;
        return send(res, 200, await runSearch(index, rest, { indices: pit.indices, visibleAt: pit.visibleAt, withPit: true, pitId: id }));
      }
      const expr = parts.length === 2 ? parts[0] : '_all';
      const indices = resolveIndices(expr, index.indices(), url.searchParams.get('allow_no_indices') !== 'false');
      return send(res, 200, await runSearch(index, body, { indices, visibleAt: now(), withPit: false }));
    }
    if (parts.length === 2 && parts[1] === '_refresh') return send(res, 200, { _shards: { total: 1, successful: 1, failed: 0 } });
    send(res, 400, { error: `no handler found for uri [${url.pathname}] and method [${method}]` });
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.end();
      if (err instanceof EsHttpError) return send(res, err.status, err.body(), err.headers);
      options.log?.(`log store: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      send(res, 500, { error: { root_cause: [{ type: 'exception', reason: String(err) }], type: 'exception', reason: String(err) }, status: 500 });
    });
  });
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('log store has no TCP address');
  return {
    url: `http://${host}:${addr.port}`,
    port: addr.port,
    index,
    setDelay: (ms) => {
      delayMs = ms;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
