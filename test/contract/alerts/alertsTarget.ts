import { startDemoAlertmanager, type DemoAlertmanager } from '../../../src/demo/alerts/alertmanagerServer.js';
import { DemoAlertRules, type DemoAlertPod, type DemoAlertWorkload, type DemoAlertWorld } from '../../../src/demo/alerts/alertRules.js';
import { staticMetricsWorld } from '../../../src/demo/metrics/metricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../../src/demo/metrics/prometheusServer.js';

// What the alerts contract runs against: WARROOM_PROM_URL and WARROOM_ALERTMANAGER_URL (the
// lab's real Prometheus and, once the lab runs one, its Alertmanager: `npm run test:e2e`), else
// the demo's Prometheus and Alertmanager started here over a small fixed cluster. Known before
// any test runs, so a suite whose target is not configured is skipped visibly.

export const external = Boolean(process.env.WARROOM_PROM_URL || process.env.WARROOM_ALERTMANAGER_URL);
export const alertmanagerConfigured = !external || Boolean(process.env.WARROOM_ALERTMANAGER_URL);
export const prometheusConfigured = !external || Boolean(process.env.WARROOM_PROM_URL);


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

export interface AlertsTarget {
  prometheusUrl?: string;
  alertmanagerUrl?: string;
  /** Only the demo: demo-specific facts may be asserted. */
  isDemo: boolean;
  close(): Promise<void>;
}

export async function startAlertsTarget(): Promise<AlertsTarget> {
  if (external) {
    const trim = (u: string | undefined) => u?.replace(/\/+$/, '');
    return { prometheusUrl: trim(process.env.WARROOM_PROM_URL), alertmanagerUrl: trim(process.env.WARROOM_ALERTMANAGER_URL), isDemo: false, close: async () => undefined };
  }
  const rules = new DemoAlertRules(fixtureWorld());
  rules.evaluate();
  const prom: DemoPrometheus = await startDemoPrometheus({ world: staticMetricsWorld([]), alerts: rules });
  const am: DemoAlertmanager = await startDemoAlertmanager({ rules, prometheusUrl: prom.url });
  return { prometheusUrl: prom.url, alertmanagerUrl: am.url, isDemo: true, close: async () => void (await Promise.all([prom.close(), am.close()])) };
}

