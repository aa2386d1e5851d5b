import { describeError } from '../errors.js';
import type { ActionGate } from '../actions/actionGate.js';
import { defaultDrainFlags, parseGracePeriod, parseTimeout, type DrainFlags } from '../actions/drainFlags.js';
import { applyCordon, previewCordon, type CordonPreview } from '../actions/nodeCordon.js';
import { planDrain, runDrain, type DrainPlan, type DrainProgress } from '../actions/nodeDrain.js';
import { typedConfirmationMissing } from '../actions/typedConfirmation.js';
import { DialogState } from './dialogState.js';

// `c` (cordon / uncordon) and `D` (drain) on the Nodes view: the preview (access review, dry-run),
// the confirmation (the context's name typed when it covers several nodes, or for a drain), then
// the change through the gate with its progress; Esc stops a drain and leaves the node cordoned.
// A drain's preview is also where its options are set (kubectl drain's flags, drainFlags.ts): each
// one that changes the plan plans it again; Enter goes on to the typed confirmation only when no
// pod blocks the drain; --disable-eviction is turned on only by typing `delete`.
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

/** A drain option typed in the dialog; `disableEviction` is the word that turns it on. */
export type DrainField = 'gracePeriod' | 'timeout' | 'podSelector' | 'disableEviction';

export interface DrainEditing {
  field: DrainField;
  input: string;
  error?: string;
}

/** The word typed to turn --disable-eviction on. */
export const DISABLE_EVICTION_WORD = 'delete';

export type NodeActionState =
  | (Common & { kind: 'cordon'; unschedulable: boolean; phase: 'checking' | 'preview' | 'applying' | 'done'; preview?: CordonPreview[]; results?: Array<{ name: string; outcome: string; ok: boolean }> })
  | (Common & { kind: 'drain'; phase: 'checking' | 'preview' | 'confirm' | 'running' | 'done'; flags: DrainFlags; editing?: DrainEditing; plans?: DrainPlan[]; progress?: DrainProgress[]; message?: string });

type DrainState = Extract<NodeActionState, { kind: 'drain' }>;

