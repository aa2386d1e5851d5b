import type { ActionGate } from '../actions/actionGate.js';
import { describeAccess, type AccessAttributes } from '../actions/accessReview.js';

// "May I exec here?" before anything starts. Which verb the apiserver checks for a WebSocket
// exec depends on its version: `get` on pods/exec up to 1.34 (the lab's 1.34 says so), `create`
// where the AuthorizePodWebsocketUpgradeCreatePermission gate is on (as for SPDY). Either one
// allowed is enough to try; the server's own 403 still names the verb if it wants the other.

export interface ExecAccess {
  allowed: boolean;
  /** "create pods/exec web-1 in cart" (what is missing), with the authorizer's reason. */
  missing: string;
  reason: string;
}

export async function reviewExecAccess(gate: ActionGate, namespace: string, pod?: string): Promise<ExecAccess> {
  const attributes = (verb: string): AccessAttributes => ({ verb, group: '', resource: 'pods', subresource: 'exec', namespace, ...(pod ? { name: pod } : {}) });
  const [create, get] = await Promise.all([gate.canI(attributes('create')), gate.canI(attributes('get'))]);
  return {
    allowed: create.allowed || get.allowed,
    missing: `${describeAccess(attributes('create'))} (nor get)`,
    reason: create.reason || get.reason,
  };
}
