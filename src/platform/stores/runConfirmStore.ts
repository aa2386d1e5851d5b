import { DialogState } from './dialogState.js';
import { confirmationWord, typedConfirmationMissing } from '../actions/typedConfirmation.js';

// `:run` before anything runs: what it will run where, and Enter to start (with the system name
// typed when it covers many pods). The same shape as the scale dialog's preview: a store
// outside React that the overlay draws and sends keys to; the run itself starts through the
// gate only after the confirmation.

export interface RunPlan {
  context: string;
  /** Namespaces of the pods, sorted. */
  systems: string[];
  /** "Deployment/cart-api in cart", "12 listed pods in cart (filter api)". */
  scope: string;
  pods: Array<{ namespace: string; name: string }>;
  /** Listed pods that are not Running and are left out. */
  skipped: number;
  /** undefined: each pod's default container. */
  container?: string;
  command: string[];
}

export interface RunConfirmState {
  plan: RunPlan;
  /** What must be typed before Enter starts the run, when it covers more pods than the threshold. */
  confirmWord?: string;
  confirmInput: string;
  note?: string;
}

export interface RunConfirmDeps {
  /** More pods than this need the confirmation word typed (`exec.confirmThreshold`). */
  threshold(): number;
  /** Starts the confirmed run (through the gate). */
  launch(plan: RunPlan): void;
}

/** Longest confirmation word anyone types; more is not a system name. */
const MAX_CONFIRM_INPUT = 253;

export class RunConfirmStore extends DialogState<RunConfirmState> {
  constructor(private readonly deps: RunConfirmDeps) {
    super();
  }


  open(plan: RunPlan): void {
    const confirmWord = plan.pods.length > this.deps.threshold() ? confirmationWord(plan.systems, plan.context) : undefined;
    this.replace({ plan, confirmWord, confirmInput: '' });
  }

  type(ch: string): void {
    const s = this.state;
    if (!s?.confirmWord || s.confirmInput.length + ch.length > MAX_CONFIRM_INPUT) return;
    this.replace({ ...s, confirmInput: s.confirmInput + ch, note: undefined });
  }

  backspace(): void {
    const s = this.state;
    if (s?.confirmWord) this.replace({ ...s, confirmInput: s.confirmInput.slice(0, -1), note: undefined });
  }

  enter(): void {
    const s = this.state;
    if (!s) return;
    const missing = typedConfirmationMissing(s.confirmWord, s.confirmInput);
    if (missing) return this.replace({ ...s, note: missing });
    this.replace(undefined);
    this.deps.launch(s.plan);
  }

  escape(): void {
    this.replace(undefined);
  }
}
