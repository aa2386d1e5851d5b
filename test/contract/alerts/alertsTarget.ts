import { startDemoAlertmanager, type DemoAlertmanager } from '../../../src/demo/alerts/alertmanagerServer.js';
import { DemoAlertRules } from '../../../src/demo/alerts/alertRules.js';
import { staticMetricsWorld } from '../../../src/demo/metrics/metricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../../src/demo/metrics/prometheusServer.js';
import { fixtureWorld } from '../../support/alertFixture.js';

// What the alerts contract runs against: WARROOM_PROM_URL and WARROOM_ALERTMANAGER_URL (the
// lab's real Prometheus and, once the lab runs one, its Alertmanager: `npm run test:e2e`), else
// the demo's Prometheus and Alertmanager started here over a small fixed cluster. Known before
// any test runs, so a suite whose target is not configured is skipped visibly.

export const external = Boolean(process.env.WARROOM_PROM_URL || process.env.WARROOM_ALERTMANAGER_URL);
export const alertmanagerConfigured = !external || Boolean(process.env.WARROOM_ALERTMANAGER_URL);
export const prometheusConfigured = !external || Boolean(process.env.WARROOM_PROM_URL);


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

