import { setMaxListeners } from 'node:events';
import { DialogState } from './dialogState.js';
import type { ActionsConfig } from '../../config/actionsConfig.js';
import { describeError } from '../errors.js';
import type { ActionGate } from '../actions/actionGate.js';
import { describeAccess } from '../actions/accessReview.js';
import { applyHpaChange, dryRunHpaChange, hpaChangeFor, type HpaChange } from '../actions/hpaLimits.js';
import { MAX_REPLICA_INPUT_LENGTH, MAX_REPLICAS, readReplicaInput } from '../actions/replicaMath.js';
import { applyRestart, previewRestart, type RestartPreview } from '../actions/rolloutRestart.js';
import { applyFleetScale, previewFleetScale } from '../actions/fleetScale.js';
import { MAX_FLEET_REPLICA_INPUT_LENGTH, readFleetReplicaInput, type FleetClusterName } from '../actions/fleetReplicaInput.js';
import { applicable, applyScale, previewScale, type ApplyResult, type ScaleItem, type ScalePreview } from '../actions/scaleOperation.js';
import { confirmationWord, typedConfirmationMissing } from '../actions/typedConfirmation.js';
import { UndoHistory } from '../actions/undoHistory.js';
import { kindInfo, refKey, type WorkloadRef } from '../actions/workloadRef.js';
import type { ClusterStore } from './clusterStore.js';
import { clusterLabels } from './fleetQueries.js';
import { glyphs } from '../../terminal/glyphs.js';

// The scale / restart dialog as a small state machine, outside React: the view draws the
// snapshot and turns keys into calls; every request goes through platform/actions (and so
// through the one gate). Nothing blocks: previews and applies run in the background with
// progress, and Esc aborts what has not been sent.
//
//   edit -> previewing -> preview -> applying -> watching -> done
//   (plan and undo start at previewing; restart and HPA limits skip watching)

export type DialogPhase = 'edit' | 'previewing' | 'preview' | 'applying' | 'watching' | 'done';

export interface DialogTarget {
  ref: WorkloadRef;
  desired: number;
  ready: number;
  /** Controlling owner of a ReplicaSet/ReplicationController (`Deployment/name`), for the preview's warning. */
  owner?: string;
  /** A fleet: the cluster (kubeconfig context) the application is in. */
  context?: string;
  /** A fleet: why this cluster is not asked (it does not answer, you may not list there). */
  leftOut?: string;
}

export interface ReadinessRow {
  ref: WorkloadRef;
  context?: string;
  to: number;
  desired: number;
  ready: number;
  /** Replicas that were not ready before the change: they are not waited for. */
  unreadyBefore: number;
  done: boolean;
}

export interface ScaleDialogState {
  kind: 'scale' | 'restart' | 'hpa';
  title: string;
  phase: DialogPhase;
  targets: DialogTarget[];
  /** Bulk: the system the targets are in (for the typed confirmation); undefined across systems. */
  system?: string;
  /** Plan or undo: the target counts are fixed, there is nothing to type. */
  fixed: boolean;
  input: string;
  /** The first key typed replaces the prefilled count. */
  inputFresh: boolean;
  /** A fleet's field: its clusters, so that `dc1=40 dc2=20` is read (see fleetReplicaInput.ts). */
  clusters?: FleetClusterName[];
  /** A fleet's preview: the contexts not named in `dc1=40 …`, left as they are. */
  kept?: string[];
  inputError?: string;
  preview?: ScalePreview;
  restart?: RestartPreview;
  hpaChange?: HpaChange;
  hpaDryRun?: string;
  /** What must be typed before Enter applies (the system name), when the change is large. */
  confirmWord?: string;
  confirmInput: string;
  progress?: { done: number; total: number; what: string };
  /** A fleet's apply: the requests of each cluster. */
  clusterProgress?: Array<{ context: string; done: number; total: number }>;
  results?: ApplyResult[];
  readiness?: ReadinessRow[];
  watchStarted?: number;
  timedOut?: boolean;
  error?: string;
  note?: string;
}

