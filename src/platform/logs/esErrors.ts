import { quoteServerBody } from '../text/serverBody.js';
import { LogSourceError } from './logSource.js';

// Turns what the Elasticsearch client throws into one clear line naming the URL and index,
// and whether the Kubernetes fallback should take over. A malformed query keeps the
// current results and shows Elasticsearch's own reason instead.

interface EsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  meta?: { statusCode?: number; body?: unknown; meta?: { connection?: { url?: URL } } };
  body?: unknown;
  cause?: unknown;
}

interface EsErrorBody {
  error?: string | { type?: string; reason?: string; root_cause?: Array<{ type?: string; reason?: string }>; failed_shards?: Array<{ reason?: { reason?: string; caused_by?: { reason?: string } } }>; caused_by?: { reason?: string } };
}

/** Elasticsearch's reason for a rejected search, shortest useful form. */
export function esReason(body: unknown): string | undefined {
  const b = body as EsErrorBody | undefined;
  if (!b?.error) return undefined;
  if (typeof b.error === 'string') return b.error;
  const shard = b.error.failed_shards?.[0]?.reason;
  const deepest = shard?.caused_by?.reason ?? b.error.caused_by?.reason;
  const root = b.error.root_cause?.[0]?.reason ?? b.error.reason;
  return deepest && root && !root.includes(deepest) ? `${root}: ${deepest}` : (root ?? deepest);
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, 300);

export function describeEsError(err: unknown, where: { url: string; index: string; timeoutMs: number }): LogSourceError {
  if (err instanceof LogSourceError) return err;
  const e = (err ?? {}) as EsErrorLike;
  const name = e.name ?? '';
  const status = e.meta?.statusCode;
  const body = e.meta?.body ?? e.body;
  const at = `Elasticsearch at ${where.url}`;
  if (name === 'RequestAbortedError' || name === 'AbortError') return new LogSourceError('search cancelled', 'cancelled', false);
  if (name === 'ProductNotSupportedError') {
    return new LogSourceError(`${where.url} answered but is not Elasticsearch (no x-elastic-product header); check the URL in the config (OpenSearch is not supported)`, 'not-elasticsearch', true);
  }
  if (name === 'TimeoutError') {
    return new LogSourceError(`${at} did not answer within ${Math.round(where.timeoutMs / 1000)} s; check the cluster's health and load, or raise timeoutSeconds in the config`, 'timeout', true);
  }
  if (name === 'ConnectionError' || name === 'NoLivingConnectionsError') {
    const msg = oneLine(e.message ?? '');
    if (/certificate|self[- ]signed|SSL|TLS|CERT_|unable to verify|ERR_TLS/i.test(msg)) {
      return new LogSourceError(`TLS to ${at} failed (${msg}); check caFile in the config and the server's certificate name`, 'tls', true);
    }
    const what = /ECONNREFUSED/.test(msg) ? 'connection refused' : /ENOTFOUND|EAI_AGAIN/.test(msg) ? 'host not found (DNS)' : /ECONNRESET/.test(msg) ? 'connection reset' : msg || 'no connection';
    return new LogSourceError(`cannot reach ${at}: ${what}; check the URL, VPN or jump host`, 'unreachable', true);
  }
  if (status !== undefined) {
    // A body that is not Elasticsearch's JSON (a proxy's HTML page) is quoted, not dumped:
    // the client then puts the whole body in the message.
    const quoted = typeof body === 'string' || Buffer.isBuffer(body) ? quoteServerBody(body) || `HTTP ${status}` : undefined;
    const reason = oneLine(esReason(body) ?? quoted ?? e.message ?? `HTTP ${status}`);
    const type = typeof (body as EsErrorBody)?.error === 'object' ? ((body as EsErrorBody).error as { type?: string }).type : undefined;
    if (status === 401) return new LogSourceError(`${at} rejected the credentials (401); check apiKeyEnv / basicAuth.passwordEnv for this context`, 'auth', true);
    if (status === 403) return new LogSourceError(`${at} denied reading ${where.index} (403: ${reason}); the API key or user needs the read privilege on it`, 'auth', true);
    if (status === 404 && (type === 'index_not_found_exception' || /no such index/.test(reason))) {
      return new LogSourceError(`no index matches '${where.index}' at ${where.url}; check index in the config (and the field preset)`, 'index', true);
    }
    if (status === 400 || (status === 500 && /query_shard|parse/i.test(reason))) return new LogSourceError(`query rejected: ${reason}`, 'query', false);
    if (status === 429) return new LogSourceError(`${at} is overloaded (429: ${reason}); try a shorter time range`, 'timeout', true);
    return new LogSourceError(`${at} failed (${status}: ${reason})`, 'other', status >= 500);
  }
  return new LogSourceError(`${at}: ${oneLine(e.message ?? String(err))}`, 'other', true);
}
