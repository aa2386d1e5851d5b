import type { MutatingClient } from '../kube/kubeSession.js';
import { describeError } from '../errors.js';
import type { ActionGate, MutationTarget } from './actionGate.js';
import { runBounded } from './boundedPool.js';
import { patchScale, readScale, ScaleRequestError } from './scaleClient.js';
import { readSystemFacts, type SystemFacts } from './scaleFacts.js';
import { targetReplicas, type ReplicaChange } from './replicaMath.js';
import { parseEqualitySelector, pdbCovers, scaleWarnings, type HpaInfo, type ScaleWarning } from './scaleWarnings.js';
import { kindInfo, refKey, type WorkloadRef } from './workloadRef.js';

// Preview and apply of a scale operation over one or many applications.
//
// Preview: per system, its HPAs and PDBs; per (system, kind), an access review; per
// application, a read of the scale subresource and a server-side dry-run of the change
// against the resourceVersion just read. Apply: the same patch without dryRun, through the
// action gate (read-only guard + audit), with bounded concurrency; Esc stops sending.

export interface ScaleItem {
  ref: WorkloadRef;
  change: ReplicaChange;
  /** Ready replicas now, when the caller knows (from the watched rows). */
  ready?: number;
  /** Controlling owner (`Deployment/name`) of a ReplicaSet/ReplicationController, from the watched row. */
  owner?: string;
  /** Set on the second preview attempt after a 409 (internal). */
  retried?: boolean;
  /** A fleet: the kubeconfig context of the cluster it is in (see fleetScale.ts). */
  context?: string;
  /** A fleet: why this cluster is not asked (it does not answer, you may not list there). */
  leftOut?: string;
}

/** `left-out`: a fleet's cluster that was not asked (down, read-only); the others go on. */
export type RowStatus = 'ok' | 'unchanged' | 'forbidden' | 'rejected' | 'error' | 'left-out';

export interface PreviewRow {
  ref: WorkloadRef;
  /** A fleet: the cluster's kubeconfig context. */
  context?: string;
  from: number;
  to: number;
  ready?: number;
  resourceVersion: string;
  uid: string;
  status: RowStatus;
  /** Why it will not be applied (forbidden, dry-run rejected, read failed). */
  reason?: string;
  warnings: ScaleWarning[];
  hpa?: HpaInfo;
}

export interface ScalePreview {
  rows: PreviewRow[];
  /** HPAs or PDBs that could not be read. */
  problems: string[];
  namespaces: string[];
}

