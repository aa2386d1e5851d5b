import type { WatchStatus } from '../../platform/kube/watchTypes.js';
import { formatClock } from '../format.js';

// One word for the header from all watches: live, loading, reconnecting, or stale since
// a time (rows shown are older than the cluster). 403s are shown in the views they affect.

export const STALE_AFTER_MS = 10_000;

export interface ConnectionState {
  text: string;
  level: 'ok' | 'warn' | 'error';
}

export function connectionState(statuses: Array<[string, WatchStatus]>, now: number): ConnectionState {
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
  if (failed) return { text: '✖ error', level: 'error' };
  if (since !== Infinity) {
    if (now - since > STALE_AFTER_MS) return { text: `● stale since ${formatClock(since)}`, level: 'error' };
    return { text: `◌ reconnecting${reason ? ` (${reason})` : ''}`, level: 'warn' };
  }
  if (listing) return { text: '◌ loading', level: 'warn' };
  return { text: '● live', level: 'ok' };
}
