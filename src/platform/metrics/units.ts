// Units of the charted values and how to print them on an axis, a legend or a table cell.
// Every chart picks one scale from its largest value, so all labels of a chart share it
// ("MiB", not a mix of "900 KiB" and "1.2 MiB").

export type Unit = 'cores' | 'bytes' | 'bytesPerSecond' | 'requestsPerSecond' | 'percent' | 'seconds' | 'count';

export interface UnitScale {
  divisor: number;
  /** Printed after the number (may be ''); the axis title prints `label`. */
  suffix: string;
  label: string;
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function unitScale(unit: Unit, maxAbs: number): UnitScale {
  const m = Number.isFinite(maxAbs) ? Math.abs(maxAbs) : 0;
  switch (unit) {
    case 'cores':
      return m > 0 && m < 1 ? { divisor: 0.001, suffix: 'm', label: 'millicores' } : { divisor: 1, suffix: '', label: 'cores' };
    case 'bytes':
    case 'bytesPerSecond': {
      let i = 0;
      while (i < BINARY.length - 1 && m >= 1024 ** (i + 1)) i++;
      const name = BINARY[i] + (unit === 'bytesPerSecond' ? '/s' : '');
      return { divisor: 1024 ** i, suffix: ` ${name}`, label: name };
    }
    case 'requestsPerSecond':
      return m >= 1000 ? { divisor: 1000, suffix: 'k', label: 'k req/s' } : { divisor: 1, suffix: '', label: 'req/s' };
    case 'percent':
      return { divisor: 1, suffix: '%', label: '%' };
    case 'seconds':
      return m > 0 && m < 1 ? { divisor: 0.001, suffix: ' ms', label: 'ms' } : { divisor: 1, suffix: ' s', label: 's' };
    case 'count':
      return m >= 1e9 ? { divisor: 1e9, suffix: 'G', label: 'count' } : m >= 1e6 ? { divisor: 1e6, suffix: 'M', label: 'count' } : m >= 1e4 ? { divisor: 1e3, suffix: 'k', label: 'count' } : { divisor: 1, suffix: '', label: 'count' };
  }
}

/** A number with at most three significant digits (and no exponent below 1e21). */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? '-' : v > 0 ? '+Inf' : '-Inf';
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e21) return v.toExponential(1);
  if (a >= 100) return String(Math.round(v));
  if (a >= 10) return trimZeros(v.toFixed(1));
  if (a >= 0.01) return trimZeros(v.toFixed(2));
  return v.toPrecision(2);
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

export function formatWithScale(v: number, scale: UnitScale): string {
  if (!Number.isFinite(v)) return formatNumber(v);
  return `${formatNumber(v / scale.divisor)}${scale.suffix}`;
}

/** A value printed on its own (legend, table cell): the scale chosen from the value itself. */
export function formatValue(v: number, unit: Unit): string {
  return formatWithScale(v, unitScale(unit, v));
}
