import type { DeleteTarget } from '../../platform/actions/deleteObjects.js';
import { markScope } from '../../platform/stores/markStore.js';
import type { ListViewId, RowKeyContext, RowTypes } from '../views/lists/listView.js';
import type { PaneKeyContext } from '../views/panes.js';
import type { Binding } from './keymap.js';

// Keys that change the object behind a row, on every list whose rows are Kubernetes objects:
// e edits the selected object in $EDITOR, Space marks rows (where the view has no mark key of its
// own), Ctrl-D deletes the marked rows or the selected one, Ctrl-K kills pods (grace period 0).
// Each object goes to its row's cluster.

type ListContext = RowKeyContext<ListViewId>;
type AnyRow = RowTypes[ListViewId];

/** The objects the marked rows (else the selected row) stand for, each with its cluster. */
export function rowTargets({ runtime, view, model, row }: ListContext, withMarks = true): DeleteTarget[] {
  const refOf = model.descriptor.ref as ((r: AnyRow, v: typeof view) => ReturnType<NonNullable<typeof model.descriptor.ref>>) | undefined;
  if (!refOf) return [];
  const keyOf = model.def.key as (r: AnyRow) => string;
  const marked = withMarks ? runtime.ctx.marks.marked(markScope(view)) : new Set<string>();
  const rows: readonly AnyRow[] = marked.size > 0 ? (model.rows as readonly AnyRow[]).filter((r) => marked.has(keyOf(r))) : row !== undefined ? [row] : [];
  return rows.flatMap((r) => {
    const ref = refOf(r, view);
    if (!ref) return [];
    const { context, ...object } = ref;
    return [{ ref: object, context: context ?? view.context ?? runtime.ctx.contextName }];
  });
}

const isPod = (t: DeleteTarget) => t.ref.kind === 'Pod' && t.ref.group === '';

export const mutationKeys: ReadonlyArray<Binding<ListContext>> = [
  {
    action: 'row.edit',
    keys: ['e'],
    help: 'edit the object in $EDITOR (managedFields and status left out); the server\'s dry-run shown as a diff, Enter applies',
    hint: 'edit',
    spareHint: true,
    run: (c) => {
      if (c.row === undefined) return false;
      const [target] = rowTargets(c, false);
      if (!target) return false;
      void c.runtime.edits.open(target.ref, target.context);
    },
  },
  {
    action: 'row.mark',
    keys: ['space'],
    help: 'mark / unmark the row (Ctrl-D deletes the marked rows, Ctrl-K kills the marked pods; Esc clears marks)',
    run: ({ runtime, view, model, row, cursor, moveTo }) => {
      if (row === undefined || !model.descriptor.ref) return false;
      runtime.ctx.marks.toggle(markScope(view), (model.def.key as (r: AnyRow) => string)(row));
      moveTo(cursor + 1);
    },
  },
  {
    action: 'row.delete',
    keys: ['ctrl+d'],
    help: 'delete the object (or the marked ones): dry-run preview with what it owns, confirmation, then followed until gone',
    run: (c) => {
      const targets = rowTargets(c);
      if (targets.length === 0) return false;
      c.runtime.deletion.open(targets, 'delete');
    },
  },
  {
    action: 'row.kill',
    keys: ['ctrl+k'],
    help: 'kill the pod (or the marked pods): delete with grace period 0, confirmed',
    run: (c) => {
      const targets = rowTargets(c).filter(isPod);
      if (targets.length === 0) return false;
      c.runtime.deletion.open(targets, 'kill');
    },
  },
];

/** The same keys on the YAML and the description of an object (as k9s' e in its YAML view). */
export const objectPaneKeys: ReadonlyArray<Binding<PaneKeyContext>> = [
  ...(['e', 'ctrl+d', 'ctrl+k'] as const).map((key): Binding<PaneKeyContext> => {
    const row = mutationKeys.find((b) => b.keys.includes(key))!;
    return {
      action: row.action,
      keys: [key],
      help: row.help,
      ...(row.hint ? { hint: row.hint } : {}),
      run: ({ runtime, view }) => {
        const object = view.object;
        if (!object) return false;
        const target: DeleteTarget = { ref: object, context: view.context ?? runtime.ctx.contextName };
        if (key === 'e') return void runtime.edits.open(target.ref, target.context);
        if (key === 'ctrl+k' && !isPod(target)) return false;
        runtime.deletion.open([target], key === 'ctrl+k' ? 'kill' : 'delete');
      },
    };
  }),
];
