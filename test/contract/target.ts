// Which Kubernetes API the contract suite runs against.
//
// - WARROOM_KUBECONFIG set: that cluster (a real kube-apiserver, e.g. the kwok lab), context WARROOM_KUBE_CONTEXT
//   (default: the kubeconfig's current context) and, for permission tests, WARROOM_KUBE_RESTRICTED_CONTEXT.
// - WARROOM_DEMO_FLEET_CLUSTER=dc2: a demo fleet (dc1, dc2, dc3; 300 pods each, churn off) started per test file,
//   the suite running against that one cluster's contexts: each cluster of `warroom demo --clusters N` is a
//   full demo cluster.
// - otherwise: the embedded demo platform, started per test file (300 pods, churn off) and stopped afterwards.
// - WARROOM_DEMO_TLS=1 with either demo: its Kubernetes API over HTTPS (`warroom demo --tls`), the kubeconfig
//   trusting the CA it made at start.
//
// Other knobs (all optional):
//   WARROOM_KUBE_FORBIDDEN_NAMESPACE  namespace whose pods the restricted context may not list (default "payment")
//   WARROOM_BOOKMARK_TIMEOUT_MS       how long to wait for a watch BOOKMARK (default 30000). The test asks for
//                                     timeoutSeconds=10, and the apiserver sends a bookmark 2 s before a watch's
//                                     deadline, so ~8 s suffices on a real server too; raise it for slow labs.
//   WARROOM_EVENT_TIMEOUT_MS          how long to wait for a watch event after a change (default 30000)
import { KubeConfig } from '@kubernetes/client-node';
import { startDemoFleet } from '../../src/demo/fleet.js';
import { startDemoPlatform, type DemoPlatform } from '../../src/demo/launch.js';
import { ensureDemoBundle } from './demoBundle.js';
import { KubeClient } from './kubeHttp.js';

/** Known before any test runs, so suites can skip (visibly) what does not apply to the target. */
export const externalTarget = Boolean(process.env.WARROOM_KUBECONFIG);
export const restrictedConfigured = !externalTarget || Boolean(process.env.WARROOM_KUBE_RESTRICTED_CONTEXT);
/** The demo serves HTTPS (WARROOM_DEMO_TLS=1). */
export const demoTls = process.env.WARROOM_DEMO_TLS === '1';

export interface KubeTarget {
  /** True for the embedded demo platform: only then may tests assert demo-specific facts. */
  isDemo: boolean;
  admin: KubeClient;
  /** undefined when no restricted context is configured for an external cluster. */
  restricted: KubeClient | undefined;
  anonymous: KubeClient;
  forbiddenNamespace: string;
  /** The admin context's kubeconfig, for suites that drive warroom's own session (loadKubeSession). */
  kubeconfig: { path: string; context: string | undefined };
  bookmarkTimeoutMs: number;
  eventTimeoutMs: number;
  stop(): Promise<void>;
}

function envNumber(name: string, fallback: number): number {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}

function client(path: string, context: string | undefined): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  if (context) kc.setCurrentContext(context);
  return new KubeClient(kc);
}

export async function startKubeTarget(): Promise<KubeTarget> {
  const common = {
    forbiddenNamespace: process.env.WARROOM_KUBE_FORBIDDEN_NAMESPACE ?? 'payment',
    bookmarkTimeoutMs: envNumber('WARROOM_BOOKMARK_TIMEOUT_MS', 30_000),
    eventTimeoutMs: envNumber('WARROOM_EVENT_TIMEOUT_MS', 30_000),
  };
  const external = process.env.WARROOM_KUBECONFIG;
  if (external) {
    const kc = new KubeConfig();
    kc.loadFromFile(external);
    if (process.env.WARROOM_KUBE_CONTEXT) kc.setCurrentContext(process.env.WARROOM_KUBE_CONTEXT);
    const restrictedContext = process.env.WARROOM_KUBE_RESTRICTED_CONTEXT;
    return {
      ...common,
      isDemo: false,
      kubeconfig: { path: external, context: process.env.WARROOM_KUBE_CONTEXT },
      admin: new KubeClient(kc),
      restricted: restrictedContext ? client(external, restrictedContext) : undefined,
      anonymous: KubeClient.anonymous(kc),
      async stop() {},
    };
  }
  const entry = await ensureDemoBundle();
  const fleetCluster = process.env.WARROOM_DEMO_FLEET_CLUSTER;
  if (fleetCluster) {
    const fleet = await startDemoFleet({ clusters: ['dc1', 'dc2', 'dc3'], pods: 300, churn: false, entry, tls: demoTls });
    try {
      const c = fleet.cluster(fleetCluster);
      const kc = new KubeConfig();
      kc.loadFromFile(fleet.kubeconfigPath);
      kc.setCurrentContext(c.context);
      return {
        ...common,
        isDemo: true,
        kubeconfig: { path: fleet.kubeconfigPath, context: c.context },
        admin: client(fleet.kubeconfigPath, c.context),
        restricted: client(fleet.kubeconfigPath, c.restrictedContext),
        anonymous: KubeClient.anonymous(kc),
        stop: () => fleet.close(),
      };
    } catch (err) {
      await fleet.close();
      throw err;
    }
  }
  const demo: DemoPlatform = await startDemoPlatform({ pods: 300, churn: false, entry, tls: demoTls });
  const admin = client(demo.kubeconfigPath, demo.context);
  const kc = new KubeConfig();
  kc.loadFromFile(demo.kubeconfigPath);
  return {
    ...common,
    isDemo: true,
    kubeconfig: { path: demo.kubeconfigPath, context: demo.context },
    admin,
    restricted: client(demo.kubeconfigPath, demo.restrictedContext),
    anonymous: KubeClient.anonymous(kc),
    stop: () => demo.stop(),
  };
}

/** A namespace name unique to one test run. */
export function testNamespaceName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
