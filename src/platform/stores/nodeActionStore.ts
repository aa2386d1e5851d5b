import { describeError } from '../errors.js';
import type { ActionGate } from '../actions/actionGate.js';
import { applyCordon, previewCordon, type CordonPreview } from '../actions/nodeCordon.js';
import { planDrain, runDrain, type DrainPlan, type DrainProgress } from '../actions/nodeDrain.js';
import { typedConfirmationMissing } from '../actions/typedConfirmation.js';
import { DialogState } from './dialogState.js';

// `c` (cordon / uncordon) and `D` (drain) on the Nodes view: the preview (access review, dry-run),
// the confirmation (the context's name typed when it covers several nodes, or for a drain), then
// the change through the gate with its progress; Esc stops a drain and leaves the node cordoned.
// The UI draws the state and sends keys; this store does the work.

export interface NodeTarget {
  name: string;
  uid?: string;
  unschedulable: boolean;
}

interface Common {
  context: string;
  nodes: NodeTarget[];
  /** What must be typed before Enter applies; undefined: Enter alone. */
  confirmWord?: string;
  confirmInput: string;
  note?: string;
}

export type NodeActionState =
  | (Common & { kind: 'cordon'; unschedulable: boolean; phase: 'checking' | 'preview' | 'applying' | 'done'; preview?: CordonPreview[]; results?: Array<{ name: string; outcome: string; ok: boolean }> })
  | (Common & { kind: 'drain'; phase: 'checking' | 'preview' | 'running' | 'done'; plans?: DrainPlan[]; progress?: DrainProgress[]; message?: string });

export interface NodeActionConfig {
  /** The whole drain of one node gives up after this long. */
  drainTimeoutMs: number;
  /** Pause between tries of an eviction a budget refuses. */
  retryMs: number;
}

export const DRAIN_DEFAULTS: NodeActionConfig = { drainTimeoutMs: 10 * 60_000, retryMs: 5_000 };

export class NodeActionStore extends DialogState<NodeActionState> {
  private gate: ActionGate | undefined;
  private abort: AbortController | undefined;

  constructor(private readonly config: () => NodeActionConfig = () => DRAIN_DEFAULTS) {
    super();
  }

  /** Cordon (`c`; uncordon when every node is cordoned already) or uncordon (`u`) the nodes, after a preview. */
  openCordon(gate: ActionGate, nodes: NodeTarget[], mode: 'toggle' | 'uncordon' = 'toggle'): void {
    const unschedulable = mode === 'toggle' && !nodes.every((n) => n.unschedulable);
    this.start(gate);
    const signal = this.abort!.signal;
    const context = gate.session.contextName;
    this.replace({ kind: 'cordon', unschedulable, context, nodes, phase: 'checking', confirmWord: nodes.length > 1 ? context : undefined, confirmInput: '' });
    previewCordon(gate, nodes, unschedulable, signal).then(
      (preview) => this.whileOpen(signal, (s) => s.kind === 'cordon' && this.replace({ ...s, phase: 'preview', preview })),
      (err: unknown) => this.whileOpen(signal, (s) => this.replace({ ...s, phase: 'preview', note: describeError(err) })),
    );
  }

  /** Drain the nodes (one after the other), after a preview of each. */
  openDrain(gate: ActionGate, nodes: NodeTarget[]): void {
    this.start(gate);
    const signal = this.abort!.signal;
    const context = gate.session.contextName;
    // A drain moves every pod of a node: always the context's name typed, as for a large scale.
    this.replace({ kind: 'drain', context, nodes, phase: 'checking', confirmWord: context, confirmInput: '' });
    Promise.all(nodes.map((n) => planDrain(gate, n, signal))).then(
      (plans) => this.whileOpen(signal, (s) => s.kind === 'drain' && this.replace({ ...s, phase: 'preview', plans })),
      (err: unknown) => this.whileOpen(signal, (s) => this.replace({ ...s, phase: 'preview', note: describeError(err) })),
    );
  }

