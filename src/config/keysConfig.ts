import * as z from 'zod';
import type { ConfigFile } from './configFile.js';
import { parseSection } from './configValues.js';

// Users' own keys and command names, the way k9s' hotkeys.yaml and aliases.yaml work:
//
//   keys:                        # an action (its id is in `?`... and the README) -> key(s)
//     list.down: [j, Ctrl-N]
//     row.logs: L
//   aliases:                     # a `:` word -> the command it stands for
//     dp: apps
//     cart: apps cart
//
// Key names and action ids are checked when the keymap is built, before the screen is taken:
// an unknown action, a key that is not a key, or two actions on one key in one view stop the
// start with one line each.

export interface KeysConfig {
  overrides: Record<string, string[]>;
  aliases: Record<string, string>;
}

const word = /^[A-Za-z][\w.-]*$/;

export const keysSchema = z.record(
  z.string().regex(word, { error: 'must be an action id such as list.down or row.logs' }),
  z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: 'must be a key (j, Ctrl-F, PgDn) or a list of keys' }),
  { error: 'must be a mapping of action ids to keys (list.down: [j, Ctrl-N])' },
);

export const aliasesSchema = z.record(
  z.string().regex(/^[A-Za-z][\w-]*$/, { error: 'must be one word (letters, digits, - _)' }),
  z.string({ error: 'must be the command it stands for, e.g. apps cart' }).trim().min(1, { error: 'must be the command it stands for, e.g. apps cart' }),
  { error: 'must be a mapping of words to commands (dp: apps)' },
);

export function keysConfigFrom(file: ConfigFile): KeysConfig {
  const keys = parseSection(keysSchema.nullish(), file, 'keys') ?? {};
  const aliases = parseSection(aliasesSchema.nullish(), file, 'aliases') ?? {};
  return {
    overrides: Object.fromEntries(Object.entries(keys).map(([action, k]) => [action, Array.isArray(k) ? k : [k]])),
    aliases,
  };
}
