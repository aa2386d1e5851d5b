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

export interface PlanEntry extends WorkloadRef {
  replicas: number;
}

export interface ScalePlan {
  savedAt: string;
  context: string;
  applications: PlanEntry[];
}

export function planYaml(plan: ScalePlan): string {
  return stringify({ apiVersion: 'warroom/v1', kind: 'ScalePlan', savedAt: plan.savedAt, context: plan.context, applications: plan.applications.map((a) => ({ namespace: a.namespace, kind: a.kind, name: a.name, replicas: a.replicas })) });
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
    return { namespace: a.namespace, kind: a.kind, name: a.name, replicas: a.replicas };
  });
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
  /** undefined: the application is in the plan but not in the cluster. */
  current?: number;
  planned: number;
}

/** Plan entries against current replica counts; unchanged ones are left out, missing ones kept. */
export function diffPlan(plan: ScalePlan, current: ReadonlyMap<string, number>): PlanDiffEntry[] {
  const out: PlanDiffEntry[] = [];
  for (const a of plan.applications) {
    const ref: WorkloadRef = { kind: a.kind, namespace: a.namespace, name: a.name };
    const now = current.get(refKey(ref));
    if (now === a.replicas) continue;
    out.push({ ref, current: now, planned: a.replicas });
  }
  return out;
}
