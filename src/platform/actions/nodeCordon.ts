import { describeError } from '../errors.js';
import type { DryRunClient, MutatingClient } from '../kube/kubeSession.js';
import type { ActionGate, MutationTarget } from './actionGate.js';
import { responseError } from './scaleClient.js';

// Cordon / uncordon, as `kubectl cordon` does it: a strategic merge patch of spec.unschedulable
// (true, or null to remove it). Previewed per node with dryRun=All after a SelfSubjectAccessReview
// for `patch nodes`, then applied through the gate, one audit record per node.

export function nodePath(name: string): string {
  return `/api/v1/nodes/${encodeURIComponent(name)}`;
}

export function nodeTarget(name: string, uid?: string): MutationTarget {
  return { namespace: '', kind: 'Node', name, apiVersion: 'v1', uid };
}

export function cordonPatch(unschedulable: boolean): unknown {
  return { spec: { unschedulable: unschedulable ? true : null } };
}

export interface CordonResult {
  name: string;
  /** spec.unschedulable as the server answered (after the patch, or as it would be). */
  unschedulable: boolean;
}

export async function sendCordon(client: MutatingClient | DryRunClient, name: string, unschedulable: boolean, signal?: AbortSignal): Promise<CordonResult> {
  const res = await client.request('PATCH', nodePath(name), {
    body: cordonPatch(unschedulable),
    contentType: 'application/strategic-merge-patch+json',
    signal,
    timeoutMs: 30_000,
  });
  if (res.status !== 200) throw responseError(res, `${client.gateClient === 'dry-run' ? 'dry-run of ' : ''}${unschedulable ? 'cordoning' : 'uncordoning'} node ${name}`);
  const body = res.body as { spec?: { unschedulable?: boolean } } | undefined;
  return { name, unschedulable: body?.spec?.unschedulable === true };
}

export interface CordonPreview {
  name: string;
  ok: boolean;
  /** Already in the wanted state: nothing to send. */
  unchanged: boolean;
  reason?: string;
}

/** May I, and what does the server say: one line per node. */
export async function previewCordon(gate: ActionGate, nodes: ReadonlyArray<{ name: string; unschedulable: boolean }>, unschedulable: boolean, signal?: AbortSignal): Promise<CordonPreview[]> {
  const access = await gate.canI({ verb: 'patch', group: '', resource: 'nodes', namespace: '' }, signal);
  return Promise.all(
    nodes.map(async (n): Promise<CordonPreview> => {
      if (!access.allowed) return { name: n.name, ok: false, unchanged: false, reason: `forbidden: no permission to patch nodes${access.reason ? ` (${access.reason})` : ''}` };
      if (n.unschedulable === unschedulable) return { name: n.name, ok: true, unchanged: true };
      try {
        const r = await gate.dryRun((client) => sendCordon(client, n.name, unschedulable, signal));
        return r.unschedulable === unschedulable ? { name: n.name, ok: true, unchanged: false } : { name: n.name, ok: false, unchanged: false, reason: 'the server did not take spec.unschedulable' };
      } catch (err) {
        if (signal?.aborted) throw err;
        return { name: n.name, ok: false, unchanged: false, reason: describeError(err) };
      }
    }),
  );
}

export function applyCordon(gate: ActionGate, name: string, unschedulable: boolean, operation: string, uid?: string): Promise<CordonResult> {
  return gate.perform({
    action: unschedulable ? 'cordon' : 'uncordon',
    target: nodeTarget(name, uid),
    from: unschedulable ? 'schedulable' : 'unschedulable',
    to: unschedulable ? 'unschedulable' : 'schedulable',
    dryRun: 'accepted',
    operation,
    run: (client) => sendCordon(client, name, unschedulable),
  });
}
