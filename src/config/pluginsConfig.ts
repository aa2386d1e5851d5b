import { ConfigError, section, type ConfigFile } from './configFile.js';

// Plugins: local commands run in a pseudo-terminal with the selected pod's names as variables,
// like k9s plugins. The console hands the terminal over as for a shell.
//
//   plugins:
//     - name: stern                      # :plugin stern
//       key: y                           # optional: a key on the listed views
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

const SCOPES: PluginScope[] = ['pods', 'apps'];

export function pluginsFrom(file: ConfigFile): PluginConfig[] {
  const p = file.path;
  const list = section(file.data, 'plugins');
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ConfigError(p, 'plugins', 'must be a list of plugins (- name: ..., command: ...)');
  const names = new Set<string>();
  return list.map((raw, i): PluginConfig => {
    const key = `plugins[${i}]`;
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(p, key, 'must be a mapping with name and command');
    const e = raw as Record<string, unknown>;
    if (typeof e.name !== 'string' || !/^[A-Za-z0-9][\w.-]*$/.test(e.name)) throw new ConfigError(p, `${key}.name`, `must be a word (letters, digits, - _ .), got ${JSON.stringify(e.name)}`);
    if (names.has(e.name)) throw new ConfigError(p, `${key}.name`, `'${e.name}' is defined twice`);
    names.add(e.name);
    if (typeof e.command !== 'string' || e.command.trim() === '') throw new ConfigError(p, `${key}.command`, 'must be the program to run');
    const args = e.args ?? [];
    if (!Array.isArray(args) || !args.every((a) => typeof a === 'string')) throw new ConfigError(p, `${key}.args`, 'must be a list of strings');
    if (e.key !== undefined && (typeof e.key !== 'string' || !/^[a-z0-9]$/.test(e.key))) throw new ConfigError(p, `${key}.key`, `must be one lowercase letter or digit, got ${JSON.stringify(e.key)}`);
    const scopes = e.scopes ?? ['pods'];
    if (!Array.isArray(scopes) || scopes.length === 0 || !scopes.every((s) => SCOPES.includes(s as PluginScope))) throw new ConfigError(p, `${key}.scopes`, `must list some of ${SCOPES.join(', ')}`);
    if (e.dangerous !== undefined && typeof e.dangerous !== 'boolean') throw new ConfigError(p, `${key}.dangerous`, 'must be true or false');
    return {
      name: e.name,
      key: e.key as string | undefined,
      description: typeof e.description === 'string' ? e.description : `plugin ${e.name}`,
      scopes: scopes as PluginScope[],
      command: e.command,
      args: args as string[],
      dangerous: e.dangerous === true,
    };
  });
}


export type PluginVariables = Record<'NAMESPACE' | 'POD' | 'CONTAINER' | 'APP' | 'CONTEXT' | 'CLUSTER' | 'USER' | 'SERVER', string>;

/** `$POD` and `${POD}` inside each argument; unknown names stay as written. */
export function expandArgs(args: string[], vars: PluginVariables): string[] {
  return args.map((a) => a.replace(/\$\{([A-Z]+)\}|\$([A-Z]+)\b/g, (m, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as keyof PluginVariables;
    return Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : m;
  }));
}
