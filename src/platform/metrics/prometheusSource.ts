import { connectionCause, TransportTimeout, type Transport, type TransportResponse } from './httpTransport.js';
import { MetricsError, type MetricsSource, type QueryAnswer } from './metricsSource.js';
import { parseQueryData, parseSeriesData, PromShapeError, type PromMatrixSample } from './promTypes.js';
import { quoteServerBody } from '../text/serverBody.js';

// MetricsSource over the Prometheus HTTP API: /api/v1/query, /api/v1/query_range and
// /api/v1/series. Each call has a timeout (sent to Prometheus too, so it stops work we no
// longer wait for) and follows the caller's AbortSignal.

export interface PrometheusSourceOptions {
  /** Per request. Default 15 s. */
  timeoutMs?: number;
  /** Called after each request with its outcome (console self-metrics). */
  observe?: (endpoint: 'query' | 'query_range' | 'series', seconds: number, ok: boolean) => void;
}

export class PrometheusSource implements MetricsSource {
  private readonly timeoutMs: number;

  constructor(
    private readonly transport: Transport,
    private readonly opts: PrometheusSourceOptions = {},
  ) {
    this.timeoutMs = opts.timeoutMs ?? 15_000;
  }

  get endpoint(): string {
    return this.transport.endpoint;
  }

  async queryRange(query: string, w: { start: number; end: number; step: number }, signal?: AbortSignal): Promise<QueryAnswer<PromMatrixSample[]>> {
    const params = new URLSearchParams({ query, start: String(w.start), end: String(w.end), step: String(w.step) });
    const answer = await this.call('query_range', params, signal);
    const data = this.shape(() => parseQueryData(answer.data));
    if (data.resultType !== 'matrix') throw new MetricsError('shape', `query_range answered a ${data.resultType}, not a matrix (${this.endpoint})`, this.endpoint);
    return { data: data.result, warnings: answer.warnings };
  }

  async query(query: string, timeSeconds?: number, signal?: AbortSignal) {
    const params = new URLSearchParams({ query });
    if (timeSeconds !== undefined) params.set('time', String(timeSeconds));
    const answer = await this.call('query', params, signal);
    return { data: this.shape(() => parseQueryData(answer.data)), warnings: answer.warnings };
  }

  async series(matchers: string[], startSeconds: number, endSeconds: number, signal?: AbortSignal) {
    const params = new URLSearchParams({ start: String(startSeconds), end: String(endSeconds) });
    for (const m of matchers) params.append('match[]', m);
    const answer = await this.call('series', params, signal);
    return { data: this.shape(() => parseSeriesData(answer.data)), warnings: answer.warnings };
  }

  private shape<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof PromShapeError) throw new MetricsError('shape', `unexpected answer from ${this.endpoint}: ${err.message}`, this.endpoint);
      throw err;
    }
  }

  private async call(api: 'query' | 'query_range' | 'series', params: URLSearchParams, signal?: AbortSignal): Promise<{ data: unknown; warnings: string[] }> {
    // Ask Prometheus to give up a little before we do, so it reports a timeout instead of working on.
    if (api !== 'series') params.set('timeout', `${Math.max(1, Math.floor(this.timeoutMs / 1000) - 1)}s`);
    const t0 = performance.now();
    let ok = false;
    try {
      let res: TransportResponse;
      try {
        res = await this.transport.send({ path: `/api/v1/${api}`, params, signal, timeoutMs: this.timeoutMs });
      } catch (err) {
        throw this.transportError(err, signal);
      }
      const out = this.envelope(res);
      ok = true;
      return out;
    } finally {
      this.opts.observe?.(api, (performance.now() - t0) / 1000, ok);
    }
  }

  private transportError(err: unknown, signal?: AbortSignal): MetricsError {
    const e = err as NodeJS.ErrnoException;
    if (signal?.aborted || e?.name === 'AbortError') return new MetricsError('aborted', 'request cancelled', this.endpoint);
    if (err instanceof TransportTimeout) return new MetricsError('timeout', `Prometheus at ${this.endpoint} did not answer within ${this.timeoutMs / 1000} s`, this.endpoint);
    if (err instanceof MetricsError) return err;
    return new MetricsError('unreachable', `cannot reach Prometheus at ${this.endpoint}: ${connectionCause(err)}`, this.endpoint);
  }

  private envelope(res: TransportResponse): { data: unknown; warnings: string[] } {
    const body = res.json as { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown; warnings?: unknown; infos?: unknown } | undefined;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    if (body && typeof body === 'object' && (body.status === 'success' || body.status === 'error')) {
      if (body.status === 'error') {
        const errorType = typeof body.errorType === 'string' ? body.errorType : 'error';
        const msg = typeof body.error === 'string' ? body.error : 'no message';
        throw new MetricsError('prometheus', `Prometheus at ${this.endpoint}: ${errorType}: ${msg}`, this.endpoint, { status: res.status, errorType });
      }
      if (res.status >= 200 && res.status < 300) return { data: body.data, warnings: [...strings(body.warnings), ...strings(body.infos)] };
    }
    if (res.status === 401 || res.status === 403) {
      return this.fail('http', `Prometheus at ${this.endpoint} refused the credentials (HTTP ${res.status}); check the token or basic auth in the config`, res.status);
    }
    if (res.status < 200 || res.status >= 300) {
      const snippet = quoteServerBody(res.text);
      return this.fail('http', `Prometheus at ${this.endpoint} answered HTTP ${res.status}${snippet ? `: ${snippet}` : ''}`, res.status);
    }
    return this.fail('shape', `${this.endpoint} did not answer with the Prometheus API's JSON; is this the Prometheus URL?`, res.status);
  }

  private fail(kind: 'http' | 'shape', message: string, status: number): never {
    throw new MetricsError(kind, message, this.endpoint, { status });
  }
}
