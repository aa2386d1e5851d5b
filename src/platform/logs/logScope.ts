import type { WorkloadKind } from '../kube/rows.js';

// Whose logs: a whole system (namespace), one application (every pod it ever had), one pod,
// or one container of a pod. `pods` lists the pods the cluster store knows right now; the
// Kubernetes fallback reads exactly those, Elasticsearch also finds pods that are gone.

export type LogScope =
  | { kind: 'system'; namespace: string; pods?: string[] }
  | { kind: 'application'; namespace: string; app: { kind: WorkloadKind; name: string }; pods?: string[] }
  | { kind: 'pod'; namespace: string; pod: string }
  | { kind: 'container'; namespace: string; pod: string; container: string };

export function describeScope(scope: LogScope): string {
  switch (scope.kind) {
    case 'system':
      return `system ${scope.namespace}`;
    case 'application':
      return `application ${scope.app.name} (${scope.namespace})`;
    case 'pod':
      return `pod ${scope.pod} (${scope.namespace})`;
    case 'container':
      return `container ${scope.container} of pod ${scope.pod} (${scope.namespace})`;
  }
}

export function scopeKey(scope: LogScope): string {
  switch (scope.kind) {
    case 'system':
      return `system/${scope.namespace}`;
    case 'application':
      return `application/${scope.namespace}/${scope.app.kind}/${scope.app.name}`;
    case 'pod':
      return `pod/${scope.namespace}/${scope.pod}`;
    case 'container':
      return `container/${scope.namespace}/${scope.pod}/${scope.container}`;
  }
}

/**
 * Does a pod name belong to the application? Deployment pods are `<name>-<rs hash>-<5>`,
 * StatefulSet pods `<name>-<ordinal>` (the same shapes Lens uses for its PromQL).
 */
export function podBelongsTo(app: { kind: WorkloadKind; name: string }, pod: string): boolean {
  if (!pod.startsWith(`${app.name}-`)) return false;
  const rest = pod.slice(app.name.length + 1);
  return app.kind === 'Deployment' ? /^[a-z0-9]{1,10}-[a-z0-9]{5}$/.test(rest) : /^\d+$/.test(rest);
}
