import { loadActionsConfig } from '../../config/actionsConfig.js';
import { ActionGate } from '../actions/actionGate.js';
import { AuditLog } from '../actions/auditLog.js';
import type { KubeSession } from '../kube/kubeSession.js';

// The console's one ActionGate (read-only guard + audit file), made on first use. Exec goes
// through it like every other mutation. When the scale views wire their own accessor, both
// should share this one (one gate per console session).

interface GateOwner {
  session: KubeSession;
  readonly readOnly: boolean;
}

const gates = new WeakMap<GateOwner, ActionGate>();

/** Throws ConfigError when the config file's actions part is invalid. */
export function actionGateFor(runtime: GateOwner): ActionGate {
  let gate = gates.get(runtime);
  if (!gate) {
    const cfg = loadActionsConfig();
    gate = new ActionGate({
      session: () => runtime.session,
      policy: { global: runtime.readOnly, contexts: cfg.readOnlyContexts },
      audit: new AuditLog(cfg.auditPath),
      kubernetesEvents: cfg.kubernetesEvents,
    });
    gates.set(runtime, gate);
  }
  return gate;
}
