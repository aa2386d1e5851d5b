import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse, stringify } from 'yaml';
import { UserError } from '../errors.js';
import { isScalableKind, refKey, type WorkloadRef } from './workloadRef.js';

// A scale plan: the replica counts of a system's applications saved to a YAML file, to apply
// later ("promotion-peak.yaml"). Applying a plan previews the diff between plan and cluster.
//
//   apiVersion: warroom/v1
//   kind: ScalePlan
//   savedAt: 2026-11-20T08:00:00Z
//   context: prod-eu
//   applications:
//     - {namespace: cart, kind: Deployment, name: cart-api, replicas: 12}
//
// A fleet's plan (#12) names the context on every line instead: each line is applied in its
// own cluster. A plan without them is one cluster's, and applies to the cluster it is opened in.
//
//   applications:
//     - {context: prod-dc1, namespace: cart, kind: Deployment, name: cart-api, replicas: 40}
//     - {context: prod-dc2, namespace: cart, kind: Deployment, name: cart-api, replicas: 20}

export interface PlanEntry extends WorkloadRef {
  replicas: number;
  /** A fleet's plan: the kubeconfig context the line is for. */
  context?: string;
}

export interface ScalePlan {
  savedAt: string;
  /** The context a one-cluster plan was saved on ('' for a fleet's plan: its lines name theirs). */
  context: string;
  applications: PlanEntry[];
}

export function planYaml(plan: ScalePlan): string {
  const line = (a: PlanEntry) => ({ ...(a.context ? { context: a.context } : {}), namespace: a.namespace, kind: a.kind, name: a.name, replicas: a.replicas });
  return stringify({ apiVersion: 'warroom/v1', kind: 'ScalePlan', savedAt: plan.savedAt, ...(plan.context ? { context: plan.context } : {}), applications: plan.applications.map(line) });
}

/** A fleet's plan: its lines name their contexts. */
export function isFleetPlan(plan: ScalePlan): boolean {
  return plan.applications.some((a) => a.context !== undefined);
}

/** The contexts a plan's lines are for, in the order they first appear. */
export function planContexts(plan: ScalePlan): string[] {
  return [...new Set(plan.applications.map((a) => a.context ?? plan.context))];
}

export function parsePlan(text: string, file: string): ScalePlan {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UserError(`scale plan ${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const d = (doc ?? {}) as Record<string, unknown>;
  if (d.kind !== 'ScalePlan' || !Array.isArray(d.applications)) throw new UserError(`scale plan ${file}: not a warroom scale plan (kind: ScalePlan with applications: [...])`, 'save one with :plan save FILE');
  const applications: PlanEntry[] = d.applications.map((raw, i) => {
    const a = (raw ?? {}) as Record<string, unknown>;
    const where = `scale plan ${file}: applications[${i}]`;
    if (typeof a.namespace !== 'string' || typeof a.name !== 'string' || typeof a.kind !== 'string' || !isScalableKind(a.kind)) {
      throw new UserError(`${where}: needs namespace, name and kind (Deployment, StatefulSet, ReplicaSet or ReplicationController)`);
    }
    if (typeof a.replicas !== 'number' || !Number.isInteger(a.replicas) || a.replicas < 0) throw new UserError(`${where}: replicas must be a whole number >= 0, got ${JSON.stringify(a.replicas)}`);
    if (a.context !== undefined && (typeof a.context !== 'string' || a.context === '')) throw new UserError(`${where}: context must be a kubeconfig context name, got ${JSON.stringify(a.context)}`);
    return { ...(a.context !== undefined ? { context: a.context } : {}), namespace: a.namespace, kind: a.kind, name: a.name, replicas: a.replicas };
  });
  const first = applications.findIndex((a) => a.context !== undefined);
  const without = applications.findIndex((a) => a.context === undefined);
  if (first >= 0 && without >= 0) throw new UserError(`scale plan ${file}: applications[${without}] has no context while applications[${first}] names one: a fleet's plan names the context on every line`);
  return { savedAt: String(d.savedAt ?? ''), context: String(d.context ?? ''), applications };
}

export async function readPlan(file: string): Promise<ScalePlan> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read scale plan ${file}: ${(err as Error).message}`);
  }
  return parsePlan(text, file);
}

export async function writePlan(file: string, plan: ScalePlan): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, planYaml(plan), { mode: 0o644 });
}

export interface PlanDiffEntry {
  ref: WorkloadRef;
  /** A fleet's plan: the line's context. */
  context?: string;
  /** undefined: the application is in the plan but not in the cluster (or its cluster's counts are not known). */
  current?: number;
  planned: number;
}

/** A context's current counts by `refKey`; undefined when they are not known (not open here, not answering). */
export type CountsOf = (context: string) => ReadonlyMap<string, number> | undefined;

/**
 * Plan entries against current replica counts (one cluster's, or per line's context for a
 * fleet's plan); unchanged ones are left out, missing ones kept.
 */
export function diffPlan(plan: ScalePlan, current: ReadonlyMap<string, number> | CountsOf): PlanDiffEntry[] {
  const out: PlanDiffEntry[] = [];
  for (const a of plan.applications) {
    const ref: WorkloadRef = { kind: a.kind, namespace: a.namespace, name: a.name };
    const counts = typeof current === 'function' ? current(a.context ?? plan.context) : current;
    const now = counts?.get(refKey(ref));
    if (now === a.replicas) continue;
    out.push({ ref, ...(a.context !== undefined ? { context: a.context } : {}), current: now, planned: a.replicas });
  }
  return out;
}