export interface ScaleDialogDeps {
  /** Made on first use: a bad config file is reported when the user acts, not at start-up. */
  gate(): ActionGate;
  config(): ActionsConfig;
  store: () => ClusterStore;
  say(text: string, level?: 'info' | 'warn' | 'error'): void;
  now?: () => number;
  /** A line for the preview when another console changed the application lately (the war-room feed). */
  recentChange?(ref: WorkloadRef): string | undefined;
  /**
   * A fleet (#12): the targets name their cluster and each cluster is previewed, changed and
   * watched through its own gate and rows; `gate()` is then only the first cluster's (for ids).
   */
  fleet?: {
    /** The fleet's contexts in order: the undo scope (`:ctx` takes them joined) and the confirmation word. */
    contexts(): string[];
    cluster(context: string): { gate: ActionGate; store: ClusterStore } | undefined;
  };
}

/**
 * The signal of a bulk preview or apply: every request in flight listens to it (the scale
 * concurrency, per cluster in a fleet), more than Node's default of ten, which would otherwise
 * print a MaxListenersExceededWarning over the screen. The listeners go with their requests.
 */
function bulkAbort(): AbortController {
  const ac = new AbortController();
  setMaxListeners(0, ac.signal);
  return ac;
}

/** A target or a row across clusters: its context with its kind, system and name. */
function placeKey(x: { ref: WorkloadRef; context?: string }): string {
  return `${x.context ?? ''}|${refKey(x.ref)}`;
}

export class ScaleDialogStore extends DialogState<ScaleDialogState> {
  readonly undo = new UndoHistory();
  private abort: AbortController | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  private items: ScaleItem[] = [];
  private action = 'scale';

  constructor(private readonly deps: ScaleDialogDeps) {
    super();
  }

  /** Merges into the open dialog's state; undefined closes it. */
  private set(patch: Partial<ScaleDialogState> | undefined): void {
    this.replace(patch === undefined ? undefined : ({ ...this.state, ...patch } as ScaleDialogState));
  }

  /** Merges a request's progress into the open dialog; drawn with the next coalesced notification. */
  private setProgress(patch: Partial<ScaleDialogState>): void {
    if (this.state) this.progress({ ...this.state, ...patch });
  }

  private get gate(): ActionGate {
    return this.deps.gate();
  }

  private get config(): ActionsConfig {
    return this.deps.config();
  }

  private get now(): number {
    return (this.deps.now ?? Date.now)();
  }

  /** The gate of a target's cluster (in a fleet), else the context's. */
  private gateOf = (context: string | undefined): ActionGate | undefined => (this.deps.fleet ? (context === undefined ? undefined : this.deps.fleet.cluster(context)?.gate) : this.gate);

  /** What `u` restores is kept per context, or per fleet (its contexts joined, as `:ctx` takes them). */
  private get scope(): string {
    return this.deps.fleet ? this.deps.fleet.contexts().join(',') : this.gate.session.contextName;
  }

  /**
   * The guard, before anything is offered. False (and a message) on a read-only context; in a
   * fleet only when every cluster of the targets is read-only (the others go on, see fleetScale.ts).
   */
  private writable(action: string, contexts?: Array<string | undefined>): boolean {
    try {
      void this.config; // a bad config file is reported here, before anything is offered
      const gates = this.deps.fleet && contexts?.length ? [...new Set(contexts)].map(this.gateOf) : [this.gate];
      if (gates.every((g) => !g || g.readOnlyReason())) (gates.find((g) => g) ?? this.gate).assertWritable(action);
      return true;
    } catch (err) {
      this.deps.say(describeError(err), 'error');
      return false;
    }
  }

  // ------------------------------------------------------------------ opening

  /** `s` on one application: access review first, then the dialog with its current counts. */
  async openSingle(target: DialogTarget): Promise<void> {
    if (this.isOpen || !this.writable('scale')) return;
    const k = kindInfo(target.ref.kind);
    const attrs = { verb: 'patch', group: k.group, resource: k.resource, subresource: 'scale', namespace: target.ref.namespace, name: target.ref.name };
    this.deps.say(`checking permission to scale ${target.ref.namespace}/${target.ref.name}${glyphs.ellipsis}`);
    let allowed = true;
    let reason: string;
    try {
      const d = await this.gate.canI(attrs);
      allowed = d.allowed;
      reason = d.reason;
    } catch (err) {
      // The review could not be made: the dry-run in the preview will tell.
      reason = describeError(err);
    }
    if (!allowed) {
      this.deps.say(`forbidden: user ${this.gate.session.user} may not ${describeAccess(attrs)} (RBAC${reason ? `: ${reason}` : ''})`, 'error');
      return;
    }
    this.deps.say('');
    this.action = 'scale';
    this.set({
      kind: 'scale',
      title: `Scale ${target.ref.kind} ${target.ref.namespace}/${target.ref.name}`,
      phase: 'edit',
      targets: [target],
      system: target.ref.namespace,
      fixed: false,
      input: String(target.desired),
      inputFresh: true,
      confirmInput: '',
    });
  }

