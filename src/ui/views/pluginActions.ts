import type { PluginConfig } from '../../config/pluginsConfig.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { launchPlugin } from '../../platform/exec/pluginLauncher.js';
import type { Binding } from '../keys/keymap.js';
import type { ListContext } from './runCommand.js';
import { rowKey, type RowKeyContext } from './lists/listView.js';

// Plugins from the config file: `:plugin NAME` on the selected row, and each plugin's `key`
// on the list views of its scopes (a key another binding of that view has is refused at
// start-up by the keymap's conflict check, naming both).

export interface PluginKeys {
  apps: Array<Binding<RowKeyContext<'apps'>>>;
  pods: Array<Binding<RowKeyContext<'pods'>>>;
}

function describe(p: PluginConfig): string {
  return `plugin ${p.name}: ${p.description}`;
}

export function pluginKeys(plugins: readonly PluginConfig[]): PluginKeys {
  const keys: PluginKeys = { apps: [], pods: [] };
  for (const p of plugins) {
    if (!p.key) continue;
    const action = `plugin.${p.name}`;
    if (p.scopes.includes('apps')) {
      keys.apps.push(rowKey<'apps'>(action, [p.key], describe(p), ({ w }, { runtime }) => void launchPlugin(runtime.ctx, p, { namespace: w.namespace, app: w.name })));
    }
    if (p.scopes.includes('pods')) {
      keys.pods.push(rowKey<'pods'>(action, [p.key], describe(p), (r, { runtime }) => void launchPlugin(runtime.ctx, p, { namespace: r.namespace, pod: r.name, app: r.appKey.split('/')[1] })));
    }
  }
  return keys;
}

export function pluginCommandLine(runtime: ConsoleRuntime, name: string, list: ListContext): void {
  const nav = runtime.nav;
  const plugins = runtime.plugins;
  if (!name) return nav.say(plugins.length ? `plugins: ${plugins.map((p) => `${p.name}${p.key ? ` (${p.key})` : ''}`).join('  ')}` : 'no plugins in the config file (see the README, "Plugins")');
  const p = plugins.find((x) => x.name === name);
  if (!p) return nav.say(`no plugin named '${name}'; known: ${plugins.map((x) => x.name).join(', ') || '(none)'}`, 'error');
  const model = list.model;
  const at = list.cursor ?? 0;
  if (model?.kind === 'pods' && p.scopes.includes('pods') && model.rows[at]) {
    const r = model.rows[at];
    void launchPlugin(runtime.ctx, p, { namespace: r.namespace, pod: r.name, app: r.appKey.split('/')[1] });
  } else if (model?.kind === 'apps' && p.scopes.includes('apps') && model.rows[at]) {
    const { w } = model.rows[at];
    void launchPlugin(runtime.ctx, p, { namespace: w.namespace, app: w.name });
  } else nav.say(`plugin ${name} runs on ${p.scopes.join(' and ')}: select one in that view`, 'warn');
}
