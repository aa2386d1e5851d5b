import { open } from 'node:fs/promises';
import type { AuditRecord } from '../actions/auditLog.js';
import type { FeedEntry } from '../stores/warroomFeed.js';
import { feedWho } from '../stores/warroomFeed.js';
import { sanitize } from '../text/sanitize.js';
import { podBelongsTo } from '../logs/logScope.js';
import type { AuditFact } from './kubeReaders.js';
import type { TimelineEntry, TimelineQuery, TimelineScope } from './timelineEntry.js';

// What warroom consoles did in the scope: the other consoles' audit Events (the war-room feed,
// with audit.kubernetesEvents) and this console's own audit file (the last MiB of it).

const TAIL_BYTES = 1024 * 1024;

/** The last MiB of the audit file, one record a line; a missing file is no record. */
export async function readAuditTail(path: string): Promise<AuditRecord[]> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n');
    if (start > 0) lines.shift();
    const out: AuditRecord[] = [];
    for (const l of lines) {
      if (!l.trim()) continue;
      try {
        out.push(JSON.parse(l) as AuditRecord);
      } catch {
        /* a torn line */
      }
    }
    return out;
  } finally {
    await fh.close();
  }
}

function objectInScope(scope: TimelineScope, kind: string, name: string): boolean {
  if (scope.pod) return kind === 'Pod' && name === scope.pod;
  if (!scope.app) return true;
  return (kind === scope.app.kind && name === scope.app.name) || (kind === 'Pod' && podBelongsTo(scope.app, name));
}

export interface AuditSources {
  context: string;
  /** Other consoles' changes; undefined when audit.kubernetesEvents is off. */
  feed(): readonly FeedEntry[] | undefined;
  /** This console's audit file. */
  auditPath: string;
}

/** The scope's records of warroom consoles, as facts (who scaled what) and as entries. */
export async function readAuditFacts(q: TimelineQuery, s: AuditSources): Promise<Array<AuditFact & { text: string; source: string }>> {
  const ns = q.scope.namespace;
  const own = (await readAuditTail(s.auditPath))
    .filter((r) => r.context === s.context && r.namespace === ns && r.outcome === 'applied' && objectInScope(q.scope, r.kind, r.name))
    .map((r) => {
      const time = Date.parse(r.time) || 0;
      const who = `${r.user}, this console`;
      const change = r.from !== undefined || r.to !== undefined ? `: ${r.from ?? '?'} -> ${r.to ?? '?'}` : '';
      return { time, action: r.action, kind: r.kind, namespace: r.namespace, name: r.name, who, text: sanitize(`${who} ${r.action} ${r.kind} ${r.name}${change}`, { maxLength: 300 }), source: 'audit log' };
    });
  const feed = (s.feed() ?? [])
    .filter((e) => e.namespace === ns && objectInScope(q.scope, e.kind, e.name))
    .map((e) => ({ time: e.time, action: e.action, kind: e.kind, namespace: e.namespace, name: e.name, who: `${e.user} from ${e.osUser ? `${e.osUser}@` : ''}${e.host}`, text: `${feedWho(e)} ${e.action} ${e.kind} ${e.name}: ${e.message}`, source: 'war-room feed' }));
  return [...own, ...feed];
}

export function auditEntries(q: TimelineQuery, facts: ReadonlyArray<AuditFact & { text: string; source: string }>): TimelineEntry[] {
  return facts
    .filter((f) => f.time >= q.from && f.time <= q.to)
    .map((f) => ({ time: f.time, kind: 'audit' as const, text: f.text, source: f.source, target: { kind: 'metrics' as const, at: f.time } }));
}
