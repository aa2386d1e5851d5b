// The Eviction API (policy/v1) for the demo, as the API server's eviction REST decides: a pod that
// is finished, pending or already terminating is deleted without a budget check; a pod selected by
// more than one PodDisruptionBudget is refused (500); a ready pod whose budget allows no disruption
// now gets 429 TooManyRequests with the budget named in a DisruptionBudget cause; otherwise the pod
// is deleted gracefully and the answer is a Status Success (201). The budget is counted live from
// the pods (an eviction accepted a moment ago already counts), as the server decrements
// disruptionsAllowed at once. dryRun=All (query or deleteOptions) decides without deleting;
// deleteOptions.gracePeriodSeconds is the pod's grace period (kubectl drain --grace-period).
import { ApiError, errors, type StatusObject } from './apiErrors.js';
import type { Cluster } from './cluster.js';
import type { Controller } from './controller.js';
import { budgetHealth } from './disruptionBudgets.js';
import { objectKey } from './store.js';

type JsonObject = Record<string, unknown>;

const obj = (v: unknown): JsonObject => (v && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {});

export function evictPod(cluster: Cluster, controller: Controller, namespace: string, name: string, body: JsonObject, dryRunQuery: boolean): { code: number; status: StatusObject } {
  if (body.kind !== undefined && body.kind !== 'Eviction') throw errors.badRequest(`expected an Eviction, got ${String(body.kind)}`);
  const bodyName = obj(body.metadata).name;
  if (typeof bodyName === 'string' && bodyName !== '' && bodyName !== name) throw errors.badRequest('name in URL does not match name in Eviction object');
  const bodyDryRun = obj(body.deleteOptions).dryRun;
  const grace = obj(body.deleteOptions).gracePeriodSeconds;
  const dryRun = dryRunQuery || (Array.isArray(bodyDryRun) && bodyDryRun.includes('All'));
  const key = objectKey(namespace, name);
  const pod = cluster.pods.store.get(key);
  if (!pod) throw errors.notFound('pods', '', name);
  const success = { code: 201, status: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } as StatusObject };
  const evict = () => {
    if (!dryRun) controller.deletePod(key, typeof grace === 'number' && Number.isInteger(grace) ? Math.max(0, grace) : undefined);
    return success;
  };
  if (pod.meta.deletionTs !== undefined || pod.stage === 'Succeeded' || pod.stage === 'Failed' || pod.stage === 'Pending') return evict();
  const budgets = [...cluster.pdbs.store.scan(`${namespace}/`, '')].map(([, p]) => p).filter((p) => Object.keys(p.matchLabels).every((k) => pod.meta.labels?.[k] === p.matchLabels[k]));
  if (budgets.length > 1) throw new ApiError(500, '', 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
  if (budgets.length === 0 || !(pod.stage === 'Running' && pod.ready)) return evict();
  const health = budgetHealth(cluster, budgets[0]);
  if (health.disruptionsAllowed <= 0) {
    throw new ApiError(429, 'TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
      causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${budgets[0].meta.name} needs ${health.desiredHealthy} healthy pods and has ${health.currentHealthy} currently` }],
    });
  }
  return evict();
}
