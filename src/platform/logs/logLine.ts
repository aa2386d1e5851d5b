// One physical line as the logs pane shows it. A log record whose message spans several
// lines (a stack trace) becomes several LogLines: the first carries the record's id, the
// rest are continuations so the pane can indent them and keep them together.

export type LogLevel = 'error' | 'warn' | 'info' | 'debug' | 'unknown';

export interface LogLine {
  /** Unique per physical line: the record's id, plus `#n` for continuation lines. */
  id: string;
  /** Epoch milliseconds (the order key). */
  ts: number;
  namespace: string;
  pod: string;
  container: string;
  level: LogLevel;
  /** Sanitised: no control sequence but SGR colour. */
  text: string;
  /** `text` without colour, for matching, JSON detection and export. */
  plain: string;
  /** A continuation line of a multi-line record. */
  cont: boolean;
  /** Rough memory cost, for the ring buffer's byte limit. */
  bytes: number;
  /** In a fleet's merged logs: the short label of the cluster the line came from (`dc1`). */
  cluster?: string;
}

/** A record as a source delivers it, before sanitising. */
export interface RawLogRecord {
  /** Unique and stable per record (Elasticsearch: index/_id; Kubernetes: pod/container/ts#n). */
  id: string;
  ts: number;
  namespace: string;
  pod: string;
  container: string;
  /** From a level field when the store has one; otherwise guessed from the text. */
  level?: string;
  message: string;
}

const LEVEL_WORDS: Array<[RegExp, LogLevel]> = [
  [/\b(?:ERROR|ERR|FATAL|CRITICAL|PANIC|SEVERE|EXCEPTION)\b|"level"\s*:\s*"(?:error|fatal|critical)"|level=(?:error|fatal)/i, 'error'],
  [/\b(?:WARN|WARNING)\b|"level"\s*:\s*"warn(?:ing)?"|level=warn/i, 'warn'],
  [/\b(?:INFO|NOTICE)\b|"level"\s*:\s*"info"|level=info/i, 'info'],
  [/\b(?:DEBUG|TRACE)\b|"level"\s*:\s*"(?:debug|trace)"|level=(?:debug|trace)/i, 'debug'],
];

export function normaliseLevel(value: string | undefined): LogLevel | undefined {
  if (!value) return undefined;
  const v = value.toLowerCase();
  if (v.startsWith('err') || v === 'fatal' || v === 'critical' || v === 'crit' || v === 'panic' || v === 'severe' || v === 'alert' || v === 'emerg') return 'error';
  if (v.startsWith('warn')) return 'warn';
  if (v === 'info' || v === 'notice' || v === 'information') return 'info';
  if (v === 'debug' || v === 'trace' || v === 'verbose') return 'debug';
  return undefined;
}

/** The level a line shows when the store has no level field: the first level word in its first 200 characters. */
export function guessLevel(text: string): LogLevel {
  const head = text.length > 200 ? text.slice(0, 200) : text;
  for (const [re, level] of LEVEL_WORDS) if (re.test(head)) return level;
  return 'unknown';
}
