import { describe, expect, it } from 'vitest';
import { checkPromql } from '../../../src/platform/metrics/promqlCheck.js';
import { equalsMatcher, oneOfMatcher, quoteLabelValue } from '../../../src/platform/metrics/labelEscape.js';
import { targetSelector } from '../../../src/platform/metrics/metricsTarget.js';
import { DEFAULT_CHARTS, chartsWithOverrides, renderLegend, renderTemplate, TemplateError } from '../../../src/platform/metrics/queryTemplates.js';
import { MAX_POINTS_PER_SERIES, promDuration, rangeWindow, rateWindowSeconds } from '../../../src/platform/metrics/stepSizing.js';

/** The value of the first StringLiteral in a parsed query, unescaped as PromQL (Go) would. */
function firstStringValue(query: string): string {
  const check = checkPromql(query);
  if (!check.ok) throw new Error(check.problem.message);
  let value: string | undefined;
  check.tree.iterate({
    enter: (n) => {
      if (value === undefined && n.type.name === 'StringLiteral') value = JSON.parse(query.slice(n.from, n.to).replace(/\\x([0-9a-f]{2})/g, '\\u00$1'));
    },
  });
  return value ?? '';
}

describe('label value escaping', () => {
  it.each([
    ['plain', 'order-api'],
    ['quote', 'a"b'],
    ['backslash', 'a\\b'],
    ['backslash before quote', 'a\\"} or vector(1) #'],
    ['newline', 'a\nb'],
    ['carriage return and tab', 'a\r\tb'],
    ['control character', 'a\u0001b'],
    ['unicode', 'zone-é-日本'],
  ])('round-trips a value with a %s through the PromQL grammar', (_, value) => {
    const q = `up{${equalsMatcher('pod', value)}}`;
    const check = checkPromql(q);
    expect(check.ok).toBe(true);
    expect(firstStringValue(q)).toBe(value);
  });

  it('cannot be used to inject another matcher or expression', () => {
    const evil = '"} or vector(1) or up{x="';
    const q = `sum(rate(x{${equalsMatcher('namespace', evil)}}[5m]))`;
    expect(checkPromql(q).ok).toBe(true);
    expect(q).not.toMatch(/[^\\]"\} or vector/);
  });

  it('selects exactly the listed pods with a regex, with regex characters escaped', () => {
    const m = oneOfMatcher('pod', ['web-1', 'web.2', 'web-1']);
    expect(m).toBe('pod=~"web-1|web\\\\.2"');
    const re = new RegExp(`^(?:${firstStringValue(`x{${m}}`)})$`);
    expect(re.test('web.2')).toBe(true);
    expect(re.test('webx2')).toBe(false);
    expect(re.test('web-10')).toBe(false);
  });

  it('selects nothing (not everything) for an application without pods', () => {
    expect(oneOfMatcher('pod', [])).toBe('pod="__warroom_none__"');
  });

  it('rejects a label name that is not one', () => {
    expect(() => equalsMatcher('pod"}', 'x')).toThrow(/label name/);
  });

  it('quotes as a PromQL literal', () => {
    expect(quoteLabelValue('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });
});

describe('step sizing', () => {
  const now = Date.UTC(2026, 5, 1, 12, 0, 7);

  it('asks for about two points per chart cell on a nice, aligned step', () => {
    const w = rangeWindow(3600, 60, now);
    expect(w.step).toBe(30); // 3600 / 120 = 30
    expect(w.end % w.step).toBe(0);
    expect(w.end).toBeLessThanOrEqual(now / 1000);
    expect(w.end - w.start).toBeGreaterThanOrEqual(3600);
    expect(w.points).toBe(121);
  });

  it('asks the same grid again within a step (refreshes reuse cached results)', () => {
    expect(rangeWindow(3600, 60, now)).toEqual(rangeWindow(3600, 60, now + 10_000));
  });

  it('never asks for more than 11,000 points per series', () => {
    for (const [range, cells] of [[7 * 86400, 100_000], [86400 * 400, 5000], [900, 10_000]] as const) {
      const w = rangeWindow(range, cells, now, { minStepSeconds: 1 });
      expect(w.points).toBeLessThanOrEqual(MAX_POINTS_PER_SERIES);
      expect((w.end - w.start) / w.step + 1).toBe(w.points);
    }
  });

  it('does not go below the minimum step for a short range on a wide chart', () => {
    expect(rangeWindow(900, 300, now).step).toBe(5);
  });

  it('widens the rate window with the step so points do not skip samples', () => {
    expect(rateWindowSeconds(30, 60, 15)).toBe(60);
    expect(rateWindowSeconds(3600, 60, 15)).toBe(3615);
    expect(promDuration(120)).toBe('2m');
    expect(promDuration(3615)).toBe('3615s');
    expect(promDuration(7200)).toBe('2h');
  });
});

describe('query templates', () => {
  const pod = targetSelector({ level: 'pod', namespace: 'trade', pod: 'order-api-7d9f-abcde' });
  const app = targetSelector({ level: 'app', namespace: 'trade', kind: 'Deployment', name: 'order-api', pods: ['order-api-1', 'order-api-2'] });

  it('renders every default template into a query the grammar accepts', () => {
    for (const chart of DEFAULT_CHARTS) {
      for (const line of chart.lines) {
        for (const selector of [pod, app, targetSelector({ level: 'system', namespace: 'we"ird\\ns' })]) {
          const q = renderTemplate(line.query, { selector, rate: '2m', by: 'pod' });
          const check = checkPromql(q);
          expect(check.ok ? '' : `${chart.id}/${line.id}: ${check.problem.message} at ${check.problem.position} in ${q}`).toBe('');
        }
      }
    }
  });

  it('selects an application by its pods, not by a name prefix', () => {
    const q = renderTemplate(DEFAULT_CHARTS[0].lines[0].query, { selector: app, rate: '1m', by: 'pod' });
    expect(q).toContain('pod=~"order-api-1|order-api-2"');
    expect(q).not.toContain('order-api-.*');
  });

  it('refuses an unknown placeholder (a typo would silently chart nothing)', () => {
    expect(() => renderTemplate('up{$selectr}', { selector: 'a="b"', rate: '1m', by: 'pod' })).toThrow(TemplateError);
  });

  it('lets the config replace one line of a chart', () => {
    const charts = chartsWithOverrides({ cpu: { usage: 'sum by ($by) (my_cpu{$selector})' } });
    expect(charts[0].lines[0].query).toBe('sum by ($by) (my_cpu{$selector})');
    expect(charts[0].lines[1].query).toBe(DEFAULT_CHARTS[0].lines[1].query);
  });

  it('names series in the legend by the breakdown label', () => {
    expect(renderLegend('{{$by}}', { pod: 'web-1' }, 'pod')).toBe('web-1');
    expect(renderLegend('{{pod}} ({{container}})', { pod: 'web-1', container: 'app' }, 'pod')).toBe('web-1 (app)');
    expect(renderLegend('{{$by}}', {}, 'pod')).toBe('value');
  });
});

describe('PromQL check', () => {
  it.each([
    ['sum(rate(x[5m])', 15, 'unexpected end of query'],
    ['up{job="a"', 10, 'unexpected end of query'],
    ['rate(up)', 5, 'needs a range vector'],
    ['up{job="a}', 7, 'unterminated string'],
    ['sum(x) by (pod) )', 16, "unexpected ')'"],
  ])('reports %s at %i', (q, position, message) => {
    const r = checkPromql(q);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem.message).toContain(message);
      expect(r.problem.position).toBe(position);
    }
  });

  it.each(['up', 'sum by (pod) (rate(x{a=~"b|c"}[5m] offset 1h))', 'histogram_quantile(0.9, sum by (le) (rate(h_bucket[5m])))', 'rate(x[5m:1m])', 'quantile_over_time(0.5, x[10m])'])(
    'accepts %s',
    (q) => expect(checkPromql(q).ok).toBe(true),
  );
});
