import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { describeError } from '../../platform/errors.js';

// The `:health` lines about changes: where the audit file is, whether this context is
// read-only, and the scale limits in force.

export interface ExtraHealthRow {
  label: string;
  value: string;
  warn?: boolean;
}

export function actionsHealthRows(runtime: ConsoleRuntime): ExtraHealthRow[] {
  try {
    const cfg = runtime.ctx.actionsConfig;
    const ro = runtime.ctx.gate.readOnlyReason();
    return [
      { label: 'audit file', value: `${cfg.auditPath}${cfg.kubernetesEvents ? ' (+ Kubernetes Events)' : ''}` },
      { label: 'changes on this context', value: ro === 'flag' ? 'refused (--readonly)' : ro === 'config' ? 'refused (readOnly in the config file)' : 'allowed (previewed, confirmed, audited)' },
      { label: 'scale limits', value: `typed confirmation above ${cfg.scale.bulkConfirmThreshold} applications or to zero; warn beyond x${cfg.scale.maxFactor}; ${cfg.scale.concurrency} requests in flight` },
    ];
  } catch (err) {
    return [{ label: 'audit / scale config', value: describeError(err), warn: true }];
  }
}
