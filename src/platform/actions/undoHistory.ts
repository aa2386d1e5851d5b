import type { ApplyResult } from './scaleOperation.js';
import type { ScaleItem } from './scaleOperation.js';
import type { WorkloadRef } from './workloadRef.js';

// What `u` / `:undo` restores: the replica counts before the last scale operation, for the
// applications it actually changed. Undo goes through the same preview and confirmation, and
// is itself an operation (so a second `u` re-applies what was undone).

export interface UndoEntry {
  ref: WorkloadRef;
  /** Replicas before the operation: what undo restores. */
  before: number;
  /** Replicas the operation set. */
  after: number;
  /** A fleet: the cluster it was changed in. */
  context?: string;
}

export interface UndoRecord {
  /** The context, or a fleet's contexts joined with `,` (what `:ctx` takes to get there). */
  context: string;
  operation: string;
  at: number;
  entries: UndoEntry[];
}

export class UndoHistory {
  private last: UndoRecord | undefined;

  /** Remembers an applied operation; one with nothing applied leaves the previous record. */
  remember(context: string, operation: string, results: ApplyResult[], at = Date.now()): void {
    const entries = results.filter((r) => r.outcome === 'applied').map((r) => ({ ref: r.row.ref, context: r.row.context, before: r.row.from, after: r.row.to }));
    if (entries.length === 0) return;
    this.last = { context, operation, at, entries };
  }

  peek(): UndoRecord | undefined {
    return this.last;
  }

  clear(): void {
    this.last = undefined;
  }

  /** The items that restore the previous counts, or why there is nothing to undo here. */
  undoItems(context: string): { items: ScaleItem[] } | { problem: string } {
    const last = this.last;
    if (!last) return { problem: 'nothing to undo: no scale operation in this session yet' };
    if (last.context !== context) return { problem: `the last scale operation was on context '${last.context}'; switch to it (:ctx ${last.context}) to undo it` };
    return { items: last.entries.map((e) => ({ ref: e.ref, context: e.context, change: { kind: 'absolute', value: e.before } })) };
  }
}
