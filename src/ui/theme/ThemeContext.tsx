import { createContext, useContext } from 'react';
import type { Theme } from '../../config/theme.js';
import type { Tone } from '../views/tableModel.js';

export const ThemeContext = createContext<Theme>({ name: 'monochrome', monochrome: true, stateMarks: true, header: {}, readonly: {}, selection: {} });

export const useTheme = () => useContext(ThemeContext);

/** Foreground colour of a tone (undefined = terminal default, always the case in monochrome). */
export function toneColor(theme: Theme, tone: Tone | 'changed' | 'accent' | 'title' | 'breadcrumb' | 'prompt'): string | undefined {
  if (theme.monochrome) return undefined;
  switch (tone) {
    case 'normal':
      return theme.text;
    case 'unknown':
      return theme.warn; // something to look at; its glyph (`?`) tells it from a warning
    default:
      return theme[tone];
  }
}
