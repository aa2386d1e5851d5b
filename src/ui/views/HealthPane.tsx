import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { healthStore } from '../../self/healthStore.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { glyphs } from '../../terminal/glyphs.js';

// `:health`: the console's own metrics (prom-client), in a few lines.

export function HealthBody({ width, height, extra = [] }: { width: number; height: number; extra?: Array<{ label: string; value: string; warn?: boolean }> }) {
  const theme = useTheme();
  const rows = useSyncExternalStore(healthStore.subscribe, healthStore.getSnapshot);
  const lines = [
    { text: ' Console health (the console\'s own metrics; scrape them with --metrics-addr 127.0.0.1:PORT)', tone: 'title' as const },
    { text: '', tone: undefined },
    ...[...extra, ...rows].map((r) => ({ text: `   ${r.label.padEnd(32)} ${r.value}`, tone: r.warn ? ('warn' as const) : undefined })),
  ];
  if (!rows.length) lines.push({ text: `   reading${glyphs.ellipsis}`, tone: undefined });
  return (
    <>
      {lines.slice(0, height).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.tone === 'title'} color={l.tone ? toneColor(theme, l.tone) : undefined}>
          {fit(l.text, width)}
        </Text>
      ))}
    </>
  );
}
