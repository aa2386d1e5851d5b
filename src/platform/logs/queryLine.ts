import { LEVEL_FILTERS, parseTimeRange, type LevelFilter, type LogQuery, type TimeRange } from './logQuery.js';

// The `/` query line: Elasticsearch query_string text plus optional directives, which are
// taken out before the text is sent:
//   @15m @1h @24h @7d               time range (last ...)
//   @2026-08-21T10:00..2026-08-21T11:00   absolute range (ISO; `now` allowed as the end)
//   @errors @warnings @all @info    level filter
// `@timestamp:...` and other field queries stay query_string.

export interface ParsedQueryLine {
  text: string;
  levels?: LevelFilter;
  range?: TimeRange;
}

const LEVEL_WORDS: Record<string, LevelFilter> = { errors: 'errors', error: 'errors', warnings: 'warnings', warn: 'warnings', all: 'all', info: 'no-debug' };

export function parseQueryLine(line: string, now = Date.now()): ParsedQueryLine {
  const out: ParsedQueryLine = { text: '' };
  const rest: string[] = [];
  for (const tok of line.match(/"(?:[^"\\]|\\.)*"?|\S+/g) ?? []) {
    const m = /^@(.+)$/.exec(tok);
    if (m && (!m[1].includes(':') || /^\d{4}-\d\d-\d\d/.test(m[1]))) {
      const word = m[1].toLowerCase();
      if (word in LEVEL_WORDS) {
        out.levels = LEVEL_WORDS[word];
        continue;
      }
      if (/^\d+(?:\.\d+)?[smhdw]$/.test(word)) {
        out.range = parseTimeRange(word, now);
        continue;
      }
      if (m[1].includes('..')) {
        out.range = parseTimeRange(m[1], now);
        continue;
      }
    }
    rest.push(tok);
  }
  out.text = rest.join(' ');
  return out;
}

export function applyQueryLine(base: LogQuery, line: string, now = Date.now()): LogQuery {
  const p = parseQueryLine(line, now);
  return { text: p.text, levels: p.levels ?? base.levels, range: p.range ?? base.range };
}

/** Words and phrases of a query_string worth highlighting (no operators, no field names). */
export function highlightTerms(text: string): string[] {
  const out: string[] = [];
  for (const tok of text.match(/"[^"]*"|\S+/g) ?? []) {
    if (/^(AND|OR|NOT|&&|\|\|)$/.test(tok) || tok.startsWith('-') || tok.startsWith('!')) continue;
    let t = tok.replace(/^[+(]+|[)]+$/g, '');
    if (t.startsWith('"')) t = t.replace(/^"|"$/g, '');
    else if (/^[\w.@]+:/.test(t)) t = t.slice(t.indexOf(':') + 1).replace(/^"|"$/g, '');
    t = t.replace(/[*?\\]/g, '');
    if (t.length >= 2 && !/^[<>=]/.test(t)) out.push(t);
  }
  return out;
}

export function describeLevels(l: LevelFilter): string {
  return LEVEL_FILTERS[l].label;
}
