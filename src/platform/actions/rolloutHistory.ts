import { stringify } from 'yaml';
import type { DryRunClient, MutatingClient, ReadSession } from '../kube/kubeSession.js';
import { describeError } from '../errors.js';
import { sanitize } from '../text/sanitize.js';
import type { ActionGate } from './actionGate.js';
import { responseError } from './scaleClient.js';
import { kindInfo, objectPath, type WorkloadRef } from './workloadRef.js';
import { glyphs } from '../../terminal/glyphs.js';
import { canonicalTemplate as canonical, sortKeys, withoutHash } from '../kube/podTemplate.js';
import { placedTemplateLines, templateDiff } from './templateDiff.js';

// Rollout history and rollback, as `kubectl rollout history|undo|status|pause|resume` do them:
// a Deployment's revisions are its ReplicaSets (annotation deployment.kubernetes.io/revision), a
// StatefulSet's its ControllerRevisions. Rolling back a Deployment is a JSON patch replacing
// spec.template with the revision's (without pod-template-hash) and copying its annotations; a
// StatefulSet's is the revision's own strategic merge patch. Previewed with dryRun=All.

export type RolloutKind = 'Deployment' | 'StatefulSet';
export type RolloutRef = WorkloadRef & { kind: RolloutKind };

type Json = Record<string, unknown>;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
/** Annotations kubectl does not copy from a ReplicaSet to its Deployment on rollback. */
const NOT_COPIED = new Set(['kubectl.kubernetes.io/last-applied-configuration', REVISION_ANNOTATION, 'deployment.kubernetes.io/revision-history', 'deployment.kubernetes.io/desired-replicas', 'deployment.kubernetes.io/max-replicas', 'deprecated.deployment.rollback.to']);

export interface Revision {
  revision: number;
  /** The ReplicaSet or ControllerRevision. */
  name: string;
  created: number;
  images: string[];
  changeCause: string;
  /** ReplicaSet replicas (undefined for a ControllerRevision). */
  replicas?: number;
  ready?: number;
  /** The revision the workload runs now. */
  current: boolean;
  /** The pod template, as the revision holds it (pod-template-hash removed). */
  template: Json;
  annotations: Record<string, string>;
}

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const strings = (v: unknown): Record<string, string> => Object.fromEntries(Object.entries(obj(v)).filter((e): e is [string, string] => typeof e[1] === 'string'));

