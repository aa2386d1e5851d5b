import { ReadOnlyError } from '../actions/readOnlyGuard.js';
import { runBounded } from '../actions/boundedPool.js';
import { confirmationWord, typedConfirmationMissing } from '../actions/typedConfirmation.js';
import { applyDelete, CASCADES, cascadeApplies, deletionState, dependentsLine, orphansLine, previewDelete, type Cascade, type DeleteCluster, type DeleteMode, type DeletePreview, type DeleteTarget, type OwnedListCache } from '../actions/deleteObjects.js';
import { describeError } from '../errors.js';
import { sanitize } from '../text/sanitize.js';
import { DialogState } from './dialogState.js';

// Ctrl-D (delete) and Ctrl-K (kill) over the view: the preview of every object (access review,
// the server's dry-run with the cascade chosen — Tab switches it where it means something —,
// what goes with it or is orphaned), a confirmation (y or Enter for one object; the
// system's or namespace's name typed for several, or for a namespace), the deletions through each
// object's own cluster's gate, then each followed until it is gone. A store outside React, like
// the scale dialog; the overlay draws it and sends it keys.

export type DeleteItemStatus = 'previewing' | 'ready' | 'skipped' | 'sending' | 'terminating' | 'gone' | 'failed';

export interface DeleteItem {
  target: DeleteTarget;
  status: DeleteItemStatus;
  preview?: DeletePreview;
  /** Why it is skipped or failed; what keeps it (finalizers) while terminating. */
  message?: string;
}

export type DeletePhase = 'previewing' | 'confirm' | 'deleting' | 'done';

export interface DeleteDialogState {
  mode: DeleteMode;
  /** kubectl's --cascade (propagationPolicy), for the objects it applies to (cascadeApplies). */
  cascade: Cascade;
  /** Whether any object takes the cascade (an owner kind, or one the preview found owning something). */
  cascadeOffered: boolean;
  phase: DeletePhase;
  items: DeleteItem[];
  /** Typed before Enter deletes: several objects, or a namespace. */
  confirmWord?: string;
  confirmInput: string;
  note?: string;
}

export interface DeleteDialogDeps {
  /** The cluster a target is in (its gate, discovery); undefined when that context is gone. */
  cluster(context: string): DeleteCluster | undefined;
  say(text: string, level?: 'info' | 'warn' | 'error'): void;
  /** How often a deleted object is looked at until it is gone (default 500 ms). */
  pollMs?: number;
  /** How long a terminating object may take before its finalizers are named (default 5 s). */
  lingerMs?: number;
}

const MAX_CONFIRM_INPUT = 253;

function label(t: DeleteTarget): string {
  return `${t.ref.kind} ${t.ref.namespace ? `${t.ref.namespace}/` : ''}${t.ref.name}`;
}

/** The garbage collector's own finalizers (the cascade at work) are said at once; another's only once it lingers. */
function terminatingMessage(finalizers: readonly string[], lingering: boolean): string {
  const others = finalizers.filter((f) => f !== 'foregroundDeletion' && f !== 'orphan');
  if (lingering && others.length > 0) return `waiting on finalizers: ${others.join(', ')}`;
  if (finalizers.includes('foregroundDeletion')) return 'Terminating: what it owns goes first (Foreground)';
  if (finalizers.includes('orphan')) return 'Terminating: orphaning what it owns';
  return 'terminating';
}

export class DeleteDialogStore extends DialogState<DeleteDialogState> {
  private abort: AbortController | undefined;
  /** The owned kinds' lists read for this dialog, per context: a preview again (another cascade) reads none again. */
  private lists = new Map<string, OwnedListCache>();

  constructor(private readonly deps: DeleteDialogDeps) {
    super();
  }

