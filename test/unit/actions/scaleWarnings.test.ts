import { describe, expect, it } from 'vitest';
import { parseEqualitySelector, pdbCovers, scaleWarnings } from '../../../src/platform/actions/scaleWarnings.js';

const codes = (w: ReturnType<typeof scaleWarnings>) => w.map((x) => x.code).sort();

describe('scale preview warnings', () => {
  it('warns that an HPA will undo a change outside its range, and offers its limits instead', () => {
    const w = scaleWarnings({ from: 4, to: 12, hpa: { name: 'cart-api', min: 2, max: 8 }, maxFactor: 5 });
    expect(codes(w)).toEqual(['hpa']);
    expect(w[0].text).toMatch(/HPA cart-api \(min 2, max 8\) will scale it back.*change the HPA's limits instead/);
  });

  it('warns about scaling to zero, and about a change larger than the configured factor', () => {
    expect(codes(scaleWarnings({ from: 3, to: 0, maxFactor: 3 }))).toEqual(['zero']);
    expect(codes(scaleWarnings({ from: 2, to: 10, maxFactor: 3 }))).toEqual(['factor']);
    expect(codes(scaleWarnings({ from: 2, to: 6, maxFactor: 3 }))).toEqual([]);
    expect(codes(scaleWarnings({ from: 12, to: 3, maxFactor: 3 }))).toEqual(['factor']);
  });

  it('warns when a scale-down goes below a PDB minAvailable (count or percent) or beyond maxUnavailable', () => {
    const pdb = (spec: object) => [{ name: 'web-pdb', matchLabels: { app: 'web' }, ...spec }];
    expect(codes(scaleWarnings({ from: 4, to: 1, pdbs: pdb({ minAvailable: 2 }), maxFactor: 10 }))).toEqual(['pdb']);
    expect(codes(scaleWarnings({ from: 4, to: 2, pdbs: pdb({ minAvailable: 2 }), maxFactor: 10 }))).toEqual([]);
    expect(codes(scaleWarnings({ from: 10, to: 7, pdbs: pdb({ minAvailable: '80%' }), maxFactor: 10 }))).toEqual(['pdb']);
    expect(codes(scaleWarnings({ from: 6, to: 3, pdbs: pdb({ maxUnavailable: 1 }), maxFactor: 10 }))).toEqual(['pdb']);
    // Scaling up never violates a PDB.
    expect(codes(scaleWarnings({ from: 1, to: 3, pdbs: pdb({ minAvailable: 5 }), maxFactor: 10 }))).toEqual([]);
  });

  it('warns that the application is not ready now', () => {
    const w = scaleWarnings({ from: 3, to: 5, ready: 1, maxFactor: 3 });
    expect(codes(w)).toEqual(['notReady']);
    expect(w[0].text).toContain('1/3');
  });

  it('matches a PDB to an application by the pod labels of its selector', () => {
    const labels = parseEqualitySelector('app.kubernetes.io/instance=cart-api,app.kubernetes.io/name=cart-api');
    expect(pdbCovers({ name: 'p', matchLabels: { 'app.kubernetes.io/name': 'cart-api' } }, labels)).toBe(true);
    expect(pdbCovers({ name: 'p', matchLabels: { 'app.kubernetes.io/name': 'cart-web' } }, labels)).toBe(false);
    expect(pdbCovers({ name: 'p', matchLabels: {} }, labels)).toBe(false);
  });
});

describe('scaling a ReplicaSet directly', () => {
  it('warns that the owning Deployment sets the replicas back', () => {
    const w = scaleWarnings({ from: 3, to: 5, maxFactor: 5, owner: 'Deployment/cart-api' });
    expect(codes(w)).toEqual(['owned']);
    expect(w[0].text).toMatch(/Deployment cart-api: the Deployment controller will set the replicas back/);
    expect(codes(scaleWarnings({ from: 3, to: 5, maxFactor: 5 }))).toEqual([]);
  });
});