export interface ScaleOptions {
  concurrency: number;
  maxFactor: number;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export function applicable(row: PreviewRow): boolean {
  return row.status === 'ok';
}

export async function previewScale(gate: ActionGate, items: ScaleItem[], o: ScaleOptions): Promise<ScalePreview> {
  const session = gate.session;
  const namespaces = [...new Set(items.map((i) => i.ref.namespace))].sort();
  const facts = new Map<string, SystemFacts>();
  await runBounded(namespaces, 8, async (ns) => facts.set(ns, await readSystemFacts(session, ns, o.signal)), o.signal);

  // One review per (system, resource): RBAC rules for scale are almost always per resource.
  const access = new Map<string, { allowed: boolean; reason: string }>();
  const accessKeys = [...new Set(items.map((i) => `${i.ref.namespace}|${i.ref.kind}`))];
  await runBounded(accessKeys, 8, async (key) => {
    const [namespace, kind] = key.split('|');
    const k = kindInfo(kind as WorkloadRef['kind']);
    const d = await gate.canI({ verb: 'patch', group: k.group, resource: k.resource, subresource: 'scale', namespace }, o.signal);
    access.set(key, d);
  }, o.signal);

  let done = 0;
  const rows = await runBounded(items, o.concurrency, async (item) => {
    const row = await previewOne(gate, item, facts.get(item.ref.namespace), access.get(`${item.ref.namespace}|${item.ref.kind}`), o);
    o.onProgress?.(++done, items.length);
    return row;
  }, o.signal);
  if (o.signal?.aborted) throw new DOMException('preview cancelled', 'AbortError');
  const problems = namespaces.flatMap((ns) => facts.get(ns)?.problems ?? []);
  return { rows: rows.filter((r): r is PreviewRow => r !== undefined), problems, namespaces };
}

async function previewOne(gate: ActionGate, item: ScaleItem, facts: SystemFacts | undefined, access: { allowed: boolean; reason: string } | undefined, o: ScaleOptions): Promise<PreviewRow> {
  const base = { ref: item.ref, context: item.context, ready: item.ready, warnings: [] as ScaleWarning[] };
  let state;
  try {
    state = await readScale(gate.session, item.ref, o.signal);
  } catch (err) {
    if (o.signal?.aborted) throw err;
    const forbidden = err instanceof ScaleRequestError && err.forbidden;
    return { ...base, from: 0, to: 0, resourceVersion: '', uid: '', status: forbidden ? 'forbidden' : 'error', reason: describeError(err) };
  }
  const from = state.replicas;
  const to = targetReplicas(from, item.change);
  const hpa = facts?.hpas.get(refKey(item.ref));
  const labels = parseEqualitySelector(state.selector);
  const pdbs = (facts?.pdbs ?? []).filter((p) => pdbCovers(p, labels));
  const row: PreviewRow = { ...base, from, to, resourceVersion: state.resourceVersion, uid: state.uid, status: 'ok', hpa, warnings: scaleWarnings({ from, to, ready: item.ready, hpa, pdbs, maxFactor: o.maxFactor, owner: item.owner }) };
  if (to === from) return { ...row, status: 'unchanged' };
  if (access && !access.allowed) {
    return { ...row, status: 'forbidden', reason: `forbidden: no permission to patch ${kindInfo(item.ref.kind).resource}/scale in ${item.ref.namespace}${access.reason ? ` (${access.reason})` : ''}` };
  }
  try {
    await gate.dryRun((client) => patchScale(client, item.ref, to, { dryRun: true, resourceVersion: state.resourceVersion, signal: o.signal }));
  } catch (err) {
    if (o.signal?.aborted) throw err;
    const e = err instanceof ScaleRequestError ? err : undefined;
    // The controller wrote the status between the read and the dry-run: read again, preview again once.
    if (e?.conflict && !item.retried) return previewOne(gate, { ...item, retried: true }, facts, access, o);
    return { ...row, status: e?.forbidden ? 'forbidden' : 'rejected', reason: describeError(err) };
  }
  return row;
}

export type ApplyOutcome = 'applied' | 'failed' | 'conflict' | 'cancelled' | 'skipped' | 'refused';

export interface ApplyResult {
  row: PreviewRow;
  outcome: ApplyOutcome;
  reason?: string;
}

export interface ApplyOptions extends ScaleOptions {
  operation: string;
  /** Audit action name (scale, or undo-scale / plan-scale for the record). */
  action?: string;
}

/** The previewed object changed in a way that matters: its replica count is not what the preview showed. */
export class ScaleConflictError extends Error {
  constructor(readonly row: PreviewRow, readonly now: number, why?: string) {
    // The row already names the application; the message says what changed.
    super(why ? `not applied: ${why} (replicas still ${now}); preview again` : `changed since the preview: replicas are now ${now} (previewed ${row.from}); preview again`);
    this.name = 'ScaleConflictError';
  }
}

/**
 * The patch with the previewed resourceVersion. A 409 means the object changed; when only its
 * status moved (pods became ready, so the resourceVersion is new) and spec.replicas is still
 * what the preview showed, the change is exactly what was previewed and is sent again with the
 * new resourceVersion (a few times: a busy controller writes the status often). Any change of
 * the replicas, or of the object's identity, is a conflict for the user to re-preview.
 */
const STATUS_ONLY_RETRIES = 5;

async function patchPreviewed(gate: ActionGate, client: MutatingClient, row: PreviewRow, signal?: AbortSignal): Promise<void> {
  let resourceVersion = row.resourceVersion;
  for (let attempt = 0; ; attempt++) {
    try {
      await patchScale(client, row.ref, row.to, { resourceVersion, signal });
      return;
    } catch (err) {
      if (!(err instanceof ScaleRequestError) || !err.conflict) throw err;
    }
    const now = await readScale(gate.session, row.ref, signal);
    if (now.replicas !== row.from || (row.uid && now.uid && now.uid !== row.uid)) throw new ScaleConflictError(row, now.replicas);
    if (attempt + 1 >= STATUS_ONLY_RETRIES) throw new ScaleConflictError(row, now.replicas, `its status changed ${STATUS_ONLY_RETRIES} times while sending`);
    resourceVersion = now.resourceVersion;
  }
}

/** The audit record's target for a previewed row. */
export function auditTarget(r: PreviewRow): MutationTarget {
  return { namespace: r.ref.namespace, kind: r.ref.kind, name: r.ref.name, uid: r.uid, apiVersion: kindInfo(r.ref.kind).group ? `${kindInfo(r.ref.kind).group}/v1` : 'v1' };
}

export async function applyScale(gate: ActionGate, preview: ScalePreview, o: ApplyOptions): Promise<ApplyResult[]> {
  const action = o.action ?? 'scale';
  const todo = preview.rows.filter(applicable);
  const skipped = preview.rows.filter((r) => !applicable(r) && r.status !== 'unchanged');
  const target = auditTarget;
  if (gate.readOnlyReason()) {
    // One refusal per application, then the guard's own message; nothing is sent.
    await gate.note(todo.map((r) => gate.record({ action, target: target(r), from: r.from, to: r.to, dryRun: 'accepted', operation: o.operation }, 'refused: read-only'))).catch(() => undefined);
    gate.assertWritable(action);
  }
  if (skipped.length) {
    await gate.note(skipped.map((r) => gate.record({ action, target: target(r), from: r.from, to: r.to, dryRun: r.status === 'forbidden' ? 'not run' : `rejected: ${r.reason ?? ''}`, operation: o.operation }, `skipped: ${r.reason ?? r.status}`)));
  }
  let done = 0;
  const results = await runBounded(todo, o.concurrency, async (row): Promise<ApplyResult> => {
    let result: ApplyResult;
    try {
      await gate.perform({
        action,
        target: target(row),
        from: row.from,
        to: row.to,
        dryRun: 'accepted',
        operation: o.operation,
        run: (client) => patchPreviewed(gate, client, row),
        outcomeOfError: (err) => (err instanceof ScaleConflictError ? `conflict: ${err.message}` : `failed: ${describeError(err)}`),
      });
      result = { row, outcome: 'applied' };
    } catch (err) {
      const outcome: ApplyOutcome = err instanceof ScaleConflictError ? 'conflict' : (err as Error).name === 'ReadOnlyError' ? 'refused' : 'failed';
      result = { row, outcome, reason: describeError(err) };
    }
    o.onProgress?.(++done, todo.length);
    return result;
  }, o.signal);
  const out: ApplyResult[] = [];
  const cancelled: PreviewRow[] = [];
  results.forEach((r, i) => {
    if (r) out.push(r);
    else cancelled.push(todo[i]);
  });
  if (cancelled.length) {
    await gate.note(cancelled.map((r) => gate.record({ action, target: target(r), from: r.from, to: r.to, dryRun: 'accepted', operation: o.operation }, 'cancelled before sending')));
    for (const row of cancelled) out.push({ row, outcome: 'cancelled', reason: 'cancelled before sending' });
  }
  for (const row of skipped) out.push({ row, outcome: 'skipped', reason: row.reason });
  return out;
}
