import type { Labels, PromMatrixSample, PromQueryData } from './promTypes.js';
import type { RangeQueryWindow } from './stepSizing.js';

// Where charts get their numbers: a Prometheus-compatible query API. Every call takes an
// AbortSignal (a view change cancels what it no longer needs) and fails with a MetricsError
// that names the endpoint, so the pane can say in one line what is wrong and where.

export interface QueryAnswer<T> {
  data: T;
  /** Prometheus `warnings` and `infos` (already sanitised when shown). */
  warnings: string[];
}

export interface MetricsSource {
  /** Shown to the user: the URL without credentials, or "service proxy ns/svc:port on <server>". */
  readonly endpoint: string;
  queryRange(query: string, window: Pick<RangeQueryWindow, 'start' | 'end' | 'step'>, signal?: AbortSignal): Promise<QueryAnswer<PromMatrixSample[]>>;
  query(query: string, timeSeconds?: number, signal?: AbortSignal): Promise<QueryAnswer<PromQueryData>>;
  series(matchers: string[], startSeconds: number, endSeconds: number, signal?: AbortSignal): Promise<QueryAnswer<Labels[]>>;
}

export type MetricsErrorKind =
  /** Connection refused, DNS, TLS: nothing answered. */
  | 'unreachable'
  | 'timeout'
  /** A non-2xx status without a Prometheus error body (proxy, auth, 404). */
  | 'http'
  /** Prometheus answered status "error" (bad_data, execution, timeout, ...). */
  | 'prometheus'
  /** The answer was not the JSON shape the API documents. */
  | 'shape'
  | 'aborted';

export class MetricsError extends Error {
  constructor(
    readonly kind: MetricsErrorKind,
    message: string,
    readonly endpoint: string,
    readonly extra: { status?: number; errorType?: string } = {},
  ) {
    super(message);
    this.name = 'MetricsError';
  }

  /** A query the server rejected will fail the same way again: no point retrying. */
  get permanent(): boolean {
    return this.kind === 'prometheus' && (this.extra.errorType === 'bad_data' || this.extra.status === 400);
  }
}
