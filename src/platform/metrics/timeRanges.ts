// The chart time ranges offered in the metrics pane, with the key that selects each.

export interface TimeRange {
  label: string;
  seconds: number;
  key: string;
}

export const TIME_RANGES: readonly TimeRange[] = [
  { label: '15m', seconds: 15 * 60, key: '1' },
  { label: '1h', seconds: 3600, key: '2' },
  { label: '6h', seconds: 6 * 3600, key: '3' },
  { label: '24h', seconds: 24 * 3600, key: '4' },
  { label: '7d', seconds: 7 * 24 * 3600, key: '5' },
];

export const DEFAULT_RANGE = TIME_RANGES[1];

export function rangeByKey(key: string): TimeRange | undefined {
  return TIME_RANGES.find((r) => r.key === key);
}

export function rangeByLabel(label: string): TimeRange | undefined {
  return TIME_RANGES.find((r) => r.label === label);
}