  /** Bulk: marked applications, the filtered list, or a whole system. */
  openBulk(targets: DialogTarget[], title: string): void {
    if (this.isOpen || !this.writable('scale', targets.map((t) => t.context))) return;
    if (targets.length === 0) return this.deps.say('no applications to scale here', 'warn');
    const systems = new Set(targets.map((t) => t.ref.namespace));
    this.action = 'scale';
    this.set({ kind: 'scale', title, phase: 'edit', targets, system: systems.size === 1 ? [...systems][0] : undefined, fixed: false, input: '', inputFresh: false, confirmInput: '', clusters: this.fleetClusters(targets) });
  }

  /** Plan or undo: fixed target counts, straight to the preview. */
  openFixed(items: ScaleItem[], title: string, action: string): void {
    if (this.isOpen || !this.writable(action, items.map((i) => i.context))) return;
    if (items.length === 0) return this.deps.say(`nothing to change: ${this.deps.fleet ? 'every cluster' : 'the cluster'} already matches`, 'info');
    const systems = new Set(items.map((i) => i.ref.namespace));
    const targets = items.map((i) => ({ ref: i.ref, context: i.context, desired: 0, ready: 0 }));
    this.action = action;
    this.set({ kind: 'scale', title, phase: 'edit', targets, system: systems.size === 1 ? [...systems][0] : undefined, fixed: true, input: '', inputFresh: false, confirmInput: '' });
    void this.runPreview(items);
  }

  /** A fleet's clusters as the field names them: each one's column title, and whether it has a target. */
  private fleetClusters(targets: readonly DialogTarget[]): FleetClusterName[] | undefined {
    if (!this.deps.fleet) return undefined;
    const contexts = this.deps.fleet.contexts();
    const labels = clusterLabels(contexts, Infinity);
    return contexts.map((context, i) => ({ context, label: labels[i], scaled: targets.some((t) => t.context === context) }));
  }

  undoLast(): void {
    if (this.isOpen || (!this.deps.fleet && !this.writable('scale'))) return;
    const u = this.undo.undoItems(this.scope);
    if ('problem' in u) return this.deps.say(u.problem, 'warn');
    const last = this.undo.peek()!;
    this.openFixed(u.items, `Undo scale ${last.operation}: restore ${u.items.length} application${u.items.length === 1 ? '' : 's'}`, 'scale');
  }

  async openRestart(ref: WorkloadRef): Promise<void> {
    if (this.isOpen || !this.writable('restart')) return;
    this.action = 'restart';
    const ac = new AbortController();
    this.abort = ac;
    this.set({ kind: 'restart', title: `Rollout restart ${ref.kind} ${ref.namespace}/${ref.name}`, phase: 'previewing', targets: [{ ref, desired: 0, ready: 0 }], system: ref.namespace, fixed: true, input: '', inputFresh: false, confirmInput: '', progress: { done: 0, total: 1, what: 'dry-run' } });
    try {
      const restart = await previewRestart(this.gate, ref, ac.signal);
      if (this.abort !== ac) return;
      this.set({ phase: 'preview', restart, progress: undefined });
    } catch (err) {
      if (ac.signal.aborted) return;
      this.set({ phase: 'done', error: describeError(err), progress: undefined });
    }
  }

  // ------------------------------------------------------------------ editing

