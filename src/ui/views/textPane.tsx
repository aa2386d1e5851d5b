import { Text } from 'ink';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Binding } from '../keys/keymap.js';
import type { PaneKeyContext } from './panes.js';
import type { DetailLine } from './podDetailLines.js';

// A pane of text lines scrolled by the view's `top` (pod detail, YAML, describe, aliases): the
// lines that fit, and the keys that move through them.

export function TextLines({ lines, top, width, height }: { lines: readonly DetailLine[]; top: number; width: number; height: number }) {
  const theme = useTheme();
  const first = Math.max(0, Math.min(top, lines.length - height));
  return (
    <>
      {lines.slice(first, first + height).map((l, i) => (
        <Text key={first + i} wrap="truncate" bold={l.style === 'heading'} color={l.style === 'heading' ? toneColor(theme, 'accent') : l.style ? toneColor(theme, l.style) : undefined}>
          {fit(l.text, width)}
        </Text>
      ))}
    </>
  );
}

/** j/k, PgUp/PgDn, g/G over `length` lines; `prefix` names the actions (`detail.down`, `yaml.down`). */
export function scrollKeys(prefix: string, length: (c: PaneKeyContext) => number): Array<Binding<PaneKeyContext>> {
  const scrollTo = (c: PaneKeyContext, top: number) => c.runtime.nav.updateCurrent({ top: Math.max(0, Math.min(Math.max(0, length(c) - c.height), top)) });
  return [
    { action: `${prefix}.down`, keys: ['j', 'down'], help: 'scroll a line', hint: 'j/k scroll', run: (c) => scrollTo(c, c.view.top + 1) },
    { action: `${prefix}.up`, keys: ['k', 'up'], help: 'scroll a line up', run: (c) => scrollTo(c, c.view.top - 1) },
    { action: `${prefix}.page-down`, keys: ['pagedown', 'ctrl+f'], help: 'scroll a page', run: (c) => scrollTo(c, c.view.top + c.height) },
    { action: `${prefix}.page-up`, keys: ['pageup', 'ctrl+b'], help: 'scroll a page up', run: (c) => scrollTo(c, c.view.top - c.height) },
    { action: `${prefix}.top`, keys: ['g', 'home'], help: 'top', run: (c) => scrollTo(c, 0) },
    { action: `${prefix}.end`, keys: ['G', 'end'], help: 'end', run: (c) => scrollTo(c, Infinity) },
  ];
}
