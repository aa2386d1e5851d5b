import { describe, expect, it } from 'vitest';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorParseError } from '../../../src/demo/selectors.js';

const sel = (s: string, labels?: Record<string, string>) => matchesLabels(parseLabelSelector(s), labels);

describe('label selector parsing', () => {
  it('parses every operator', () => {
    expect(parseLabelSelector('a=1, b==2,c!=3,d in (x, y),e notin (z),f,!g,h>4,i<5')).toEqual([
      { key: 'a', op: '=', values: ['1'] },
      { key: 'b', op: '==', values: ['2'] },
      { key: 'c', op: '!=', values: ['3'] },
      { key: 'd', op: 'in', values: ['x', 'y'] },
      { key: 'e', op: 'notin', values: ['z'] },
      { key: 'f', op: 'exists', values: [] },
      { key: 'g', op: '!', values: [] },
      { key: 'h', op: 'gt', values: ['4'] },
      { key: 'i', op: 'lt', values: ['5'] },
    ]);
  });

  it('accepts prefixed keys and empty values', () => {
    expect(parseLabelSelector('app.kubernetes.io/name=api,tier=')).toEqual([
      { key: 'app.kubernetes.io/name', op: '=', values: ['api'] },
      { key: 'tier', op: '=', values: [''] },
    ]);
    expect(parseLabelSelector('a in ()')).toEqual([{ key: 'a', op: 'in', values: [''] }]);
    expect(parseLabelSelector('')).toEqual([]);
  });

  it('rejects malformed selectors', () => {
    for (const bad of ['a in (b', '=b', 'a b', 'a=b=c', '!a=b', 'a in b', 'bad key=1', 'a=-x', 'h>x', '/a=b', 'a,']) {
      expect(() => parseLabelSelector(bad), bad).toThrow(SelectorParseError);
    }
  });
});

describe('label selector matching', () => {
  const labels = { app: 'api', tier: 'web', n: '7' };
  it('follows apimachinery semantics, including missing keys', () => {
    expect(sel('app=api', labels)).toBe(true);
    expect(sel('app==api,tier=web', labels)).toBe(true);
    expect(sel('app=db', labels)).toBe(false);
    expect(sel('app!=db', labels)).toBe(true);
    expect(sel('missing!=x', labels)).toBe(true); // != matches when the key is absent
    expect(sel('app in (db,api)', labels)).toBe(true);
    expect(sel('missing in (x)', labels)).toBe(false);
    expect(sel('app notin (api)', labels)).toBe(false);
    expect(sel('missing notin (x)', labels)).toBe(true);
    expect(sel('tier', labels)).toBe(true);
    expect(sel('!tier', labels)).toBe(false);
    expect(sel('!missing', labels)).toBe(true);
    expect(sel('n>5,n<8', labels)).toBe(true);
    expect(sel('n>7', labels)).toBe(false);
    expect(sel('app>1', labels)).toBe(false);
    expect(sel('', undefined)).toBe(true);
    expect(sel('app', undefined)).toBe(false);
  });
});

describe('field selectors', () => {
  it('parses =, ==, != and escapes', () => {
    expect(parseFieldSelector('metadata.name=a,status.phase!=Running,spec.nodeName==n1')).toEqual([
      { field: 'metadata.name', op: '=', value: 'a' },
      { field: 'status.phase', op: '!=', value: 'Running' },
      { field: 'spec.nodeName', op: '=', value: 'n1' },
    ]);
    expect(parseFieldSelector('involvedObject.name=a\\,b')).toEqual([{ field: 'involvedObject.name', op: '=', value: 'a,b' }]);
    expect(parseFieldSelector('  ')).toEqual([]);
    expect(() => parseFieldSelector('metadata.name')).toThrow(SelectorParseError);
  });

  it('matches against field values', () => {
    const values: Record<string, string> = { 'metadata.name': 'a', 'status.phase': 'Pending' };
    const m = (s: string) => matchesFields(parseFieldSelector(s), (f) => values[f]);
    expect(m('metadata.name=a')).toBe(true);
    expect(m('metadata.name=a,status.phase!=Running')).toBe(true);
    expect(m('status.phase=Running')).toBe(false);
  });
});
