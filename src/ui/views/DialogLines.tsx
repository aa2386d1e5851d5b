import { Text } from 'ink';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';

// A dialog's body as pre-made lines of text with a tone each (scale, `:run` confirmation).

export function DialogLines({ lines, height }: { lines: DialogLine[]; height: number }) {
  const theme = useTheme();
  const color = (t: LineTone) => (t === 'normal' ? undefined : toneColor(theme, t));
  return (
    <>
      {lines.slice(0, height).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.tone === 'title'} color={color(l.tone)}>
          {l.text}
        </Text>
      ))}
    </>
  );
}
