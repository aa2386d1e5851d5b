// Time formatting exactly as the apiserver's printers do it, so Table cells match a real cluster.

/** Port of k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.trunc(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.trunc(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365;
    return dy === 0 ? `${Math.trunc(hours / 24 / 365)}y` : `${Math.trunc(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.trunc(hours / 24 / 365)}y`;
}

/** translateTimestampSince: "<unknown>" for a zero time. */
export function ageSince(timestampMs: number | undefined, nowMs: number): string {
  if (!timestampMs) return '<unknown>';
  return humanDuration(nowMs - timestampMs);
}

const twoDigits = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
/** 'YYYY-MM-DDT' by day since the epoch: the days a cluster's timestamps fall on are few. */
const dayPrefixes = new Map<number, string>();
/** Up to the year 9999 an ISO date is YYYY-MM-DD (then Date says +YYYYYY-). */
const LAST_ISO_SECOND = 253402300799;

/** metav1.Time marshals as RFC 3339 with second precision in UTC. Every object's timestamps pass here, so it avoids a Date per call. */
export function rfc3339(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (!(seconds >= 0 && seconds <= LAST_ISO_SECOND)) return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
  const day = Math.floor(seconds / 86400);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    prefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
    dayPrefixes.set(day, prefix);
  }
  const s = seconds - day * 86400;
  return `${prefix}${twoDigits[Math.floor(s / 3600)]}:${twoDigits[Math.floor(s / 60) % 60]}:${twoDigits[s % 60]}Z`;
}
