import { describeError } from '../errors.js';
import type { ActionGate } from './actionGate.js';
import { applicable, applyScale, auditTarget, previewScale, type ApplyOptions, type ApplyResult, type PreviewRow, type ScaleItem, type ScaleOptions, type ScalePreview } from './scaleOperation.js';

// One scale operation over several clusters (a fleet, #12): each cluster is previewed and
// changed through its own gate (its read-only guard, access review, dry-run and audit), all
// of them at once. A cluster that does not answer, is read-only or fails is listed with the
// reason and left out; it never holds up the others. The apply shares one operation id, so
// each cluster's audit records of the operation are found together.

/** A cluster's gate by kubeconfig context; undefined when the console no longer has it. */
export type GateOf = (context: string) => ActionGate | undefined;

/** The items per cluster, in the order the clusters first appear. */
function byContext<T extends { context?: string }>(items: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) {
    const key = i.context ?? '';
    const list = out.get(key);
    if (list) list.push(i);
    else out.set(key, [i]);
  }
  return out;
}

function leftOutRow(item: ScaleItem, reason: string): PreviewRow {
  return { ref: item.ref, context: item.context, from: 0, to: 0, ready: item.ready, resourceVersion: '', uid: '', status: 'left-out', reason, warnings: [] };
}

/** Why a cluster is left out before anything is asked of it (short: it stands beside the cluster's row), or undefined to ask it. */
function leftOutReason(context: string, gate: ActionGate | undefined): string | undefined {
  if (!gate) return 'not open in this console';
  const ro = gate.readOnlyReason();
  if (ro) return `read-only (${ro === 'flag' ? '--readonly' : 'config file'})`;
  return undefined;
}

/**
 * Previews `items` (each naming its cluster in `context`) per cluster in parallel, each through
 * its own gate. Rows of a cluster left out say why (status `left-out`); a cluster whose preview
 * fails has its rows as errors; problems are prefixed with the cluster's context.
 */
export async function previewFleetScale(gateOf: GateOf, items: readonly ScaleItem[], o: ScaleOptions): Promise<ScalePreview> {
  const groups = byContext(items);
  let done = 0;
  const progress = () => o.onProgress?.(done, items.length);
  const parts = await Promise.all(
    [...groups].map(async ([context, group]): Promise<ScalePreview> => {
      const gate = gateOf(context);
      const clusterReason = leftOutReason(context, gate);
      const rows: PreviewRow[] = [];
      const ask: ScaleItem[] = [];
      for (const item of group) {
        const reason = clusterReason ?? item.leftOut;
        if (reason) rows.push(leftOutRow(item, reason));
        else ask.push(item);
      }
      done += rows.length;
      if (rows.length) progress();
      if (!ask.length || !gate) return { rows, problems: [], namespaces: [] };
      let before = 0;
      try {
        const p = await previewScale(gate, ask, {
          ...o,
          onProgress: (n) => {
            done += n - before;
            before = n;
            progress();
          },
        });
        return { rows: [...rows, ...p.rows], problems: p.problems.map((x) => `${context}: ${x}`), namespaces: p.namespaces };
      } catch (err) {
        if (o.signal?.aborted) throw err;
        done += ask.length - before;
        progress();
        const why = `${context}: preview failed: ${describeError(err)}`;
        return { rows: [...rows, ...ask.map((i) => ({ ...leftOutRow(i, why), status: 'error' as const }))], problems: [], namespaces: [] };
      }
    }),
  );
  if (o.signal?.aborted) throw new DOMException('preview cancelled', 'AbortError');
  // Rows in the order of the items (cluster by cluster as the caller listed them).
  const rows = parts.flatMap((p) => p.rows);
  return { rows, problems: parts.flatMap((p) => p.problems), namespaces: [...new Set(parts.flatMap((p) => p.namespaces))].sort() };
}

export interface FleetApplyOptions extends ApplyOptions {
  /** Progress of one cluster's requests. */
  onClusterProgress?(context: string, done: number, total: number): void;
}

/**
 * Applies a fleet preview: each cluster's rows through its own gate (`applyScale`), all
 * clusters at once, one operation id. Rows left out are written to the cluster's audit as
 * skipped (nothing is sent); a cluster whose apply throws has its rows as failed.
 */
export async function applyFleetScale(gateOf: GateOf, preview: ScalePreview, o: FleetApplyOptions): Promise<ApplyResult[]> {
  const action = o.action ?? 'scale';
  const groups = byContext(preview.rows);
  const total = preview.rows.filter(applicable).length;
  const doneBy = new Map<string, number>();
  const parts = await Promise.all(
    [...groups].map(async ([context, rows]): Promise<ApplyResult[]> => {
      const gate = gateOf(context);
      const out = rows.filter((r) => r.status === 'left-out').map((row): ApplyResult => ({ row, outcome: 'skipped', reason: row.reason }));
      if (gate && out.length) {
        await gate.note(out.map((r) => gate.record({ action, target: auditTarget(r.row), dryRun: 'not run', operation: o.operation }, `skipped: left out, ${r.reason ?? 'not asked'}`))).catch(() => undefined);
      }
      const asked = rows.filter((r) => r.status !== 'left-out');
      if (!asked.length) return out;
      const todo = asked.filter(applicable).length;
      if (!gate) return [...out, ...asked.filter(applicable).map((row): ApplyResult => ({ row, outcome: 'failed', reason: `${context} is no longer in this console` }))];
      try {
        const results = await applyScale(gate, { rows: asked, problems: [], namespaces: [] }, {
          ...o,
          onProgress: (n) => {
            doneBy.set(context, n);
            o.onClusterProgress?.(context, n, todo);
            o.onProgress?.([...doneBy.values()].reduce((a, b) => a + b, 0), total);
          },
        });
        return [...out, ...results];
      } catch (err) {
        const reason = `${context}: ${describeError(err)}`;
        return [...out, ...asked.filter(applicable).map((row): ApplyResult => ({ row, outcome: (err as Error).name === 'ReadOnlyError' ? 'refused' : 'failed', reason }))];
      }
    }),
  );
  return parts.flat();
}
