import { sparkline } from '../../widgets/sparkline.js';
import type { Column } from '../tableModel.js';
import type { SparkLookup } from './listView.js';

/** CPU and MEM sparkline columns (where Prometheus answers); dropped first when the terminal is narrow. */
export function sparkColumns<R>(key: (r: R) => string, spark: SparkLookup | undefined, width: number): Column<R>[] {
  if (!spark) return [];
  const cell = (d: ReturnType<SparkLookup>, which: 'cpu' | 'memory') =>
    d ? sparkline(d[which], width, { lo: 0, hi: d.scale[which] || 1 }) : '';
  return [
    { id: 'cpu', title: 'CPU', width, minTerminalWidth: 100, text: (r) => cell(spark(key(r)), 'cpu') },
    { id: 'mem', title: 'MEM', width, minTerminalWidth: 100, text: (r) => cell(spark(key(r)), 'memory') },
  ];
}
