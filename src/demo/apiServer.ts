// The simulated kube-apiserver's HTTP surface: authentication, discovery, list (paged, consistent), get, watch,
// create/delete for the objects the contract relies on, the scale subresource and SelfSubjectAccessReview.
import { fieldManagerOf, touchesTemplate, withManager } from './managedFields.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { ApiError, errors, successStatus } from './apiErrors.js';
import { authenticate, authorize, allowed, type Attributes, type Tokens, type User } from './authz.js';
import type { Cluster, Served } from './cluster.js';
import { decodeContinue, encodeContinue, encodeContinueAt, InvalidContinueError } from './continueToken.js';
import { Controller } from './controller.js';
import { finalizersOf, GarbageCollector, ownersOf, propagationOf } from './garbageCollector.js';
import { editObject, mergePatch } from './objectEdit.js';
import type { EventRecord } from './records.js';
import { aggregatedDiscovery, aggregatedVersion, apiGroup, apiGroupList, apiVersions, resourceList, SERVER_VERSION } from './discovery.js';
import { ExecServer } from './execShell.js';
import { parseForwardPorts, PortForwardServer } from './portForward.js';
import { evictPod } from './eviction.js';
import { createDisruptionBudget } from './disruptionBudgets.js';
import type { ContainerSpec, PodRecord } from './records.js';
import { listClose, listItemText, listOpen, negotiate, objectText, typedObject, type Representation } from './representation.js';
import { Rng } from './rng.js';
import { parseFieldSelector, parseLabelSelector, matchesFields, matchesLabels, SelectorParseError, type FieldRequirement, type LabelRequirement } from './selectors.js';
import { objectKey, type StoredObject } from './store.js';
import { patchObject, type PatchHooks, type PatchResult } from './objectPatch.js';
import { PROTOBUF, protobufReviewSpec } from './protobufBody.js';
import { Utf8Chunks } from './utf8Chunks.js';

export interface ApiServerOptions {
  cluster: Cluster;
  controller: Controller;
  tokens: Tokens;
  /** How often watchers that allow bookmarks get one (the real apiserver: about every minute). */
  bookmarkIntervalMs: number;
  /** Answers every list page after the first (a `continue` request) this much later: a slow API server, for loading states. */
  listPageDelayMs?: number;
  log?: (line: string) => void;
  /** Serves GET pods/{name}/log (the demo's log store plugs in here); without it a built-in generator answers. */
  podLog?: (res: ServerResponse, pod: PodRecord, query: URLSearchParams) => void;
  /** Carries out a rollout restart accepted by PATCH (without it the template changes and pods stay). */
  restart?: PatchHooks['restart'];
  /** Serve HTTPS with this key and certificate chain (PEM) instead of plain HTTP. */
  tls?: { key: string; cert: string };
  /** Where exec shells get their pods' scratch directories (default the temp directory). */
  scratchDir?: string;
}

interface RequestInfo {
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name?: string;
}

const MAX_BODY = 4 * 1024 * 1024;
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

function parseBool(v: string | null): boolean {
  return v !== null && /^(1|t|true)$/i.test(v);
}

/** Mirrors the apiserver's RequestInfoFactory for /api/v1/... and /apis/<group>/<version>/... paths. */
export function parseResourcePath(parts: string[]): RequestInfo | undefined {
  let group = '';
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  return { group, version, resource: rest[0], name: rest[1], subresource: rest[2] ?? '', namespace };
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(body);
  }
}

async function readBodyBytes(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBodyBytes(req)).toString('utf8');
}

type JsonObject = Record<string, unknown>;

function contentTypeOf(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}


function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};
}

function stringMap(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return Object.keys(out).length > 0 ? out : undefined;
}

export class ApiServer {
  readonly server: Server;
  private readonly bookmarkTimer: NodeJS.Timeout;
  private readonly nameRng = new Rng(Date.now() & 0xffffffff);
  private readonly exec: ExecServer;
  private readonly portForward = new PortForwardServer();

  private readonly gc: GarbageCollector;

