// What the user types in the scale dialog, and the replica counts it means.
//
//   5      to exactly five replicas
//   +2 -1  a step from the current count (never below zero)
//   x2     a factor; x1.5 of 3 is 5 (rounded up, so a factor > 1 always adds capacity)

export type ReplicaChange =
  | { kind: 'absolute'; value: number }
  | { kind: 'step'; delta: number }
  | { kind: 'factor'; factor: number };

export const MAX_REPLICAS = 10_000;

export class ReplicaInputError extends Error {}

export function parseReplicaChange(text: string): ReplicaChange {
  const t = text.trim().toLowerCase().replace(/\s+/g, '');
  if (t === '') throw new ReplicaInputError('type a number (5), a step (+2, -1) or a factor (x2, x1.5)');
  let m = /^[x*×](\d+(?:\.\d+)?)$/.exec(t);
  if (m) {
    const factor = Number(m[1]);
    if (!(factor > 0) || factor > 100) throw new ReplicaInputError(`factor ${m[1]} is out of range: use more than 0 and at most 100 (x2, x1.5, x0.5)`);
    return { kind: 'factor', factor };
  }
  m = /^([+-])(\d+)$/.exec(t);
  if (m) return { kind: 'step', delta: (m[1] === '-' ? -1 : 1) * Number(m[2]) };
  if (/^\d+$/.test(t)) {
    const value = Number(t);
    if (value > MAX_REPLICAS) throw new ReplicaInputError(`${value} replicas is more than ${MAX_REPLICAS}; type a smaller number`);
    return { kind: 'absolute', value };
  }
  throw new ReplicaInputError(`'${text.trim()}' is not a replica count: type a number (5), a step (+2, -1) or a factor (x2, x1.5)`);
}

/** Rounds up, but tolerates floating-point noise (3 x 1.1 = 3.3000000000000003 is 4, 10 x 0.3 = 3). */
export function applyFactor(current: number, factor: number): number {
  const exact = current * factor;
  const nearest = Math.round(exact);
  if (Math.abs(exact - nearest) < 1e-9) return nearest;
  return Math.ceil(exact);
}

export function targetReplicas(current: number, change: ReplicaChange): number {
  let n: number;
  switch (change.kind) {
    case 'absolute':
      n = change.value;
      break;
    case 'step':
      n = current + change.delta;
      break;
    case 'factor':
      n = applyFactor(current, change.factor);
      break;
  }
  return Math.max(0, Math.min(MAX_REPLICAS, n));
}

export function describeChange(change: ReplicaChange): string {
  switch (change.kind) {
    case 'absolute':
      return `to ${change.value}`;
    case 'step':
      return change.delta >= 0 ? `+${change.delta}` : String(change.delta);
    case 'factor':
      return `x${change.factor}`;
  }
}
