import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { newView, type ViewState } from '../../platform/stores/navStore.js';
import type { ListViewDescriptor, ListViewId } from '../views/lists/listView.js';
import { listViewByCommand, listViews } from '../views/lists/listViews.js';
import { healthView, promqlView } from '../views/metricsView.js';
import { runCommandLine, shellCommandLine, type ListContext } from '../views/runCommand.js';
import { pluginCommandLine } from '../views/pluginActions.js';
import { rolloutCommandLine } from '../views/rolloutActions.js';
import { timelineCommandLine } from '../views/TimelinePane.js';
import { openContextPicker, openSystemPicker } from '../views/PickerDialog.js';
import { runKindCommand } from './kindCommand.js';
import { runScaleCommand, SCALE_COMMANDS } from './scaleCommands.js';
import { glyphs, glyphText } from '../../terminal/glyphs.js';

// The `:` command line. List views answer to their descriptor's command names (`:po`,
// `:apps cart`); the config file's `aliases:` add names of its own (`dp: apps`, `cart: apps cart`).

const listCommands = Object.values(listViews).filter((d: ListViewDescriptor<ListViewId>) => !d.fleet && d.commands.length).map((d: ListViewDescriptor<ListViewId>) => `:${d.commands[0]}${d.id === 'systems' || d.id === 'nodes' ? '' : d.topLevel ? ' [FILTER]' : ' [SYSTEM|-A]'}`).join('  ');

/** Every `:` command, as the help page and the unknown-command line list them (through glyphText). */
export const COMMANDS = `${listCommands}  :KIND [SYSTEM|-A]  :aliases  :ns [NAME]  :ctx [NAME[,NAME…]]  :fleet [NAME]  :promql QUERY  :health  :sh  :run CMD  :plugin [NAME]  :rollout status|pause|resume|history  :timeline [RANGE]  :feed  :pf  ${SCALE_COMMANDS}  :help  :q`;

