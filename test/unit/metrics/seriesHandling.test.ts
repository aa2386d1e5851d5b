import { describe, expect, it } from 'vitest';
import { alignMatrix, parseSampleValue } from '../../../src/platform/metrics/seriesAlign.js';
import { foldSeries } from '../../../src/platform/metrics/seriesFold.js';
import { formatValue, unitScale } from '../../../src/platform/metrics/units.js';

describe('aligning a matrix to the query grid', () => {
  it('puts samples in their slots and NaN where a series has none', () => {
    const [s] = alignMatrix([{ metric: { pod: 'a' }, values: [[100, '1'], [130, '3'], [140.0001, 'NaN']] }], 100, 10, 5);
    expect(Array.from(s.values)).toEqual([1, NaN, NaN, 3, NaN]);
    expect(s.labels).toEqual({ pod: 'a' });
  });
  it('reads Prometheus special values', () => {
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('1e3')).toBe(1000);
  });
});

describe('top-N folding', () => {
  const mk = (pod: string, last: number) => ({ labels: { pod }, values: Float64Array.from([1, last]) });
  it('keeps the largest by latest value and sums the rest into "other"', () => {
    const series = Array.from({ length: 12 }, (_, i) => mk(`p${i}`, i));
    const out = foldSeries(series, 8);
    expect(out).toHaveLength(8);
    expect(out.slice(0, 7).map((s) => s.labels.pod)).toEqual(['p11', 'p10', 'p9', 'p8', 'p7', 'p6', 'p5']);
    const other = out[7];
    expect(other.other).toBe(true);
    expect(other.count).toBe(5);
    expect(Array.from(other.values)).toEqual([5, 0 + 1 + 2 + 3 + 4]);
  });
  it('leaves a small set untouched', () => {
    expect(foldSeries([mk('a', 1)], 8)).toHaveLength(1);
  });
});

describe('units', () => {
  it('scales bytes to binary units and cores below one to millicores', () => {
    expect(formatValue(256 * 1024 * 1024, 'bytes')).toBe('256 MiB');
    expect(formatValue(1.5 * 1024 ** 3, 'bytes')).toBe('1.5 GiB');
    expect(formatValue(0.25, 'cores')).toBe('250m');
    expect(formatValue(2.5, 'cores')).toBe('2.5');
    expect(formatValue(0.123, 'seconds')).toBe('123 ms');
    expect(formatValue(12.5, 'percent')).toBe('12.5%');
    expect(unitScale('requestsPerSecond', 4200).label).toBe('k req/s');
  });
});
