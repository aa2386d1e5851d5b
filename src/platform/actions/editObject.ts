import { parseDocument, stringify } from 'yaml';
import type { DryRunClient, MutatingClient } from '../kube/kubeSession.js';
import { objectPath, type KubeObject, type ObjectRef } from '../kube/objects.js';
import { describeError } from '../errors.js';
import { sanitize } from '../text/sanitize.js';
import type { ActionGate } from './actionGate.js';
import { unifiedDiff } from './rolloutHistory.js';
import { responseError, ScaleRequestError } from './scaleClient.js';

// `kubectl edit`, through the gate: the object as YAML without what the user does not edit
// (metadata.managedFields, status), changed in $EDITOR, sent as a JSON merge patch from what was
// shown to what was saved, carrying the resourceVersion that was shown — so a change someone else
// made in between is a 409 Conflict, never silently overwritten. The server's dry-run (dryRun=All)
// answers the object as it would be; the preview is the diff of the two.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The object as the user edits it: managedFields and status left out (they are the server's). */
export function editableObject(o: KubeObject): Json {
  const { status: _status, ...rest } = o;
  const { managedFields: _managed, ...metadata } = o.metadata as Json;
  return { ...rest, metadata };
}

/** The header kubectl edit writes, then the YAML. */
export function editableText(ref: ObjectRef, o: KubeObject, context: string): string {
  return [
    `# Edit ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name} in context ${context}. Save and quit to preview the change;`,
    '# an unchanged or empty file changes nothing. metadata.managedFields and status are left out.',
    '#',
    stringify(editableObject(o), { lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}

/** The edited file read back: the object, or the YAML error (line and column) to show the user. */
export function parseEdited(text: string): { object?: Json; error?: string; empty?: boolean } {
  const body = text.split('\n').filter((l) => !l.startsWith('#')).join('\n');
  if (body.trim() === '') return { empty: true };
  const doc = parseDocument(body, { prettyErrors: true });
  if (doc.errors.length > 0) return { error: doc.errors[0].message };
  const value: unknown = doc.toJS();
  if (!isObject(value)) return { error: 'the file must hold one object (a YAML mapping)' };
  return { object: value };
}

/** The text again with the error on top as comments, as kubectl reopens the editor (a previous error replaced). */
export function withErrorOnTop(text: string, error: string): string {
  const body = text.replace(/^(# error: .*\n|# {3}.*\n)*/, '');
  const lines = error.trimEnd().split('\n');
  return `${[`# error: ${lines[0]}`, ...lines.slice(1).map((l) => `#   ${l}`)].join('\n')}\n${body}`;
}

/** RFC 7386 merge patch turning `from` into `to` (removed keys are null; lists are replaced whole). */
export function mergePatchBetween(from: Json, to: Json): Json | undefined {
  const patch: Json = {};
  for (const k of new Set([...Object.keys(from), ...Object.keys(to)])) {
    const a = from[k];
    const b = to[k];
    if (!(k in to)) patch[k] = null;
    else if (isObject(a) && isObject(b)) {
      const inner = mergePatchBetween(a, b);
      if (inner) patch[k] = inner;
    } else if (JSON.stringify(a) !== JSON.stringify(b)) patch[k] = b;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** The patch of an edit, with the shown resourceVersion as its precondition; undefined when nothing changed. */
export function editPatch(shown: Json, edited: Json): Json | undefined {
  const patch = mergePatchBetween(shown, edited);
  if (!patch) return undefined;
  const rv = (shown.metadata as Json | undefined)?.resourceVersion;
  return { ...patch, metadata: { ...(patch.metadata as Json | undefined), resourceVersion: rv } };
}

/** Lines of an object for the diff: the editable part, keys as the server sent them. */
function diffLines(o: Json): string[] {
  return stringify(editableObject(o as KubeObject), { lineWidth: 0 }).trimEnd().split('\n').map((l) => sanitize(l));
}

export interface EditPreview {
  ref: ObjectRef;
  patch: Json;
  ok: boolean;
  /** 409: the object changed on the server since it was read. */
  conflict?: boolean;
  /** Why it cannot be applied (forbidden, refused by the server: 422 and its causes). */
  reason?: string;
  diff: string[];
}

async function sendPatch(client: MutatingClient | DryRunClient, ref: ObjectRef, patch: Json): Promise<Json> {
  const res = await client.request('PATCH', objectPath(ref), { body: patch, contentType: 'application/merge-patch+json', timeoutMs: 30_000 });
  if (res.status !== 200) throw responseError(res, `${client.gateClient === 'dry-run' ? 'dry-run of ' : ''}editing ${ref.kind} ${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`);
  return res.body as Json;
}

/** May the user patch it, and what would the server make of the edit (dryRun=All)? */
export async function previewEdit(gate: ActionGate, ref: ObjectRef, shown: Json, patch: Json, signal?: AbortSignal): Promise<EditPreview> {
  const base: EditPreview = { ref, patch, ok: false, diff: [] };
  try {
    const access = await gate.canI({ verb: 'patch', group: ref.group, resource: ref.resource, namespace: ref.namespace ?? '', name: ref.name }, signal);
    if (!access.allowed) return { ...base, reason: `forbidden: user ${gate.session.user} may not patch ${ref.resource}${ref.namespace ? ` in ${ref.namespace}` : ''}${access.reason ? ` (${sanitize(access.reason)})` : ''}` };
    const after = await gate.dryRun((client) => sendPatch(client, ref, patch));
    const strip = (o: Json) => ({ ...o, metadata: { ...(o.metadata as Json), resourceVersion: undefined, generation: undefined } });
    return { ...base, ok: true, diff: unifiedDiff(diffLines(strip(shown)), diffLines(strip(after))) };
  } catch (err) {
    if (signal?.aborted) throw err;
    if (err instanceof ScaleRequestError && err.conflict) return { ...base, conflict: true, reason: sanitize(err.message) };
    return { ...base, reason: sanitize(describeError(err)) };
  }
}

/** The edit, through the gate (audited); a 409 throws a ScaleRequestError with `conflict`. */
export async function applyEdit(gate: ActionGate, preview: EditPreview, uid: string | undefined): Promise<void> {
  const { ref, patch } = preview;
  const fields = Object.keys(patch).filter((k) => k !== 'metadata' || Object.keys(patch.metadata as Json).some((m) => m !== 'resourceVersion'));
  await gate.perform({
    action: 'edit',
    target: { namespace: ref.namespace ?? '', kind: ref.kind, name: ref.name, apiVersion: ref.group ? `${ref.group}/${ref.version}` : ref.version, uid },
    to: `changed ${fields.join(', ')}`,
    dryRun: 'accepted',
    eventMessage: `edited (${fields.join(', ')}) by ${gate.session.user} with warroom`,
    run: (client) => sendPatch(client, ref, patch),
  });
}

/** The edit as comments on top of the live object, after a conflict: what the user had changed. */
export function conflictText(fresh: string, patch: Json, message: string): string {
  const mine = stringify(patch, { lineWidth: 0 }).trimEnd().split('\n');
  return [
    `# error: ${message}`,
    '#   The object changed on the server since you opened it; below is its current state.',
    '#   Your change (a merge patch) was:',
    ...mine.map((l) => `#     ${l}`),
    fresh,
  ].join('\n');
}