export interface NodeActionConfig {
  /** The whole drain of one node gives up after this long, unless the dialog sets another timeout. */
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
    const context = gate.session.contextName;
    // A drain moves every pod of a node: always the context's name typed, as for a large scale.
    this.replace({ kind: 'drain', context, nodes, phase: 'checking', flags: defaultDrainFlags(this.config().drainTimeoutMs), confirmWord: context, confirmInput: '' });
    this.planDrains();
  }

  /** Plans every node again with the options now set (the plans shown meanwhile stay until the new ones come). */
  private planDrains(): void {
    const s = this.state;
    if (s?.kind !== 'drain') return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const signal = abort.signal;
    const gate = this.gate!;
    this.replace({ ...s, phase: 'checking', note: undefined });
    Promise.all(s.nodes.map((n) => planDrain(gate, n, s.flags, signal))).then(
      (plans) => this.whileOpen(signal, (cur) => cur.kind === 'drain' && this.replace({ ...cur, phase: 'preview', plans })),
      (err: unknown) => this.whileOpen(signal, (cur) => this.replace({ ...cur, phase: 'preview', note: describeError(err) })),
    );
  }

  /** The drain's preview, with no option being typed: where its option keys act. */
  private drainOptions(): DrainState | undefined {
    const s = this.state;
    return s?.kind === 'drain' && (s.phase === 'preview' || s.phase === 'checking') && !s.editing ? s : undefined;
  }

  /** `e` (--delete-emptydir-data) and `f` (--force): on or off, then planned again; false outside the drain's options. */
  toggleDrainFlag(flag: 'deleteEmptyDirData' | 'force'): boolean {
    const s = this.drainOptions();
    if (!s) return false;
    this.replace({ ...s, flags: { ...s.flags, [flag]: !s.flags[flag] } });
    this.planDrains();
    return true;
  }

  /**
   * `g` (grace period), `t` (timeout), `l` (pod selector): typed, then Enter sets it. `x`: turns
   * --disable-eviction off at once, or asks for the word that turns it on.
   */
  editDrainField(field: DrainField): boolean {
    const s = this.drainOptions();
    if (!s) return false;
    if (field === 'disableEviction' && s.flags.disableEviction) {
      this.replace({ ...s, flags: { ...s.flags, disableEviction: false } });
      this.planDrains();
      return true;
    }
    // Typed from empty (the dialog shows the value now): typing after a value kept would make another one (10m then 5m: 10m5m).
    this.replace({ ...s, editing: { field, input: '' }, note: undefined });
    return true;
  }

  private setDrainField(s: DrainState, e: DrainEditing): void {
    const f = s.flags;
    const keep = (error: string) => this.replace({ ...s, editing: { ...e, error } });
    const done = (flags: DrainFlags, replan: boolean) => {
      this.replace({ ...s, flags, editing: undefined });
      if (replan) this.planDrains();
    };
    if (e.field === 'gracePeriod') {
      const g = parseGracePeriod(e.input);
      return 'error' in g ? keep(g.error) : done({ ...f, gracePeriodSeconds: g.value }, false);
    }
    if (e.field === 'timeout') {
      if (e.input.trim() === '') return done(f, false);
      const t = parseTimeout(e.input);
      return 'error' in t ? keep(t.error) : done({ ...f, timeoutMs: t.value }, false);
    }
    if (e.field === 'podSelector') return done({ ...f, podSelector: e.input.trim() }, e.input.trim() !== f.podSelector);
    if (e.input.trim() !== DISABLE_EVICTION_WORD) return keep(`type ${DISABLE_EVICTION_WORD} to turn it on, or Esc to keep evicting`);
    done({ ...f, disableEviction: true }, true);
  }

  private start(gate: ActionGate): void {
    this.abort?.abort();
    this.abort = new AbortController();
    this.gate = gate;
  }

  private whileOpen(signal: AbortSignal, f: (s: NodeActionState) => void): void {
    if (!signal.aborted && this.state) f(this.state);
  }

  /** The phase where the confirmation word is typed: a cordon's preview, a drain's confirm step. */
  private confirming(): NodeActionState | undefined {
    const s = this.state;
    return s?.confirmWord && s.phase === (s.kind === 'drain' ? 'confirm' : 'preview') ? s : undefined;
  }

  type(ch: string): void {
    const s = this.state;
    if (s?.kind === 'drain' && s.editing) {
      if (s.editing.input.length + ch.length <= 253) this.replace({ ...s, editing: { ...s.editing, input: s.editing.input + ch, error: undefined } });
      return;
    }
    const c = this.confirming();
    if (!c || c.confirmInput.length + ch.length > 253) return;
    this.replace({ ...c, confirmInput: c.confirmInput + ch, note: undefined });
  }

  backspace(): void {
    const s = this.state;
    if (s?.kind === 'drain' && s.editing) return this.replace({ ...s, editing: { ...s.editing, input: s.editing.input.slice(0, -1), error: undefined } });
    const c = this.confirming();
    if (c) this.replace({ ...c, confirmInput: c.confirmInput.slice(0, -1), note: undefined });
  }

  enter(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'done') return this.close();
    if (s.kind === 'drain') return this.enterDrain(s);
    if (s.phase !== 'preview') return;
    const missing = typedConfirmationMissing(s.confirmWord, s.confirmInput);
    if (missing) return this.replace({ ...s, note: missing });
    return this.applyCordon(s);
  }

  /** The options (Enter: on to the confirmation, unless a pod blocks), then the typed word (Enter: drain). */
  private enterDrain(s: DrainState): void {
    if (s.editing) return this.setDrainField(s, s.editing);
    if (s.phase === 'preview') {
      const plans = s.plans ?? [];
      const blocking = plans.flatMap((p) => p.blocking);
      if (blocking.length) {
        const needs = [...new Set(blocking.flatMap((b) => b.needs))].map((n) => (n === 'force' ? 'f: --force' : 'e: --delete-emptydir-data'));
        return this.replace({ ...s, note: `refused: ${blocking.length} pod${blocking.length === 1 ? ' blocks' : 's block'} the drain (${needs.join(', ')})` });
      }
      if (plans.every((p) => p.problem)) return this.replace({ ...s, note: 'nothing to drain: every node is refused' });
      return this.replace({ ...s, phase: 'confirm', confirmInput: '', note: undefined });
    }
    if (s.phase !== 'confirm') return;
    const missing = typedConfirmationMissing(s.confirmWord, s.confirmInput);
    if (missing) return this.replace({ ...s, note: missing });
    this.applyDrain(s);
  }

  /** Esc: a preview closes (nothing sent); a running drain stops (the node stays cordoned); a result closes. */
  escape(): void {
    const s = this.state;
    if (s?.kind === 'drain' && s.editing) return this.replace({ ...s, editing: undefined });
    if (s?.kind === 'drain' && s.phase === 'confirm') return this.replace({ ...s, phase: 'preview', confirmInput: '', note: undefined });
    if (s?.kind === 'drain' && s.phase === 'running') {
      this.abort?.abort();
      return this.replace({ ...s, message: `stopping: no new ${s.flags.disableEviction ? 'deletion' : 'eviction'} is sent; the node stays cordoned` });
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

  private applyDrain(s: DrainState): void {
    const gate = this.gate!;
    // The grace period and the timeout change no plan (none was made again for them): the ones set now go.
    const plans = (s.plans ?? []).filter((p) => !p.problem).map((p) => ({ ...p, flags: s.flags }));
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
