import type { WorkloadKind } from '../kube/rows.js';
import { equalsMatcher, oneOfMatcher } from './labelEscape.js';

// What a metrics pane charts: a system (namespace), an application (its pods), a pod, or a
// free query. An application's pods are the ones the console knows belong to it through
// their owner chain (Pod -> ReplicaSet -> Deployment, Pod -> StatefulSet), listed by exact
// name: a name prefix or regex like `order-api-.*` would also match `order-api-admin-...`.

export type MetricsLevel = 'system' | 'app' | 'pod';

export type MetricsTarget =
  | { level: 'system'; namespace: string }
  | { level: 'app'; namespace: string; kind: WorkloadKind; name: string; pods: readonly string[] }
  | { level: 'pod'; namespace: string; pod: string }
  | { level: 'promql'; query: string };

/** The label matchers (without braces) that select the target's series. */
export function targetSelector(t: Exclude<MetricsTarget, { level: 'promql' }>): string {
  switch (t.level) {
    case 'system':
      return equalsMatcher('namespace', t.namespace);
    case 'app':
      return `${equalsMatcher('namespace', t.namespace)},${oneOfMatcher('pod', t.pods)}`;
    case 'pod':
      return `${equalsMatcher('namespace', t.namespace)},${equalsMatcher('pod', t.pod)}`;
  }
}

/** The label a per-series breakdown groups by: pods of a system or application, containers of a pod. */
export function breakdownLabel(level: MetricsLevel): 'pod' | 'container' {
  return level === 'pod' ? 'container' : 'pod';
}

/** `podCount`: the pods actually charted for an application (may exceed those it was opened with). */
export function targetTitle(t: MetricsTarget, podCount?: number): string {
  switch (t.level) {
    case 'system':
      return `system ${t.namespace}`;
    case 'app':
    {
      const n = podCount ?? t.pods.length;
      return `${t.kind === 'Deployment' ? 'deploy' : 'sts'}/${t.name} (${n} pod${n === 1 ? '' : 's'})`;
    }
    case 'pod':
      return `pod ${t.namespace}/${t.pod}`;
    case 'promql':
      return 'query';
  }
}
