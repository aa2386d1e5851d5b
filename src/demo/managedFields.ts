import type { IncomingMessage } from 'node:http';
import type { ObjectMeta } from './store.js';

// metadata.managedFields as the API server keeps them, for the fields the demo's clients change:
// spec.replicas (the scale subresource) and spec.template (a rollout, rollback or restart), and a
// ControllerRevision's, which the StatefulSet controller writes. One
// entry per manager, operation and subresource, with the time of its last change. The manager is
// the request's fieldManager, else the User-Agent's first word (what kube-apiserver defaults to).

export interface ManagedEntry {
  manager: string;
  operation: 'Update' | 'Apply';
  /** ms */
  time: number;
  subresource?: 'scale';
  /** revision: a ControllerRevision's fields, which its controller writes (data, labels, owner, revision). */
  field: 'replicas' | 'template' | 'revision';
}

export function fieldManagerOf(req: IncomingMessage, url: URL): string {
  const named = url.searchParams.get('fieldManager');
  if (named) return named;
  const ua = String(req.headers['user-agent'] ?? '').split('/')[0].trim();
  return ua || 'unknown';
}

export function withManager(meta: ObjectMeta, entry: ManagedEntry): ObjectMeta {
  const rest = (meta.managers ?? []).filter((m) => !(m.manager === entry.manager && m.operation === entry.operation && m.subresource === entry.subresource && m.field === entry.field));
  return { ...meta, managers: [...rest, entry] };
}

/** Does a patch body (JSON patch or merge patch) change the pod template? */
export function touchesTemplate(body: unknown): boolean {
  if (Array.isArray(body)) return body.some((op) => typeof (op as { path?: unknown }).path === 'string' && (op as { path: string }).path.startsWith('/spec/template'));
  const spec = (body as { spec?: { template?: unknown } } | undefined)?.spec;
  return spec?.template !== undefined;
}

const REVISION_FIELDS = { 'f:data': {}, 'f:metadata': { 'f:labels': { '.': {}, 'f:controller-revision-hash': {} }, 'f:ownerReferences': { '.': {} } }, 'f:revision': {} };

export function managedFieldsJson(entries: readonly ManagedEntry[]): unknown[] {
  return entries.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.subresource === 'scale' ? 'autoscaling/v1' : 'apps/v1',
    time: new Date(Math.floor(e.time / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: e.field === 'revision' ? REVISION_FIELDS : { 'f:spec': { [`f:${e.field}`]: {} } },
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}
