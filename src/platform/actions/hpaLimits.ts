import type { DryRunClient, MutatingClient } from '../kube/kubeSession.js';
import type { ActionGate } from './actionGate.js';
import { responseError } from './scaleClient.js';
import type { HpaInfo } from './scaleWarnings.js';

// When an HPA manages an application, a manual scale is undone at the HPA's next sync. The
// preview offers this instead: move the HPA's limits so that its range starts at the wanted
// count (min = to, max raised if needed), dry-run first, through the gate like any change.

export interface HpaChange {
  namespace: string;
  hpa: HpaInfo;
  min: number;
  max: number;
}

export function hpaChangeFor(namespace: string, hpa: HpaInfo, to: number): HpaChange {
  return { namespace, hpa, min: Math.max(1, to), max: Math.max(hpa.max, to, 1) };
}

function hpaPath(namespace: string, name: string): string {
  return `/apis/autoscaling/v2/namespaces/${encodeURIComponent(namespace)}/horizontalpodautoscalers/${encodeURIComponent(name)}`;
}

async function send(client: MutatingClient | DryRunClient, c: HpaChange, dryRun: boolean): Promise<void> {
  const res = await client.request('PATCH', hpaPath(c.namespace, c.hpa.name), {
    body: { spec: { minReplicas: c.min, maxReplicas: c.max } },
    contentType: 'application/merge-patch+json',
    query: dryRun ? { dryRun: 'All' } : undefined,
    timeoutMs: 30_000,
  });
  if (res.status !== 200) throw responseError(res, `${dryRun ? 'dry-run of ' : ''}changing HPA ${c.namespace}/${c.hpa.name} to min ${c.min}, max ${c.max}`);
}

export function dryRunHpaChange(gate: ActionGate, c: HpaChange): Promise<void> {
  return gate.dryRun((client) => send(client, c, true));
}

export async function applyHpaChange(gate: ActionGate, c: HpaChange, operation: string): Promise<void> {
  await gate.perform({
    action: 'hpa-limits',
    target: { namespace: c.namespace, kind: 'HorizontalPodAutoscaler', name: c.hpa.name, apiVersion: 'autoscaling/v2' },
    from: `min ${c.hpa.min} max ${c.hpa.max}`,
    to: `min ${c.min} max ${c.max}`,
    dryRun: 'accepted',
    operation,
    run: (client) => send(client, c, false),
  });
}
