import { loadActionsConfig, type ActionsConfig } from '../../config/actionsConfig.js';
import type { KubeSession } from '../kube/kubeSession.js';
import { ActionGate } from './actionGate.js';
import { AuditLog } from './auditLog.js';

// The console session's one ActionGate (read-only guard + audit file) and the actions part of
// the config, made on first use. Scale, restart, HPA limits and exec all take the gate from
// here, so there is one guard and one audit writer per console.

export interface GateOwner {
  session: KubeSession;
  readonly readOnly: boolean;
}

interface Entry {
  gate: ActionGate;
  config: ActionsConfig;
}

const entries = new WeakMap<GateOwner, Entry>();

function entry(owner: GateOwner): Entry {
  let e = entries.get(owner);
  if (!e) {
    const config = loadActionsConfig();
    const gate = new ActionGate({
      session: () => owner.session,
      policy: { global: owner.readOnly, contexts: config.readOnlyContexts },
      audit: new AuditLog(config.auditPath),
      kubernetesEvents: config.kubernetesEvents,
    });
    entries.set(owner, (e = { gate, config }));
  }
  return e;
}

/** Throws ConfigError when the config file's actions part is invalid. */
export function actionGateFor(owner: GateOwner): ActionGate {
  return entry(owner).gate;
}

export function actionsConfigFor(owner: GateOwner): ActionsConfig {
  return entry(owner).config;
}
