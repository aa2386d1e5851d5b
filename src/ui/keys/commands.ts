import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { newView, type ViewState } from '../../platform/stores/navStore.js';
import type { ListViewDescriptor, ListViewId } from '../views/lists/listView.js';
import { listViewByCommand, listViews } from '../views/lists/listViews.js';
import { healthView, promqlView } from '../views/metricsView.js';
import { runCommandLine, shellCommandLine, type ListContext } from '../views/runCommand.js';
import { pluginCommandLine } from '../views/pluginActions.js';
import { runScaleCommand, SCALE_COMMANDS } from './scaleCommands.js';

// The `:` command line. List views answer to their descriptor's command names (`:po`,
// `:apps cart`); the config file's `aliases:` add names of its own (`dp: apps`, `cart: apps cart`).

const listCommands = Object.values(listViews).map((d: ListViewDescriptor<ListViewId>) => `:${d.commands[0]}${d.id === 'systems' ? '' : ' [SYSTEM]'}`).join('  ');

/** Every `:` command, as the help page and the unknown-command line list them. */
export const COMMANDS = `${listCommands}  :ns NAME  :ctx [NAME]  :promql QUERY  :health  :sh  :run CMD  :plugin [NAME]  ${SCALE_COMMANDS}  :help  :q`;

/** Expands a user alias (the first word), once: `cart` -> `apps cart`. */
export function expandAlias(line: string, aliases: Readonly<Record<string, string>>): string {
  const trimmed = line.trim();
  const [first = ''] = trimmed.split(/\s+/);
  const expansion = Object.prototype.hasOwnProperty.call(aliases, first) ? aliases[first] : undefined;
  return expansion === undefined ? trimmed : `${expansion}${trimmed.slice(first.length)}`;
}

/** `list`: the current list's model and cursor, for commands that act on its rows (:run, :sh, :plugin). */
export function runCommand(runtime: ConsoleRuntime, typed: string, list: ListContext = {}, aliases: Readonly<Record<string, string>> = {}): void {
  const nav = runtime.nav;
  const line = expandAlias(typed, aliases);
  const [cmd = '', ...args] = line.trim().split(/\s+/);
  const arg = args.join(' ');
  const current = nav.current;
  const system = (name?: string): string | undefined => name || current.namespace || runtime.namespace;
  const known = (ns: string) => runtime.ctx.store.namespaces.rows.size === 0 || [...runtime.ctx.store.namespaces.rows.values()].some((n) => n.name === ns);
  const systemsRoot: ViewState[] = runtime.namespace ? [] : [newView('systems')];

  const list_ = listViewByCommand(cmd);
  if (list_?.id === 'systems') {
    if (runtime.namespace) return nav.say(`started with --namespace ${runtime.namespace}: only that system is watched`, 'warn');
    return nav.reset([newView('systems')]);
  }
  if (list_) {
    const ns = system(arg);
    if (ns && !known(ns)) return nav.say(`no system named '${arg}' in context ${runtime.ctx.session.contextName}`, 'error');
    const apps = newView('apps', { namespace: ns });
    if (list_.id === 'apps') return nav.reset([...systemsRoot, apps]);
    // `:pods` on an application's pods keeps the application; `:pods SYSTEM` lists the system's.
    return nav.reset([...systemsRoot, apps, newView(list_.id, { namespace: ns, app: list_.id === 'pods' && !arg ? current.app : undefined })]);
  }

  switch (cmd) {
    case '':
      return;
    case 'ns':
    case 'namespace':
      if (!arg) return nav.reset([newView('systems')]);
      if (runtime.namespace && arg !== runtime.namespace) return nav.say(`started with --namespace ${runtime.namespace}: other systems are not watched`, 'warn');
      if (!known(arg)) return nav.say(`no system named '${arg}' in context ${runtime.ctx.session.contextName}`, 'error');
      return nav.reset([...systemsRoot, newView('apps', { namespace: arg })]);
    case 'ctx':
    case 'context': {
      const names = runtime.ctx.session.contextNames();
      if (!arg) return nav.say(`contexts: ${names.map((n) => (n === runtime.ctx.session.contextName ? `*${n}` : n)).join('  ')}`);
      if (!names.includes(arg)) return nav.say(`unknown context '${arg}'; known: ${names.join(', ')}`, 'error');
      return runtime.switchContext(arg);
    }
    case 'promql':
      // The query as typed (runs of spaces kept), so an error position points at the right character.
      if (!arg) return nav.say('usage: :promql QUERY, e.g. :promql sum(rate(http_requests_total[5m]))', 'warn');
      return nav.push(promqlView(line.trim().slice(cmd.length).trim()));
    case 'health':
      return nav.push(healthView());
    case 'run':
      // The rest of the line as typed: quotes and spacing belong to the command.
      return runCommandLine(runtime, line.trim().slice(cmd.length), list);
    case 'sh':
    case 'shell':
      return shellCommandLine(runtime, list);
    case 'plugin':
    case 'plugins':
      return pluginCommandLine(runtime, arg, list);
    case 'help':
    case 'h':
      return nav.setMode('help');
    case 'q':
    case 'q!':
    case 'quit':
    case 'exit':
      return runtime.quit();
    default:
      if (runScaleCommand(runtime, cmd, args)) return;
      return nav.say(`unknown command ':${cmd}' — try ${COMMANDS}`, 'error');
  }
}