  type(ch: string): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'preview' && s.confirmWord) return this.set({ confirmInput: s.confirmInput + ch });
    if (s.phase !== 'edit' || s.fixed) return;
    const input = s.inputFresh ? ch : s.input + ch;
    // A paste or a held key stops at the limit and says so, instead of growing the field.
    const limit = s.clusters ? MAX_FLEET_REPLICA_INPUT_LENGTH : MAX_REPLICA_INPUT_LENGTH;
    if (input.length > limit) return this.set({ inputError: `at most ${limit} characters in this field`, inputFresh: false });
    this.set({ input, inputFresh: false, inputError: undefined });
  }

  backspace(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'preview' && s.confirmWord) return this.set({ confirmInput: s.confirmInput.slice(0, -1) });
    if (s.phase === 'edit') this.set({ input: s.input.slice(0, -1), inputFresh: false, inputError: undefined });
  }

  /** `+`/`-` on one application: one replica more or less. */
  step(delta: number): void {
    const s = this.state;
    if (!s || s.phase !== 'edit' || s.fixed) return;
    const n = /^\d+$/.test(s.input) ? Number(s.input) : s.targets[0]?.desired ?? 0;
    this.set({ input: String(Math.max(0, Math.min(MAX_REPLICAS, n + delta))), inputFresh: false, inputError: undefined });
  }

  // ------------------------------------------------------------------ enter / esc

  enter(): void {
    const s = this.state;
    if (!s) return;
    if (s.phase === 'edit' && !s.fixed) {
      if (s.clusters) {
        // A fleet: one change for all, or one per cluster named; the others are kept.
        const reading = readFleetReplicaInput(s.input, s.clusters);
        if ('reason' in reading) return this.set({ inputError: reading.reason });
        const items = s.targets.flatMap((t): ScaleItem[] => {
          const change = t.context === undefined ? undefined : reading.changes.get(t.context);
          return change ? [{ ref: t.ref, change, ready: t.ready, owner: t.owner, context: t.context, leftOut: t.leftOut }] : [];
        });
        this.set({ kept: reading.kept });
        return void this.runPreview(items);
      }
      const reading = readReplicaInput(s.input);
      if ('reason' in reading) return this.set({ inputError: reading.reason });
      const { change } = reading;
      return void this.runPreview(s.targets.map((t) => ({ ref: t.ref, change, ready: t.ready, owner: t.owner, context: t.context, leftOut: t.leftOut })));
    }
    if (s.phase === 'preview') {
      const missing = typedConfirmationMissing(s.confirmWord, s.confirmInput);
      if (missing) return this.set({ note: missing });
      if (s.kind === 'restart') return void this.runRestart();
      if (s.kind === 'hpa') return void this.runHpaChange();
      return void this.runApply();
    }
    if (s.phase === 'done') {
      if (s.results?.some((r) => r.outcome === 'conflict')) return void this.runPreview(this.items.filter((i) => s.results!.some((r) => r.outcome === 'conflict' && placeKey(r.row) === placeKey(i))));
      return this.close();
    }
  }

  escape(): void {
    const s = this.state;
    if (!s) return;
    switch (s.phase) {
      case 'previewing':
        this.abort?.abort();
        this.abort = undefined;
        if (s.fixed) return this.close();
        return this.set({ phase: 'edit', progress: undefined, note: 'preview cancelled' });
      case 'preview':
        if (s.kind === 'hpa') return this.set({ kind: 'scale', hpaChange: undefined, hpaDryRun: undefined, confirmWord: this.confirmWordFor(s.preview), confirmInput: '' });
        if (s.fixed) return this.close();
        return this.set({ phase: 'edit', preview: undefined, confirmInput: '', confirmWord: undefined, note: undefined });
      case 'applying':
        // Stops sending; what was sent stays applied and is listed.
        this.abort?.abort();
        return this.set({ note: 'cancelling: no more requests are sent' });
      case 'watching':
        this.stopWatching();
        this.deps.say('scale applied; stopped watching the replicas (they keep converging)');
        return this.close();
      default:
        return this.close();
    }
  }

  close(): void {
    this.abort?.abort();
    this.abort = undefined;
    this.stopWatching();
    this.set(undefined);
  }

  /** `h` in the preview of one application an HPA manages: change the HPA's limits instead. */
  async offerHpa(): Promise<void> {
    const s = this.state;
    const row = s?.preview?.rows[0];
    if (!s || s.phase !== 'preview' || s.kind !== 'scale' || s.targets.length !== 1 || !row?.hpa || this.deps.fleet) return;
    const change = hpaChangeFor(row.ref.namespace, row.hpa, row.to);
    this.set({ kind: 'hpa', hpaChange: change, hpaDryRun: `dry-run${glyphs.ellipsis}`, confirmWord: undefined, confirmInput: '' });
    try {
      await dryRunHpaChange(this.gate, change);
      if (this.state?.hpaChange === change) this.set({ hpaDryRun: 'accepted' });
    } catch (err) {
      if (this.state?.hpaChange === change) this.set({ hpaDryRun: `rejected: ${describeError(err)}` });
    }
  }

  // ------------------------------------------------------------------ work

  private confirmWordFor(preview: ScalePreview | undefined): string | undefined {
    if (!preview) return undefined;
    // To zero, or a bulk operation over more applications than the threshold (all the
    // applications it covers, changed or not: that is what the user selected).
    const toZero = preview.rows.some((r) => applicable(r) && r.to === 0);
    // Across a fleet, always: it changes several data centres at once.
    if (!this.deps.fleet && !toZero && preview.rows.length <= this.config.scale.bulkConfirmThreshold) return undefined;
    return confirmationWord(this.state?.system ? [this.state.system] : [], this.scope);
  }

  private async runPreview(items: ScaleItem[]): Promise<void> {
    this.abort?.abort();
    const ac = bulkAbort();
    this.abort = ac;
    this.items = items;
    this.set({ phase: 'previewing', progress: { done: 0, total: items.length, what: 'dry-run' }, preview: undefined, results: undefined, readiness: undefined, error: undefined, note: undefined, inputError: undefined, confirmInput: '', confirmWord: undefined, timedOut: undefined });
    try {
      const o = {
        concurrency: this.config.scale.concurrency,
        maxFactor: this.config.scale.maxFactor,
        signal: ac.signal,
        onProgress: (done: number, total: number) => {
          if (this.abort === ac) this.setProgress({ progress: { done, total, what: 'dry-run' } });
        },
      };
      const preview = this.deps.fleet ? await previewFleetScale(this.gateOf, items, o) : await previewScale(this.gate, items, o);
      if (this.abort !== ac) return;
      this.abort = undefined;
      const recent = items.map((i) => this.deps.recentChange?.(i.ref)).filter((l): l is string => l !== undefined);
      this.set({ phase: 'preview', preview, progress: undefined, confirmWord: this.confirmWordFor(preview), note: recent.length ? `${glyphs.warn} ${recent.join('; ')}` : undefined });
    } catch (err) {
      if (ac.signal.aborted) return;
      this.abort = undefined;
      this.set({ phase: this.state?.fixed ? 'done' : 'edit', progress: undefined, error: `preview failed: ${describeError(err)}` });
    }
  }

  private async runApply(): Promise<void> {
    const s = this.state;
    if (!s?.preview) return;
    const todo = s.preview.rows.filter(applicable);
    if (todo.length === 0) return this.set({ note: 'nothing to apply: every application is unchanged, forbidden or rejected' });
    const ac = bulkAbort();
    this.abort = ac;
    // One id for the whole operation, in every cluster's audit.
    const operation = this.gate.newOperationId();
    const clusterProgress = this.deps.fleet ? [...new Set(todo.map((r) => r.context ?? ''))].map((context) => ({ context, done: 0, total: todo.filter((r) => (r.context ?? '') === context).length })) : undefined;
    this.set({ phase: 'applying', progress: { done: 0, total: todo.length, what: 'requests' }, clusterProgress, note: undefined });
    let results: ApplyResult[];
    try {
      const o = {
        concurrency: this.config.scale.concurrency,
        maxFactor: this.config.scale.maxFactor,
        operation,
        action: this.action,
        signal: ac.signal,
        onProgress: (done: number, total: number) => this.setProgress({ progress: { done, total, what: 'requests' } }),
        onClusterProgress: (context: string, done: number) => this.setProgress({ clusterProgress: this.state?.clusterProgress?.map((c) => (c.context === context ? { ...c, done } : c)) }),
      };
      results = this.deps.fleet ? await applyFleetScale(this.gateOf, s.preview, o) : await applyScale(this.gate, s.preview, o);
    } catch (err) {
      this.abort = undefined;
      return this.set({ phase: 'done', progress: undefined, error: describeError(err) });
    }
    this.abort = undefined;
    this.undo.remember(this.scope, operation, results);
    const applied = results.filter((r) => r.outcome === 'applied');
    this.set({ results, progress: undefined });
    if (applied.length === 0) return this.set({ phase: 'done' });
    this.set({ phase: 'watching', watchStarted: this.now, readiness: applied.map((r) => ({ ref: r.row.ref, context: r.row.context, to: r.row.to, desired: r.row.from, ready: r.row.ready ?? 0, unreadyBefore: Math.max(0, r.row.from - (r.row.ready ?? r.row.from)), done: false })) });
    this.pollReadiness();
    this.watchTimer = setInterval(() => this.pollReadiness(), 250);
    this.watchTimer.unref?.();
  }

  /** Reads the watched rows (no requests): replicas becoming ready per application. */
  private pollReadiness(): void {
    const s = this.state;
    if (!s?.readiness || s.phase !== 'watching') return this.stopWatching();
    const byKey = new Map<string, { desired: number; ready: number }>();
    const wanted = new Set(s.readiness.map(placeKey));
    for (const context of new Set(s.readiness.map((r) => r.context))) {
      const store = this.deps.fleet ? (context === undefined ? undefined : this.deps.fleet.cluster(context)?.store) : this.deps.store();
      if (!store) continue;
      for (const table of [store.deployments, store.statefulSets]) {
        for (const w of table.rows.values()) {
          const key = placeKey({ context, ref: { kind: w.kind, namespace: w.namespace, name: w.name } });
          if (wanted.has(key)) byKey.set(key, { desired: w.desired, ready: w.ready });
        }
      }
    }
    let changed = false;
    const readiness = s.readiness.map((r) => {
      const w = byKey.get(placeKey(r));
      // ReplicaSets selected directly are not watched: the apply is all we can show.
      if (!w) return r.done ? r : ((changed = true), { ...r, done: r.ref.kind === 'ReplicaSet' || r.ref.kind === 'ReplicationController' });
      // At the new count, and as ready as before the change (a pod that was failing before keeps failing).
      const done = w.desired === r.to && w.ready <= r.to && w.ready >= r.to - r.unreadyBefore;
      if (w.desired !== r.desired || w.ready !== r.ready || done !== r.done) changed = true;
      return { ...r, desired: w.desired, ready: w.ready, done };
    });
    const all = readiness.every((r) => r.done);
    const timedOut = !all && this.now - (s.watchStarted ?? this.now) > this.config.scale.readyTimeoutMs;
    if (changed) this.set({ readiness });
    if (all || timedOut) {
      this.stopWatching();
      this.set({ phase: 'done', timedOut });
    }
  }

  private stopWatching(): void {
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = undefined;
  }

  private async runRestart(): Promise<void> {
    const s = this.state;
    if (!s?.restart?.ok) return this.set({ note: 'the dry-run did not accept this restart; Esc closes' });
    this.set({ phase: 'applying', progress: { done: 0, total: 1, what: 'requests' } });
    try {
      await applyRestart(this.gate, s.restart.ref, this.gate.newOperationId());
      this.set({ phase: 'done', progress: undefined, note: 'restart applied: the pods are replaced one at a time' });
    } catch (err) {
      this.set({ phase: 'done', progress: undefined, error: describeError(err) });
    }
  }

  private async runHpaChange(): Promise<void> {
    const s = this.state;
    if (!s?.hpaChange || s.hpaDryRun !== 'accepted') return this.set({ note: 'the HPA change was not accepted by the dry-run; Esc goes back' });
    this.set({ phase: 'applying', progress: { done: 0, total: 1, what: 'requests' } });
    try {
      await applyHpaChange(this.gate, s.hpaChange, this.gate.newOperationId());
      this.set({ phase: 'done', progress: undefined, note: `HPA ${s.hpaChange.hpa.name} now min ${s.hpaChange.min}, max ${s.hpaChange.max}: it scales the application into that range` });
    } catch (err) {
      this.set({ phase: 'done', progress: undefined, error: describeError(err) });
    }
  }
}
