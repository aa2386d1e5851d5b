import * as z from 'zod';
import type { ConfigFile } from './configFile.js';
import { mapping, nonEmptyString, parseSection, trueOrFalse } from './configValues.js';

// Plugins: local commands run in a pseudo-terminal with the selected pod's names as variables,
// like k9s plugins. The console hands the terminal over as for a shell.
//
//   plugins:
//     - name: stern                      # :plugin stern
//       key: t                           # optional: a key on the listed views
//       description: tail with stern
//       scopes: [pods]                   # pods (default), apps
//       command: stern
//       args: ["-n", "$NAMESPACE", "$POD", "--context", "$CONTEXT"]
//       dangerous: false                 # true: refused in read-only mode, like exec
//
// Variables (whole-word or ${NAME}, replaced inside each argument, never through a shell):
// $NAMESPACE $POD $CONTAINER $APP $CONTEXT $CLUSTER $USER $SERVER. They are also set in the
// plugin's environment as WARROOM_NAMESPACE, WARROOM_POD, ...

export type PluginScope = 'pods' | 'apps';

export interface PluginConfig {
  name: string;
  key?: string;
  description: string;
  scopes: PluginScope[];
  command: string;
  args: string[];
  dangerous: boolean;
}

const SCOPES = ['pods', 'apps'] as const satisfies readonly PluginScope[];

const pluginSchema = mapping(
  {
    name: z.string({ error: 'must be a word (letters, digits, - _ .)' }).regex(/^[A-Za-z0-9][\w.-]*$/, { error: 'must be a word (letters, digits, - _ .)' }),
    key: z.string({ error: 'must be one lowercase letter or digit' }).regex(/^[a-z0-9]$/, { error: 'must be one lowercase letter or digit' }).optional(),
    description: z.string({ error: 'must be a string' }).optional(),
    scopes: z.array(z.enum(SCOPES), { error: `must list some of ${SCOPES.join(', ')}` }).min(1, { error: `must list some of ${SCOPES.join(', ')}` }).optional(),
    command: nonEmptyString('the program to run'),
    args: z.array(z.string(), { error: 'must be a list of strings' }).optional(),
    dangerous: trueOrFalse.optional(),
  },
  'a mapping with name and command',
);

export const pluginsSchema = z.array(pluginSchema, { error: 'must be a list of plugins (- name: ..., command: ...)' }).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    if (seen.has(p.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'is defined twice (names must differ)' });
    seen.add(p.name);
  });
});

export function pluginsFrom(file: ConfigFile): PluginConfig[] {
  const list = parseSection(pluginsSchema.nullish(), file, 'plugins') ?? [];
  return list.map((e) => ({
    name: e.name,
    key: e.key,
    description: e.description ?? `plugin ${e.name}`,
    scopes: e.scopes ?? ['pods'],
    command: e.command,
    args: e.args ?? [],
    dangerous: e.dangerous === true,
  }));
}

export type PluginVariables = Record<'NAMESPACE' | 'POD' | 'CONTAINER' | 'APP' | 'CONTEXT' | 'CLUSTER' | 'USER' | 'SERVER', string>;

/** `$POD` and `${POD}` inside each argument; unknown names stay as written. */
export function expandArgs(args: string[], vars: PluginVariables): string[] {
  return args.map((a) => a.replace(/\$\{([A-Z]+)\}|\$([A-Z]+)\b/g, (m, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as keyof PluginVariables;
    return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : m;
  }));
}
