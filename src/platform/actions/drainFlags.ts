import { formatDuration, parseDuration } from '../alerts/alertModel.js';

// The options of a drain, as kubectl drain names them. warroom always drains as
// `--ignore-daemonsets` (a DaemonSet's pod is skipped, never a reason to stop); the rest are the
// user's, set in the drain dialog, and change the plan (which pods go, which block the drain):
//
//   --delete-emptydir-data  without it, a running pod with an emptyDir volume blocks the drain
//   --force                 without it, a running pod no controller manages blocks the drain
//   --grace-period=N        each pod's termination grace period (default: the pod's own)
//   --timeout=D             the drain gives up after D (0: waits for ever, kubectl's default)
//   --pod-selector=S        only the pods the label selector selects are drained
//   --disable-eviction      DELETE the pods instead of evicting them: disruption budgets are not consulted

export interface DrainFlags {
  deleteEmptyDirData: boolean;
  force: boolean;
  /** Seconds each pod gets to stop; undefined: its own terminationGracePeriodSeconds (kubectl's -1). */
  gracePeriodSeconds?: number;
  /** The whole drain of a node gives up after this long; 0: no limit. */
  timeoutMs: number;
  /** A label selector; '' selects every pod on the node. */
  podSelector: string;
  disableEviction: boolean;
}

export function defaultDrainFlags(timeoutMs: number): DrainFlags {
  return { deleteEmptyDirData: false, force: false, timeoutMs, podSelector: '', disableEviction: false };
}

/** The timeout as kubectl's flag takes it: `10m`, `1h30m`, `0s`. */
export function formatTimeout(ms: number): string {
  return ms === 0 ? '0s' : formatDuration(ms);
}

/** The drain as the kubectl command line that does the same: for the audit record and the dialog. */
export function drainFlagsText(f: DrainFlags): string {
  return [
    '--ignore-daemonsets',
    f.deleteEmptyDirData && '--delete-emptydir-data',
    f.force && '--force',
    f.gracePeriodSeconds !== undefined && `--grace-period=${f.gracePeriodSeconds}`,
    `--timeout=${formatTimeout(f.timeoutMs)}`,
    f.podSelector && `--pod-selector=${f.podSelector}`,
    f.disableEviction && '--disable-eviction',
  ].filter(Boolean).join(' ');
}

export type Parsed<T> = { value: T } | { error: string };

/** Seconds, or empty for each pod's own; a negative number means the pod's own too, as kubectl's -1. */
export function parseGracePeriod(text: string): Parsed<number | undefined> {
  const t = text.trim();
  if (t === '' || /^-\d+$/.test(t)) return { value: undefined };
  if (!/^\d+$/.test(t)) return { error: `'${t}' is not a number of seconds (empty: each pod's own)` };
  const n = Number(t);
  return n > 86_400 ? { error: `${n}s is more than a day` } : { value: n };
}

/** `10m`, `90s`, `1h30m`, a number of seconds, or 0 for no limit. */
export function parseTimeout(text: string): Parsed<number> {
  const t = text.trim();
  if (/^\d+$/.test(t)) return { value: Number(t) * 1000 };
  const ms = parseDuration(t);
  return ms === undefined ? { error: `'${t}' is not a duration (10m, 90s, 1h30m; 0: no limit)` } : { value: ms };
}
