import { sanitize } from '../text/sanitize.js';
import { guessLevel, normaliseLevel, type LogLine, type RawLogRecord } from './logLine.js';
import { glyphs } from '../../terminal/glyphs.js';

// Sanitise on ingest: every record is cleaned once, when it arrives, so nothing later (the
// pane, search, export) ever holds a control sequence that could drive the terminal.
// Only SGR colour survives; OSC (title, clipboard, hyperlinks), cursor movement, BEL, CR
// and backspace are removed. Multi-line messages are split here, before sanitising, because
// sanitising removes the newlines themselves.

/** Longer lines are cut (a single 5 MB line must not stall the pane). */
export const MAX_LINE_CHARS = 10_000;
/** A record with more lines than this keeps the first ones and says how many were cut. */
export const MAX_LINES_PER_RECORD = 500;
/** Per-line overhead of a LogLine object and its strings, beyond the characters. */
const LINE_OVERHEAD_BYTES = 160;

const SGR = /\x1b\[[0-9;:]*m/g;

export function stripColor(text: string): string {
  return text.includes('\x1b') ? text.replace(SGR, '') : text;
}

export function ingestRecord(rec: RawLogRecord): LogLine[] {
  const message = rec.message ?? '';
  // \r\n and lone \n separate lines; a lone \r (progress bars, overwrite tricks) is dropped by sanitize.
  let parts = message.includes('\n') ? message.split(/\r?\n/) : [message];
  while (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
  let cut = 0;
  if (parts.length > MAX_LINES_PER_RECORD) {
    cut = parts.length - MAX_LINES_PER_RECORD;
    parts = parts.slice(0, MAX_LINES_PER_RECORD);
  }
  const namespace = sanitize(rec.namespace, { maxLength: 253 });
  const pod = sanitize(rec.pod, { maxLength: 253 });
  const container = sanitize(rec.container, { maxLength: 253 });
  const out: LogLine[] = [];
  let level = normaliseLevel(rec.level);
  for (let i = 0; i < parts.length; i++) {
    const text = sanitize(parts[i], { keepColor: true, maxLength: MAX_LINE_CHARS });
    const plain = stripColor(text);
    if (i === 0 && !level) level = guessLevel(plain);
    out.push({
      id: i === 0 ? rec.id : `${rec.id}#${i}`,
      ts: rec.ts,
      namespace,
      pod,
      container,
      level: level ?? 'unknown',
      text,
      plain,
      cont: i > 0,
      bytes: LINE_OVERHEAD_BYTES + (text.length + (text === plain ? 0 : plain.length)) * 2,
    });
  }
  if (cut > 0) {
    const text = `${glyphs.ellipsis} ${cut} more lines of this record not shown`;
    out.push({ id: `${rec.id}#cut`, ts: rec.ts, namespace, pod, container, level: level ?? 'unknown', text, plain: text, cont: true, bytes: LINE_OVERHEAD_BYTES + text.length * 2 });
  }
  return out;
}
