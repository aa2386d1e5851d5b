// Retry delays after a failed refresh: doubling from 1 s to a minute, with ±20% jitter so
// many consoles pointed at one recovering Prometheus do not retry in step.

export function backoffDelayMs(failures: number, random: () => number = Math.random, baseMs = 1000, maxMs = 60_000): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp * (0.8 + 0.4 * random()));
}
