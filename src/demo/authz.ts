// Bearer-token authentication and a small RBAC-like authorizer for the two demo users.
//
// admin ("demo-admin"): everything.
// restricted ("demo-restricted"): get/list/watch on every served resource, except pods (and pod subresources) in
// namespace "payment". In RBAC terms that is a ClusterRole for reading plus a RoleBinding for pods in every other
// namespace, so listing or watching pods across all namespaces is forbidden "at the cluster scope" — exactly
// what a real cluster configured that way answers. No create/update/patch/delete, no pods/exec, no */scale updates.
// operator ("demo-operator"): a ClusterRole for reading everything (pods too), plus, by RoleBinding in the
// namespaces OPERATOR_NAMESPACES only, patch/update on deployments/scale, patch on deployments (rollout restart)
// and on horizontalpodautoscalers. StatefulSets are not in that Role, so in those namespaces a StatefulSet is the
// one application the operator may not scale — a bulk scale over such a system shows one forbidden application.
import { timingSafeEqual } from 'node:crypto';
import { errors, type ApiError } from './apiErrors.js';

export interface User {
  name: string;
  groups: string[];
  admin: boolean;
}

export interface Tokens {
  admin: string;
  restricted: string;
  /** Optional so that callers with their own two tokens keep working. */
  operator?: string;
}

export const ADMIN_USER = 'demo-admin';
export const RESTRICTED_USER = 'demo-restricted';
export const OPERATOR_USER = 'demo-operator';
export const OPERATOR_NAMESPACES = new Set(['cart', 'trade']);
export const FORBIDDEN_POD_NAMESPACE = 'payment';

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Returns the user for an Authorization header, or undefined (401) for a missing or unknown token. */
export function authenticate(header: string | undefined, tokens: Tokens): User | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return undefined;
  if (same(m[1], tokens.admin)) return { name: ADMIN_USER, groups: ['system:masters', 'system:authenticated'], admin: true };
  if (same(m[1], tokens.restricted)) return { name: RESTRICTED_USER, groups: ['system:authenticated'], admin: false };
  if (tokens.operator && same(m[1], tokens.operator)) return { name: OPERATOR_USER, groups: ['system:authenticated'], admin: false };
  return undefined;
}

export interface Attributes {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  name?: string;
}

const READ_VERBS = new Set(['get', 'list', 'watch']);

/** undefined when allowed, else the 403 the RBAC authorizer would give. */
export function authorize(user: User, a: Attributes): ApiError | undefined {
  if (user.admin) return undefined;
  const deny = () => errors.forbidden(user.name, a.verb, a.resource, a.subresource, a.group, a.namespace, a.name);
  if (user.name === OPERATOR_USER) return authorizeOperator(a, deny);
  if (a.group === '' && a.resource === 'pods') {
    if (a.namespace === '' || a.namespace === FORBIDDEN_POD_NAMESPACE) return deny();
    if (a.subresource === 'exec' || a.subresource === 'attach' || a.subresource === 'portforward') return deny();
    if (a.subresource === 'log' && a.verb === 'get') return undefined;
  }
  if (a.subresource === 'scale' && a.verb !== 'get') return deny();
  if (!READ_VERBS.has(a.verb)) return deny();
  return undefined;
}

const OPERATOR_WRITES = new Set(['apps/deployments/scale:patch', 'apps/deployments/scale:update', 'apps/deployments/:patch', 'autoscaling/horizontalpodautoscalers/:patch']);

function authorizeOperator(a: Attributes, deny: () => ApiError): ApiError | undefined {
  if (a.resource === 'pods' && (a.subresource === 'exec' || a.subresource === 'attach' || a.subresource === 'portforward')) return deny();
  if (READ_VERBS.has(a.verb)) return undefined;
  if (OPERATOR_NAMESPACES.has(a.namespace) && OPERATOR_WRITES.has(`${a.group}/${a.resource}/${a.subresource}:${a.verb}`)) return undefined;
  return deny();
}

/** What SelfSubjectAccessReview answers for the attributes. */
export function allowed(user: User, a: Attributes): boolean {
  return authorize(user, a) === undefined;
}