function apiPath(ref: RolloutRef, resource: string): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(ref.namespace)}/${resource}`;
}

function selectorOf(workload: Json): string {
  const labels = strings(obj(obj(workload.spec).selector).matchLabels);
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

function imagesOf(template: Json): string[] {
  const spec = obj(template.spec);
  const all = [...((spec.initContainers as unknown[]) ?? []), ...((spec.containers as unknown[]) ?? [])];
  return all.map((c) => sanitize(String(obj(c).image ?? ''))).filter(Boolean);
}


function ownedBy(o: Json, uid: unknown): boolean {
  const owners = (obj(o.metadata).ownerReferences as unknown[]) ?? [];
  return owners.some((r) => obj(r).uid === uid && obj(r).controller === true);
}

export async function readWorkload(session: ReadSession, ref: RolloutRef, signal?: AbortSignal): Promise<Json> {
  return session.getJson<Json>(objectPath(ref), undefined, signal);
}

/** Newest revision first. */
export async function listRevisions(session: ReadSession, ref: RolloutRef, signal?: AbortSignal): Promise<Revision[]> {
  const workload = await readWorkload(session, ref, signal);
  const query = { labelSelector: selectorOf(workload) };
  const list = await session.getJson<{ items?: Json[] }>(apiPath(ref, ref.kind === 'Deployment' ? 'replicasets' : 'controllerrevisions'), query, signal);
  return revisionsOf(ref.kind, workload, list.items ?? []);
}

/**
 * A workload's revisions, newest first, from its object and the ReplicaSets (Deployment) or
 * ControllerRevisions (StatefulSet) of its namespace: those it controls are kept.
 */
export function revisionsOf(kind: RolloutKind, workload: Json, owned: readonly Json[]): Revision[] {
  const uid = obj(workload.metadata).uid;
  let out: Revision[];
  if (kind === 'Deployment') {
    const currentTemplate = canonical(obj(obj(workload.spec).template));
    out = owned
      .filter((rs) => ownedBy(rs, uid))
      .map((rs) => {
        const meta = obj(rs.metadata);
        const annotations = strings(meta.annotations);
        const template = withoutHash(obj(obj(rs.spec).template));
        return {
          revision: Number(annotations[REVISION_ANNOTATION] ?? 0),
          name: String(meta.name),
          created: Date.parse(String(meta.creationTimestamp)) || 0,
          images: imagesOf(template),
          changeCause: sanitize(annotations[CHANGE_CAUSE_ANNOTATION] ?? ''),
          replicas: Number(obj(rs.spec).replicas ?? 0),
          ready: Number(obj(rs.status).readyReplicas ?? 0),
          current: canonical(template) === currentTemplate,
          template,
          annotations,
        };
      });
  } else {
    const updateRevision = obj(workload.status).updateRevision;
    out = owned
      .filter((cr) => ownedBy(cr, uid))
      .map((cr) => {
        const meta = obj(cr.metadata);
        const annotations = strings(meta.annotations);
        const template = obj(obj(obj(cr.data).spec).template);
        const clean = { ...template };
        delete clean.$patch;
        return {
          revision: Number(cr.revision ?? 0),
          name: String(meta.name),
          created: Date.parse(String(meta.creationTimestamp)) || 0,
          images: imagesOf(clean),
          changeCause: sanitize(annotations[CHANGE_CAUSE_ANNOTATION] ?? ''),
          current: meta.name === updateRevision,
          template: clean,
          annotations,
        };
      });
  }
  return out.sort((a, b) => b.revision - a.revision);
}

// ------------------------------------------------------------------ diff


/** The template as YAML with sorted keys, as it is shown (not yet sanitised). */
export function templateYaml(template: Json): string {
  return stringify(sortKeys(withoutHash(template)), { lineWidth: 0 }).trimEnd();
}

/** The template as YAML lines with sorted keys, sanitised (it is text from the cluster). */
export function templateLines(template: Json): string[] {
  return templateYaml(template).split('\n').map((l) => sanitize(l));
}

/** One line of a diff: in both texts (` `), only in `from` (`-`), only in `to` (`+`); its index in each (-1 where it is not). */
export interface DiffOp {
  sign: ' ' | '-' | '+';
  from: number;
  to: number;
}

/** Two texts line by line. Templates are a few hundred lines: a longest common subsequence table is fine. */
export function diffOps(from: readonly string[], to: readonly string[]): DiffOp[] {
  const n = from.length;
  const m = to.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = from[i] === to[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && from[i] === to[j]) ops.push({ sign: ' ', from: i++, to: j++ });
    // A changed line reads as diff prints it: the old line first, then the new.
    else if (i < n && (j === m || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ sign: '-', from: i++, to: -1 });
    else ops.push({ sign: '+', from: -1, to: j++ });
  }
  return ops;
}

/** The hunks of a diff: each change with `context` unchanged lines around it, changes that close joined. */
export function diffHunks(ops: readonly DiffOp[], context: number): DiffOp[][] {
  const out: DiffOp[][] = [];
  let kept = -2;
  ops.forEach((op, k) => {
    if (!ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.sign !== ' ')) return;
    if (k !== kept + 1) out.push([]);
    out[out.length - 1].push(op);
    kept = k;
  });
  return out;
}

/**
 * A unified diff (`-` only in `from`, `+` only in `to`, ` ` both) of two texts, with `context`
 * unchanged lines around each change and `@@` between hunks.
 */
export function unifiedDiff(from: readonly string[], to: readonly string[], context = 3): string[] {
  return diffHunks(diffOps(from, to), context).flatMap((hunk, k) => [...(k > 0 ? ['@@'] : []), ...hunk.map((op) => (op.sign === '+' ? `+ ${to[op.to]}` : `${op.sign} ${from[op.from]}`))]);
}

/** What changed between two revisions in one line: the images that differ, else "template". */
export function changeSummary(from: Revision | undefined, to: Revision): string {
  if (!from) return to.images.join(', ');
  const changed = to.images.filter((i) => !from.images.includes(i));
  if (changed.length > 0) return `${from.images.filter((i) => !to.images.includes(i)).join(', ') || '(none)'} -> ${changed.join(', ')}`;
  return canonical(from.template) === canonical(to.template) ? 'no template change' : 'template changed (same images)';
}

// ------------------------------------------------------------------ rollback

export function rollbackRequest(ref: RolloutRef, workload: Json, to: Revision): { body: unknown; contentType: string } {
  if (ref.kind === 'StatefulSet') return { body: { spec: { template: { ...to.template, $patch: 'replace' } } }, contentType: 'application/strategic-merge-patch+json' };
  const annotations = Object.fromEntries(Object.entries(strings(obj(workload.metadata).annotations)).filter(([k]) => NOT_COPIED.has(k)));
  for (const [k, v] of Object.entries(to.annotations)) if (!NOT_COPIED.has(k)) annotations[k] = v;
  return {
    body: [
      { op: 'replace', path: '/spec/template', value: to.template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
    contentType: 'application/json-patch+json',
  };
}

async function sendRollback(client: MutatingClient | DryRunClient, ref: RolloutRef, workload: Json, to: Revision, signal?: AbortSignal): Promise<Json> {
  const { body, contentType } = rollbackRequest(ref, workload, to);
  const res = await client.request('PATCH', objectPath(ref), { body, contentType, signal, timeoutMs: 30_000 });
  if (res.status !== 200) throw responseError(res, `${client.gateClient === 'dry-run' ? 'dry-run of ' : ''}rolling back ${ref.kind} ${ref.namespace}/${ref.name} to revision ${to.revision}`);
  return obj(res.body);
}

export interface RollbackPreview {
  ref: RolloutRef;
  to: Revision;
  /** The revision running now. */
  from?: number;
  ok: boolean;
  reason?: string;
  /** The template now -> the template the server's dry-run answered with. */
  diff: string[];
  workload?: Json;
}

/** Refusals kubectl makes before sending anything; undefined when the rollback may go on. */
function refusal(ref: RolloutRef, workload: Json, to: Revision): string | undefined {
  if (obj(workload.spec).paused === true) return `${ref.kind} ${ref.namespace}/${ref.name} is paused: resume it first (:rollout resume), as kubectl refuses to roll back a paused Deployment`;
  if (to.current) return `skipped: the current template already matches revision ${to.revision}`;
  return undefined;
}

export async function previewRollback(gate: ActionGate, ref: RolloutRef, to: Revision, signal?: AbortSignal): Promise<RollbackPreview> {
  const k = kindInfo(ref.kind);
  const base = { ref, to, ok: false, diff: [] as string[] };
  const access = await gate.canI({ verb: 'patch', group: k.group, resource: k.resource, namespace: ref.namespace, name: ref.name }, signal);
  if (!access.allowed) return { ...base, reason: `forbidden: user ${gate.session.user} may not patch ${k.resource} in ${ref.namespace}${access.reason ? ` (${access.reason})` : ''}` };
  try {
    const workload = await readWorkload(gate.session, ref, signal);
    const from = Number(strings(obj(workload.metadata).annotations)[REVISION_ANNOTATION] ?? NaN);
    const refused = refusal(ref, workload, to);
    if (refused) return { ...base, workload, from: Number.isNaN(from) ? undefined : from, reason: refused };
    const after = await gate.dryRun((client) => sendRollback(client, ref, workload, to, signal));
    const diff = templateDiff(placedTemplateLines(obj(obj(workload.spec).template)), placedTemplateLines(obj(obj(after.spec).template)));
    return { ...base, workload, from: Number.isNaN(from) ? undefined : from, ok: true, diff };
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ...base, reason: describeError(err) };
  }
}

export async function applyRollback(gate: ActionGate, preview: RollbackPreview): Promise<void> {
  const { ref, to, workload } = preview;
  if (!workload) throw new Error('rollback without a preview');
  await gate.perform({
    action: 'rollback',
    target: { namespace: ref.namespace, kind: ref.kind, name: ref.name, apiVersion: 'apps/v1', uid: String(obj(workload.metadata).uid ?? '') || undefined },
    from: preview.from,
    to: `revision ${to.revision}`,
    dryRun: 'accepted',
    eventMessage: `rollback to revision ${to.revision} (${to.images.join(', ')}) by ${gate.session.user} with warroom`,
    run: (client) => sendRollback(client, ref, workload, to),
  });
}

// ------------------------------------------------------------------ status, pause, resume

export interface RolloutStatus {
  done: boolean;
  /** The rollout cannot finish by itself (progress deadline exceeded, not a rolling update). */
  failed: boolean;
  message: string;
}

/** `kubectl rollout status`'s decision for one read of the workload. */
export function rolloutStatus(kind: RolloutKind, w: Json): RolloutStatus {
  const meta = obj(w.metadata);
  const spec = obj(w.spec);
  const st = obj(w.status);
  const name = String(meta.name ?? '');
  const generation = Number(meta.generation ?? 0);
  const observed = Number(st.observedGeneration ?? 0);
  const replicas = spec.replicas === undefined ? undefined : Number(spec.replicas);
  const wait = (message: string): RolloutStatus => ({ done: false, failed: false, message });
  if (kind === 'Deployment') {
    if (generation > observed) return wait(`waiting for the deployment spec update to be observed${glyphs.ellipsis}`);
    const progressing = ((st.conditions as unknown[]) ?? []).map(obj).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') return { done: false, failed: true, message: `deployment ${name} exceeded its progress deadline` };
    const updated = Number(st.updatedReplicas ?? 0);
    const total = Number(st.replicas ?? 0);
    const available = Number(st.availableReplicas ?? 0);
    if (replicas !== undefined && updated < replicas) return wait(`${updated} of ${replicas} new replicas updated`);
    if (total > updated) return wait(`${total - updated} old replicas pending termination`);
    if (available < updated) return wait(`${available} of ${updated} updated replicas available`);
    return { done: true, failed: false, message: `deployment ${name} successfully rolled out` };
  }
  const strategy = obj(spec.updateStrategy);
  if (strategy.type !== undefined && strategy.type !== 'RollingUpdate') return { done: false, failed: true, message: `rollout status is only available for the RollingUpdate strategy (this one is ${String(strategy.type)})` };
  if (observed === 0 || generation > observed) return wait(`waiting for the statefulset spec update to be observed${glyphs.ellipsis}`);
  const ready = Number(st.readyReplicas ?? 0);
  if (replicas !== undefined && ready < replicas) return wait(`${replicas - ready} pods to be ready`);
  const partition = Number(obj(strategy.rollingUpdate).partition ?? 0);
  if (partition > 0 && replicas !== undefined) {
    const updated = Number(st.updatedReplicas ?? 0);
    if (updated < replicas - partition) return wait(`partitioned roll out: ${updated} of ${replicas - partition} new pods updated`);
    return { done: true, failed: false, message: `partitioned roll out complete: ${updated} new pods updated` };
  }
  if (st.updateRevision !== st.currentRevision) return wait(`rolling update: ${Number(st.updatedReplicas ?? 0)} pods at revision ${String(st.updateRevision)}`);
  return { done: true, failed: false, message: `statefulset rolling update complete: ${Number(st.currentReplicas ?? 0)} pods at revision ${String(st.updateRevision)}` };
}

export async function readRolloutStatus(session: ReadSession, ref: RolloutRef, signal?: AbortSignal): Promise<RolloutStatus> {
  return rolloutStatus(ref.kind, await readWorkload(session, ref, signal));
}

/** `kubectl rollout pause|resume`: spec.paused on a Deployment (StatefulSets have none). */
export async function setPaused(gate: ActionGate, ref: RolloutRef, paused: boolean): Promise<void> {
  const action = paused ? 'pause' : 'resume';
  if (ref.kind !== 'Deployment') throw new Error(`${action}: only Deployments can be paused (a StatefulSet has no spec.paused)`);
  const k = kindInfo(ref.kind);
  gate.assertWritable(action);
  const access = await gate.canI({ verb: 'patch', group: k.group, resource: k.resource, namespace: ref.namespace, name: ref.name });
  if (!access.allowed) throw new Error(`forbidden: user ${gate.session.user} may not patch ${k.resource} in ${ref.namespace}`);
  const workload = await readWorkload(gate.session, ref);
  if ((obj(workload.spec).paused === true) === paused) throw new Error(`${ref.namespace}/${ref.name} is already ${paused ? 'paused' : 'resumed'}`);
  await gate.perform({
    action,
    target: { namespace: ref.namespace, kind: ref.kind, name: ref.name, apiVersion: 'apps/v1' },
    from: paused ? 'running' : 'paused',
    to: paused ? 'paused' : 'running',
    dryRun: 'none',
    run: async (client) => {
      const res = await client.request('PATCH', objectPath(ref), { body: { spec: { paused } }, contentType: 'application/strategic-merge-patch+json', timeoutMs: 30_000 });
      if (res.status !== 200) throw responseError(res, `${action} of ${ref.kind} ${ref.namespace}/${ref.name}`);
    },
  });
}
