// metav1.Status objects shaped like the ones k8s.io/apimachinery/pkg/api/errors builds,
// so clients that switch on reason/code behave the same against the demo and a real cluster.

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
  retryAfterSeconds?: number;
}

export interface StatusObject {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure' | 'Success';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly continueToken?: string,
  ) {
    super(message);
  }

  toStatus(): StatusObject {
    const status: StatusObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message, reason: this.reason, code: this.code };
    if (this.details) status.details = this.details;
    if (this.continueToken) status.metadata.continue = this.continueToken;
    // Field order as Go marshals metav1.Status: kind, apiVersion, metadata, status, message, reason, details, code.
    return reorder(status);
  }
}

function reorder(s: StatusObject): StatusObject {
  const out: Record<string, unknown> = { kind: s.kind, apiVersion: s.apiVersion, metadata: s.metadata, status: s.status };
  if (s.message !== undefined) out.message = s.message;
  if (s.reason !== undefined) out.reason = s.reason;
  if (s.details !== undefined) out.details = s.details;
  out.code = s.code;
  return out as unknown as StatusObject;
}

/** "pods", "deployments.apps": how errors name a group/resource. */
export function qualifiedResource(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

export const errors = {
  notFound(resource: string, group: string, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualifiedResource(resource, group)} "${name}" not found`, { name, group: group || undefined, kind: resource });
  },
  alreadyExists(resource: string, group: string, name: string): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualifiedResource(resource, group)} "${name}" already exists`, { name, group: group || undefined, kind: resource });
  },
  conflict(resource: string, group: string, name: string, why: string): ApiError {
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(resource, group)} "${name}": ${why}`, { name, group: group || undefined, kind: resource });
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  invalid(kind: string, group: string, name: string, causes: { field: string; message: string; reason: string }[]): ApiError {
    const summary = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${summary}`, {
      name,
      group: group || undefined,
      kind,
      causes: causes.map((c) => ({ reason: c.reason, message: c.message, field: c.field })),
    });
  },
  methodNotSupported(resource: string, group: string, verb: string): ApiError {
    return new ApiError(405, 'MethodNotAllowed', `${verb} is not supported on resources of kind "${qualifiedResource(resource, group)}"`, { group: group || undefined, kind: resource });
  },
  notAcceptable(): ApiError {
    return new ApiError(406, 'NotAcceptable', 'only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  },
  unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/apply-patch+yaml, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json (got ${contentType})`);
  },
  unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  /** Same wording as the RBAC authorizer's forbidden message. */
  forbidden(user: string, verb: string, resource: string, subresource: string, group: string, namespace: string, name?: string): ApiError {
    const full = subresource ? `${resource}/${subresource}` : resource;
    const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
    const target = name ? `${qualifiedResource(resource, group)} "${name}"` : qualifiedResource(resource, group);
    return new ApiError(403, 'Forbidden', `${target} is forbidden: User "${user}" cannot ${verb} resource "${full}" in API group "${group}" ${scope}`, {
      name,
      group: group || undefined,
      kind: resource,
    });
  },
  /** Watch cache window passed: "too old resource version: <requested> (<oldest available - 1>)". */
  tooOldResourceVersion(requested: number, oldest: number): ApiError {
    return new ApiError(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
  },
  /** etcd3 store, list with resourceVersionMatch=Exact below the compaction point. */
  listExpired(): ApiError {
    return new ApiError(410, 'Expired', 'The resourceVersion for the provided list is too old.');
  },
  /** etcd3 store, continue token below the compaction point; carries a token to continue inconsistently. */
  continueExpired(inconsistentToken: string | undefined): ApiError {
    if (!inconsistentToken) {
      return new ApiError(410, 'Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
    }
    return new ApiError(
      410,
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      undefined,
      inconsistentToken,
    );
  },
  tooLargeResourceVersion(requested: number, current: number): ApiError {
    return new ApiError(504, 'Timeout', `Too large resource version: ${requested}, current: ${current}`, {
      causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
      retryAfterSeconds: 1,
    });
  },
  internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
  },
};

export function successStatus(details: StatusDetails): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}
