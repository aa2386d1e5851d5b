import { describe, expect, it } from 'vitest';
import { decodeContinue, encodeContinue, encodeContinueAt, InvalidContinueError } from '../../../src/demo/continueToken.js';

describe('continue tokens', () => {
  it('use the etcd3 storage encoding: base64url JSON with v, rv and a start key just after the last key', () => {
    const token = encodeContinue('trade/order-api-abc', 42);
    expect(token).not.toMatch(/[+/=]/);
    expect(JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))).toEqual({ v: 'meta.k8s.io/v1', rv: 42, start: 'trade/order-api-abc\u0000' });
    expect(decodeContinue(token)).toEqual({ rv: 42, start: 'trade/order-api-abc\u0000' });
  });

  it('round-trips the "latest" marker rv=-1 that a 410 response carries', () => {
    expect(decodeContinue(encodeContinueAt('a\u0000', -1))).toEqual({ rv: -1, start: 'a\u0000' });
  });

  it('rejects garbage, other versions, zero resourceVersions and keys escaping the prefix', () => {
    const raw = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    for (const bad of ['not-base64-json!!', raw({ v: 'v2', rv: 1, start: 'a' }), raw({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' }), raw({ v: 'meta.k8s.io/v1', rv: 5, start: '' }), raw({ v: 'meta.k8s.io/v1', rv: 5, start: '../x' }), raw([1])]) {
      expect(() => decodeContinue(bad)).toThrow(InvalidContinueError);
    }
  });
});
