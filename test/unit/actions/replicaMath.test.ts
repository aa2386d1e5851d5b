import { describe, expect, it } from 'vitest';
import { applyFactor, parseReplicaChange, ReplicaInputError, targetReplicas } from '../../../src/platform/actions/replicaMath.js';

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
    expect(() => parseReplicaChange('five')).toThrow(/type a number \(5\), a step \(\+2, -1\) or a factor \(x2, x1.5\)/);
    expect(() => parseReplicaChange('x0')).toThrow(ReplicaInputError);
    expect(() => parseReplicaChange('')).toThrow(ReplicaInputError);
    expect(() => parseReplicaChange('99999')).toThrow(/more than 10000/);
  });
});
