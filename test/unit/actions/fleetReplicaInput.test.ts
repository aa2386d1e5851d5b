import { describe, expect, it } from 'vitest';
import { readFleetReplicaInput, type FleetClusterName } from '../../../src/platform/actions/fleetReplicaInput.js';

// The fleet scale field: one change for all, or `dc1=40 dc2=20` per cluster; what is not read says why.

const fleet: FleetClusterName[] = [
  { context: 'prod-dc1', label: 'dc1', scaled: true },
  { context: 'prod-dc2', label: 'dc2', scaled: true },
  { context: 'prod-dc3', label: 'dc3', scaled: true },
  { context: 'prod-dc4', label: 'dc4', scaled: false },
];

function read(text: string) {
  const r = readFleetReplicaInput(text, fleet);
  if ('reason' in r) return r.reason;
  return { changes: Object.fromEntries(r.changes), kept: r.kept, perCluster: r.perCluster };
}

describe('the fleet scale field', () => {
  it('one change without names goes to every cluster that has something to scale', () => {
    expect(read('x2')).toEqual({ changes: { 'prod-dc1': { kind: 'factor', factor: 2 }, 'prod-dc2': { kind: 'factor', factor: 2 }, 'prod-dc3': { kind: 'factor', factor: 2 } }, kept: [], perCluster: false });
    expect(read('x 2')).toMatchObject({ perCluster: false });
  });

  it('dc1=40 dc2=20: those two clusters, each its own count; the others are kept, not scaled', () => {
    expect(read('dc1=40 dc2=20')).toEqual({ changes: { 'prod-dc1': { kind: 'absolute', value: 40 }, 'prod-dc2': { kind: 'absolute', value: 20 } }, kept: ['prod-dc3'], perCluster: true });
  });

  it('every form of the one-cluster field works per cluster; spaces around = and commas are fine; names are case-insensitive or whole contexts', () => {
    expect(read('dc1 = x2, DC2=+5 prod-dc3=-3')).toEqual({
      changes: { 'prod-dc1': { kind: 'factor', factor: 2 }, 'prod-dc2': { kind: 'step', delta: 5 }, 'prod-dc3': { kind: 'step', delta: -3 } },
      kept: [],
      perCluster: true,
    });
  });

  it('a change without a name applies to the clusters not named', () => {
    expect(read('x2 dc3=10')).toEqual({ changes: { 'prod-dc1': { kind: 'factor', factor: 2 }, 'prod-dc2': { kind: 'factor', factor: 2 }, 'prod-dc3': { kind: 'absolute', value: 10 } }, kept: [], perCluster: true });
  });

  it('an unknown cluster name is refused with the names there are', () => {
    expect(read('dc9=4')).toBe("no cluster 'dc9' in this fleet: dc1, dc2, dc3, dc4");
    expect(read('dc1=4 prod-dc7=2')).toBe("no cluster 'prod-dc7' in this fleet: dc1, dc2, dc3, dc4");
  });

  it('a cluster without the application is refused, naming the ones that have it', () => {
    expect(read('dc4=4')).toBe('dc4 has nothing to scale here (the application is not there): name dc1, dc2, dc3');
  });

  it('a bad count names the cluster and says what would be read', () => {
    expect(read('dc1=4o')).toBe("dc1: '4o' is not a replica count: type 5, +2, -1, x2 or x1.5");
    expect(read('dc1=1.5')).toBe("dc1: '1.5': replicas are whole: type 1 or 2 (x1.5 is a factor)");
    expect(read('dc2=20001')).toBe('dc2: 20001 replicas is more than 10000, the most warroom sets');
    expect(read('dc1=')).toBe("'dc1=': a count after the = (dc1=40, dc1=x2, dc1=+5)");
    expect(read('=40')).toBe("'=40': a cluster name before the = (dc1=40 dc2=x2)");
    expect(read('dc1=4=5')).toBe("'dc1=4=5': one = per cluster; separate clusters with a space (dc1=40 dc2=x2)");
  });

  it('a cluster named twice, two changes for the rest, or a name without its count are refused', () => {
    expect(read('dc1=4 dc1=5')).toBe('dc1 is named twice (dc1=4 and dc1=5): give it one count');
    expect(read('x2 +1 dc1=3')).toBe('two changes for the clusters not named (x2 and +1): give one');
    expect(read('dc1 40')).toBe("'dc1' needs a count after an =: dc1=40 (a number, +2, x2)");
    expect(read('dc2=3 dc1')).toBe("'dc1' needs a count after an =: dc1=40 (a number, +2, x2)");
    expect(read('dc1=3 y7')).toBe("'y7' is not a replica count: type 5, +2, -1, x2 or x1.5 (per cluster: dc1=40 dc2=x2)");
  });

  it('without a name, the one-cluster reasons are kept', () => {
    expect(read('1e3')).toBe("'1e3' is exponent notation: type the count in digits (1000)");
    expect(read('')).toBe('type a number (5), a step (+2, -1) or a factor (x2, x1.5)');
  });
});