  /** Previews the deletion (or kill) of `targets`; refused at once on a read-only context. */
  open(targets: readonly DeleteTarget[], mode: DeleteMode): void {
    if (targets.length === 0) return;
    for (const context of new Set(targets.map((t) => t.context))) {
      const cluster = this.deps.cluster(context);
      if (!cluster) return this.deps.say(`context ${context} is not open any more`, 'error');
      try {
        cluster.gate.assertWritable(mode);
      } catch (err) {
        if (err instanceof ReadOnlyError) {
          const gate = cluster.gate;
          void gate.note(targets.filter((t) => t.context === context).map((t) => gate.record({ action: mode, target: { namespace: t.ref.namespace ?? '', kind: t.ref.kind, name: t.ref.name } }, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`))).catch(() => undefined);
        }
        return this.deps.say(describeError(err), 'error');
      }
    }
    this.stop();
    this.lists = new Map();
    const cascadeOffered = targets.some((t) => cascadeApplies(mode, t.ref));
    this.replace({ mode, cascade: 'Background', cascadeOffered, phase: 'previewing', items: targets.map((target) => ({ target, status: 'previewing' })), confirmInput: '' });
    this.startPreview();
  }

  /** Tab: the next cascade (Background, Foreground, Orphan), previewed again by the server's dry-run; false when no object takes one. */
  cycleCascade(): boolean {
    const s = this.state;
    if (!s?.cascadeOffered || (s.phase !== 'previewing' && s.phase !== 'confirm')) return false;
    const cascade = CASCADES[(CASCADES.indexOf(s.cascade) + 1) % CASCADES.length];
    this.replace({ ...s, cascade, phase: 'previewing', note: undefined, items: s.items.map((i) => ({ ...i, status: 'previewing', message: undefined })) });
    this.startPreview();
    return true;
  }

  private startPreview(): void {
    this.stop();
    const abort = (this.abort = new AbortController());
    void this.preview(abort.signal);
  }

  private async preview(signal: AbortSignal): Promise<void> {
    const s = this.state!;
    // Marked objects of one namespace share its lists of owned kinds (one read per cluster and namespace).
    await runBounded(s.items, 4, async (item, i) => {
      const cluster = this.deps.cluster(item.target.context);
      const cache = this.lists.get(item.target.context) ?? new Map();
      this.lists.set(item.target.context, cache);
      const preview = cluster ? await previewDelete(cluster, item.target, s.mode, signal, cache, s.cascade).catch(() => undefined) : undefined;
      if (signal.aborted || !this.state) return;
      const items = this.state.items.slice();
      items[i] = preview ? { ...item, preview, status: preview.ok ? 'ready' : 'skipped', message: preview.reason } : { ...item, status: 'skipped', message: 'context not open' };
      this.progress({ ...this.state, items });
    }, signal);
    if (signal.aborted || !this.state) return;
    const items = this.state.items;
    const ready = items.filter((i) => i.status === 'ready');
    const cascadeOffered = items.some((i) => cascadeApplies(s.mode, i.target.ref, i.preview?.dependents));
    if (ready.length === 0) return this.replace({ ...this.state, cascadeOffered, phase: 'done', note: 'nothing to delete' });
    const namespaceItem = ready.find((i) => i.target.ref.kind === 'Namespace' && !i.target.ref.group);
    let confirmWord: string | undefined;
    if (ready.length === 1 && namespaceItem) confirmWord = namespaceItem.target.ref.name;
    else if (ready.length > 1) {
      const contexts = [...new Set(ready.map((i) => i.target.context))];
      const systems = [...new Set(ready.map((i) => i.target.ref.namespace ?? ''))].filter(Boolean);
      confirmWord = contexts.length === 1 ? confirmationWord(systems, contexts[0]) : `${contexts.length}-clusters`;
    }
    this.replace({ ...this.state, cascadeOffered, phase: 'confirm', confirmWord });
  }

  type(text: string): void {
    const s = this.state;
    if (s?.phase !== 'confirm' || !s.confirmWord || s.confirmInput.length + text.length > MAX_CONFIRM_INPUT) return;
    this.replace({ ...s, confirmInput: s.confirmInput + text, note: undefined });
  }

  backspace(): void {
    const s = this.state;
    if (s?.phase === 'confirm' && s.confirmWord) this.replace({ ...s, confirmInput: s.confirmInput.slice(0, -1), note: undefined });
  }

  /** `y`: confirms one object (with a word to type, `y` is a letter of it: false). */
  yes(): boolean {
    const s = this.state;
    if (s?.phase !== 'confirm' || s.confirmWord) return false;
    this.enter();
    return true;
  }

  enter(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'done') return this.close();
    if (s.phase !== 'confirm') return;
    const missing = typedConfirmationMissing(s.confirmWord, s.confirmInput);
    if (missing) return this.replace({ ...s, note: missing });
    this.replace({ ...s, phase: 'deleting', note: undefined });
    void this.delete(this.abort!.signal);
  }

  private setItem(i: number, change: Partial<DeleteItem>): void {
    if (!this.state) return;
    const items = this.state.items.slice();
    items[i] = { ...items[i], ...change };
    this.progress({ ...this.state, items });
  }

  private async delete(signal: AbortSignal): Promise<void> {
    const s = this.state!;
    const operations = new Map<string, string>();
    await runBounded(s.items, 8, async (item, i) => {
      if (item.status !== 'ready' || !item.preview) return;
      const cluster = this.deps.cluster(item.target.context);
      if (!cluster) return this.setItem(i, { status: 'failed', message: 'context not open any more' });
      if (s.items.length > 1 && !operations.has(item.target.context)) operations.set(item.target.context, cluster.gate.newOperationId());
      this.setItem(i, { status: 'sending' });
      try {
        await applyDelete(cluster.gate, item.preview, s.mode, operations.get(item.target.context));
      } catch (err) {
        return this.setItem(i, { status: 'failed', message: sanitize(describeError(err)) });
      }
      await this.follow(i, cluster, signal);
    }, signal);
    if (signal.aborted || !this.state) return;
    const items = this.state.items;
    const gone = items.filter((i) => i.status === 'gone');
    const failed = items.filter((i) => i.status === 'failed');
    const verb = s.mode === 'kill' ? 'killed' : 'deleted';
    if (failed.length === 0 && gone.length === 1) {
      const p = gone[0].preview;
      const what = dependentsLine(p?.dependents ?? []);
      this.close();
      if (p?.cascade === 'Orphan' && what) return this.deps.say(`${verb} ${label(gone[0].target)} (Orphan): ${orphansLine(p)} stay, no longer owned`);
      return this.deps.say(`${verb} ${label(gone[0].target)}${p?.cascade === 'Foreground' ? ' (Foreground)' : ''}${what ? `; ${what} go with it` : ''}`);
    }
    if (failed.length === 0) {
      this.close();
      return this.deps.say(`${verb} ${gone.length} objects`);
    }
    this.replace({ ...this.state, phase: 'done', note: `${gone.length} ${verb}, ${failed.length} failed` });
  }

  /** Looks at the deleted object until it is gone; one that lingers names its finalizers. */
  private async follow(i: number, cluster: DeleteCluster, signal: AbortSignal): Promise<void> {
    const item = this.state!.items[i];
    const pollMs = this.deps.pollMs ?? 500;
    const lingerMs = this.deps.lingerMs ?? 5_000;
    const started = Date.now();
    while (!signal.aborted) {
      try {
        const st = await deletionState(cluster.gate.session, item.target.ref, item.preview?.uid, signal);
        if (st.kind === 'gone') return this.setItem(i, { status: 'gone', message: undefined });
        this.setItem(i, { status: 'terminating', message: terminatingMessage(st.finalizers, Date.now() - started >= lingerMs) });
      } catch (err) {
        if (signal.aborted) return;
        this.setItem(i, { status: 'terminating', message: `cannot read it: ${sanitize(describeError(err))}` });
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  /** Esc: closes the dialog; deletions already sent go on in the cluster (said so). */
  escape(): void {
    const s = this.state;
    if (s?.phase === 'deleting') this.deps.say('stopped following the deletion; what was sent goes on in the cluster', 'warn');
    this.close();
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = undefined;
  }

  close(): void {
    this.stop();
    this.replace(undefined);
  }
}
