import { describeError } from '../errors.js';
import type { ActionGate } from '../actions/actionGate.js';
import { placedTemplateLines, templateDiff } from '../actions/templateDiff.js';
import { applyRollback, changeSummary, listRevisions, previewRollback, readRolloutStatus, templateLines, type Revision, type RollbackPreview, type RolloutRef, type RolloutStatus } from '../actions/rolloutHistory.js';

// An application's revisions (`H`), a diff between any two, and a rollback to one (`R`) with its
// dry-run preview, confirmation and progress until the rollout completes or stalls. Outside
// React: the history pane draws the snapshot and turns keys into calls.

export type HistoryMode = 'list' | 'diff' | 'rollback';

export interface RollbackState {
  phase: 'previewing' | 'preview' | 'applying' | 'watching' | 'done';
  preview?: RollbackPreview;
  status?: RolloutStatus;
  /** The rollout did not finish within the timeout. */
  stalled?: boolean;
  startedAt?: number;
  error?: string;
}

export interface HistorySnapshot {
  ref: RolloutRef;
  state: 'loading' | 'ready' | 'error';
  revisions: Revision[];
  error?: string;
  cursor: number;
  /** Revision number marked with Space: the diff compares the selected one with it. */
  mark?: number;
  mode: HistoryMode;
  diff?: { title: string; lines: string[] };
  /** First line shown of the diff or the rollback preview. */
  scroll: number;
  rollback?: RollbackState;
}

export interface RolloutHistoryDeps {
  gate(): ActionGate;
  now?: () => number;
  /** How long a rollout may take before it is reported as stalled. */
  timeoutMs?: () => number;
  pollMs?: number;
  /** A line for the preview when another console changed the application lately (the war-room feed). */
  recentChange?(ref: RolloutRef): string | undefined;
}

export class RolloutHistoryStore {
  private listeners = new Set<() => void>();
  private snap: HistorySnapshot | undefined;
  private abort: AbortController | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** A revision to select and diff once the revisions are read (Enter on a timeline rollout). */
  private focus: number | undefined;

  constructor(private readonly deps: RolloutHistoryDeps) {}

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snap;

  private set(patch: Partial<HistorySnapshot>): void {
    if (!this.snap) return;
    this.snap = { ...this.snap, ...patch };
    for (const l of [...this.listeners]) l();
  }

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  open(ref: RolloutRef): void {
    const s = this.snap;
    if (s && s.ref.kind === ref.kind && s.ref.namespace === ref.namespace && s.ref.name === ref.name) return;
    this.close();
    this.snap = { ref, state: 'loading', revisions: [], cursor: 0, mode: 'list', scroll: 0 };
    void this.load();
  }

  /** Selects a revision and shows its diff against the one before it (now, or once read). */
  focusRevision(revision: number): void {
    const s = this.snap;
    if (!s) return;
    const i = s.revisions.findIndex((r) => r.revision === revision);
    if (s.state !== 'ready' || i < 0) {
      this.focus = revision;
      return;
    }
    this.set({ cursor: i, mode: 'list', mark: s.revisions[i + 1]?.revision });
    this.showDiff();
  }

  close(): void {
    this.focus = undefined;
    this.abort?.abort();
    this.abort = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.snap = undefined;
  }

  /** Reads the revisions again (after a rollback the numbers change). */
  async load(): Promise<void> {
    const s = this.snap;
    if (!s) return;
    const ac = new AbortController();
    this.abort = ac;
    try {
      const revisions = await listRevisions(this.deps.gate().session, s.ref, ac.signal);
      if (this.snap?.ref !== s.ref) return;
      const selected = this.snap.revisions[this.snap.cursor]?.name;
      const focus = this.focus === undefined ? -1 : revisions.findIndex((r) => r.revision === this.focus);
      this.focus = undefined;
      const cursor = Math.max(0, focus >= 0 ? focus : revisions.findIndex((r) => r.name === selected));
      this.set({ state: 'ready', revisions, cursor, error: undefined, ...(focus >= 0 ? { mark: revisions[focus + 1]?.revision } : {}) });
      if (focus >= 0) this.showDiff();
    } catch (err) {
      if (ac.signal.aborted || this.snap?.ref !== s.ref) return;
      this.set({ state: 'error', error: describeError(err) });
    }
  }

  get selected(): Revision | undefined {
    return this.snap?.revisions[this.snap.cursor];
  }

  move(delta: number): void {
    const s = this.snap;
    if (!s) return;
    if (s.mode !== 'list') return this.set({ scroll: Math.max(0, s.scroll + delta) });
    this.set({ cursor: Math.max(0, Math.min(s.revisions.length - 1, s.cursor + delta)) });
  }

  toggleMark(): void {
    const r = this.selected;
    if (!r || this.snap?.mode !== 'list') return;
    this.set({ mark: this.snap.mark === r.revision ? undefined : r.revision });
  }

