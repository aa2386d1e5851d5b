import { describe, expect, it } from 'vitest';
import { applyFactor, describeOutcome, MAX_REPLICA_INPUT_LENGTH, parseReplicaChange, readReplicaInput, ReplicaInputError, targetReplicas } from '../../../src/platform/actions/replicaMath.js';

describe('replica input and factor rounding', () => {
  it('rounds a factor up, so x1.5 of 3 is 5 and any factor > 1 adds at least one replica', () => {
    expect(applyFactor(3, 1.5)).toBe(5);
    expect(applyFactor(4, 2)).toBe(8);
    expect(applyFactor(1, 1.1)).toBe(2);
    expect(applyFactor(0, 2)).toBe(0);
  });

  it('does not round floating-point noise up (3 x 1.1 is 4, 10 x 0.3 is 3, 10 x 1.1 is 11)', () => {
    expect(applyFactor(3, 1.1)).toBe(4);
    expect(applyFactor(10, 0.3)).toBe(3);
    expect(applyFactor(10, 1.1)).toBe(11);
  });

  it('reads numbers, steps and factors as typed', () => {
    expect(targetReplicas(3, parseReplicaChange('5'))).toBe(5);
    expect(targetReplicas(3, parseReplicaChange('+2'))).toBe(5);
    expect(targetReplicas(3, parseReplicaChange('-5'))).toBe(0);
    expect(targetReplicas(3, parseReplicaChange('x2'))).toBe(6);
    expect(targetReplicas(3, parseReplicaChange(' X1.5 '))).toBe(5);
    expect(targetReplicas(3, parseReplicaChange('0'))).toBe(0);
  });

  it('rejects what is not a replica count, saying what would be', () => {
    expect(() => parseReplicaChange('five')).toThrow("'five' is not a replica count: type 5, +2, -1, x2 or x1.5");
    expect(() => parseReplicaChange('x0')).toThrow(ReplicaInputError);
    expect(() => parseReplicaChange('')).toThrow(ReplicaInputError);
    expect(() => parseReplicaChange('99999')).toThrow(/more than 10000/);
  });

  const reason = (text: string) => {
    const r = readReplicaInput(text);
    if (!('reason' in r)) throw new Error(`'${text}' was read as ${JSON.stringify(r.change)}`);
    return r.reason;
  };

  it('gives every near miss its own one-line reason, saying how to write it', () => {
    expect(reason('abc')).toBe("'abc' is not a replica count: type 5, +2, -1, x2 or x1.5");
    expect(reason('1e3')).toBe("'1e3' is exponent notation: type the count in digits (1000)");
    expect(reason('1.5')).toBe("'1.5': replicas are whole: type 1 or 2 (x1.5 is a factor)");
    expect(reason('5.')).toBe("'5.': replicas are whole: type 5");
    expect(reason('+1.5')).toMatch(/a step is a whole number of replicas/);
    expect(reason('x-1')).toBe("'x-1': a factor has no sign (x0.5 halves; -1 is a step)");
    expect(reason('-x2')).toMatch(/a factor has no sign/);
    expect(reason('--5')).toBe("'--5' has two signs: a step has one (-5 is five fewer)");
    expect(reason('+-5')).toMatch(/has two signs/);
    expect(reason('-')).toBe('a step needs a number after the sign (+2, -1)');
    expect(reason('x')).toBe('a factor needs a number after the x (x2, x1.5)');
    expect(reason('x2a')).toMatch(/'x2a' is not a factor/);
    expect(reason('1,000')).toMatch(/without separators \(1000\)/);
    expect(reason('x1,5')).toMatch(/with a point \(x1.5\)/);
    expect(reason('150%')).toMatch(/x1.5 is 150%/);
    expect(reason('2x')).toMatch(/the x comes first \(x2\)/);
    expect(reason('1 0')).toMatch(/space inside the number/);
    expect(reason('')).toBe('type a number (5), a step (+2, -1) or a factor (x2, x1.5)');
    expect(reason('   ')).toBe('type a number (5), a step (+2, -1) or a factor (x2, x1.5)');
  });

  it('keeps every reason on one line of an 80-column screen (the field is indented 3)', () => {
    const worst = ['abcdefghijkl', '1.5555555555', 'x-1111111111', '--5555555555', '1e3', 'x2a', '1,000,000', '1 0', '150%', '2x', 'x1,5', '+1.5', '-x2'];
    for (const text of worst) expect(reason(text).length, reason(text)).toBeLessThanOrEqual(76);
  });

  it('refuses what is too long or too large instead of clamping it silently', () => {
    expect(reason('1'.repeat(MAX_REPLICA_INPUT_LENGTH + 1))).toMatch(new RegExp(`^at most ${MAX_REPLICA_INPUT_LENGTH} characters`));
    expect(reason('+20000')).toBe('a step of 20000 is more than 10000 replicas');
    expect(reason('x101')).toMatch(/factor 101 is out of range/);
    expect(reason('x0')).toMatch(/factor 0 is out of range/);
  });

  it('reads a leading sign as a step and spaces after a sign or an x as nothing', () => {
    expect(readReplicaInput('-1')).toEqual({ change: { kind: 'step', delta: -1 } });
    expect(readReplicaInput(' + 2 ')).toEqual({ change: { kind: 'step', delta: 2 } });
    expect(readReplicaInput('x 2')).toEqual({ change: { kind: 'factor', factor: 2 } });
    expect(readReplicaInput('x.5')).toEqual({ change: { kind: 'factor', factor: 0.5 } });
    expect(readReplicaInput('007')).toEqual({ change: { kind: 'absolute', value: 7 } });
  });

  it('says what a change does to the counts before any request', () => {
    expect(describeOutcome([4], parseReplicaChange('-1'))).toBe('4 -> 3 replicas (a step of -1)');
    expect(describeOutcome([4], parseReplicaChange('-9'))).toBe('4 -> 0 replicas (a step of -9), not below 0');
    expect(describeOutcome([3], parseReplicaChange('x1.5'))).toBe('3 -> 5 replicas (x1.5, rounded up)');
    expect(describeOutcome([4], parseReplicaChange('4'))).toBe('4 -> 4 replicas: no change');
    expect(describeOutcome([9000], parseReplicaChange('x2'))).toBe('9000 -> 10000 replicas (x2, rounded up), at most 10000');
    expect(describeOutcome([4, 2, 0], parseReplicaChange('x2'))).toBe('2 of 3 applications change: 6 -> 12 replicas (x2, rounded up)');
  });
});