  constructor(private readonly options: ApiServerOptions) {
    this.exec = new ExecServer(options.scratchDir);
    this.gc = new GarbageCollector(options.cluster, options.controller);
    const onRequest = (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    };
    this.server = options.tls ? createTlsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest) : createServer(onRequest);
    this.server.keepAliveTimeout = 65_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
    this.bookmarkTimer = setInterval(() => {
      for (const s of options.cluster.all()) s.hub.sendBookmarks();
    }, options.bookmarkIntervalMs);
    this.bookmarkTimer.unref();
  }

  async listen(host: string, port: number): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => resolve());
    });
    const addr = this.server.address();
    if (addr === null || typeof addr === 'string') throw new Error('server has no TCP address');
    return addr.port;
  }

  /** WebSocket upgrades: only pods/exec. Refusals are written as plain HTTP responses on the socket. */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (err: ApiError) => {
      const body = JSON.stringify(err.toStatus());
      socket.end(`HTTP/1.1 ${err.code} ${err.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const user = authenticate(req.headers.authorization, this.options.tokens);
      if (!user) return refuse(errors.unauthorized());
      const info = parseResourcePath(url.pathname.split('/').filter((p) => p !== ''));
      if (info && info.group === '' && info.resource === 'pods' && info.subresource === 'portforward' && info.name) return this.upgradePortForward(req, socket, head, user, info, url, refuse);
      if (!info || info.group !== '' || info.resource !== 'pods' || info.subresource !== 'exec' || !info.name) {
        return refuse(new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}));
      }
      // Exec over a WebSocket (a GET) is authorized as "create" on pods/exec, as current apiservers do.
      const denied = authorize(user, { verb: 'create', group: '', resource: 'pods', subresource: 'exec', namespace: info.namespace, name: info.name });
      if (denied) return refuse(denied);
      const pod = this.options.cluster.pods.store.get(objectKey(info.namespace, info.name));
      if (!pod) return refuse(errors.notFound('pods', '', info.name));
      const q = url.searchParams;
      const containers = pod.template.containers.map((c) => c.name);
      const container = q.get('container') ?? containers[0];
      if (!containers.includes(container)) return refuse(errors.badRequest(`container ${container} is not valid for pod ${pod.meta.name}`));
      if (pod.stage !== 'Running' || pod.meta.deletionTs !== undefined) {
        return refuse(errors.badRequest(`unable to upgrade connection: container not found ("${container}")`));
      }
      this.exec.upgrade(req, socket, head, { pod, container, command: q.getAll('command'), tty: parseBool(q.get('tty')), stdin: parseBool(q.get('stdin')) });
    } catch (err) {
      refuse(err instanceof ApiError ? err : errors.internal(String(err)));
    }
  }

  /** pods/portforward: as the API server, then the kubelet (a pod with no node, or not running, is refused). */
  private upgradePortForward(req: IncomingMessage, socket: Duplex, head: Buffer, user: User, info: RequestInfo, url: URL, refuse: (err: ApiError) => void): void {
    const denied = authorize(user, { verb: 'create', group: '', resource: 'pods', subresource: 'portforward', namespace: info.namespace, name: info.name });
    if (denied) return refuse(denied);
    const pod = this.options.cluster.pods.store.get(objectKey(info.namespace, info.name!));
    if (!pod) return refuse(errors.notFound('pods', '', info.name!));
    const ports = parseForwardPorts(url.searchParams.getAll('ports'));
    if (!ports) return refuse(errors.badRequest('query parameter "port" is required'));
    if (!pod.nodeName) return refuse(errors.badRequest(`pod ${pod.meta.name} does not have a host assigned`));
    if (pod.stage !== 'Running' || pod.meta.deletionTs !== undefined) return refuse(errors.badRequest(`unable to upgrade connection: pod ${pod.meta.name} is not running`));
    this.portForward.upgrade(req, socket, head, { pod, ports });
  }

  async close(): Promise<void> {
    this.portForward.close();
    this.exec.close();
    clearInterval(this.bookmarkTimer);
    for (const s of this.options.cluster.all()) s.hub.closeAll();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private headers(): Record<string, string> {
    return { 'Audit-Id': randomUUID(), 'Cache-Control': 'no-cache, private' };
  }

  private send(res: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
    if (res.headersSent) {
      res.end();
      return;
    }
    res.writeHead(status, { ...this.headers(), 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (err instanceof ApiError) {
      this.send(res, err.code, JSON.stringify(err.toStatus()));
    } else if (err instanceof HttpError) {
      this.send(res, err.status, err.body, 'text/plain; charset=utf-8');
    } else {
      this.options.log?.(`internal error: ${err instanceof Error ? err.stack : String(err)}`);
      const e = errors.internal(err instanceof Error ? err.message : String(err));
      this.send(res, e.code, JSON.stringify(e.toStatus()));
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter((p) => p !== '');
    const method = (req.method ?? 'GET').toUpperCase();
    const authHeader = req.headers.authorization;
    const user = authenticate(authHeader, this.options.tokens);

    // Health and version are readable anonymously (system:public-info-viewer), but a bad token is still 401.
    const publicPath = ['healthz', 'readyz', 'livez', 'version'].includes(parts[0] ?? '');
    if (authHeader !== undefined && !user) throw errors.unauthorized();
    if (publicPath && method === 'GET') {
      if (parts[0] === 'version') return this.send(res, 200, JSON.stringify(SERVER_VERSION, null, 2));
      return this.send(res, 200, 'ok', 'text/plain; charset=utf-8');
    }
    if (!user) throw errors.unauthorized();

    if (method === 'GET') {
      const aggregated = (parts.length === 1 && (parts[0] === 'api' || parts[0] === 'apis')) ? aggregatedVersion(req.headers.accept) : undefined;
      if (aggregated) {
        const doc = aggregatedDiscovery(this.options.cluster, parts[0] === 'api', aggregated);
        return this.send(res, 200, JSON.stringify(doc), `application/json;g=apidiscovery.k8s.io;v=${aggregated};as=APIGroupDiscoveryList`);
      }
      const doc = this.discovery(parts);
      if (doc !== undefined) return this.send(res, 200, JSON.stringify(doc));
    }
    const info = parseResourcePath(parts);
    if (!info) {
      if (parts[0] === 'api' || parts[0] === 'apis') throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
      throw new HttpError(404, '404 page not found\n');
    }
    if (info.group === 'authorization.k8s.io' && info.version === 'v1' && info.resource === 'selfsubjectaccessreviews' && method === 'POST') {
      return this.selfSubjectAccessReview(req, res, user);
    }
    const served = this.options.cluster.lookup(info.group, info.resource);
    if (!served || served.kind.version !== info.version || (served.kind.namespaced === false && info.namespace !== '')) {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    }
    const watch = parseBool(url.searchParams.get('watch'));
    const verb = this.verbOf(method, info, watch);
    const attributes: Attributes = { verb, group: info.group, resource: info.resource, subresource: info.subresource, namespace: info.namespace, name: info.name };
    const denied = authorize(user, attributes);
    if (denied) throw denied;

    if (info.subresource) return this.subresource(req, res, served, info, method, url);
    switch (verb) {
      case 'list':
        return this.list(req, res, served, info, url);
      case 'watch':
        return this.watch(req, res, served, info, url);
      case 'get':
        return this.get(req, res, served, info, url);
      case 'create':
        return this.create(req, res, served, info, url);
      case 'delete':
        return this.delete(req, res, served, info, url);
      case 'patch':
        return this.patch(req, res, served, info, url);
      case 'update':
        return this.update(req, res, served, info, url);
      default:
        throw errors.methodNotSupported(info.resource, info.group, verb);
    }
  }

  private verbOf(method: string, info: RequestInfo, watch: boolean): string {
    switch (method) {
      case 'GET':
      case 'HEAD':
        if (watch) return 'watch';
        return info.name ? 'get' : 'list';
      case 'POST':
        return 'create';
      case 'PUT':
        return 'update';
      case 'PATCH':
        return 'patch';
      case 'DELETE':
        return info.name ? 'delete' : 'deletecollection';
      default:
        return method.toLowerCase();
    }
  }

  private discovery(parts: string[]): unknown | undefined {
    const cluster = this.options.cluster;
    if (parts.length === 1 && parts[0] === 'api') return apiVersions();
    if (parts.length === 2 && parts[0] === 'api') return resourceList(cluster, '', parts[1]);
    if (parts.length === 1 && parts[0] === 'apis') return apiGroupList();
    if (parts.length === 2 && parts[0] === 'apis') return apiGroup(parts[1]);
    if (parts.length === 3 && parts[0] === 'apis') return resourceList(cluster, parts[1], parts[2]);
    return undefined;
  }

  private selectors(url: URL): { labels: LabelRequirement[]; fields: FieldRequirement[] } {
    try {
      return { labels: parseLabelSelector(url.searchParams.get('labelSelector') ?? ''), fields: parseFieldSelector(url.searchParams.get('fieldSelector') ?? '') };
    } catch (err) {
      if (err instanceof SelectorParseError) throw errors.badRequest(err.message);
      throw err;
    }
  }

  private checkFields(served: Served<StoredObject>, fields: FieldRequirement[]): void {
    for (const f of fields) {
      if (!served.kind.fields[f.field]) throw errors.badRequest(`field label not supported: ${f.field}`);
    }
  }

  /** Waits briefly for a resourceVersion the store has not reached, then 504 like the watch cache. */
  private async waitForResourceVersion(rv: number): Promise<void> {
    const clock = this.options.cluster.clock;
    const deadline = Date.now() + 3000;
    while (rv > clock.current && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (rv > clock.current) throw errors.tooLargeResourceVersion(rv, clock.current);
  }

  private parseResourceVersion(value: string, what = 'resourceVersion'): number {
    if (!/^\d+$/.test(value)) throw errors.badRequest(`invalid ${what}: ${JSON.stringify(value)}`);
    return Number(value);
  }

  private async list(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): Promise<void> {
    const q = url.searchParams;
    const rep = negotiate(req.headers.accept, q.get('includeObject'), true);
    const { labels, fields } = this.selectors(url);
    this.checkFields(served, fields);
    const store = served.store;
    const prefix = info.namespace ? `${info.namespace}/` : '';
    const limitParam = q.get('limit');
    const limit = limitParam && /^\d+$/.test(limitParam) && Number(limitParam) > 0 ? Number(limitParam) : 0;
    const rvParam = q.get('resourceVersion') ?? '';
    const match = q.get('resourceVersionMatch') ?? '';
    const continueParam = q.get('continue') ?? '';
    const delay = this.options.listPageDelayMs ?? 0;
    if (continueParam && delay > 0) await new Promise((r) => setTimeout(r, delay));
    let atRv: number;
    let fromKey = '';
    if (continueParam) {
      if (rvParam !== '') throw errors.badRequest('specifying resource version is not allowed when using continue');
      let token;
      try {
        token = decodeContinue(continueParam);
      } catch (err) {
        if (err instanceof InvalidContinueError) throw errors.badRequest(err.message);
        throw err;
      }
      atRv = token.rv === -1 ? this.options.cluster.clock.current : token.rv;
      fromKey = prefix + token.start;
      // etcd compacted the revision: 410, with a token that continues (inconsistently) at the latest revision.
      if (!store.canReadAt(atRv)) throw errors.continueExpired(encodeContinueAt(token.start, -1));
    } else if (rvParam === '' || rvParam === '0') {
      if (match !== '' && rvParam === '') throw errors.badRequest('resourceVersionMatch is forbidden unless resourceVersion is provided');
      atRv = this.options.cluster.clock.current;
    } else {
      const rv = this.parseResourceVersion(rvParam);
      if (match === 'Exact') {
        await this.waitForResourceVersion(rv);
        if (!store.canReadAt(rv)) throw errors.listExpired();
        atRv = rv;
      } else if (match === '' || match === 'NotOlderThan') {
        await this.waitForResourceVersion(rv);
        atRv = this.options.cluster.clock.current;
      } else {
        throw errors.badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan", ""`);
      }
    }

    const now = Date.now();
    const fieldFns = served.kind.fields;
    const matches = (o: StoredObject) =>
      (labels.length === 0 || matchesLabels(labels, o.meta.labels)) && (fields.length === 0 || matchesFields(fields, (f) => fieldFns[f](o)));
    const iterator = store.scan(prefix, fromKey, atRv);
    const items: StoredObject[] = [];
    let lastKey = '';
    let more = false;
    for (let next = iterator.next(); !next.done; next = iterator.next()) {
      const [key, obj] = next.value;
      if (limit > 0 && items.length >= limit) {
        // A full page and more keys in range: the real store hands out a continue token even if none of them match.
        more = true;
        break;
      }
      lastKey = key;
      if (matches(obj)) items.push(obj);
    }
    let continueToken: string | undefined;
    let remaining: number | undefined;
    if (more) {
      continueToken = encodeContinue(lastKey.slice(prefix.length), atRv);
      if (labels.length === 0 && fields.length === 0) remaining = store.countFrom(prefix, `${lastKey}\u0000`);
    }
    await this.streamList(res, served, rep, { resourceVersion: String(atRv), continue: continueToken, remainingItemCount: remaining }, items, now);
  }

  /** Writes a list in ~256 KB chunks so a 100,000-item response neither builds one huge string nor blocks for long. */
  private async streamList(res: ServerResponse, served: Served<StoredObject>, rep: Representation, meta: { resourceVersion: string; continue?: string; remainingItemCount?: number }, items: StoredObject[], now: number): Promise<void> {
    res.writeHead(200, { ...this.headers(), 'Content-Type': 'application/json' });
    const out = new Utf8Chunks();
    out.write(listOpen(served.kind, rep, meta));
    for (let i = 0; i < items.length; i++) {
      const text = listItemText(served.kind, items[i], rep, now);
      out.write(i > 0 ? `,${text}` : text);
      if (out.full) {
        const chunk = out.take();
        const ok = res.write(chunk, () => out.recycle(chunk));
        if (!ok) await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
        if (res.destroyed) return;
      }
    }
    out.write(listClose());
    res.end(out.take());
  }

  private async watch(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): Promise<void> {
    const q = url.searchParams;
    const rep = negotiate(req.headers.accept, q.get('includeObject'), true);
    const { labels, fields } = this.selectors(url);
    if (info.name) fields.push({ field: 'metadata.name', op: '=', value: info.name });
    this.checkFields(served, fields);
    const rvParam = q.get('resourceVersion') ?? '';
    const resourceVersion = rvParam === '' || rvParam === '0' ? undefined : this.parseResourceVersion(rvParam);
    const timeoutParam = q.get('timeoutSeconds');
    // Without timeoutSeconds the apiserver picks a random timeout between minRequestTimeout (30 min) and twice that;
    // timeoutSeconds=0 means no timeout at all (the watch server's timer is never armed).
    const timeoutMs =
      timeoutParam && /^\d+$/.test(timeoutParam) ? (Number(timeoutParam) === 0 ? 2 ** 31 - 1 : Number(timeoutParam) * 1000) : (1800 + Math.floor(Math.random() * 1800)) * 1000;
    await served.hub.start(
      res,
      {
        namespace: info.namespace,
        labels,
        fields,
        rep,
        allowBookmarks: parseBool(q.get('allowWatchBookmarks')),
        resourceVersion,
        timeoutMs,
        sendInitialEvents: parseBool(q.get('sendInitialEvents')),
      },
      this.headers(),
    );
  }

  private find(served: Served<StoredObject>, info: RequestInfo): StoredObject {
    const obj = served.store.get(objectKey(info.namespace, info.name!));
    if (!obj) throw errors.notFound(served.kind.resource, served.kind.group, info.name!);
    return obj;
  }

  private async get(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): Promise<void> {
    const rep = negotiate(req.headers.accept, url.searchParams.get('includeObject'), false);
    const obj = this.find(served, info);
    this.send(res, 200, objectText(served.kind, obj, rep, Date.now()));
  }

  private async jsonBody(req: IncomingMessage): Promise<JsonObject> {
    return asObject(await this.jsonValue(req));
  }

  /** The body as JSON of any shape (a JSON patch is an array). */
  private async jsonValue(req: IncomingMessage): Promise<unknown> {
    const type = (req.headers['content-type'] ?? 'application/json').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json' && !type.endsWith('+json')) throw errors.unsupportedMediaType(type);
    const text = await readBody(req);
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw errors.badRequest(`error decoding from json: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** An Event a client records (warroom's audit.kubernetesEvents), as `kubectl create` would post one. */
  private createEvent(res: ServerResponse, info: RequestInfo, body: JsonObject, name: string, dryRun: boolean, rep: ReturnType<typeof negotiate>): void {
    const kind = this.options.cluster.events.kind;
    const involved = asObject(body.involvedObject);
    const source = asObject(body.source);
    const text = (v: unknown) => (typeof v === 'string' ? v : '');
    if (!name) throw errors.invalid('Event', '', '', [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]);
    // As the API server validates it: a cluster-scoped object's Event may live in "default".
    const clusterScoped = text(involved.namespace) === '' && info.namespace === 'default';
    if (text(involved.namespace) !== info.namespace && !clusterScoped) throw errors.invalid('Event', '', name, [{ field: 'involvedObject.namespace', reason: 'FieldValueInvalid', message: 'Invalid value: does not match event.namespace' }]);
    const at = (v: unknown) => Date.parse(text(v)) || Date.now();
    const meta = asObject(body.metadata);
    const record: EventRecord = {
      meta: { name, namespace: info.namespace, uid: randomUUID(), rv: 0, created: Date.now(), annotations: stringMap(meta.annotations), labels: stringMap(meta.labels) },
      involved: { kind: text(involved.kind), namespace: text(involved.namespace), name: text(involved.name), uid: text(involved.uid), apiVersion: text(involved.apiVersion) },
      reason: text(body.reason),
      message: text(body.message),
      type: body.type === 'Warning' ? 'Warning' : 'Normal',
      component: text(source.component) || text(body.reportingComponent),
      host: text(source.host) || text(body.reportingInstance) || undefined,
      first: at(body.firstTimestamp),
      last: at(body.lastTimestamp),
      count: Number(body.count) || 1,
    };
    if (dryRun) return this.send(res, 201, objectText(kind, record, rep, Date.now()));
    const created = this.options.cluster.events.store.create(record);
    this.send(res, 201, objectText(kind, created, rep, Date.now()));
  }

  private async create(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): Promise<void> {
    const rep = negotiate(req.headers.accept, url.searchParams.get('includeObject'), false);
    const body = await this.jsonBody(req);
    const dryRun = url.searchParams.getAll('dryRun').includes('All');
    const kind = served.kind;
    if (body.kind !== undefined && body.kind !== kind.kind) throw errors.badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${kind.group ? `${kind.group}/` : ''}${kind.version})`);
    const meta = asObject(body.metadata);
    if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== info.namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    let name = typeof meta.name === 'string' ? meta.name : '';
    const generateName = typeof meta.generateName === 'string' ? meta.generateName : undefined;
    if (!name && generateName) name = `${generateName}${this.nameRng.suffix(5)}`;
    const cluster = this.options.cluster;
    const controller = this.options.controller;

    if (kind.resource === 'namespaces') {
      if (!name) throw errors.invalid('Namespace', '', '', [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]);
      if (!DNS1123_LABEL.test(name) || name.length > 63) throw errors.invalid('Namespace', '', name, [{ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')` }]);
      if (cluster.namespaces.store.has(name)) throw errors.alreadyExists('namespaces', '', name);
      if (dryRun) return this.send(res, 201, JSON.stringify(typedObject(kind, { metadata: { name, creationTimestamp: null }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })));
      const created = controller.createNamespace(name, stringMap(meta.labels), stringMap(meta.annotations));
      return this.send(res, 201, objectText(kind, created, rep, Date.now()));
    }
    if (kind.resource === 'deployments') return this.createDeployment(res, info, body, name, dryRun, rep);
    if (kind.resource === 'events') return this.createEvent(res, info, body, name, dryRun, rep);
    if (kind.resource === 'configmaps') return this.createConfigMap(res, info, body, name, dryRun, rep);
    if (kind.resource === 'poddisruptionbudgets') return this.send(res, 201, objectText(kind, createDisruptionBudget(cluster, info.namespace, name, body, dryRun), rep, Date.now()));
    if (kind.resource !== 'pods') throw errors.methodNotSupported(kind.resource, kind.group, 'create');

    const ns = cluster.namespaces.store.get(info.namespace);
    if (!ns) throw errors.notFound('namespaces', '', info.namespace);
    if (ns.phase === 'Terminating') throw new ApiError(403, 'Forbidden', `pods "${name}" is forbidden: unable to create new content in namespace ${info.namespace} because it is being terminated`, { name, kind: 'pods' });
    const spec = asObject(body.spec);
    const causes: { field: string; message: string; reason: string }[] = [];
    if (!name) causes.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
    else if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) causes.push({ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')` });
    const containers: ContainerSpec[] = [];
    const rawContainers = Array.isArray(spec.containers) ? spec.containers : [];
    if (rawContainers.length === 0) causes.push({ field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' });
    rawContainers.forEach((raw, i) => {
      const c = asObject(raw);
      if (typeof c.name !== 'string' || !DNS1123_LABEL.test(c.name)) causes.push({ field: `spec.containers[${i}].name`, reason: 'FieldValueRequired', message: 'Required value' });
      if (typeof c.image !== 'string' || c.image === '') causes.push({ field: `spec.containers[${i}].image`, reason: 'FieldValueRequired', message: 'Required value' });
      const resources = asObject(c.resources);
      const ports = Array.isArray(c.ports)
        ? c.ports.map((p) => {
            const port = asObject(p);
            return { name: typeof port.name === 'string' ? port.name : undefined, containerPort: Number(port.containerPort) || 0, protocol: port.protocol === 'UDP' ? ('UDP' as const) : ('TCP' as const) };
          })
        : undefined;
      containers.push({ name: String(c.name ?? ''), image: String(c.image ?? ''), ports, requests: stringMap(resources.requests), limits: stringMap(resources.limits) });
    });
    if (causes.length > 0) throw errors.invalid('Pod', '', name, causes);
    if (cluster.pods.store.has(objectKey(info.namespace, name))) throw errors.alreadyExists('pods', '', name);
    const restartPolicy = spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure' ? spec.restartPolicy : 'Always';
    // emptyDir volumes are kept (a drain asks for them); the demo drops other volume sources.
    const volumes = (Array.isArray(spec.volumes) ? spec.volumes : []).map(asObject).filter((v) => typeof v.name === 'string' && v.emptyDir !== null && typeof v.emptyDir === 'object').map((v) => {
      const e = asObject(v.emptyDir);
      return { name: String(v.name), emptyDir: { ...(typeof e.medium === 'string' ? { medium: e.medium } : {}), ...(typeof e.sizeLimit === 'string' ? { sizeLimit: e.sizeLimit } : {}) } };
    });
    const template = Controller.templateFromSpec({
      containers,
      volumes,
      serviceAccountName: typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : undefined,
      terminationGracePeriodSeconds: typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : undefined,
      restartPolicy,
    });
    const input = { name, generateName, namespace: info.namespace, labels: stringMap(meta.labels), annotations: stringMap(meta.annotations), template, nodeName: typeof spec.nodeName === 'string' ? spec.nodeName : undefined };
    if (dryRun) {
      const preview: PodRecord = { meta: { name, generateName, namespace: info.namespace, uid: randomUUID(), rv: 0, created: Date.now(), labels: input.labels, annotations: input.annotations }, template, stage: 'Pending', ready: false, restarts: 0 };
      return this.send(res, 201, objectText(kind, preview, rep, Date.now()));
    }
    const created = controller.createStandalonePod(input);
    this.send(res, 201, objectText(kind, created, rep, Date.now()));
  }

  /** POST configmaps: name, labels, finalizers, ownerReferences, data (string values). */
  private createConfigMap(res: ServerResponse, info: RequestInfo, body: JsonObject, name: string, dryRun: boolean, rep: Representation): void {
    const cluster = this.options.cluster;
    if (!cluster.namespaces.store.get(info.namespace)) throw errors.notFound('namespaces', '', info.namespace);
    if (!name || !DNS1123_SUBDOMAIN.test(name)) throw errors.invalid('ConfigMap', '', name, [{ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' }]);
    if (cluster.configMaps.store.has(objectKey(info.namespace, name))) throw errors.alreadyExists('configmaps', '', name);
    const record = { meta: { name, namespace: info.namespace, uid: randomUUID(), rv: 0, created: Date.now(), labels: stringMap(asObject(body.metadata).labels), finalizers: finalizersOf(asObject(body.metadata).finalizers), owners: ownersOf(asObject(body.metadata).ownerReferences) }, body: { data: stringMap(body.data) ?? {} } };
    const stored = dryRun ? record : cluster.configMaps.store.create(record);
    this.send(res, 201, objectText(cluster.configMaps.kind, stored, rep, Date.now()));
  }

  /** POST deployments: name, replicas, selector, template labels and containers (name, image); the rest is defaulted. */
  private createDeployment(res: ServerResponse, info: RequestInfo, body: JsonObject, name: string, dryRun: boolean, rep: Representation): void {
    const cluster = this.options.cluster;
    if (!cluster.namespaces.store.get(info.namespace)) throw errors.notFound('namespaces', '', info.namespace);
    const spec = asObject(body.spec);
    const template = asObject(spec.template);
    const podLabels = stringMap(asObject(template.metadata).labels) ?? {};
    const selector = stringMap(asObject(spec.selector).matchLabels) ?? {};
    const replicas = spec.replicas === undefined ? 1 : spec.replicas;
    const causes: { field: string; message: string; reason: string }[] = [];
    if (!name || !DNS1123_SUBDOMAIN.test(name)) causes.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name is required' });
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) causes.push({ field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` });
    if (Object.keys(selector).length === 0) causes.push({ field: 'spec.selector', reason: 'FieldValueRequired', message: 'Required value' });
    else if (!Object.entries(selector).every(([k, v]) => podLabels[k] === v)) causes.push({ field: 'spec.template.metadata.labels', reason: 'FieldValueInvalid', message: '`selector` does not match template `labels`' });
    const rawContainers = Array.isArray(asObject(template.spec).containers) ? (asObject(template.spec).containers as unknown[]) : [];
    if (rawContainers.length === 0) causes.push({ field: 'spec.template.spec.containers', reason: 'FieldValueRequired', message: 'Required value' });
    const containers: ContainerSpec[] = rawContainers.map((raw, i) => {
      const c = asObject(raw);
      if (typeof c.name !== 'string' || typeof c.image !== 'string') causes.push({ field: `spec.template.spec.containers[${i}]`, reason: 'FieldValueRequired', message: 'Required value: name and image' });
      return { name: String(c.name ?? ''), image: String(c.image ?? '') };
    });
    if (causes.length) throw errors.invalid('Deployment', 'apps', name, causes);
    if (cluster.deployments.store.has(objectKey(info.namespace, name))) throw errors.alreadyExists('deployments', 'apps', name);
    const input = {
      name,
      namespace: info.namespace,
      labels: stringMap(asObject(body.metadata).labels) ?? {},
      selector,
      podLabels,
      replicas: replicas as number,
      template: Controller.templateFromSpec({ containers, restartPolicy: 'Always' }),
    };
    if (dryRun) {
      const preview = { meta: { name, namespace: info.namespace, uid: randomUUID(), rv: 0, created: Date.now(), generation: 1, labels: input.labels }, replicas: input.replicas, selector, podLabels, template: input.template, templateHash: '', revision: 1, status: { replicas: 0, ready: 0, available: 0, updated: 0, observedGeneration: 1 } };
      return this.send(res, 201, objectText(this.options.cluster.deployments.kind, preview, rep, Date.now()));
    }
    const created = this.options.controller.createDeployment(input);
    this.send(res, 201, objectText(cluster.deployments.kind, created, rep, Date.now()));
  }

  private async delete(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): Promise<void> {
    const rep = negotiate(req.headers.accept, null, false);
    const kind = served.kind;
    let options: JsonObject = {};
    if (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') options = await this.jsonBody(req);
    const q = url.searchParams;
    const graceParam = q.get('gracePeriodSeconds');
    const grace = graceParam !== null && /^-?\d+$/.test(graceParam) ? Number(graceParam) : typeof options.gracePeriodSeconds === 'number' ? options.gracePeriodSeconds : undefined;
    const dryRun = q.getAll('dryRun').includes('All') || (Array.isArray(options.dryRun) && options.dryRun.includes('All'));
    const obj = this.find(served, info);
    const pre = asObject(options.preconditions);
    if (typeof pre.uid === 'string' && pre.uid !== obj.meta.uid) {
      throw errors.conflict(kind.resource, kind.group, info.name!, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.meta.uid}`);
    }
    if (typeof pre.resourceVersion === 'string' && pre.resourceVersion !== String(obj.meta.rv)) {
      throw errors.conflict(kind.resource, kind.group, info.name!, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.meta.rv}`);
    }
    const key = objectKey(info.namespace, info.name!);
    if (kind.resource === 'namespaces' && IMMORTAL_NAMESPACES.has(info.name!)) throw new ApiError(403, 'Forbidden', `namespaces "${info.name}" is forbidden: this namespace may not be deleted`, { name: info.name, kind: 'namespaces' });
    const policy = propagationOf(q.get('propagationPolicy'), options);
    this.gc.check(served, info.name!);
    // A dry-run answers what the deletion would: the object still there (graceful, foreground) or a Status.
    const lingers = kind.resource === 'pods' || kind.resource === 'namespaces' || policy === 'Foreground' || Boolean(obj.meta.finalizers?.length);
    if (dryRun) return this.send(res, 200, lingers ? objectText(kind, obj, rep, Date.now()) : JSON.stringify(successStatus({ name: info.name, group: kind.group, kind: kind.resource, uid: obj.meta.uid })));
    const after = this.gc.delete(served, key, { policy, grace });
    // 200 with the object while it lingers (graceful, finalizers, foreground), as the API server answers (202 only for the deprecated orphanDependents=false).
    if (after) return this.send(res, 200, objectText(kind, after, rep, Date.now()));
    if (kind.resource === 'pods') return this.send(res, 200, objectText(kind, obj, rep, Date.now()));
    return this.send(res, 200, JSON.stringify(successStatus({ name: info.name, group: kind.group, kind: kind.resource, uid: obj.meta.uid })));
  }

  private async patch(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): Promise<void> {
    if (!info.name) throw errors.methodNotSupported(info.resource, info.group, 'patch');
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const body = await this.jsonValue(req);
    const resource = served.kind.resource;
    // A rollout restart, pause/resume, a rollback, an HPA's min/max or a cordon (objectPatch.ts); any other
    // merge patch is an edit (objectEdit.ts): labels, annotations, a JSON kind's fields, replicas.
    const special = type === 'application/json-patch+json' || (['deployments', 'statefulsets', 'horizontalpodautoscalers', 'nodes'].includes(resource) && Object.keys(asObject(body)).every((k) => k === 'spec'));
    let result;
    if (special) {
      result = patchObject(this.options.cluster, resource, info.namespace, info.name, type, body, { restart: (r, key, at) => this.options.restart?.(r, key, at), rollback: (key, rsKey, annotations) => this.options.controller.rollback(key, rsKey, annotations), reviseStatefulSet: (key, template) => this.options.controller.reviseStatefulSet(key, template), cordon: (node, unschedulable) => this.options.controller.setUnschedulable(node, unschedulable) });
    } else {
      if (type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json') throw errors.unsupportedMediaType(type);
      const current = served.kind.toJson(this.find(served, info));
      result = editObject(served, this.options.controller, objectKey(info.namespace, info.name), mergePatch(current, body), asObject(asObject(body).metadata).resourceVersion);
    }
    this.answerChange(req, res, served, info, url, result, body);
  }

  /** PUT: the whole object replaced (kubectl replace), its resourceVersion a precondition. */
  private async update(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): Promise<void> {
    if (!info.name) throw errors.methodNotSupported(info.resource, info.group, 'update');
    const body = await this.jsonBody(req);
    this.find(served, info);
    const result = editObject(served, this.options.controller, objectKey(info.namespace, info.name), body, asObject(body.metadata).resourceVersion);
    this.answerChange(req, res, served, info, url, result, body);
  }

  /** Commits (unless dry-run) and answers the object; a change to an application's template records its field manager (`body`: what was sent). */
  private answerChange(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL, result: PatchResult, body: unknown): void {
    const dryRun = url.searchParams.getAll('dryRun').includes('All');
    if (!dryRun) result.commit();
    if (!dryRun && (served.kind.resource === 'deployments' || served.kind.resource === 'statefulsets') && touchesTemplate(body)) {
      served.store.update(objectKey(info.namespace, info.name!), (cur) => ({ ...cur, meta: withManager(cur.meta, { manager: fieldManagerOf(req, url), operation: 'Update', time: Date.now(), field: 'template' }) }));
    }
    const rep = negotiate(req.headers.accept, null, false);
    // The last finalizer of a Terminating object removed: it is gone, and the answer is its last state.
    const now = dryRun ? result.after : (served.store.get(objectKey(info.namespace, info.name!)) ?? result.after);
    this.send(res, 200, objectText(served.kind, now, rep, Date.now()));
  }

  // ---------------------------------------------------------------- subresources

  private async subresource(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, method: string, url: URL): Promise<void> {
    const kind = served.kind;
    if (info.subresource === 'status' && method === 'GET') return this.get(req, res, served, info, url);
    if (info.subresource === 'scale' && (kind.resource === 'deployments' || kind.resource === 'statefulsets' || kind.resource === 'replicasets')) {
      return this.scale(req, res, served, info, method, url);
    }
    if (info.subresource === 'log' && kind.resource === 'pods' && method === 'GET') return this.podLog(res, served, info, url);
    if (info.subresource === 'eviction' && kind.resource === 'pods' && method === 'POST') {
      const answer = evictPod(this.options.cluster, this.options.controller, info.namespace, info.name!, await this.jsonBody(req), url.searchParams.getAll('dryRun').includes('All'));
      return this.send(res, answer.code, JSON.stringify(answer.status));
    }
    if ((info.subresource === 'exec' || info.subresource === 'portforward') && kind.resource === 'pods') {
      this.find(served, info);
      throw errors.badRequest('Upgrade request required');
    }
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
  }

  private scaleObject(served: Served<StoredObject>, obj: StoredObject): JsonObject {
    const full = served.kind.toJson(obj) as { spec: { replicas: number; selector?: { matchLabels?: Record<string, string> } }; status?: { replicas?: number } };
    const ml = full.spec.selector?.matchLabels ?? {};
    return {
      kind: 'Scale',
      apiVersion: 'autoscaling/v1',
      metadata: { name: obj.meta.name, namespace: obj.meta.namespace, uid: obj.meta.uid, resourceVersion: String(obj.meta.rv), creationTimestamp: new Date(Math.floor(obj.meta.created / 1000) * 1000).toISOString().replace('.000Z', 'Z') },
      spec: { replicas: full.spec.replicas },
      status: { replicas: full.status?.replicas ?? 0, selector: Object.keys(ml).sort().map((k) => `${k}=${ml[k]}`).join(',') },
    };
  }

  private async scale(req: IncomingMessage, res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, method: string, url: URL): Promise<void> {
    const obj = this.find(served, info);
    if (method === 'GET') return this.send(res, 200, JSON.stringify(this.scaleObject(served, obj)));
    if (method !== 'PUT' && method !== 'PATCH') throw errors.methodNotSupported(`${served.kind.resource}/scale`, served.kind.group, method.toLowerCase());
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (err) {
      throw errors.badRequest(`error decoding from json: ${err instanceof Error ? err.message : String(err)}`);
    }
    let replicas: unknown;
    let expectedRv: unknown;
    if (method === 'PATCH' && type === 'application/json-patch+json') {
      for (const op of Array.isArray(body) ? body : []) {
        const o = asObject(op);
        if ((o.op === 'replace' || o.op === 'add') && o.path === '/spec/replicas') replicas = o.value;
        if (o.op === 'test' && o.path === '/metadata/resourceVersion') expectedRv = o.value;
      }
    } else if (method === 'PATCH' && type !== 'application/merge-patch+json' && type !== 'application/strategic-merge-patch+json' && type !== 'application/apply-patch+yaml') {
      throw errors.unsupportedMediaType(type);
    } else {
      const b = asObject(body);
      replicas = asObject(b.spec).replicas;
      expectedRv = asObject(b.metadata).resourceVersion;
    }
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw errors.invalid('Scale', 'autoscaling', info.name!, [{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0` }]);
    }
    if (typeof expectedRv === 'string' && expectedRv !== '' && expectedRv !== String(obj.meta.rv)) {
      throw errors.conflict(served.kind.resource, served.kind.group, info.name!, 'the object has been modified; please apply your changes to the latest version and try again');
    }
    const dryRun = url.searchParams.getAll('dryRun').includes('All');
    if (dryRun) {
      const preview = this.scaleObject(served, obj);
      (preview.spec as JsonObject).replicas = replicas;
      return this.send(res, 200, JSON.stringify(preview));
    }
    const key = objectKey(info.namespace, info.name!);
    this.options.controller.scale(served.kind.resource as 'deployments' | 'statefulsets' | 'replicasets', key, replicas);
    served.store.update(key, (cur) => ({ ...cur, meta: withManager(cur.meta, { manager: fieldManagerOf(req, url), operation: 'Update', time: Date.now(), subresource: 'scale', field: 'replicas' }) }));
    this.send(res, 200, JSON.stringify(this.scaleObject(served, this.find(served, info))));
  }

  /** GET pods/{name}/log, served by the log store's handler when one is plugged in. */
  private podLog(res: ServerResponse, served: Served<StoredObject>, info: RequestInfo, url: URL): void {
    const pod = this.find(served, info) as PodRecord;
    if (!this.options.podLog) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    this.options.podLog(res, pod, url.searchParams);
  }

  private async selfSubjectAccessReview(req: IncomingMessage, res: ServerResponse, user: User): Promise<void> {
    // client-go's typed clients post it as protobuf (k9s does, for every view).
    const spec = contentTypeOf(req) === PROTOBUF ? protobufReviewSpec(await readBodyBytes(req)) : asObject((await this.jsonBody(req)).spec);
    const ra = asObject(spec.resourceAttributes);
    const attributes: Attributes = {
      verb: String(ra.verb ?? ''),
      group: String(ra.group ?? ''),
      resource: String(ra.resource ?? ''),
      subresource: String(ra.subresource ?? ''),
      namespace: String(ra.namespace ?? ''),
      name: typeof ra.name === 'string' ? ra.name : undefined,
    };
    const ok = allowed(user, attributes);
    const status: JsonObject = { allowed: ok };
    if (ok) status.reason = user.admin ? '' : `RBAC: allowed by ClusterRoleBinding "warroom-demo-view" of ClusterRole "view" to User "${user.name}"`;
    this.send(res, 201, JSON.stringify({ kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status }));
  }
}
