import { guessLevel, normaliseLevel, type LogLevel, type RawLogRecord } from './logLine.js';
import { LEVEL_FILTERS, type LogQuery } from './logQuery.js';

// The query applied to lines locally, for the Kubernetes fallback (which has no search):
// the level filter, and the text as words that must all appear (case-insensitive), with
// "quoted phrases", -word to exclude and field:value reduced to its value. It is a simple
// approximation of query_string, said so in the pane.

export function lineMatches(rec: RawLogRecord, query: LogQuery): boolean {
  const levels = LEVEL_FILTERS[query.levels].levels;
  if (levels) {
    const level: LogLevel = normaliseLevel(rec.level) ?? guessLevel(rec.message);
    if (!levels.includes(level)) return false;
  }
  if (!query.text.trim()) return true;
  return textMatcher(query.text)(rec.message);
}

const cache = new Map<string, (text: string) => boolean>();

export function textMatcher(query: string): (text: string) => boolean {
  let m = cache.get(query);
  if (m) return m;
  const include: string[] = [];
  const exclude: string[] = [];
  for (const tok of query.match(/-?"[^"]*"|\S+/g) ?? []) {
    if (tok === 'AND' || tok === 'OR' || tok === '&&' || tok === '||') continue;
    const neg = tok.startsWith('-') || tok.startsWith('!');
    let t = neg ? tok.slice(1) : tok;
    if (t.startsWith('"')) t = t.replace(/^"|"$/g, '');
    else if (t.includes(':') && !t.startsWith('http')) t = t.slice(t.indexOf(':') + 1);
    t = t.replace(/[*?]/g, '').toLowerCase();
    if (!t) continue;
    (neg ? exclude : include).push(t);
  }
  m = (text: string) => {
    const hay = text.toLowerCase();
    return include.every((w) => hay.includes(w)) && !exclude.some((w) => hay.includes(w));
  };
  if (cache.size > 50) cache.clear();
  cache.set(query, m);
  return m;
}
