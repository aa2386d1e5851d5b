import { sparkline } from '../../widgets/sparkline.js';
import type { Column } from '../tableModel.js';
import type { SparkLookup } from './listView.js';

/**
 * CPU and MEM sparkline columns (where Prometheus answers); dropped first when the terminal is
 * narrow (from `minTerminalWidth` columns: a fleet's tables keep their ZONE and KIND before them).
 */
export function sparkColumns<R>(key: (r: R) => string, spark: SparkLookup | undefined, width: number, minTerminalWidth = 100): Column<R>[] {
  if (!spark) return [];
  const cell = (d: ReturnType<SparkLookup>, which: 'cpu' | 'memory') =>
    d ? sparkline(d[which], width, { lo: 0, hi: d.scale[which] || 1 }) : '';
  return [
    { id: 'cpu', title: 'CPU', width, minTerminalWidth, text: (r) => cell(spark(key(r)), 'cpu') },
    { id: 'mem', title: 'MEM', width, minTerminalWidth, text: (r) => cell(spark(key(r)), 'memory') },
  ];
}

/** The fleet's tables show their sparklines from this width: ZONE and KIND stay longer. */
export const FLEET_SPARK_MIN_WIDTH = 110;
