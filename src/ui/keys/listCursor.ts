import type { ViewState } from '../../platform/stores/navStore.js';
import type { AnyListModel } from '../views/lists/listView.js';

// Where the cursor of a list is: on the selected row wherever it moved, else where it was.

export function clampCursor(model: AnyListModel, view: ViewState): number {
  const rows = model.rows;
  if (!rows.length) return 0;
  const keyOf = model.def.key;
  if (view.selectedKey !== undefined && rows[view.cursor] !== undefined && keyOf(rows[view.cursor]) === view.selectedKey) return view.cursor;
  if (view.selectedKey !== undefined) {
    const i = rows.findIndex((r) => keyOf(r) === view.selectedKey);
    if (i >= 0) return i;
  }
  return Math.min(Math.max(0, view.cursor), rows.length - 1);
}

/** The first row shown so that `cursor` is in the window of `height` rows. */
export function clampTop(top: number, cursor: number, height: number, length: number): number {
  let t = Math.min(top, Math.max(0, length - height));
  if (cursor < t) t = cursor;
  if (cursor >= t + height) t = cursor - height + 1;
  return Math.max(0, t);
}
