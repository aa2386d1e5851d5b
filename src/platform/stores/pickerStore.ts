import { DialogState } from './dialogState.js';

// A filterable pick list over the view (`:ctx`, `:ns` with no name): typing filters, ↑/↓ move,
// Space marks several where that is allowed, Enter picks (the marked ones, else the one under
// the cursor), Esc leaves. The current choice is marked so the user sees where they are.

export interface PickerItem {
  value: string;
  /** A few words beside the name (a context's fleets). */
  detail?: string;
  /** The one in use now. */
  current?: boolean;
}

export interface PickerSpec {
  /** 'Switch context', 'Open a system'. */
  title: string;
  /** What one item is, for the count and the empty line: 'context', 'system'. */
  noun: string;
  items: readonly PickerItem[];
  /** Space marks several (a fleet of contexts). */
  multi?: boolean;
  /** Enter: the picked values (one, or the marked ones). */
  onPick(values: string[]): void;
}

export interface PickerState extends PickerSpec {
  filter: string;
  /** Index into `shown`. */
  cursor: number;
  /** The items the filter lets through, in order. */
  shown: readonly PickerItem[];
  marked: ReadonlySet<string>;
}

export class PickerStore extends DialogState<PickerState> {
  /** Opens with the cursor on the current item. */
  open(spec: PickerSpec): void {
    const cursor = Math.max(0, spec.items.findIndex((i) => i.current));
    this.replace({ ...spec, filter: '', cursor, shown: spec.items, marked: new Set() });
  }

  close(): void {
    if (this.state) this.replace(undefined);
  }

  type(text: string): void {
    if (this.state) this.refilter(this.state.filter + text);
  }

  erase(): void {
    if (this.state) this.refilter(this.state.filter.slice(0, -1));
  }

  clearFilter(): void {
    if (this.state) this.refilter('');
  }

  move(by: number): void {
    const s = this.state;
    if (!s) return;
    this.replace({ ...s, cursor: Math.max(0, Math.min(s.shown.length - 1, s.cursor + by)) });
  }

  /** Space: marks or unmarks the item under the cursor; false where only one may be picked. */
  toggleMark(): boolean {
    const s = this.state;
    const item = s?.shown[s.cursor];
    if (!s || !s.multi || !item) return false;
    const marked = new Set(s.marked);
    if (marked.has(item.value)) marked.delete(item.value);
    else marked.add(item.value);
    this.replace({ ...s, marked, cursor: Math.min(s.shown.length - 1, s.cursor + 1) });
    return true;
  }

  /** Enter: closes and hands over the marked values (in the list's order), else the one under the cursor. */
  accept(): void {
    const s = this.state;
    if (!s) return;
    const values = s.marked.size ? s.items.filter((i) => s.marked.has(i.value)).map((i) => i.value) : s.shown[s.cursor] ? [s.shown[s.cursor].value] : [];
    if (!values.length) return;
    this.replace(undefined);
    s.onPick(values);
  }

  private refilter(filter: string): void {
    const s = this.state!;
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = s.items.filter((i) => words.every((w) => `${i.value} ${i.detail ?? ''}`.toLowerCase().includes(w)));
    const selected = s.shown[s.cursor]?.value;
    const cursor = Math.max(0, shown.findIndex((i) => i.value === selected));
    this.replace({ ...s, filter, shown, cursor });
  }
}
