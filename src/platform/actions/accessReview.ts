import type { ReadSession } from '../kube/kubeSession.js';

// "Can I?" by SelfSubjectAccessReview: asked before a mutating dialog is offered, so the user
// learns about a missing permission before typing anything.

export interface AccessAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace: string;
  name?: string;
}

export interface AccessDecision {
  allowed: boolean;
  /** The authorizer's reason, or why the review itself failed. */
  reason: string;
  /** The review could not be made (e.g. 403 on the review itself): the dry-run decides. */
  unknown?: boolean;
}

export async function reviewAccess(session: ReadSession, a: AccessAttributes, signal?: AbortSignal): Promise<AccessDecision> {
  const resourceAttributes: Record<string, string> = { verb: a.verb, group: a.group, resource: a.resource, namespace: a.namespace };
  if (a.subresource) resourceAttributes.subresource = a.subresource;
  if (a.name) resourceAttributes.name = a.name;
  const res = await session.postReadOnly('access-review', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } },
    signal,
    timeoutMs: 15_000,
  });
  const body = res.body as { status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string }; message?: string } | undefined;
  if (res.status < 200 || res.status > 299 || !body?.status) {
    return { allowed: true, unknown: true, reason: `access review failed (${res.status}${body?.message ? `: ${body.message}` : ''})` };
  }
  const st = body.status;
  return { allowed: st.allowed === true && st.denied !== true, reason: st.reason || st.evaluationError || '' };
}

/** "update deployments/scale in cart" for messages. */
export function describeAccess(a: AccessAttributes): string {
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return `${a.verb} ${res}${a.name ? ` ${a.name}` : ''} in ${a.namespace}`;
}
