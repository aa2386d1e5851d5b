import { markScope } from '../../platform/stores/markStore.js';
import type { ObjectRef } from '../../platform/kube/objects.js';
import type { ListViewId, RowKeyContext, ViewInit } from '../views/lists/listView.js';
import type { TableDef } from '../views/tableModel.js';
import type { Binding, KeyScope } from './keymap.js';
import { mutationKeys } from './mutationKeys.js';

// The keys every list view shares: moving, paging, filtering, drilling down, going back, and
// Shift+letter sorts from the view's columns. A view's own keys (its descriptor's `keys`) sit
// above these in the stack.

type ListContext = RowKeyContext<ListViewId>;

export const listScope: KeyScope<ListContext> = {
  id: 'list',
  title: 'Lists',
  bindings: [
    { action: 'list.drill', keys: ['enter'], help: 'open the selected row', hint: 'open', run: ({ runtime, view, model, row }) => {
      if (row === undefined) return;
      const next = model.descriptor.drill?.(row, view);
      if (next) runtime.nav.push(next);
    } },
    { action: 'list.back', keys: ['escape'], before: 'back', help: 'clear the marks, else the filter, else go back', run: ({ runtime, view }) => {
      const marks = runtime.ctx.marks;
      if (marks.marked(markScope(view)).size) return marks.clear(markScope(view));
      if (view.filter) return runtime.nav.updateCurrent({ filter: '', cursor: 0, top: 0 });
      return false;
    } },
    { action: 'list.down', keys: ['j', 'down'], help: 'move down', run: (c) => c.moveTo(c.cursor + 1) },
    { action: 'list.up', keys: ['k', 'up'], help: 'move up', run: (c) => c.moveTo(c.cursor - 1) },
    { action: 'list.page-down', keys: ['pagedown', 'ctrl+f'], help: 'page down', run: (c) => c.moveTo(c.cursor + c.pageRows) },
    { action: 'list.page-up', keys: ['pageup', 'ctrl+b'], help: 'page up', run: (c) => c.moveTo(c.cursor - c.pageRows) },
    { action: 'list.first', keys: ['g', 'home'], help: 'first row', run: (c) => c.moveTo(0) },
    { action: 'list.last', keys: ['G', 'end'], help: 'last row', run: (c) => c.moveTo(c.model.rows.length) },
    { action: 'list.filter', keys: ['/'], help: 'filter: text, /re:REGEX, /-l key=value (label selector sent to the server)', hint: 'filter', run: ({ runtime, view }) => runtime.nav.setMode('filter', view.filter) },
  ],
};

/**
 * Keys on the object behind the row, in the row's cluster: on every list whose rows are
 * Kubernetes objects (its descriptor's `ref` says which), after the view's own keys.
 */
export const objectKeys: ReadonlyArray<Binding<ListContext>> = [
  objectKey('row.yaml', ['y'], 'YAML of the object (managedFields hidden; m shows them)', 'yaml', (ref) => ({ kind: 'yaml', object: ref })),
  objectKey('row.describe', ['d'], 'describe the object: status, conditions, owner and its recent events', 'describe', (ref) => ({ kind: 'describe', object: ref })),
  objectKey('row.events', ['E'], "the object's events, live (Warnings first)", undefined, (ref) => ({
    kind: 'events',
    namespace: ref.namespace,
    involved: { kind: ref.kind, name: ref.name, namespace: ref.namespace, uid: ref.uid },
  })),
  ...mutationKeys,
];

/**
 * A key that opens a view of the object the selected row stands for (`descriptor.ref`), in the
 * row's cluster. A row that is no one object, or an empty list, lets the key fall through.
 */
export function objectKey(action: string, keys: string[], help: string, hint: string | undefined, view: (ref: ObjectRef) => ViewInit): Binding<ListContext> {
  return {
    action,
    keys,
    help,
    // The object's keys are on every list: their hints give way to the list's own at 80 columns.
    ...(hint ? { hint, spareHint: true } : {}),
    run: ({ runtime, view: current, model, row }) => {
      const ref = row === undefined ? undefined : model.descriptor.ref?.(row, current);
      if (!ref) return false;
      const { context, ...object } = ref;
      runtime.nav.push({ ...view(object), ...(context ? { context } : {}) });
    },
  };
}

/** Shift+letter sorts of a table's columns (again: reverse), as bindings of the view. */
export function sortScope<R>(def: TableDef<R>): KeyScope<ListContext> {
  return {
    id: 'sort',
    title: 'Sort',
    bindings: [...def.columns, ...(def.sorts ?? [])].filter((c) => c.sortKey).map((c): Binding<ListContext> => ({
      action: `sort.${c.id}`,
      keys: [c.sortKey!],
      help: `sort by ${c.title.toLowerCase()}${'worstFirst' in c && c.worstFirst ? ', the most first' : ''} (again: reverse)`,
      run: ({ runtime, view }) => {
        const descending = view.sort?.column === c.id ? !view.sort.descending : 'worstFirst' in c && Boolean(c.worstFirst);
        runtime.nav.updateCurrent({ sort: { column: c.id, descending } });
        runtime.nav.say(`sorted by ${c.title.toLowerCase()}${descending ? ' (descending)' : ''}`);
      },
    })),
  };
}
