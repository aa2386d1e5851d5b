import { scaleDialogFor, type ScaleDialogStore } from '../stores/scaleDialogStore.js';
import type { ConsoleRuntime } from '../consoleRuntime.js';
import { actionGateFor, actionsConfigFor } from './runtimeGate.js';

// The console session's scale dialog, wired to its one gate and config.
export function scaleDialog(runtime: ConsoleRuntime): ScaleDialogStore {
  return scaleDialogFor(runtime, { gate: () => actionGateFor(runtime), config: () => actionsConfigFor(runtime) });
}
