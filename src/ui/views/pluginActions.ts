import type { PluginConfig } from '../../config/pluginsConfig.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { launchPlugin } from '../../platform/exec/pluginLauncher.js';
import type { PodRow } from '../../platform/kube/rows.js';
import type { ViewKind } from '../../platform/stores/navStore.js';
import { registerRowAction, rowActionsFor } from './panes.js';
import type { AppRow } from './tableDefs.js';

// Plugins from the config file: `:plugin NAME` on the selected row, and each plugin's `key`
// as a row action on its scopes. Keys the console already uses are refused at start-up.

/** Keys of the list views that are not row actions (moving, filtering, commands, quitting). */
const RESERVED = new Set(['j', 'k', 'g', 'q', 'p', ' ']);

function viewsOf(p: PluginConfig): ViewKind[] {
  return p.scopes.map((s) => (s === 'apps' ? 'apps' : 'pods'));
}

function run(runtime: ConsoleRuntime, p: PluginConfig, kind: ViewKind, row: unknown): void {
  if (kind === 'pods') {
    const r = row as PodRow;
    void launchPlugin(runtime.ctx, p, { namespace: r.namespace, pod: r.name, app: r.appKey.split('/')[1] });
  } else if (kind === 'apps') {
    const w = (row as AppRow).w;
    void launchPlugin(runtime.ctx, p, { namespace: w.namespace, app: w.name });
  }
}

/** Called once before the console starts with the config file's plugins; a key already taken is a start-up error. */
export function registerPluginKeys(plugins: readonly PluginConfig[]): void {
  for (const p of plugins) {
    if (!p.key) continue;
    for (const view of viewsOf(p)) {
      const taken = rowActionsFor(view).find((a) => a.key === p.key);
      if (RESERVED.has(p.key) || taken) {
        throw new Error(`plugin ${p.name}: key '${p.key}' is already used on the ${view} view${taken ? ` (${taken.description})` : ''}; pick another key in the config file`);
      }
    }
    registerRowAction({
      key: p.key,
      description: `plugin ${p.name}: ${p.description}`,
      views: viewsOf(p),
      run: (runtime, view, row) => run(runtime, p, view.kind, row),
    });
  }
}

export function pluginCommandLine(runtime: ConsoleRuntime, name: string, selected: unknown): void {
  const nav = runtime.nav;
  const plugins = runtime.plugins;
  if (!name) return nav.say(plugins.length ? `plugins: ${plugins.map((p) => `${p.name}${p.key ? ` (${p.key})` : ''}`).join('  ')}` : 'no plugins in the config file (see the README, "Plugins")');
  const p = plugins.find((x) => x.name === name);
  if (!p) return nav.say(`no plugin named '${name}'; known: ${plugins.map((x) => x.name).join(', ') || '(none)'}`, 'error');
  const kind = nav.current.kind;
  if (!viewsOf(p).includes(kind) || selected === undefined) return nav.say(`plugin ${name} runs on ${p.scopes.join(' and ')}: select one in that view`, 'warn');
  run(runtime, p, kind, selected);
}
