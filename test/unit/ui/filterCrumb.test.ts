import { describe, expect, it } from 'vitest';
import { crumbLine, filterCrumb, refusedSelector } from '../../../src/ui/views/filterCrumb.js';
import { parseFilter } from '../../../src/ui/views/tableModel.js';

// The breadcrumb's filter part: a filter that is not in effect must not read as one that is.

describe('the breadcrumb filter', () => {
  it('shows a filter in effect as typed', () => {
    expect(filterCrumb('re:^cart-', undefined)).toBe('  filter: re:^cart-');
    expect(filterCrumb('', undefined)).toBe('');
  });

  it('marks an invalid /re: filter as not applied', () => {
    let problem: string | undefined;
    try {
      parseFilter('re:(');
    } catch (err) {
      problem = (err as Error).message;
    }
    expect(problem).toMatch(/invalid regular expression/);
    expect(filterCrumb('re:(', problem)).toBe('  filter: re:( ✗ not applied');
  });

  it('takes a selector the API server refused for good as not applied, a reconnect not', () => {
    expect(refusedSelector([['namespaces', { kind: 'live' }], ['pods', { kind: 'reconnecting', since: 0, reason: 'connection reset', attempt: 2 }]])).toBeUndefined();
    const refused = refusedSelector([['namespaces', { kind: 'live' }], ['pods', { kind: 'failed', message: 'unable to parse requirement (400)', code: 400 }]]);
    expect(refused).toBe('pods: unable to parse requirement (400)');
    expect(filterCrumb('-l app in (', refused)).toBe('  filter: -l app in ( ✗ not applied');
  });

  it('keeps the filter and its mark on an 80-column line; the path gives way from its start', () => {
    const path = ' Systems › logistics › Applications › carrier-adapter › Logs (application)';
    const line = crumbLine(path, 'timeout @errors "unclosed', 'query rejected', 80);
    expect(line.length).toBeLessThanOrEqual(80);
    expect(line.endsWith('  filter: timeout @errors "unclosed ✗ not applied')).toBe(true);
    expect(line).toMatch(/^ …[^ ].*Logs \(application\) {2}filter:/);
    // A long filter text is shortened before the path loses its last letters.
    const long = crumbLine(' Systems › cart › Pods  (31)', `re:${'x'.repeat(120)}(`, 'invalid regular expression', 80);
    expect(long.length).toBeLessThanOrEqual(80);
    expect(long).toMatch(/^ Systems › cart › Pods {2}\(31\) {2}filter: re:x+… ✗ not applied$/);
    // What fits is left alone.
    expect(crumbLine(' Systems › cart › Pods  (3 of 31)', 'cart-api', undefined, 80)).toBe(' Systems › cart › Pods  (3 of 31)  filter: cart-api');
  });
});
