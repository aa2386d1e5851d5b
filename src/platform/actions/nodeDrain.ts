import { describeError } from '../errors.js';
import type { DryRunClient, KubeResponse, MutatingClient, ReadSession } from '../kube/kubeSession.js';
import { quoteServerBody } from '../text/serverBody.js';
import type { ActionGate } from './actionGate.js';
import { runBounded } from './boundedPool.js';
import { drainFlagsText, type DrainFlags } from './drainFlags.js';
import { applyCordon } from './nodeCordon.js';

// Drain a node as `kubectl drain --ignore-daemonsets` does, with the user's options (drainFlags.ts):
// cordon it, then evict its pods through the Eviction API (policy/v1), which honours
// PodDisruptionBudgets: the API server answers 429 while a budget allows no disruption now, and the
// eviction is tried again until it passes, the drain times out or the user stops it (the node stays
// cordoned); with --disable-eviction the pods are deleted instead, no budget consulted. Each pod is
// planned as kubectl's filters (k8s.io/kubectl/pkg/drain/filters.go) decide, in their order: a
// DaemonSet's pod is skipped (its controller ignores the cordon; one whose DaemonSet is gone goes
// only with --force), a mirror pod is skipped (the kubelet's static pod), a running pod with an
// emptyDir volume blocks the drain unless --delete-emptydir-data, a running pod no controller
// manages blocks it unless --force; a finished pod always goes. The preview dry-runs every
// eviction (or deletion), so a budget that blocks now is named before anything is sent, and a drain
// with a pod that blocks it is not sent at all (kubectl would cordon, then stop).

export interface DrainPod {
  namespace: string;
  name: string;
  uid: string;
  /** `ReplicaSet/cart-api-7d9f` */
  owner: string;
  /** The budget that selects the pod, by name. */
  pdb?: string;
  /** What the dry-run eviction said: blocked names the budget (429), error says what failed. */
  verdict: 'ok' | 'blocked' | 'gone' | 'error';
  note?: string;
  /** What an option lets go with it, as kubectl warns: its emptyDir data deleted, a pod nothing recreates. */
  warning?: string;
}

export interface SkippedPod {
  namespace: string;
  name: string;
  why: string;
}

/** A pod that stops the drain until an option lets it go. */
export interface BlockingPod extends SkippedPod {
  /** The options that would let it go. */
  needs: Array<'delete-emptydir-data' | 'force'>;
}

export interface DrainPlan {
  node: string;
  uid?: string;
  /** Already unschedulable: no cordon is sent. */
  cordoned: boolean;
  /** The options the plan was made with (and the drain is sent with). */
  flags: DrainFlags;
  evict: DrainPod[];
  skipped: SkippedPod[];
  /** Pods that block the drain: nothing is sent while there is one. */
  blocking: BlockingPod[];
  /** Why nothing can be done (forbidden, the pods could not be listed). */
  problem?: string;
}

export type DrainPodState = 'pending' | 'evicting' | 'waiting' | 'evicted' | 'gone' | 'failed' | 'stopped' | 'timed out';

export interface DrainPodProgress {
  namespace: string;
  name: string;
  state: DrainPodState;
  /** The budget that made the server answer 429, an error, ... */
  note?: string;
  attempts: number;
}

export type DrainPhase = 'cordoning' | 'evicting' | 'done' | 'stopped' | 'timed out' | 'failed';

export interface DrainProgress {
  node: string;
  phase: DrainPhase;
  pods: DrainPodProgress[];
  message?: string;
}

export interface PodJson {
  metadata: { name: string; namespace: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }>; deletionTimestamp?: string };
  spec?: { volumes?: Array<{ name: string; emptyDir?: unknown }> };
  status?: { phase?: string };
}

