import * as z from 'zod';
import type { ConfigFile } from './configFile.js';
import { mapping, parseSection } from './configValues.js';

// What the terminal shows, when the environment says it wrong:
//
//   terminal:
//     ascii: true     # ASCII only (charts, borders, symbols), as --ascii; false: UTF-8 even in a C locale
//
// Left out, the locale decides (LC_ALL, else LC_CTYPE, else LANG: UTF-8 or not).

export const terminalSchema = mapping({
  ascii: z.boolean({ error: 'must be true (ASCII only) or false (UTF-8 whatever the locale)' }).nullish(),
});

export interface TerminalConfig {
  /** undefined: the locale decides. */
  ascii?: boolean;
}

export function terminalConfigFrom(file: ConfigFile): TerminalConfig {
  const section = parseSection(terminalSchema.nullish(), file, 'terminal');
  return { ascii: section?.ascii ?? undefined };
}
