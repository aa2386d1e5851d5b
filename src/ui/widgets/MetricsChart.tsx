import { Box, Text } from 'ink';
import type { ChartLine } from './brailleChart.js';

// Paints a laid-out chart (brailleChart.ts): one <Text> per line, a nested <Text> per
// coloured run. Stale data (the last refresh failed) is drawn dim and colourless.

/** Series colours in order; a chart has at most ~8 series. */
export const SERIES_COLORS = ['cyan', 'magenta', 'yellow', 'green', 'blueBright', 'red', 'white', 'gray'];

export interface MetricsChartProps {
  lines: ChartLine[];
  width: number;
  stale?: boolean;
  monochrome?: boolean;
  dimColor?: string;
  titleColor?: string;
  cursorColor?: string;
}

export function MetricsChart({ lines, width, stale, monochrome, dimColor, titleColor, cursorColor }: MetricsChartProps) {
  return (
    <Box flexDirection="column" width={width}>
      {lines.map((line, i) => (
        <Text key={i} wrap="truncate" dimColor={stale}>
          {line.map((seg, j) => {
            const color = stale || monochrome
              ? undefined
              : seg.series !== undefined
                ? SERIES_COLORS[seg.series % SERIES_COLORS.length]
                : seg.role === 'dim' || seg.role === 'axis'
                  ? dimColor
                  : seg.role === 'title'
                    ? titleColor
                    : seg.role === 'cursor'
                      ? cursorColor
                      : undefined;
            return (
              <Text key={j} color={color} bold={seg.role === 'title'} inverse={seg.inverse}>
                {seg.text}
              </Text>
            );
          })}
        </Text>
      ))}
    </Box>
  );
}
