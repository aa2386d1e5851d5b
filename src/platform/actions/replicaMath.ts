// What the user types in the scale dialog, and the replica counts it means.
//
//   5      to exactly five replicas
//   +2 -1  a step from the current count (never below zero)
//   x2     a factor; x1.5 of 3 is 5 (rounded up, so a factor > 1 always adds capacity)
//
// Anything else gets a one-line reason naming what was typed and what would be read, so
// Enter never does nothing and a near miss (1.5, 1e3, x-1) says how to write it.

export type ReplicaChange =
  | { kind: 'absolute'; value: number }
  | { kind: 'step'; delta: number }
  | { kind: 'factor'; factor: number };

export const MAX_REPLICAS = 10_000;
export const MAX_FACTOR = 100;
/** The longest thing worth typing is a factor like x1.125 or a step like -10000. */
export const MAX_REPLICA_INPUT_LENGTH = 12;

const REPLICA_INPUT_FORMS = 'type a number (5), a step (+2, -1) or a factor (x2, x1.5)';

export class ReplicaInputError extends Error {}

export type ReplicaInputReading = { change: ReplicaChange } | { reason: string };

const FACTOR_SIGN = /^[x*×]/;

/** Why the text is not a replica change, or undefined when it is one of the three forms. */
function reasonFor(t: string, shown: string): string | undefined {
  if (t === '') return REPLICA_INPUT_FORMS;
  if (t.length > MAX_REPLICA_INPUT_LENGTH) return `at most ${MAX_REPLICA_INPUT_LENGTH} characters in this field`;
  if (/^[+-]{2,}/.test(t)) return `'${shown}' has two signs: a step has one (-5 is five fewer)`;
  if (/^[+-]$/.test(t)) return 'a step needs a number after the sign (+2, -1)';
  if (/^[x*×]$/.test(t)) return 'a factor needs a number after the x (x2, x1.5)';
  if (/^[+-]?[x*×][+-]|^[+-][x*×]/.test(t)) return `'${shown}': a factor has no sign (x0.5 halves; -1 is a step)`;
  if (/^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/.test(t)) {
    const n = Number(t.replace(/^[+-]/, ''));
    const digits = Number.isInteger(n) && n <= MAX_REPLICAS ? ` (${/^[+-]/.test(t) ? t[0] : ''}${n})` : '';
    return `'${shown}' is exponent notation: type the count in digits${digits}`;
  }
  if (/^[+-](\d*\.\d+|\d+\.)$/.test(t)) return `'${shown}': a step is a whole number of replicas (+1, -2)`;
  if (/^(\d*\.\d+|\d+\.)$/.test(t)) {
    const n = Number(t);
    if (Number.isInteger(n)) return `'${shown}': replicas are whole: type ${n}`;
    return `'${shown}': replicas are whole: type ${Math.floor(n)} or ${Math.ceil(n)} (x${n} is a factor)`;
  }
  if (/^\d{1,3}(,\d{3})+$/.test(t)) return `'${shown}': type the digits without separators (${t.replace(/,/g, '')})`;
  if (/^[x*×]\d+,\d+$/.test(t)) return `'${shown}': write the fraction with a point (${t.replace(',', '.')})`;
  if (/^\d+(\.\d+)?%$/.test(t)) return `'${shown}': a percentage is not read; type a factor (x${Number(t.slice(0, -1)) / 100} is ${t})`;
  if (/^\d+(\.\d+)?[x*×]$/.test(t)) return `'${shown}': the x comes first (x${t.slice(0, -1)})`;
  if (FACTOR_SIGN.test(t) && !/^[x*×](\d+(\.\d+)?|\.\d+)$/.test(t)) return `'${shown}' is not a factor: an x and a number (x2, x0.5)`;
  if (/\d\s+\d/.test(t)) return `'${shown}' has a space inside the number (${t.replace(/\s+/g, '')}?)`;
  if (!/^[+-]?\d+$/.test(t) && !/^[x*×](\d+(\.\d+)?|\.\d+)$/.test(t)) return `'${shown}' is not a replica count: type 5, +2, -1, x2 or x1.5`;
  return undefined;
}

/** Reads what was typed: a change, or a one-line reason it is not one. */
export function readReplicaInput(text: string): ReplicaInputReading {
  const shown = text.trim();
  // Spaces around a sign or an x are harmless (`x 2`, `+ 2`); a space inside a number is not.
  const t = shown.toLowerCase().replace(/^([+\-x*×])\s+/, '$1');
  const reason = reasonFor(t, shown);
  if (reason) return { reason };
  if (FACTOR_SIGN.test(t)) {
    const factor = Number(t.slice(1));
    if (!(factor > 0) || factor > MAX_FACTOR) return { reason: `factor ${t.slice(1)} is out of range: above 0, at most ${MAX_FACTOR}` };
    return { change: { kind: 'factor', factor } };
  }
  if (t.startsWith('+') || t.startsWith('-')) {
    const size = Number(t.slice(1));
    if (size > MAX_REPLICAS) return { reason: `a step of ${size} is more than ${MAX_REPLICAS} replicas` };
    return { change: { kind: 'step', delta: (t.startsWith('-') ? -1 : 1) * size } };
  }
  const value = Number(t);
  if (value > MAX_REPLICAS) return { reason: `${value} replicas is more than ${MAX_REPLICAS}, the most warroom sets` };
  return { change: { kind: 'absolute', value } };
}

export function parseReplicaChange(text: string): ReplicaChange {
  const r = readReplicaInput(text);
  if ('reason' in r) throw new ReplicaInputError(r.reason);
  return r.change;
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

/** What a change does to counts, before any request: `4 -> 3 replicas (one step of -1)`. */
export function describeOutcome(currents: readonly number[], change: ReplicaChange): string {
  const targets = currents.map((c) => targetReplicas(c, change));
  const how = change.kind === 'step' ? ` (a step of ${describeChange(change)})` : change.kind === 'factor' ? ` (x${change.factor}, rounded up)` : '';
  const floor = change.kind === 'step' && currents.some((c) => c + change.delta < 0) ? ', not below 0' : '';
  const ceiling = targets.some((t) => t === MAX_REPLICAS) && currents.some((c) => c !== MAX_REPLICAS) ? `, at most ${MAX_REPLICAS}` : '';
  if (currents.length === 1) {
    const [from, to] = [currents[0], targets[0]];
    return from === to ? `${from} -> ${to} replicas: no change` : `${from} -> ${to} replicas${how}${floor}${ceiling}`;
  }
  const changed = targets.filter((t, i) => t !== currents[i]).length;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return `${changed} of ${currents.length} applications change: ${sum([...currents])} -> ${sum(targets)} replicas${how}${floor}${ceiling}`;
}
