// Which Kubernetes API the exec contract suite runs against, chosen as in ../target.ts:
//
// - WARROOM_KUBECONFIG set: that cluster (the kwok lab, whose ClusterExec runs commands for real), context
//   WARROOM_KUBE_CONTEXT (default: current) and WARROOM_KUBE_RESTRICTED_CONTEXT (a user without pods/exec).
// - otherwise: the embedded demo platform, started per test file and stopped afterwards (over HTTPS with
//   WARROOM_DEMO_TLS=1, as ../target.ts).
//
//   WARROOM_EXEC_NAMESPACE  namespace of the Running pod the suite execs into (default "trade")
import { loadKubeSession, type KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { startDemoPlatform } from '../../../src/demo/launch.js';
import { ensureDemoBundle } from '../demoBundle.js';
import { demoTls } from '../target.js';
import { join } from 'node:path';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { startExec, type ExecHandle, type ExecRequest, type ExecTarget } from '../../../src/platform/exec/execSession.js';
import { scratchDir } from '../../support/scratchDir.js';

export const externalTarget = Boolean(process.env.WARROOM_KUBECONFIG);
export const restrictedConfigured = !externalTarget || Boolean(process.env.WARROOM_KUBE_RESTRICTED_CONTEXT);

export interface ExecContractTarget {
  isDemo: boolean;
  admin: KubeSession;
  restricted: KubeSession | undefined;
  /** A Running pod's first container. */
  pod: ExecTarget;
  stop(): Promise<void>;
}

interface PodList {
  items: Array<{ metadata: { name: string; deletionTimestamp?: string }; spec: { containers: Array<{ name: string }> }; status?: { phase?: string; containerStatuses?: Array<{ ready?: boolean }> } }>;
}

async function runningPod(session: KubeSession, namespace: string): Promise<ExecTarget> {
  const list = await session.getJson<PodList>(`/api/v1/namespaces/${namespace}/pods`, { limit: 500 });
  const pod = list.items.find((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp && (p.status.containerStatuses ?? []).every((c) => c.ready));
  if (!pod) throw new Error(`no Running pod in namespace ${namespace} to exec into`);
  return { namespace, pod: pod.metadata.name, container: pod.spec.containers[0].name };
}

export async function startExecTarget(): Promise<ExecContractTarget> {
  const namespace = process.env.WARROOM_EXEC_NAMESPACE ?? 'trade';
  const external = process.env.WARROOM_KUBECONFIG;
  if (external) {
    const admin = loadKubeSession({ kubeconfig: external, context: process.env.WARROOM_KUBE_CONTEXT });
    const rc = process.env.WARROOM_KUBE_RESTRICTED_CONTEXT;
    const restricted = rc ? loadKubeSession({ kubeconfig: external, context: rc }) : undefined;
    return { isDemo: false, admin, restricted, pod: await runningPod(admin, namespace), async stop() {} };
  }
  const entry = await ensureDemoBundle();
  const demo = await startDemoPlatform({ pods: 200, churn: false, entry, tls: demoTls });
  const admin = loadKubeSession({ kubeconfig: demo.kubeconfigPath, context: demo.context });
  const restricted = loadKubeSession({ kubeconfig: demo.kubeconfigPath, context: demo.restrictedContext });
  return {
    isDemo: true,
    admin,
    restricted,
    pod: await runningPod(admin, namespace),
    async stop() {
      admin.close();
      restricted.close();
      await demo.stop();
    },
  };
}

/**
 * startExec as the console runs it: through an ActionGate on a writable context (audit file in a
 * temp directory), with the client gate.perform hands its `run`.
 */
export async function startExecThroughGate(session: KubeSession, req: ExecRequest): Promise<ExecHandle> {
  const gate = new ActionGate({
    session: () => session,
    policy: { global: false, contexts: new Set() },
    audit: new AuditLog(join(scratchDir('warroom-exec-contract-'), 'audit.jsonl')),
  });
  const target = { namespace: req.target.namespace, kind: 'Pod', name: req.target.pod, apiVersion: 'v1' };
  return gate.perform({ action: 'exec', target, container: req.target.container, command: req.command.join(' '), run: (client) => startExec(client, req) });
}
