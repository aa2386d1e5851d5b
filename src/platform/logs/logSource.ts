import type { RawLogRecord } from './logLine.js';
import type { LogQuery } from './logQuery.js';
import type { LogScope } from './logScope.js';

// Where log lines come from. Two implementations: Elasticsearch (esLogSource.ts: history,
// search, histogram) and the Kubernetes log API (kubeLogSource.ts: the fallback). The
// logs store (logsStore.ts) drives a session and never knows which one it has.

export interface LogSourceInfo {
  kind: 'elasticsearch' | 'kubernetes';
  /** What is read, e.g. "Elasticsearch http://es:9200 index filebeat-*" (never a secret). */
  label: string;
}

export interface HistogramBucket {
  start: number;
  count: number;
  errors: number;
}

export interface Histogram {
  from: number;
  to: number;
  intervalMs: number;
  buckets: HistogramBucket[];
}

export interface LogPage {
  /** Oldest first. */
  records: RawLogRecord[];
  /** Nothing older remains in the range. */
  exhausted: boolean;
}

export interface FollowSink {
  lines(records: RawLogRecord[]): void;
  /** A failure while following; the session keeps retrying unless the store stops it. */
  error(err: LogSourceError): void;
  /** The source recovered after an error. */
  recovered?(): void;
}

export interface SessionParams {
  scope: LogScope;
  query: LogQuery;
  /** Lines for the first screen (and each older page). */
  pageSize: number;
  /** Kubernetes fallback: the previous (crashed) container's logs. */
  previous?: boolean;
}

export interface LogSession {
  /** The newest lines of the range. */
  initial(signal: AbortSignal): Promise<LogPage>;
  /** Lines older than every line delivered so far. */
  older(signal: AbortSignal): Promise<LogPage>;
  /** Delivers new lines until the signal aborts. */
  follow(sink: FollowSink, signal: AbortSignal): void;
  /** Counts over the range (Elasticsearch only; the store counts held lines otherwise). */
  histogram?(buckets: number, signal: AbortSignal): Promise<Histogram>;
  close(): void;
}

export interface LogSource {
  readonly info: LogSourceInfo;
  open(params: SessionParams): LogSession;
  dispose(): void;
}

export type LogErrorKind = 'query' | 'unreachable' | 'timeout' | 'tls' | 'auth' | 'index' | 'not-elasticsearch' | 'cancelled' | 'other';

/**
 * One line for the user: what failed, where (URL, index) and what to check. `fallback`
 * says whether the Kubernetes log API should take over (everything but a bad query).
 */
export class LogSourceError extends Error {
  constructor(
    message: string,
    readonly kind: LogErrorKind,
    readonly fallback: boolean,
  ) {
    super(message);
    this.name = 'LogSourceError';
  }
}

export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const e = err as { name?: string; code?: string } | undefined;
  return e?.name === 'AbortError' || e?.name === 'RequestAbortedError' || e?.code === 'ABORT_ERR';
}