interface LabelSelectorJson {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

interface PdbJson {
  metadata: { name: string };
  spec?: { selector?: LabelSelectorJson };
}

export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

export type PodPlan =
  | { action: 'evict'; warning?: string }
  | { action: 'skip'; why: string }
  | { action: 'block'; why: string; needs: BlockingPod['needs'] };

const controllerOf = (pod: PodJson) => pod.metadata.ownerReferences?.find((o) => o.controller);

/**
 * What a drain does with the pod, as kubectl drain's filters decide in their order (daemonSet,
 * mirror, local storage, unreplicated) with --ignore-daemonsets and the user's options. Where
 * kubectl stops at the first filter that refuses, this names every option the pod needs.
 * `daemonSetGone`: the pod's DaemonSet (`namespace/name`) no longer exists.
 */
export function planPod(pod: PodJson, flags: Pick<DrainFlags, 'deleteEmptyDirData' | 'force'>, daemonSetGone: (key: string) => boolean = () => false): PodPlan {
  const meta = pod.metadata;
  const controller = controllerOf(pod);
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const warnings: string[] = [];
  if (controller?.kind === 'DaemonSet' && !finished) {
    if (!daemonSetGone(`${meta.namespace}/${controller.name}`)) return { action: 'skip', why: `DaemonSet pod (${controller.name}): its controller ignores the cordon and would put it back` };
    if (!flags.force) return { action: 'block', why: `its DaemonSet ${controller.name} is gone: nothing manages it`, needs: ['force'] };
    warnings.push(`its DaemonSet ${controller.name} is gone`);
  }
  if (meta.annotations?.[MIRROR_ANNOTATION] !== undefined) return { action: 'skip', why: 'mirror pod: a static pod of the kubelet, the API cannot evict it' };
  const emptyDirs = finished ? [] : (pod.spec?.volumes ?? []).filter((v) => v.emptyDir !== undefined).map((v) => v.name);
  const unmanaged = !controller && !finished;
  const needs: BlockingPod['needs'] = [];
  const why: string[] = [];
  if (emptyDirs.length && !flags.deleteEmptyDirData) {
    needs.push('delete-emptydir-data');
    why.push(`emptyDir ${emptyDirs.join(', ')} would be lost`);
  } else if (emptyDirs.length) warnings.push(`deletes emptyDir ${emptyDirs.join(', ')}`);
  if (unmanaged && !flags.force) {
    needs.push('force');
    why.push('no controller: nothing would recreate it');
  } else if (unmanaged) warnings.push('no controller: gone for good');
  if (needs.length) return { action: 'block', why: why.join('; '), needs };
  return warnings.length ? { action: 'evict', warning: warnings.join('; ') } : { action: 'evict' };
}

/** Whether a label selector (matchLabels and matchExpressions) selects the labels; an empty selector selects all, as for a PDB. */
export function selectorMatches(sel: LabelSelectorJson | undefined, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel?.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const values = e.values ?? [];
    if (e.operator === 'In' && !(has && values.includes(labels[e.key]))) return false;
    if (e.operator === 'NotIn' && has && values.includes(labels[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

const podsPath = (namespace: string, name: string) => `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;

export function evictionPath(namespace: string, name: string): string {
  return `${podsPath(namespace, name)}/eviction`;
}

/** The Eviction, with the grace period when one is set (else the pod's own). */
export function evictionBody(namespace: string, name: string, gracePeriodSeconds?: number): unknown {
  return { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace }, ...(gracePeriodSeconds !== undefined ? { deleteOptions: { gracePeriodSeconds } } : {}) };
}

export type EvictionAnswer = { kind: 'accepted' } | { kind: 'blocked'; message: string; retryAfterSeconds?: number } | { kind: 'gone' } | { kind: 'failed'; message: string };

function statusOf(res: KubeResponse): { message?: string; details?: { causes?: Array<{ reason?: string; message?: string }>; retryAfterSeconds?: number } } {
  return (res.body && typeof res.body === 'object' && !Buffer.isBuffer(res.body) ? res.body : {}) as ReturnType<typeof statusOf>;
}

/** What the API server said to an eviction, in its words: a 429 names the budget in its cause. */
export function readEvictionAnswer(res: KubeResponse): EvictionAnswer {
  if (res.status === 200 || res.status === 201) return { kind: 'accepted' };
  if (res.status === 404) return { kind: 'gone' };
  const st = statusOf(res);
  const text = st.message || quoteServerBody(Buffer.isBuffer(res.body) ? res.body : undefined) || `HTTP ${res.status}`;
  if (res.status === 429) {
    const cause = st.details?.causes?.find((c) => c.reason === 'DisruptionBudget')?.message;
    return { kind: 'blocked', message: cause ?? text, retryAfterSeconds: st.details?.retryAfterSeconds };
  }
  return { kind: 'failed', message: `${text} (${res.status})` };
}

/**
 * Evicts the pod, or with --disable-eviction deletes it (no budget is consulted, so no 429), with
 * the grace period set (else the pod's own).
 */
export async function sendEviction(client: MutatingClient | DryRunClient, namespace: string, name: string, signal?: AbortSignal, flags?: Pick<DrainFlags, 'gracePeriodSeconds' | 'disableEviction'>): Promise<EvictionAnswer> {
  const grace = flags?.gracePeriodSeconds;
  const res = flags?.disableEviction
    ? await client.request('DELETE', podsPath(namespace, name), { query: grace !== undefined ? { gracePeriodSeconds: grace } : undefined, signal, timeoutMs: 30_000 })
    : await client.request('POST', evictionPath(namespace, name), { body: evictionBody(namespace, name, grace), signal, timeoutMs: 30_000 });
  return readEvictionAnswer(res);
}

async function listNodePods(session: ReadSession, node: string, podSelector: string, signal?: AbortSignal): Promise<PodJson[]> {
  const out: PodJson[] = [];
  let token: string | undefined;
  do {
    const page = await session.getJson<{ items: PodJson[]; metadata?: { continue?: string } }>('/api/v1/pods', { fieldSelector: `spec.nodeName=${node}`, ...(podSelector ? { labelSelector: podSelector } : {}), limit: 500, ...(token ? { continue: token } : {}) }, signal);
    out.push(...page.items);
    token = page.metadata?.continue || undefined;
  } while (token);
  return out;
}

const ownerOf = (p: PodJson) => {
  const c = p.metadata.ownerReferences?.find((o) => o.controller);
  return c ? `${c.kind}/${c.name}` : '';
};

/** The DaemonSets (`namespace/name`) of the running DaemonSet pods that are gone (404): those pods go only with --force. */
async function goneDaemonSets(session: ReadSession, pods: readonly PodJson[], signal?: AbortSignal): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const p of pods) {
    const c = controllerOf(p);
    if (c?.kind === 'DaemonSet' && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed') keys.add(`${p.metadata.namespace}/${c.name}`);
  }
  const gone = new Set<string>();
  await runBounded([...keys], 4, async (key) => {
    const [ns, name] = key.split('/');
    const res = await session.request('GET', `/apis/apps/v1/namespaces/${encodeURIComponent(ns)}/daemonsets/${encodeURIComponent(name)}`, { signal, timeoutMs: 15_000 }).catch(() => undefined);
    if (res?.status === 404) gone.add(key);
  }, signal);
  return gone;
}

/** The preview of draining one node with the options: may I, which pods go, which stay and why, what blocks now. */
export async function planDrain(gate: ActionGate, node: { name: string; uid?: string; unschedulable: boolean }, flags: DrainFlags, signal?: AbortSignal): Promise<DrainPlan> {
  const base: DrainPlan = { node: node.name, uid: node.uid, cordoned: node.unschedulable, flags, evict: [], skipped: [], blocking: [] };
  const [patch, evict] = await Promise.all([
    gate.canI({ verb: 'patch', group: '', resource: 'nodes', namespace: '', name: node.name }, signal),
    flags.disableEviction
      ? gate.canI({ verb: 'delete', group: '', resource: 'pods', namespace: '' }, signal)
      : gate.canI({ verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace: '' }, signal),
  ]);
  if (!patch.allowed && !node.unschedulable) return { ...base, problem: `forbidden: no permission to patch nodes${patch.reason ? ` (${patch.reason})` : ''}` };
  if (!evict.allowed) return { ...base, problem: `forbidden: no permission to ${flags.disableEviction ? 'delete pods' : 'create pods/eviction'}${evict.reason ? ` (${evict.reason})` : ''}` };
  let pods: PodJson[];
  try {
    pods = await listNodePods(gate.session, node.name, flags.podSelector, signal);
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ...base, problem: `listing the pods on ${node.name}${flags.podSelector ? ` (pod selector ${flags.podSelector})` : ''}: ${describeError(err)}` };
  }
  const gone = await goneDaemonSets(gate.session, pods, signal);
  const candidates: Array<{ pod: PodJson; warning?: string }> = [];
  for (const p of pods.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))) {
    const plan = planPod(p, flags, (key) => gone.has(key));
    const at = { namespace: p.metadata.namespace, name: p.metadata.name };
    if (plan.action === 'skip') base.skipped.push({ ...at, why: plan.why });
    else if (plan.action === 'block') base.blocking.push({ ...at, why: plan.why, needs: plan.needs });
    else candidates.push({ pod: p, warning: plan.warning });
  }
  const budgets = new Map<string, PdbJson[]>();
  for (const ns of new Set(candidates.map((c) => c.pod.metadata.namespace))) {
    const list = await gate.session.getJson<{ items: PdbJson[] }>(`/apis/policy/v1/namespaces/${encodeURIComponent(ns)}/poddisruptionbudgets`, undefined, signal).catch(() => ({ items: [] }));
    budgets.set(ns, list.items);
  }
  const verdicts = await gate.dryRun((client) =>
    runBounded(candidates, 8, async ({ pod: p }) => {
      try {
        return await sendEviction(client, p.metadata.namespace, p.metadata.name, signal, flags);
      } catch (err) {
        if (signal?.aborted) throw err;
        return { kind: 'failed', message: describeError(err) } as EvictionAnswer;
      }
    }, signal),
  );
  candidates.forEach(({ pod: p, warning }, i) => {
    const pdb = budgets.get(p.metadata.namespace)?.find((b) => selectorMatches(b.spec?.selector, p.metadata.labels ?? {}))?.metadata.name;
    const v = verdicts[i];
    const verdict: DrainPod['verdict'] = !v || v.kind === 'failed' ? 'error' : v.kind === 'accepted' ? 'ok' : v.kind;
    const note = v?.kind === 'blocked' || v?.kind === 'failed' ? v.message : undefined;
    base.evict.push({ namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid ?? '', owner: ownerOf(p), pdb, verdict, note, ...(warning ? { warning } : {}) });
  });
  return base;
}

export interface DrainOptions {
  operation: string;
  signal: AbortSignal;
  /** Pause between tries of an eviction a budget refuses (kubectl: 5 s). */
  retryMs: number;
  /** Evictions in flight at once. */
  concurrency: number;
  onProgress(p: DrainProgress): void;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** Until the pod is gone (404) or replaced by another of the same name (uid), or the deadline. */
async function waitGone(session: ReadSession, pod: DrainPod, deadline: number, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted && Date.now() < deadline) {
    const res = await session.request('GET', podsPath(pod.namespace, pod.name), { timeoutMs: 15_000 }).catch(() => undefined);
    if (res?.status === 404) return true;
    const uid = (res?.body as { metadata?: { uid?: string } } | undefined)?.metadata?.uid;
    if (res?.status === 200 && pod.uid && uid && uid !== pod.uid) return true;
    await sleep(1000, signal);
  }
  return false;
}

/**
 * Cordons (unless it is already) and evicts the planned pods, reporting each pod's state as it
 * changes. Every eviction is one audit record (evicted, stopped, timed out, failed) under the
 * operation id; the cordon is one more. Esc (the signal) stops sending: the node stays cordoned.
 */
export async function runDrain(gate: ActionGate, plan: DrainPlan, o: DrainOptions): Promise<DrainProgress> {
  const { flags } = plan;
  // kubectl's --timeout=0: no limit.
  const deadline = flags.timeoutMs > 0 ? Date.now() + flags.timeoutMs : Infinity;
  const action = flags.disableEviction ? 'delete' : 'evict';
  const options = drainFlagsText(flags);
  const progress: DrainProgress = { node: plan.node, phase: plan.cordoned ? 'evicting' : 'cordoning', pods: plan.evict.map((p) => ({ namespace: p.namespace, name: p.name, state: 'pending', attempts: 0 })) };
  const report = () => o.onProgress({ ...progress, pods: progress.pods.map((p) => ({ ...p })) });
  report();
  if (!plan.cordoned) {
    try {
      await applyCordon(gate, plan.node, true, o.operation, plan.uid);
    } catch (err) {
      progress.phase = 'failed';
      progress.message = `cordon of ${plan.node} failed, no pod evicted: ${describeError(err)}`;
      report();
      return progress;
    }
    progress.phase = 'evicting';
    report();
  }
  const timedOut = new AbortController();
  const timer = deadline === Infinity ? undefined : setTimeout(() => timedOut.abort(), Math.max(0, deadline - Date.now()));
  const stop = AbortSignal.any([o.signal, timedOut.signal]);
  const ended = (): DrainPodState => (o.signal.aborted ? 'stopped' : 'timed out');
  try {
    await runBounded(plan.evict, o.concurrency, async (pod, i) => {
      const row = progress.pods[i];
      const set = (state: DrainPodState, note?: string) => {
        row.state = state;
        row.note = note;
        report();
      };
      type Outcome = { state: DrainPodState; note?: string };
      const result = await gate.perform<Outcome>({
        action,
        target: { namespace: pod.namespace, kind: 'Pod', name: pod.name, apiVersion: 'v1', uid: pod.uid },
        from: plan.node,
        options,
        dryRun: pod.verdict === 'blocked' ? 'blocked by a disruption budget' : 'accepted',
        operation: o.operation,
        kubernetesEvent: false,
        outcome: (r) => (r.state === 'evicted' || r.state === 'gone' ? 'applied' : `${r.state}${r.note ? `: ${r.note}` : ''}`),
        run: async (client) => {
          for (;;) {
            if (stop.aborted) return { state: ended(), note: row.note };
            row.attempts++;
            set('evicting', row.note);
            const answer = await sendEviction(client, pod.namespace, pod.name, stop, flags).catch((err: unknown): EvictionAnswer => (stop.aborted ? { kind: 'blocked', message: row.note ?? '' } : { kind: 'failed', message: describeError(err) }));
            if (answer.kind === 'accepted') return { state: 'evicted' };
            if (answer.kind === 'gone') return { state: 'gone' };
            if (answer.kind === 'failed') return { state: 'failed', note: answer.message };
            set('waiting', answer.message);
            await sleep(answer.retryAfterSeconds ? Math.max(o.retryMs, answer.retryAfterSeconds * 1000) : o.retryMs, stop);
          }
        },
      }).catch((err: unknown): Outcome => ({ state: 'failed', note: describeError(err) }));
      set(result.state, result.note);
      if (result.state === 'evicted' && (await waitGone(gate.session, pod, deadline, stop))) set('gone');
    }, stop);
    // Pods never started (stopped or timed out before their turn): audited as not sent.
    const unsent = plan.evict.filter((_, i) => progress.pods[i].state === 'pending');
    for (const p of progress.pods) if (p.state === 'pending') p.state = ended();
    if (unsent.length) await gate.note(unsent.map((p) => gate.record({ action, target: { namespace: p.namespace, kind: 'Pod', name: p.name }, from: plan.node, options, operation: o.operation }, `${ended()} before it was sent`))).catch(() => undefined);
  } finally {
    clearTimeout(timer);
  }
  const left = progress.pods.filter((p) => p.state !== 'gone');
  const failed = progress.pods.filter((p) => p.state === 'failed').length;
  progress.phase = o.signal.aborted ? 'stopped' : timedOut.signal.aborted && left.length ? 'timed out' : failed ? 'failed' : 'done';
  const still = `${plan.node} stays cordoned (uncordon with c)`;
  progress.message =
    progress.phase === 'stopped' ? `drain stopped: ${left.length} pod${left.length === 1 ? '' : 's'} not evicted; ${still}` :
    progress.phase === 'timed out' ? `drain timed out after ${Math.round(flags.timeoutMs / 1000)}s: ${left.length} pod${left.length === 1 ? '' : 's'} still there; ${still}` :
    progress.phase === 'failed' ? `drain finished with ${failed} failed eviction${failed === 1 ? '' : 's'}; ${still}` :
    `${plan.node} drained: ${progress.pods.length} pod${progress.pods.length === 1 ? '' : 's'} ${flags.disableEviction ? 'deleted' : 'evicted'}, ${plan.skipped.length} skipped; it stays cordoned`;
  report();
  return progress;
}
