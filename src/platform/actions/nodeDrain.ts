import { describeError } from '../errors.js';
import type { DryRunClient, KubeResponse, MutatingClient, ReadSession } from '../kube/kubeSession.js';
import { quoteServerBody } from '../text/serverBody.js';
import type { ActionGate } from './actionGate.js';
import { runBounded } from './boundedPool.js';
import { applyCordon } from './nodeCordon.js';

// Drain a node as `kubectl drain --ignore-daemonsets` does: cordon it, then evict its pods through
// the Eviction API (policy/v1), which honours PodDisruptionBudgets: the API server answers 429
// while a budget allows no disruption now, and the eviction is tried again until it passes, the
// drain times out or the user stops it (the node stays cordoned). Pods kubectl would not evict
// are skipped and named with the reason: DaemonSet pods (their controller ignores cordons), mirror
// pods (the kubelet's static pods), pods with emptyDir data (lost on eviction) and pods without a
// controller (nothing would recreate them). The preview dry-runs every eviction, so a budget that
// blocks now is named before anything is sent.

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
}

export interface SkippedPod {
  namespace: string;
  name: string;
  why: string;
}

export interface DrainPlan {
  node: string;
  uid?: string;
  /** Already unschedulable: no cordon is sent. */
  cordoned: boolean;
  evict: DrainPod[];
  skipped: SkippedPod[];
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

/** Why kubectl drain would not evict the pod, or undefined when it would. */
export function drainSkipReason(pod: PodJson): string | undefined {
  const meta = pod.metadata;
  if (meta.annotations?.[MIRROR_ANNOTATION] !== undefined) return 'mirror pod: a static pod of the kubelet, the API cannot evict it';
  const controller = meta.ownerReferences?.find((o) => o.controller);
  if (controller?.kind === 'DaemonSet') return `DaemonSet pod (${controller.name}): its controller ignores the cordon and would put it back`;
  const finished = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
  const emptyDirs = (pod.spec?.volumes ?? []).filter((v) => v.emptyDir !== undefined).map((v) => v.name);
  if (emptyDirs.length && !finished) return `local storage: emptyDir ${emptyDirs.join(', ')} would be lost (kubectl needs --delete-emptydir-data)`;
  if (!controller && !finished) return 'no controller: nothing would recreate it (kubectl needs --force)';
  return undefined;
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

export function evictionBody(namespace: string, name: string): unknown {
  return { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace } };
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

export async function sendEviction(client: MutatingClient | DryRunClient, namespace: string, name: string, signal?: AbortSignal): Promise<EvictionAnswer> {
  const res = await client.request('POST', evictionPath(namespace, name), { body: evictionBody(namespace, name), signal, timeoutMs: 30_000 });
  return readEvictionAnswer(res);
}

async function listNodePods(session: ReadSession, node: string, signal?: AbortSignal): Promise<PodJson[]> {
  const out: PodJson[] = [];
  let token: string | undefined;
  do {
    const page = await session.getJson<{ items: PodJson[]; metadata?: { continue?: string } }>('/api/v1/pods', { fieldSelector: `spec.nodeName=${node}`, limit: 500, ...(token ? { continue: token } : {}) }, signal);
    out.push(...page.items);
    token = page.metadata?.continue || undefined;
  } while (token);
  return out;
}

const ownerOf = (p: PodJson) => {
  const c = p.metadata.ownerReferences?.find((o) => o.controller);
  return c ? `${c.kind}/${c.name}` : '';
};

/** The preview of draining one node: may I, which pods go, which stay and why, what blocks now. */
export async function planDrain(gate: ActionGate, node: { name: string; uid?: string; unschedulable: boolean }, signal?: AbortSignal): Promise<DrainPlan> {
  const base: DrainPlan = { node: node.name, uid: node.uid, cordoned: node.unschedulable, evict: [], skipped: [] };
  const [patch, evict] = await Promise.all([
    gate.canI({ verb: 'patch', group: '', resource: 'nodes', namespace: '', name: node.name }, signal),
    gate.canI({ verb: 'create', group: '', resource: 'pods', subresource: 'eviction', namespace: '' }, signal),
  ]);
  if (!patch.allowed && !node.unschedulable) return { ...base, problem: `forbidden: no permission to patch nodes${patch.reason ? ` (${patch.reason})` : ''}` };
  if (!evict.allowed) return { ...base, problem: `forbidden: no permission to create pods/eviction${evict.reason ? ` (${evict.reason})` : ''}` };
  let pods: PodJson[];
  try {
    pods = await listNodePods(gate.session, node.name, signal);
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ...base, problem: `listing the pods on ${node.name}: ${describeError(err)}` };
  }
  const candidates: PodJson[] = [];
  for (const p of pods.sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`))) {
    const why = drainSkipReason(p);
    if (why) base.skipped.push({ namespace: p.metadata.namespace, name: p.metadata.name, why });
    else candidates.push(p);
  }
  const budgets = new Map<string, PdbJson[]>();
  for (const ns of new Set(candidates.map((p) => p.metadata.namespace))) {
    const list = await gate.session.getJson<{ items: PdbJson[] }>(`/apis/policy/v1/namespaces/${encodeURIComponent(ns)}/poddisruptionbudgets`, undefined, signal).catch(() => ({ items: [] }));
    budgets.set(ns, list.items);
  }
  const verdicts = await gate.dryRun((client) =>
    runBounded(candidates, 8, async (p) => {
      try {
        return await sendEviction(client, p.metadata.namespace, p.metadata.name, signal);
      } catch (err) {
        if (signal?.aborted) throw err;
        return { kind: 'failed', message: describeError(err) } as EvictionAnswer;
      }
    }, signal),
  );
  candidates.forEach((p, i) => {
    const pdb = budgets.get(p.metadata.namespace)?.find((b) => selectorMatches(b.spec?.selector, p.metadata.labels ?? {}))?.metadata.name;
    const v = verdicts[i];
    const verdict: DrainPod['verdict'] = !v || v.kind === 'failed' ? 'error' : v.kind === 'accepted' ? 'ok' : v.kind;
    const note = v?.kind === 'blocked' || v?.kind === 'failed' ? v.message : undefined;
    base.evict.push({ namespace: p.metadata.namespace, name: p.metadata.name, uid: p.metadata.uid ?? '', owner: ownerOf(p), pdb, verdict, note });
  });
  return base;
}

export interface DrainOptions {
  operation: string;
  signal: AbortSignal;
  /** The whole drain gives up after this long (pods still waiting: "timed out"). */
  timeoutMs: number;
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
  const deadline = Date.now() + o.timeoutMs;
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
  const timer = setTimeout(() => timedOut.abort(), Math.max(0, deadline - Date.now()));
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
        action: 'evict',
        target: { namespace: pod.namespace, kind: 'Pod', name: pod.name, apiVersion: 'v1', uid: pod.uid },
        from: plan.node,
        dryRun: pod.verdict === 'blocked' ? 'blocked by a disruption budget' : 'accepted',
        operation: o.operation,
        kubernetesEvent: false,
        outcome: (r) => (r.state === 'evicted' || r.state === 'gone' ? 'applied' : `${r.state}${r.note ? `: ${r.note}` : ''}`),
        run: async (client) => {
          for (;;) {
            if (stop.aborted) return { state: ended(), note: row.note };
            row.attempts++;
            set('evicting', row.note);
            const answer = await sendEviction(client, pod.namespace, pod.name, stop).catch((err: unknown): EvictionAnswer => (stop.aborted ? { kind: 'blocked', message: row.note ?? '' } : { kind: 'failed', message: describeError(err) }));
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
    if (unsent.length) await gate.note(unsent.map((p) => gate.record({ action: 'evict', target: { namespace: p.namespace, kind: 'Pod', name: p.name }, from: plan.node, operation: o.operation }, `${ended()} before it was sent`))).catch(() => undefined);
  } finally {
    clearTimeout(timer);
  }
  const left = progress.pods.filter((p) => p.state !== 'gone');
  const failed = progress.pods.filter((p) => p.state === 'failed').length;
  progress.phase = o.signal.aborted ? 'stopped' : timedOut.signal.aborted && left.length ? 'timed out' : failed ? 'failed' : 'done';
  const still = `${plan.node} stays cordoned (uncordon with c)`;
  progress.message =
    progress.phase === 'stopped' ? `drain stopped: ${left.length} pod${left.length === 1 ? '' : 's'} not evicted; ${still}` :
    progress.phase === 'timed out' ? `drain timed out after ${Math.round(o.timeoutMs / 1000)}s: ${left.length} pod${left.length === 1 ? '' : 's'} still there; ${still}` :
    progress.phase === 'failed' ? `drain finished with ${failed} failed eviction${failed === 1 ? '' : 's'}; ${still}` :
    `${plan.node} drained: ${progress.pods.length} pod${progress.pods.length === 1 ? '' : 's'} evicted, ${plan.skipped.length} skipped; it stays cordoned`;
  report();
  return progress;
}
