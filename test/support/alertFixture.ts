import type { DemoAlertPod, DemoAlertWorkload, DemoAlertWorld } from '../../src/demo/alerts/alertRules.js';

// A small fixed cluster for the demo's alerting rules (contract and unit tests): what fires, what is pending, what is inhibited.

/** A crash-looping pod (its Deployment short of a replica), a Deployment stuck on a Pending pod, a healthy StatefulSet. */
export function fixtureWorld(now = Date.now()): DemoAlertWorld {
  const pod = (namespace: string, name: string, extra: Partial<DemoAlertPod> = {}): DemoAlertPod => ({ namespace, name, container: name.split('-').slice(0, 2).join('-'), stage: 'Running', crashLoops: false, deleting: false, created: now - 3 * 86_400_000, ...extra });
  const pods: DemoAlertPod[] = [
    pod('cart', 'cart-api-6d9f7c5b8-x2x9q'),
    pod('cart', 'cart-api-6d9f7c5b8-b7kpl', { stage: 'CrashLoopBackOff', crashLoops: true }),
    pod('search', 'reindex-worker-7c8d9e0f1-aaaaa', { stage: 'Pending' }),
    pod('trade', 'ledger-db-0'),
  ];
  const workloads: DemoAlertWorkload[] = [
    { kind: 'Deployment', namespace: 'cart', name: 'cart-api', desired: 2, available: 1 },
    { kind: 'Deployment', namespace: 'search', name: 'reindex-worker', desired: 1, available: 0 },
    { kind: 'StatefulSet', namespace: 'trade', name: 'ledger-db', desired: 1, available: 1 },
  ];
  return { pods: () => pods, workloads: () => workloads };
}