  /** The selected revision against the marked one, else against the one running now (else the one before). */
  showDiff(): void {
    const s = this.snap;
    const to = this.selected;
    if (!s || !to) return;
    const base = s.revisions.find((r) => r.revision === s.mark && r !== to) ?? s.revisions.find((r) => r.current && r !== to) ?? s.revisions[s.cursor + 1];
    if (!base) return this.set({ mode: 'diff', scroll: 0, diff: { title: `revision ${to.revision}: the only revision`, lines: templateLines(to.template).map((l) => `  ${l}`) } });
    const [from, into] = base.revision < to.revision ? [base, to] : [to, base];
    const lines = templateDiff(placedTemplateLines(from.template), placedTemplateLines(into.template));
    const label = (r: Revision) => `revision ${r.revision}${r.current ? ' (running)' : ''}`;
    this.set({ mode: 'diff', scroll: 0, diff: { title: `${label(from)} -> ${label(into)}: ${changeSummary(from, into)}`, lines: lines.length ? lines : ['  (the templates are the same)'] } });
  }

  /**
   * Esc: from a diff or a rollback back to the list; false in the list (the pane closes). While
   * the rollback is being sent it stays: its outcome (applied or refused) is what the user waits for.
   */
  back(): boolean {
    const s = this.snap;
    if (!s || s.mode === 'list') return false;
    const phase = s.mode === 'rollback' ? s.rollback?.phase : undefined;
    if (phase === 'applying') return true;
    if (phase === 'watching') {
      this.stopWatching();
      this.set({ mode: 'list', rollback: undefined, scroll: 0 });
      void this.load();
      return true;
    }
    // Only a preview is cancelled: a reading of the revisions (after a rollback) goes on.
    if (phase === 'previewing') this.abort?.abort();
    this.set({ mode: 'list', rollback: undefined, diff: undefined, scroll: 0 });
    return true;
  }

  /** `R`: the guard first, then the dry-run preview of rolling back to the selected revision. */
  async startRollback(): Promise<string | undefined> {
    const s = this.snap;
    const to = this.selected;
    if (!s || !to || s.mode !== 'list') return undefined;
    const gate = this.deps.gate();
    try {
      gate.assertWritable('rollback');
    } catch (err) {
      return describeError(err);
    }
    const ac = new AbortController();
    this.abort = ac;
    this.set({ mode: 'rollback', scroll: 0, rollback: { phase: 'previewing' } });
    try {
      const preview = await previewRollback(gate, s.ref, to, ac.signal);
      if (this.abort !== ac) return undefined;
      this.set({ rollback: { phase: 'preview', preview } });
    } catch (err) {
      if (!ac.signal.aborted) this.set({ rollback: { phase: 'done', error: describeError(err) } });
    }
    return undefined;
  }

  /** A warning line for the preview: another console changed this application lately. */
  recentChange(): string | undefined {
    return this.snap ? this.deps.recentChange?.(this.snap.ref) : undefined;
  }

  /** Enter on the preview: the rollback through the gate, then its progress. */
  async confirm(): Promise<void> {
    const r = this.snap?.rollback;
    if (!r || r.phase !== 'preview' || !r.preview?.ok) return;
    this.set({ rollback: { ...r, phase: 'applying' } });
    try {
      await applyRollback(this.deps.gate(), r.preview);
    } catch (err) {
      this.set({ rollback: { ...r, phase: 'done', error: describeError(err) } });
      return;
    }
    this.set({ rollback: { ...r, phase: 'watching', startedAt: this.now } });
    void this.load();
    this.poll();
  }

  private stopWatching(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    const s = this.snap;
    const r = s?.rollback;
    if (!s || !r || r.phase !== 'watching') return;
    const ref = s.ref;
    void readRolloutStatus(this.deps.gate().session, ref)
      .then((status) => {
        const cur = this.snap?.rollback;
        if (this.snap?.ref !== ref || !cur || cur.phase !== 'watching') return;
        const stalled = !status.done && this.now - (cur.startedAt ?? this.now) > (this.deps.timeoutMs?.() ?? 300_000);
        if (status.done || status.failed || stalled) {
          this.set({ rollback: { ...cur, phase: 'done', status, stalled } });
          void this.load();
          return;
        }
        this.set({ rollback: { ...cur, status } });
        this.timer = setTimeout(() => this.poll(), this.deps.pollMs ?? 1000);
      })
      .catch((err: unknown) => {
        const cur = this.snap?.rollback;
        if (this.snap?.ref !== ref || !cur) return;
        this.set({ rollback: { ...cur, status: { done: false, failed: false, message: `cannot read the rollout: ${describeError(err)}` } } });
        this.timer = setTimeout(() => this.poll(), this.deps.pollMs ?? 1000);
      });
  }
}
