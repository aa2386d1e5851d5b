import { UserError } from '../errors.js';

/** What a request was, in the words of RBAC: verb, resource, namespace. */
export interface ApiRequestInfo {
  verb: string;
  /** `pods`, `deployments`, `pods/log`, or the raw path for non-resource URLs (`/version`). */
  resource: string;
  namespace?: string;
  name?: string;
}

/** The Kubernetes `Status` object an apiserver returns with a failed request. */
export interface KubeStatus {
  kind?: string;
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: unknown;
}

/** A request the apiserver answered with a non-2xx status. */
export class KubeApiError extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    readonly status: number,
    /** The Status `reason` (Forbidden, NotFound, Expired, ...) or the HTTP status text. */
    readonly reason: string,
    /** The Status `message` as the apiserver wrote it. */
    readonly apiMessage: string,
    readonly request: ApiRequestInfo,
    readonly server: string,
    readonly context: string,
  ) {
    super(message, hint);
    this.name = 'KubeApiError';
  }

  get verb(): string {
    return this.request.verb;
  }
  get resource(): string {
    return this.request.resource;
  }
  get namespace(): string | undefined {
    return this.request.namespace;
  }
}

/** The server could not be reached at all: DNS, refused, timeout, TLS. */
export class KubeUnreachableError extends UserError {
  constructor(
    message: string,
    hint: string | undefined,
    /** Node's error code (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, CERT_HAS_EXPIRED, ...). */
    readonly code: string,
    readonly server: string,
    readonly context: string,
  ) {
    super(message, hint);
    this.name = 'KubeUnreachableError';
  }
}

/** Credentials could not be obtained (exec plugin, OIDC refresh, token file). */
export class KubeCredentialsError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint);
    this.name = 'KubeCredentialsError';
  }
}

export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as NodeJS.ErrnoException).code === 'ABORT_ERR');
}

export function describeRequest(
  method: string,
  path: string,
  query?: Record<string, string | number | boolean | undefined>,
): ApiRequestInfo {
  const segments = path.split('?')[0].split('/').filter(Boolean).map(safeDecode);
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 2) rest = segments.slice(2);
  else if (segments[0] === 'apis' && segments.length >= 3) rest = segments.slice(3);
  else return { verb: method.toLowerCase(), resource: path.split('?')[0] };

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = rest.length >= 3 ? `${rest[0]}/${rest[2]}` : (rest[0] ?? '');
  const name = rest[1];
  const watching = query?.watch === true || query?.watch === 'true' || query?.watch === '1' || query?.watch === 1;
  let verb: string;
  switch (method.toUpperCase()) {
    case 'GET':
      verb = watching ? 'watch' : name === undefined ? 'list' : 'get';
      break;
    case 'POST':
      verb = 'create';
      break;
    case 'PUT':
      verb = 'update';
      break;
    case 'PATCH':
      verb = 'patch';
      break;
    case 'DELETE':
      verb = name === undefined ? 'deletecollection' : 'delete';
      break;
    default:
      verb = method.toLowerCase();
  }
  return { verb, resource, namespace, name };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** "list pods in namespace shop" / "list namespaces" / "get /version". */
export function requestPhrase(info: ApiRequestInfo): string {
  const target = info.name ? `${info.resource} ${info.name}` : info.resource;
  return info.namespace ? `${info.verb} ${target} in namespace ${info.namespace}` : `${info.verb} ${target}`;
}

/** A GET whose 2xx answer was not the JSON asked for (a proxy's HTML page, a cut body). */
export function notJsonAnswer(session: { contextName: string; server: string }, path: string, query: Parameters<typeof describeRequest>[2]): UserError {
  return new UserError(`${requestPhrase(describeRequest('GET', path, query))} on context '${session.contextName}' (${session.server}): the server did not answer with JSON`);
}
