import { KubeApiError, KubeUnreachableError } from '../kube/kubeErrors.js';
import type { ExecEnd } from './execStatus.js';

// One clear line for how an exec ended or why it could not start: for the status line after a
// shell, and for a pod's row in run-on-all-pods.

export function describeEnd(end: ExecEnd, server: string): string {
  switch (end.kind) {
    case 'exit':
      return end.code === 0 ? 'exit 0' : `exit code ${end.code}`;
    case 'error':
      return `the command could not run: ${end.message}`;
    case 'closed':
      return end.code === 1000 && !end.reason
        ? `the API server ${server} closed the stream before the command reported an exit code`
        : `connection to ${server} dropped (WebSocket ${end.code}${end.reason ? `: ${end.reason}` : ''})`;
    case 'detached':
      return 'detached (the remote process may keep running until the kubelet notices)';
  }
}

/** Why an exec could not start: the apiserver's own words for 403/404/400, the transport otherwise. */
export function describeStartFailure(err: unknown): string {
  if (err instanceof KubeApiError) {
    switch (err.status) {
      case 403:
        return `forbidden: ${err.apiMessage || err.message}`;
      case 404:
        return `pod gone: ${err.apiMessage || err.message}`;
      case 400:
        return `container not running or unknown: ${err.apiMessage || err.message}`;
      default:
        return err.message;
    }
  }
  if (err instanceof KubeUnreachableError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
