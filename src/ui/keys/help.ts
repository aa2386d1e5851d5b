import type { ViewKind } from '../../platform/stores/navStore.js';
import type { TableDef } from '../views/tableModel.js';
import { rowActionsFor } from '../views/panes.js';

// The `?` page: the keys of the view the user is on, including its sort keys.

export function helpLines(kind: ViewKind, def: TableDef<unknown> | undefined, paneHelp?: Array<[string, string]>): Array<[string, string]> {
  const common: Array<[string, string]> = [
    ['j k ↑ ↓', 'move'],
    ['g G Home End', 'first / last'],
    ['PgUp PgDn  Ctrl-b Ctrl-f', 'page up / down'],
    ['Esc', 'clear the filter, else go back'],
    ['/', 'filter: text, /re:REGEX, /-l key=value (label selector sent to the server)'],
    [':', 'command: :systems :apps :pods :rs :ns NAME :ctx NAME :q'],
    ['?', 'this help (any key closes it)'],
    ['q  Ctrl-C', 'quit'],
  ];
  const drill: Array<[string, string]> =
    kind === 'systems' ? [['Enter', 'applications of the system'], ['p', 'all pods of the system']]
    : kind === 'apps' ? [['Enter', 'pods of the application'], ['Space', 'mark / unmark the application (s scales the marked ones; Esc clears marks)']]
    : kind === 'pods' ? [['Enter', 'pod detail (containers, conditions, events, YAML)']]
    : (paneHelp ?? []);
  const sorts: Array<[string, string]> = (def?.columns ?? [])
    .filter((c) => c.sortKey)
    .map((c) => [`Shift-${c.sortKey}`, `sort by ${c.title.toLowerCase()} (again: reverse)`]);
  const actions: Array<[string, string]> = rowActionsFor(kind).map((a) => [a.key, a.description]);
  return [...drill, ...actions, ...common, ...sorts];
}