/** Every `:` name for Tab: the commands above and every list view's names (`po`, `sys`). */
export function commandNames(): string[] {
  // `:KIND` stands for any kind's name: not a word to complete.
  const names = new Set([...COMMANDS.matchAll(/:([\w!-]+)/g)].map((m) => m[1]).filter((n) => n !== 'KIND'));
  for (const d of Object.values(listViews) as Array<ListViewDescriptor<ListViewId>>) for (const n of d.commands) names.add(n);
  return [...names];
}

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
  // In a fleet, lists are the fleet's (every cluster merged) unless the view is routed to one cluster.
  const fleet = runtime.fleet && current.context === undefined;
  const context = current.context;
  const stores = fleet ? runtime.contexts.map((c) => c.store) : [runtime.ctx.store];
  const known = (ns: string) => stores.some((s) => s.namespaces.rows.size === 0 || [...s.namespaces.rows.values()].some((n) => n.name === ns));
  const where = fleet ? `the fleet (${runtime.contexts.map((c) => c.contextName).join(', ')})` : `context ${runtime.ctx.session.contextName}`;
  const systemsId = fleet ? 'fleet-systems' : 'systems';
  const appsId = fleet ? 'fleet-apps' : 'apps';
  const systemsRoot: ViewState[] = runtime.namespace ? [] : [newView(systemsId, { context })];

  // A view the fleet has no merged form of (`:rs`, `:nodes`, any kind) opens in the first cluster, and says so in its breadcrumb.
  const firstCluster = fleet ? runtime.contexts[0].contextName : context;
  const list_ = listViewByCommand(cmd, fleet);
  // A view of the whole context or fleet (`:alerts`): above the home view, the rest of the line its filter.
  if (list_?.topLevel) return nav.reset([runtime.namespace ? newView(appsId, { namespace: runtime.namespace, context }) : newView(systemsId, { context }), newView(list_.id, { context, filter: arg })]);
  if (list_?.id === 'systems' || list_?.id === 'fleet-systems') {
    if (runtime.namespace) return nav.say(`started with --namespace ${runtime.namespace}: only that system is watched`, 'warn');
    return nav.reset([newView(systemsId, { context })]);
  }
  if (list_?.id === 'nodes') return nav.reset([...systemsRoot, newView('nodes', { context: firstCluster })]);
  if (list_) {
    const ns = args[0] === '-A' ? undefined : system(arg);
    if (ns && !known(ns)) return nav.say(`no system named '${arg}' in ${where}`, 'error');
    const apps = newView(appsId, { namespace: ns, context });
    if (list_.id === appsId) return nav.reset([...systemsRoot, apps]);
    // `:pods` on an application's pods keeps the application; `:pods SYSTEM` lists the system's.
    const keepsApp = (list_.id === 'pods' || list_.id === 'fleet-pods') && !arg;
    const own = list_.fleet ? context : firstCluster;
    return nav.reset([...systemsRoot, apps, newView(list_.id, { namespace: ns, context: own, app: keepsApp ? current.app : undefined })]);
  }

  switch (cmd) {
    case '':
      return;
    case 'ns':
    case 'namespace':
      if (!arg) return openSystemPicker(runtime, (name) => runCommand(runtime, `ns ${name}`));
      if (runtime.namespace && arg !== runtime.namespace) return nav.say(`started with --namespace ${runtime.namespace}: other systems are not watched`, 'warn');
      if (!known(arg)) return nav.say(`no system named '${arg}' in ${where}`, 'error');
      return nav.reset([...systemsRoot, newView(appsId, { namespace: arg, context })]);
    case 'ctx':
    case 'context': {
      // `:ctx dc1,dc2` (or `dc1 dc2`) watches several clusters at once: a fleet.
      const names = runtime.ctx.session.contextNames();
      if (!arg) return openContextPicker(runtime);
      const words = [...new Set(arg.split(/[\s,]+/).filter(Boolean))];
      const found = words.map((w) => ({ w, names: contextsNamed(w, names) }));
      const ambiguous = found.find((f) => f.names.length > 1);
      if (ambiguous) return nav.say(`'${ambiguous.w}' could be ${ambiguous.names.join(', ')}: say which`, 'error');
      const unknown = found.filter((f) => f.names.length === 0).map((f) => f.w);
      if (unknown.length) return nav.say(`unknown context${unknown.length > 1 ? 's' : ''} '${unknown.join("', '")}'; known: ${names.join(', ')}`, 'error');
      return runtime.switchContext([...new Set(found.map((f) => f.names[0]))]);
    }
    case 'fleet': {
      const fleets = Object.keys(runtime.fleets);
      if (!arg) return nav.say(fleets.length ? `fleets: ${fleets.map((f) => `${f} (${runtime.fleets[f].join(', ')})`).join('  ')}` : 'no fleets in the config file (fleets: {prod: [prod-dc1, prod-dc2]})');
      const members = runtime.fleets[arg];
      if (!members) return nav.say(`no fleet named '${arg}'; known: ${fleets.join(', ') || '(none)'}`, 'error');
      const names = runtime.ctx.session.contextNames();
      const unknown = members.filter((n) => !names.includes(n));
      if (unknown.length) return nav.say(`fleet ${arg} names context${unknown.length > 1 ? 's' : ''} the kubeconfig does not have: ${unknown.join(', ')}`, 'error');
      return runtime.switchContext(members);
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
    case 'rollout':
      return rolloutCommandLine(runtime, args, list);
    case 'feed':
      return nav.push({ kind: 'feed', context });
    case 'pf':
    case 'port-forwards':
      return nav.push({ kind: 'port-forwards', context });
    case 'timeline':
      return timelineCommandLine(runtime, arg);
    case 'plugin':
    case 'plugins':
      return pluginCommandLine(runtime, arg, list);
    case 'help':
    case 'h':
      return nav.setMode('help');
    case 'aliases':
    case 'alias':
      return nav.push({ kind: 'aliases', context: firstCluster });
    case 'q':
    case 'q!':
    case 'quit':
    case 'exit':
      return runtime.quit();
    default:
      if (runScaleCommand(runtime, cmd, args)) return;
      return runKindCommand(runtime, {
        word: cmd,
        args,
        currentSystem: current.namespace || runtime.namespace,
        open: (resource, ns) => [...systemsRoot, ...(ns ? [newView(appsId, { namespace: ns, context })] : []), newView('resources', { resource, namespace: ns, context: firstCluster })],
        unknown: (detail) => nav.say(`unknown command ':${cmd}' (${detail}) ${glyphs.dash} try ${glyphText(COMMANDS)}`, 'error'),
      });
  }
}

/**
 * The contexts a word of `:ctx` names: the context of that name, else those whose name ends in
 * it after a `-`, `_` or `.` — the short name a fleet's header shows (`dc1` for warroom-demo-dc1).
 */
export function contextsNamed(word: string, names: readonly string[]): string[] {
  if (names.includes(word)) return [word];
  return names.filter((n) => ['-', '_', '.'].some((sep) => n.endsWith(`${sep}${word}`)));
}
