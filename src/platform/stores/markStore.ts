// Rows the user marked with space in a list view (k9s style), for actions over several rows
// at once (bulk scale). Marks belong to a list — a view kind in a system — and stay while the
// user drills in and out of it. They hold row uids, so marks made on another context never
// match a row here. Outside the nav stack so a mark does not recompute the table model, and
// outside React so it survives a remount (exec hand-off).

export class MarkStore {
  private readonly marks = new Map<string, ReadonlySet<string>>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.version;

  private changed(): void {
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  marked(scope: string): ReadonlySet<string> {
    return this.marks.get(scope) ?? EMPTY;
  }

  toggle(scope: string, key: string): void {
    const next = new Set(this.marked(scope));
    if (next.has(key)) next.delete(key);
    else next.add(key);
    if (next.size) this.marks.set(scope, next);
    else this.marks.delete(scope);
    this.changed();
  }

  clear(scope?: string): void {
    if (scope === undefined) this.marks.clear();
    else if (!this.marks.delete(scope)) return;
    this.changed();
  }
}

const EMPTY: ReadonlySet<string> = new Set();

/** The list a view shows: `apps|cart`, `apps|` for every system. */
export function markScope(view: { kind: string; namespace?: string }): string {
  return `${view.kind}|${view.namespace ?? ''}`;
}
