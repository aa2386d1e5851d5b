import type { WatchStatus } from '../../platform/kube/watchTypes.js';
import { formatClock } from '../format.js';
import { glyphs } from '../../terminal/glyphs.js';

// One word for the header from all watches: connecting (nothing answered yet), live, loading,
// reconnecting, or stale since a time (rows shown are older than the cluster). 403s are shown
// in the views they affect.

export const STALE_AFTER_MS = 10_000;

export interface ConnectionState {
  text: string;
  level: 'ok' | 'warn' | 'error';
}

/** Which cluster the watches talk to, and whether it has answered yet. */
export interface ConnectionTarget {
  context: string;
  server: string;
  answered: boolean;
}

/** The short cause in a transport error (`connection refused`), not its hint. */
function shortCause(reason: string, server: string): string {
  const at = reason.indexOf(`${server}: `);
  const cause = (at >= 0 ? reason.slice(at + server.length + 2) : reason).split(';')[0].trim();
  return cause.length > 40 ? `${cause.slice(0, 39)}${glyphs.cut}` : cause;
}

export function connectionState(statuses: Array<[string, WatchStatus]>, now: number, target?: ConnectionTarget): ConnectionState {
  let since = Infinity;
  let reason = '';
  let listing = false;
  let failed = '';
  for (const [, s] of statuses) {
    if (s.kind === 'reconnecting' && s.since < since) {
      since = s.since;
      reason = s.reason;
    }
    if (s.kind === 'listing') listing = true;
    if (s.kind === 'failed') failed = s.message;
  }
  const { live, pending } = glyphs;
  if (failed) return { text: `${glyphs.failed} error`, level: 'error' };
  // Nothing has answered yet (start-up, :ctx): say who is being tried, not "loading".
  if (target && !target.answered) {
    const cause = reason ? shortCause(reason, target.server) : '';
    return { text: `${pending} connecting to ${target.context} at ${target.server}${glyphs.ellipsis}${cause ? ` (${cause})` : ''}`, level: 'warn' };
  }
  if (since !== Infinity) {
    if (now - since > STALE_AFTER_MS) return { text: `${live} stale since ${formatClock(since)}`, level: 'error' };
    return { text: `${pending} reconnecting${reason ? ` (${reason})` : ''}`, level: 'warn' };
  }
  if (listing) return { text: `${pending} loading`, level: 'warn' };
  return { text: `${live} live`, level: 'ok' };
}