  private start(gate: ActionGate): void {
    this.abort?.abort();
    this.abort = new AbortController();
    this.gate = gate;
  }

  private whileOpen(signal: AbortSignal, f: (s: NodeActionState) => void): void {
    if (!signal.aborted && this.state) f(this.state);
  }

  type(ch: string): void {
    const s = this.state;
    if (!s?.confirmWord || s.phase !== 'preview' || s.confirmInput.length + ch.length > 253) return;
    this.replace({ ...s, confirmInput: s.confirmInput + ch, note: undefined });
  }

  backspace(): void {
    const s = this.state;
    if (s?.confirmWord && s.phase === 'preview') this.replace({ ...s, confirmInput: s.confirmInput.slice(0, -1), note: undefined });
  }

  enter(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'done') return this.close();
    if (s.phase !== 'preview') return;
    const missing = typedConfirmationMissing(s.confirmWord, s.confirmInput);
    if (missing) return this.replace({ ...s, note: missing });
    if (s.kind === 'cordon') return this.applyCordon(s);
    return this.applyDrain(s);
  }

  /** Esc: a preview closes (nothing sent); a running drain stops (the node stays cordoned); a result closes. */
  escape(): void {
    const s = this.state;
    if (s?.kind === 'drain' && s.phase === 'running') {
      this.abort?.abort();
      return this.replace({ ...s, message: 'stopping: no new eviction is sent; the node stays cordoned' });
    }
    if (s?.kind === 'cordon' && s.phase === 'applying') return;
    this.close();
  }

  close(): void {
    this.abort?.abort();
    this.replace(undefined);
  }

  private applyCordon(s: Extract<NodeActionState, { kind: 'cordon' }>): void {
    const gate = this.gate!;
    const operation = gate.newOperationId();
    const todo = s.nodes.filter((n) => s.preview?.find((p) => p.name === n.name && p.ok && !p.unchanged));
    if (todo.length === 0) return this.replace({ ...s, note: 'nothing to change: every node is refused or already so' });
    this.replace({ ...s, phase: 'applying', note: undefined });
    const verb = s.unschedulable ? 'cordoned' : 'uncordoned';
    void Promise.all(
      todo.map((n) =>
        applyCordon(gate, n.name, s.unschedulable, operation, n.uid).then(
          () => ({ name: n.name, ok: true, outcome: `${verb} (audited)` }),
          (err: unknown) => ({ name: n.name, ok: false, outcome: describeError(err) }),
        ),
      ),
    ).then((results) => {
      const cur = this.state;
      if (cur?.kind === 'cordon') this.replace({ ...cur, phase: 'done', results });
    });
  }

  private applyDrain(s: Extract<NodeActionState, { kind: 'drain' }>): void {
    const gate = this.gate!;
    const plans = (s.plans ?? []).filter((p) => !p.problem);
    if (plans.length === 0) return this.replace({ ...s, note: 'nothing to drain: every node is refused' });
    const operation = gate.newOperationId();
    const abort = new AbortController();
    this.abort = abort;
    const progress: DrainProgress[] = plans.map((p) => ({ node: p.node, phase: p.cordoned ? 'evicting' : 'cordoning', pods: [] }));
    this.replace({ ...s, phase: 'running', progress, note: undefined });
    const cfg = this.config();
    void (async () => {
      for (let i = 0; i < plans.length && !abort.signal.aborted; i++) {
        await runDrain(gate, plans[i], {
          operation,
          signal: abort.signal,
          timeoutMs: cfg.drainTimeoutMs,
          retryMs: cfg.retryMs,
          concurrency: 10,
          onProgress: (p) => {
            progress[i] = p;
            const cur = this.state;
            if (cur?.kind === 'drain') this.progress({ ...cur, progress: [...progress] });
          },
        });
      }
      const cur = this.state;
      if (cur?.kind === 'drain') this.replace({ ...cur, phase: 'done', progress: [...progress], message: abort.signal.aborted ? 'drain stopped by Esc: the nodes stay cordoned (c uncordons)' : undefined });
    })();
  }
}
