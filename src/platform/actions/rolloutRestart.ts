import type { DryRunClient, MutatingClient } from '../kube/kubeSession.js';
import { describeError } from '../errors.js';
import type { ActionGate } from './actionGate.js';
import { responseError } from './scaleClient.js';
import { kindInfo, objectPath, type WorkloadRef } from './workloadRef.js';

// Rollout restart, as `kubectl rollout restart` does it: a strategic merge patch setting the
// pod template annotation kubectl.kubernetes.io/restartedAt, so the controller replaces every
// pod by its usual rollout strategy. Previewed with dryRun=All, then applied through the gate.

export const RESTART_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

export type RestartableKind = 'Deployment' | 'StatefulSet';

export function restartPatch(at: Date): unknown {
  return { spec: { template: { metadata: { annotations: { [RESTART_ANNOTATION]: at.toISOString() } } } } };
}

export interface RestartPreview {
  ref: WorkloadRef;
  ok: boolean;
  reason?: string;
  replicas: number;
  previousRestart?: string;
}

async function sendRestart(client: MutatingClient | DryRunClient, ref: WorkloadRef, at: Date, dryRun: boolean, signal?: AbortSignal): Promise<{ replicas: number; previousRestart?: string }> {
  const res = await client.request('PATCH', objectPath(ref), {
    body: restartPatch(at),
    contentType: 'application/strategic-merge-patch+json',
    query: dryRun ? { dryRun: 'All' } : undefined,
    signal,
    timeoutMs: 30_000,
  });
  if (res.status !== 200) throw responseError(res, `${dryRun ? 'dry-run of ' : ''}restarting ${ref.kind} ${ref.namespace}/${ref.name}`);
  const body = res.body as { spec?: { replicas?: number } } | undefined;
  return { replicas: body?.spec?.replicas ?? 0 };
}

export async function previewRestart(gate: ActionGate, ref: WorkloadRef, signal?: AbortSignal): Promise<RestartPreview> {
  const k = kindInfo(ref.kind);
  const access = await gate.canI({ verb: 'patch', group: k.group, resource: k.resource, namespace: ref.namespace, name: ref.name }, signal);
  if (!access.allowed) return { ref, ok: false, replicas: 0, reason: `forbidden: no permission to patch ${k.resource} in ${ref.namespace}${access.reason ? ` (${access.reason})` : ''}` };
  try {
    const r = await gate.dryRun((client) => sendRestart(client, ref, new Date(), true, signal));
    return { ref, ok: true, replicas: r.replicas };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ref, ok: false, replicas: 0, reason: describeError(err) };
  }
}

export async function applyRestart(gate: ActionGate, ref: WorkloadRef, operation: string): Promise<void> {
  const at = new Date();
  await gate.perform({
    action: 'restart',
    target: { namespace: ref.namespace, kind: ref.kind, name: ref.name, apiVersion: 'apps/v1' },
    to: at.toISOString(),
    dryRun: 'accepted',
    operation,
    run: (client) => sendRestart(client, ref, at, false),
  });
}
