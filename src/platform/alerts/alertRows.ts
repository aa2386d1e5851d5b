import type { ContextRuntime } from '../contextRuntime.js';
import { DialogState } from '../stores/dialogState.js';
import type { Alert, Silence } from './alertModel.js';

// The rows of the alerts and silences views: each alert or silence with the cluster it is
// in (a fleet view lists every cluster's), read from the contexts' alert stores, no I/O.

export interface AlertRow {
  /** `context/key`: unique over a fleet. */
  key: string;
  /** The kubeconfig context the alert comes from. */
  cluster: string;
  alert: Alert;
}

export interface SilenceRow {
  key: string;
  cluster: string;
  silence: Silence;
}

export function alertRows(contexts: readonly ContextRuntime[]): AlertRow[] {
  return contexts.flatMap((c) => c.alerts.alerts().map((alert) => ({ key: `${c.contextName}/${alert.key}`, cluster: c.contextName, alert })));
}

export function silenceRows(contexts: readonly ContextRuntime[]): SilenceRow[] {
  return contexts.flatMap((c) => (c.alerts.silences() ?? []).map((silence) => ({ key: `${c.contextName}/${silence.id}`, cluster: c.contextName, silence })));
}

/** `i` on an alert: its labels, annotations, rule and silences in a dialog over the list. */
export class AlertDetailState extends DialogState<AlertRow> {
  open(row: AlertRow): void {
    this.replace(row);
  }

  close(): void {
    this.replace(undefined);
  }
}
