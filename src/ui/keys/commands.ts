import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { newView, type ViewState } from '../../platform/stores/navStore.js';
import { healthView, promqlView } from '../views/metricsView.js';
import { runCommandLine, shellCommandLine, type ListContext } from '../views/runCommand.js';
import { pluginCommandLine } from '../views/pluginActions.js';
import { runScaleCommand, SCALE_COMMANDS } from './scaleCommands.js';

// The `:` command line.

export const COMMANDS = `:systems  :apps [SYSTEM]  :pods [SYSTEM]  :rs [SYSTEM]  :ns NAME  :ctx [NAME]  :promql QUERY  :health  :sh  :run CMD  :plugin [NAME]  ${SCALE_COMMANDS}  :help  :q`;

/** `list`: the current list's selected row and listed rows, for commands that act on them (:run, :sh). */
export function runCommand(runtime: ConsoleRuntime, line: string, list: ListContext = {}): void {
  const nav = runtime.nav;
  const [cmd = '', ...args] = line.trim().split(/\s+/);
  const arg = args.join(' ');
  const current = nav.current;
  const system = (name?: string): string | undefined => name || current.namespace || runtime.namespace;
  const known = (ns: string) => runtime.ctx.store.namespaces.rows.size === 0 || [...runtime.ctx.store.namespaces.rows.values()].some((n) => n.name === ns);
  const systemsRoot: ViewState[] = runtime.namespace ? [] : [newView('systems')];

  switch (cmd) {
    case '':
      return;
    case 'systems':
    case 'sys':
    case 'system':
      if (runtime.namespace) return nav.say(`started with --namespace ${runtime.namespace}: only that system is watched`, 'warn');
      return nav.reset([newView('systems')]);
    case 'apps':
    case 'app':
    case 'applications': {
      const ns = system(arg);
      if (ns && !known(ns)) return nav.say(`no system named '${arg}' in context ${runtime.ctx.session.contextName}`, 'error');
      return nav.reset([...systemsRoot, newView('apps', { namespace: ns })]);
    }
    case 'pods':
    case 'pod':
    case 'po': {
      const ns = system(arg);
      if (ns && !known(ns)) return nav.say(`no system named '${arg}' in context ${runtime.ctx.session.contextName}`, 'error');
      const app = arg ? undefined : current.app;
      return nav.reset([...systemsRoot, newView('apps', { namespace: ns }), newView('pods', { namespace: ns, app })]);
    }
    case 'rs':
    case 'replicasets':
    case 'replicaset': {
      // ReplicaSets and ReplicationControllers, to scale one directly (Esc goes to the applications).
      const ns = system(arg);
      if (ns && !known(ns)) return nav.say(`no system named '${arg}' in context ${runtime.ctx.session.contextName}`, 'error');
      return nav.reset([...systemsRoot, newView('apps', { namespace: ns }), newView('replicasets', { namespace: ns })]);
    }
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
      return pluginCommandLine(runtime, arg, list.selected);
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
