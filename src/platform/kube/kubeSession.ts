import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { KubeConfig } from '@kubernetes/client-node';
import WebSocket from 'ws';
import type { Cluster, User } from '@kubernetes/client-node';
import { UserError } from '../errors.js';
import { cloneWithContext, loadKubeconfig } from './kubeconfigLoader.js';
import { execConfigOf, runExecPlugin, type ExecCredential } from './execCredentials.js';
import { LineSplitter } from './lineSplitter.js';
import { PROTOBUF, ProtobufError, readStatus } from './protobuf.js';
import { apiRequestDuration } from '../../self/selfMetrics.js';
import { quoteServerBody } from '../text/serverBody.js';
import {
  KubeApiError,
  KubeCredentialsError,
  KubeUnreachableError,
  describeRequest,
  isAbortError,
  notJsonAnswer,
  requestPhrase,
  type KubeStatus,
} from './kubeErrors.js';

export type QueryValue = string | number | boolean | undefined;
export type Query = Record<string, QueryValue>;

export interface KubeRequestOptions {
  /** Accept header; default `application/json`. */
  accept?: string;
  /** A plain value is sent as JSON; a Buffer or string as is. */
  body?: unknown;
  /** Content-Type of the body; default `application/json`. */
  contentType?: string;
  signal?: AbortSignal;
  query?: Query;
  /** Whole request for `request`; until the response headers for streams. Default 60 s. */
  timeoutMs?: number;
  /**
   * An exec credential plugin may use the terminal (prompt, device code). Only before the
   * full-screen UI starts; `preflight` sets it.
   */
  interactiveAuth?: boolean;
  /** The body as it came (a Buffer), not parsed even when it is JSON. */
  rawBody?: boolean;
}

export interface KubeResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON when the server said JSON, else the raw bytes. */
  body: unknown;
}

/** Verbs that never change the cluster. */
export type ReadMethod = 'GET' | 'HEAD';

/**
 * POSTs that change nothing, named by purpose so the read side can allow exactly these: a
 * SelfSubjectAccessReview (asks the API server a question) and a Prometheus query sent as a
 * form through the Kubernetes service proxy (a long query does not fit in a URL).
 */
export type ReadOnlyPost = 'access-review' | 'prometheus-query';

const readOnlyPostPaths: Record<ReadOnlyPost, RegExp> = {
  'access-review': /^\/apis\/authorization\.k8s\.io\/v1\/selfsubjectaccessreviews$/,
  'prometheus-query': /^\/api\/v1\/namespaces\/[^/]+\/services\/[^/]+\/proxy(\/[^?]*)?\/api\/v1\/(query|query_range|series|labels|label\/[^/?]+\/values)$/,
};

/**
 * What views, stores, feeds and sources get: reads, lists, watches, log streams and access
 * reviews. It has no method that changes the cluster; a mutating request is only reachable
 * through the client ActionGate.perform hands to its `run` (platform/actions/actionGate.ts).
 */
export interface ReadSession {
  readonly contextName: string;
  readonly clusterName: string;
  /** The cluster's server URL, without a trailing slash. */
  readonly server: string;
  /** The kubeconfig user name of the context (not a secret). */
  readonly user: string;
  /** --namespace, else the context's namespace; undefined means none was chosen. */
  readonly namespace?: string;
  contextNames(): string[];
  /** GET or HEAD; any status resolves, only transport failures reject. */
  request(method: ReadMethod, path: string, opts?: KubeRequestOptions): Promise<KubeResponse>;
  /** One of the POSTs that change nothing (see ReadOnlyPost); any other path is refused. */
  postReadOnly(purpose: ReadOnlyPost, path: string, opts?: KubeRequestOptions): Promise<KubeResponse>;
  /** GET as JSON; a non-2xx status throws KubeApiError. `accept` defaults to application/json. */
  getJson<T>(path: string, query?: Query, signal?: AbortSignal, accept?: string): Promise<T>;
  /** GET, the body as it came (parsed by the caller, e.g. on another thread); a non-2xx status throws KubeApiError. */
  getBytes(path: string, query?: Query, signal?: AbortSignal, accept?: string): Promise<Buffer>;
  /**
   * GET in the Kubernetes protobuf encoding (built-in kinds only); the body as it came, envelope and all.
   * A non-2xx status throws KubeApiError (406 when the server cannot encode it); a 2xx answer that is not
   * protobuf throws ProtobufError.
   */
  getProtobuf(path: string, query?: Query, signal?: AbortSignal): Promise<Buffer>;
  /**
   * Opens a streaming GET (watch). Resolves once a 2xx status arrives (else rejects with
   * KubeApiError); the readable yields one parsed JSON value per line.
   */
  openStream(path: string, query: Query, accept: string, signal?: AbortSignal): Promise<Readable>;
  /** As openStream, but yields text lines (pod logs). */
  openLineStream(path: string, query: Query, accept: string, signal?: AbortSignal): Promise<Readable>;
}

/**
 * What ActionGate.perform hands to a mutation's `run`: any verb, and exec WebSockets. Only the
 * gate makes one (the `gateClient` brand keeps a KubeSession from passing for it), and it is
 * revoked when `run` settles, so it cannot be kept and used outside the audit record. It holds
 * no credentials (no kubeConfig).
 */
export interface MutatingClient {
  readonly gateClient: 'mutating';
  readonly contextName: string;
  readonly user: string;
  request(method: string, path: string, opts?: KubeRequestOptions): Promise<KubeResponse>;
  openWebSocket(path: string, protocols: string[]): Promise<WebSocket>;
}

/**
 * What ActionGate.dryRun hands to a preview: every mutating verb is sent with dryRun=All,
 * so the API server validates and admits it and persists nothing. Revoked when the preview
 * settles, like MutatingClient.
 */
export interface DryRunClient {
  readonly gateClient: 'dry-run';
  request(method: string, path: string, opts?: KubeRequestOptions): Promise<KubeResponse>;
}

/** A gate client used after the perform/dryRun that handed it out had ended. */
export class GateClientRevokedError extends Error {
  constructor(method: string, path: string) {
    super(`refused ${method} ${path}: the client ActionGate handed out is used after its action ended; ask the gate again`);
    this.name = 'GateClientRevokedError';
  }
}

export class MutationOutsideGateError extends Error {
  constructor(method: string, path: string) {
    super(`refused ${method} ${path}: a change to the cluster goes through ActionGate.perform (read-only guard, audit), never through the read session`);
    this.name = 'MutationOutsideGateError';
  }
}

const readMethods = new Set<string>(['GET', 'HEAD']);

/**
 * The read side of a full session, as an object of its own: it holds no reference a caller
 * could use to reach the mutating methods, and refuses a mutating verb at run time too (for
 * JavaScript callers and casts).
 */
export function readSessionOf(full: KubeSession): ReadSession {
  return Object.freeze({
    contextName: full.contextName,
    clusterName: full.clusterName,
    server: full.server,
    user: full.user,
    namespace: full.namespace,
    contextNames: () => full.contextNames(),
    request: (method: ReadMethod, path: string, opts?: KubeRequestOptions) => {
      if (!readMethods.has(method)) return Promise.reject(new MutationOutsideGateError(method, path));
      return full.request(method, path, opts);
    },
    postReadOnly: (purpose: ReadOnlyPost, path: string, opts?: KubeRequestOptions) => full.postReadOnly(purpose, path, opts),
    getJson: <T>(path: string, query?: Query, signal?: AbortSignal, accept?: string) => full.getJson<T>(path, query, signal, accept),
    getBytes: (path: string, query?: Query, signal?: AbortSignal, accept?: string) => full.getBytes(path, query, signal, accept),
    getProtobuf: (path: string, query?: Query, signal?: AbortSignal) => full.getProtobuf(path, query, signal),
    openStream: (path: string, query: Query, accept: string, signal?: AbortSignal) => full.openStream(path, query, accept, signal),
    openLineStream: (path: string, query: Query, accept: string, signal?: AbortSignal) => full.openLineStream(path, query, accept, signal),
  });
}

/** Whether a verb only reads (a dry-run client sends these as they are). */
export function isReadMethod(method: string): boolean {
  return readMethods.has(method.toUpperCase());
}

/**
 * The whole session: only the composition root (the console runtime, which builds the
 * ActionGate) holds one. Everything else gets a ReadSession.
 */
export interface KubeSession extends ReadSession {
  readonly kubeConfig: KubeConfig;
  /** Any verb; any status resolves, only transport failures reject. */
  request(method: string, path: string, opts?: KubeRequestOptions): Promise<KubeResponse>;
  /**
   * Opens a WebSocket (pods/exec) with the session's credentials, offering `protocols`.
   * A refused upgrade rejects with KubeApiError carrying the server's Status message
   * (403 names the verb and resource, 400 says the container is not running).
   * The socket comes paused: attach 'message'/'close' listeners, then call resume().
   */
  openWebSocket(path: string, protocols: string[]): Promise<WebSocket>;
  withContext(name: string): KubeSession;
  /** Closes idle keep-alive connections. */
  close(): void;
}

export interface LoadKubeSessionOptions {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to os.homedir(). */
  homeDir?: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Credentials are re-derived after this long (token files rotate; exec plugins may not set an expiry). */
const AUTH_CACHE_MS = 60_000;
const REACH_HINT = 'check the VPN/jump host or `--context`';

export function loadKubeSession(opts: LoadKubeSessionOptions = {}): KubeSession {
  const { kubeConfig, files } = loadKubeconfig(opts);
  const names = kubeConfig.getContexts().map((c) => c.name);
  const fileList = files.join(', ');
  let contextName = opts.context;
  if (!contextName) {
    contextName = kubeConfig.getCurrentContext();
    if (!contextName) {
      throw new UserError(
        `kubeconfig ${fileList} has no current-context`,
        names.length > 0
          ? `pass --context NAME; available contexts: ${names.join(', ')}`
          : 'the kubeconfig defines no contexts; add one (kubectl config set-context) or point KUBECONFIG elsewhere',
      );
    }
  }
  return createSession(kubeConfig, contextName, opts.namespace, fileList);
}

function createSession(kc: KubeConfig, contextName: string, namespace: string | undefined, fileList: string): KubeSession {
  const context = kc.getContextObject(contextName);
  const names = kc.getContexts().map((c) => c.name);
  if (!context) {
    throw new UserError(
      `context '${contextName}' not found in kubeconfig ${fileList}; available contexts: ${names.length > 0 ? names.join(', ') : '(none)'}`,
      'pass one of them with --context',
    );
  }
  const cluster = kc.getCluster(context.cluster);
  if (!cluster) {
    throw new UserError(`context '${contextName}' refers to cluster '${context.cluster}', which kubeconfig ${fileList} does not define`);
  }
  const user = kc.getUser(context.user);
  if (!user) {
    throw new UserError(`context '${contextName}' refers to user '${context.user}', which kubeconfig ${fileList} does not define`);
  }
  const scoped = kc.getCurrentContext() === contextName ? kc : cloneWithContext(kc, contextName);
  return new HttpKubeSession(scoped, cluster, user, contextName, namespace ?? context.namespace, fileList);
}

interface AppliedAuth {
  headers: Record<string, string>;
  basicAuth?: string;
  tls: TlsMaterial;
  /** Only when the cluster has a proxy-url: client-node's proxy agent. */
  proxyAgent?: http.Agent;
  obtainedAt: number;
}

interface TlsMaterial {
  ca?: string | Buffer | (string | Buffer)[];
  cert?: string | Buffer | (string | Buffer)[];
  key?: unknown;
  pfx?: unknown;
  passphrase?: string;
  rejectUnauthorized?: boolean;
  servername?: string;
}

class HttpKubeSession implements KubeSession {
  readonly clusterName: string;
  readonly server: string;
  readonly user: string;
  private authCache: AppliedAuth | undefined;
  private authInFlight: Promise<AppliedAuth> | undefined;
  private execCredential: ExecCredential | undefined;
  private agent: { agent: http.Agent; tls: TlsMaterial } | undefined;
  private readonly secrets = new Set<string>();

  constructor(
    readonly kubeConfig: KubeConfig,
    private readonly cluster: Cluster,
    private readonly userEntry: User,
    readonly contextName: string,
    readonly namespace: string | undefined,
    private readonly fileList: string,
  ) {
    this.clusterName = cluster.name;
    this.server = cluster.server.replace(/\/+$/, '');
    this.user = userEntry.name;
    for (const s of [userEntry.token, userEntry.password]) if (s) this.secrets.add(s);
  }

  contextNames(): string[] {
    return this.kubeConfig.getContexts().map((c) => c.name);
  }

  withContext(name: string): KubeSession {
    return createSession(this.kubeConfig, name, undefined, this.fileList);
  }

  close(): void {
    this.agent?.agent.destroy();
    this.agent = undefined;
  }

  async request(method: string, path: string, opts: KubeRequestOptions = {}): Promise<KubeResponse> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const started = performance.now();
    let code = '0';
    try {
      const { res, done } = await this.open(method, path, opts, timeoutMs);
      code = String(res.statusCode ?? 0);
      try {
        const raw = await readAll(res);
        return { status: res.statusCode ?? 0, headers: res.headers, body: opts.rawBody ? raw : decodeBody(res.headers, raw) };
      } catch (err) {
        throw this.transportError(err, timeoutMs);
      } finally {
        done();
      }
    } finally {
      const { verb, resource } = describeRequest(method, path, opts.query);
      apiRequestDuration.observe({ verb, resource, code }, (performance.now() - started) / 1000);
    }
  }

  postReadOnly(purpose: ReadOnlyPost, path: string, opts: KubeRequestOptions = {}): Promise<KubeResponse> {
    if (!readOnlyPostPaths[purpose]?.test(path.split('?')[0])) return Promise.reject(new MutationOutsideGateError('POST', path));
    return this.request('POST', path, opts);
  }

  async getJson<T>(path: string, query?: Query, signal?: AbortSignal, accept?: string): Promise<T> {
    const response = await this.request('GET', path, { query, signal, accept });
    if (response.status < 200 || response.status > 299) {
      throw this.apiError('GET', path, query, response.status, response.body);
    }
    if (Buffer.isBuffer(response.body)) {
      try {
        return JSON.parse(response.body.toString('utf8')) as T;
      } catch {
        throw notJsonAnswer(this, path, query);
      }
    }
    return response.body as T;
  }

  async getBytes(path: string, query?: Query, signal?: AbortSignal, accept?: string): Promise<Buffer> {
    const response = await this.request('GET', path, { query, signal, accept, rawBody: true });
    const body = response.body as Buffer;
    if (response.status < 200 || response.status > 299) throw this.apiError('GET', path, query, response.status, body);
    return body;
  }

  async getProtobuf(path: string, query?: Query, signal?: AbortSignal): Promise<Buffer> {
    const response = await this.request('GET', path, { query, signal, accept: PROTOBUF });
    const body = Buffer.isBuffer(response.body) ? response.body : undefined;
    if (response.status < 200 || response.status > 299) {
      throw this.apiError('GET', path, query, response.status, (body && readStatus(body)) ?? response.body);
    }
    if (!body || !String(response.headers['content-type'] ?? '').startsWith(PROTOBUF)) {
      throw new ProtobufError(`the server answered ${path} with ${String(response.headers['content-type'] ?? 'no content type')}, not protobuf`);
    }
    return body;
  }

  openStream(path: string, query: Query, accept: string, signal?: AbortSignal): Promise<Readable> {
    return this.openLines(path, query, accept, signal, true);
  }

  openLineStream(path: string, query: Query, accept: string, signal?: AbortSignal): Promise<Readable> {
    return this.openLines(path, query, accept, signal, false);
  }

  private async openLines(path: string, query: Query, accept: string, signal: AbortSignal | undefined, json: boolean): Promise<Readable> {
    const timeoutMs = DEFAULT_TIMEOUT_MS;
    const { res, done } = await this.open('GET', path, { query, accept, signal }, timeoutMs);
    const status = res.statusCode ?? 0;
    if (status < 200 || status > 299) {
      try {
        const raw = await readAll(res);
        throw this.apiError('GET', path, query, status, decodeBody(res.headers, raw));
      } catch (err) {
        if (err instanceof KubeApiError) throw err;
        throw this.transportError(err, timeoutMs);
      } finally {
        done();
      }
    }
    done(); // the headers are in; from here the stream may idle for minutes
    res.socket?.setKeepAlive(true, 30_000);
    const splitter = new LineSplitter();
    const describe = (err: unknown): unknown => this.transportError(err, timeoutMs);
    async function* lines(): AsyncGenerator<unknown> {
      try {
        for await (const chunk of res) {
          for (const line of splitter.push(chunk as Buffer)) {
            if (!json) yield line;
            else if (line.trim() !== '') yield JSON.parse(line) as unknown;
          }
        }
        for (const line of splitter.end()) {
          if (!json) yield line;
          else if (line.trim() !== '') yield JSON.parse(line) as unknown;
        }
      } catch (err) {
        if (err instanceof SyntaxError) throw err;
        throw describe(err);
      } finally {
        res.destroy();
      }
    }
    return Readable.from(lines(), { objectMode: true });
  }

  async openWebSocket(path: string, protocols: string[], retried = false): Promise<WebSocket> {
    const timeoutMs = 30_000;
    const { auth, fresh } = await this.auth(retried, false);
    const url = new URL(this.server + path);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    const tls = auth.tls;
    const ws = new WebSocket(url, protocols, {
      headers: { ...auth.headers, 'User-Agent': 'warroom' },
      auth: auth.basicAuth,
      agent: auth.proxyAgent,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key as https.AgentOptions['key'],
      pfx: tls.pfx as https.AgentOptions['pfx'],
      passphrase: tls.passphrase,
      ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
      ...(tls.servername ? { servername: tls.servername } : {}),
      handshakeTimeout: timeoutMs,
      perMessageDeflate: false,
    });
    type Upgrade = { ws: WebSocket } | { status: number; body: unknown };
    const result = await new Promise<Upgrade>((resolve, reject) => {
      ws.once('open', () => {
        // Frames that came with the upgrade response would be emitted before the caller's
        // promise continuation attaches its listeners; the caller resumes when ready.
        ws.pause();
        resolve({ ws });
      });
      // Without this listener ws reports only "Unexpected server response: 403"; the body is
      // the apiserver's Status, which says which verb on which resource is missing.
      ws.once('unexpected-response', (req, res) => {
        readAll(res).then(
          (raw) => {
            resolve({ status: res.statusCode ?? 0, body: decodeBody(res.headers, raw) });
            req.destroy();
          },
          (err: unknown) => reject(this.transportError(err, timeoutMs)),
        );
      });
      // Stays attached: errors after the handshake are followed by 'close', which callers handle.
      ws.on('error', (err) => reject(this.transportError(err, timeoutMs)));
    });
    if ('ws' in result) return result.ws;
    if (result.status === 401 && !retried && !fresh) return this.openWebSocket(path, protocols, true);
    // The apiserver authorizes an exec upgrade as "create" on pods/exec.
    throw this.apiError('POST', path, undefined, result.status, result.body);
  }

  /** Sends the request and resolves with the response head, whatever its status. */
  private async open(
    method: string,
    path: string,
    opts: KubeRequestOptions,
    timeoutMs: number,
    retried = false,
  ): Promise<{ res: http.IncomingMessage; done: () => void }> {
    const { auth, fresh } = await this.auth(retried, opts.interactiveAuth ?? false);
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
    }
    const headers: Record<string, string> = {
      ...auth.headers,
      Accept: opts.accept ?? 'application/json',
      'User-Agent': 'warroom',
    };
    let payload: Buffer | undefined;
    if (opts.body !== undefined) {
      payload = Buffer.isBuffer(opts.body)
        ? opts.body
        : Buffer.from(typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body));
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }
    const isHttps = url.protocol === 'https:';
    const agent = auth.proxyAgent ?? this.agentFor(isHttps, auth.tls);

    const result = await new Promise<{ res: http.IncomingMessage; done: () => void }>((resolve, reject) => {
      const req = (isHttps ? https : http).request(url, {
        method,
        headers,
        agent,
        auth: auth.basicAuth,
        signal: opts.signal,
      });
      let timer: NodeJS.Timeout | undefined = setTimeout(() => {
        req.destroy(Object.assign(new Error('timed out'), { code: 'WARROOM_TIMEOUT' }));
      }, timeoutMs);
      const done = (): void => {
        if (timer) clearTimeout(timer);
        timer = undefined;
      };
      req.on('response', (res) => resolve({ res, done }));
      req.on('error', (err) => {
        done();
        reject(err);
      });
      req.end(payload);
    }).catch((err: unknown) => {
      throw this.transportError(err, timeoutMs);
    });

    // A cached credential may have expired in the meantime: derive it again once.
    if (result.res.statusCode === 401 && !retried && !fresh) {
      result.res.resume();
      result.done();
      return this.open(method, path, opts, timeoutMs, true);
    }
    return result;
  }

  private async auth(forceRefresh: boolean, interactive: boolean): Promise<{ auth: AppliedAuth; fresh: boolean }> {
    if (!forceRefresh && this.authCache && Date.now() - this.authCache.obtainedAt < AUTH_CACHE_MS) {
      return { auth: this.authCache, fresh: false };
    }
    // Five watches starting together must not run an exec credential plugin five times.
    this.authInFlight ??= this.deriveAuth(forceRefresh, interactive).finally(() => {
      this.authInFlight = undefined;
    });
    return { auth: await this.authInFlight, fresh: true };
  }

  private async deriveAuth(forceRefresh: boolean, interactive: boolean): Promise<AppliedAuth> {
    const now = Date.now();
    let kc = this.kubeConfig;
    const exec = execConfigOf(this.userEntry);
    if (exec) {
      const cached = this.execCredential;
      // Renew 10 s before expiry; without an expiry, until the server answers 401.
      if (forceRefresh || !cached || (cached.expiresAt !== undefined && cached.expiresAt - 10_000 < now)) {
        try {
          this.execCredential = await runExecPlugin(exec, this.cluster, { interactive });
        } catch (err) {
          throw this.credentialsError(err);
        }
      }
      kc = this.withCredential(this.execCredential as ExecCredential);
    }
    const opts: https.RequestOptions = { headers: {} };
    try {
      await kc.applyToHTTPSOptions(opts);
    } catch (err) {
      // client-node refuses plain-http servers unless insecure-skip-tls-verify is set; it throws
      // only after applying the credentials, and kubectl talks to such servers, so carry on.
      const plainHttp = this.server.startsWith('http:') && err instanceof Error && err.message.startsWith('HTTP protocol is not allowed');
      if (!plainHttp) throw this.credentialsError(err);
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(opts.headers ?? {})) {
      if (v === undefined) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : String(v);
    }
    const authorization = headers.Authorization ?? headers.authorization;
    if (authorization) {
      this.secrets.add(authorization);
      const token = authorization.replace(/^\S+\s+/, '');
      if (token.length >= 4) this.secrets.add(token);
    }
    if (opts.auth) this.secrets.add(opts.auth);
    const applied: AppliedAuth = {
      headers,
      basicAuth: opts.auth ?? undefined,
      tls: {
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        pfx: opts.pfx,
        passphrase: opts.passphrase,
        rejectUnauthorized: opts.rejectUnauthorized,
        servername: opts.servername,
      },
      proxyAgent: this.cluster.proxyUrl && opts.agent instanceof http.Agent ? opts.agent : undefined,
      obtainedAt: now,
    };
    this.authCache = applied;
    return applied;
  }

  /** The kubeconfig with the exec user replaced by the credential the plugin printed. */
  private withCredential(cred: ExecCredential): KubeConfig {
    const { exec: _exec, authProvider: _authProvider, ...rest } = this.userEntry;
    const user: User = {
      ...rest,
      token: cred.token,
      // client-node reads certData/keyData as base64; the plugin prints PEM.
      certData: cred.clientCertificateData ? Buffer.from(cred.clientCertificateData).toString('base64') : rest.certData,
      keyData: cred.clientKeyData ? Buffer.from(cred.clientKeyData).toString('base64') : rest.keyData,
    };
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: this.kubeConfig.getClusters(),
      users: this.kubeConfig.getUsers().map((u) => (u.name === user.name ? user : u)),
      contexts: this.kubeConfig.getContexts(),
      currentContext: this.contextName,
    });
    return kc;
  }

  /** One keep-alive agent per session, rebuilt only when the TLS material changes. */
  private agentFor(isHttps: boolean, tls: TlsMaterial): http.Agent {
    if (this.agent && sameTls(this.agent.tls, tls) && (this.agent.agent instanceof https.Agent) === isHttps) {
      return this.agent.agent;
    }
    this.agent?.agent.destroy();
    const base = { keepAlive: true, keepAliveMsecs: 30_000 };
    const agent = isHttps
      ? new https.Agent({
          ...base,
          ca: tls.ca,
          cert: tls.cert,
          key: tls.key as https.AgentOptions['key'],
          pfx: tls.pfx as https.AgentOptions['pfx'],
          passphrase: tls.passphrase,
          ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
          ...(tls.servername ? { servername: tls.servername } : {}),
        })
      : new http.Agent(base);
    this.agent = { agent, tls };
    return agent;
  }

  private redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out.replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***');
  }

  private credentialsError(err: unknown): UserError {
    if (err instanceof UserError) return err;
    const detail = this.redact(err instanceof Error ? err.message : String(err)).trim().split('\n').slice(0, 3).join(' ');
    const how = this.userEntry.exec ? `the exec plugin \`${String((this.userEntry.exec as { command?: unknown }).command ?? '?')}\`` : 'the kubeconfig';
    return new KubeCredentialsError(
      `cannot get credentials of user ${this.user} for context '${this.contextName}' from ${how}: ${detail || 'unknown error'}`,
      'log in again (or fix the credential plugin), or pick another `--context`',
    );
  }

  private transportError(err: unknown, timeoutMs: number): unknown {
    if (err instanceof UserError || isAbortError(err)) return err;
    const e = err as NodeJS.ErrnoException;
    const code = e?.code ?? '';
    let what: string;
    let hint = REACH_HINT;
    switch (code) {
      case 'ECONNREFUSED':
        what = 'connection refused';
        break;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        what = `host ${safeHost(this.server)} not found (DNS)`;
        break;
      case 'WARROOM_TIMEOUT':
        what = `no answer within ${Math.round(timeoutMs / 100) / 10} s`;
        break;
      case 'ETIMEDOUT':
        what = 'connection timed out';
        break;
      case 'ECONNRESET':
        what = 'connection reset';
        break;
      case 'EHOSTUNREACH':
        what = 'host unreachable';
        break;
      case 'ENETUNREACH':
        what = 'network unreachable';
        break;
      case 'EPIPE':
        what = 'connection closed';
        break;
      default:
        if (isTlsError(code, e)) {
          what = `TLS handshake failed (${this.redact(e.message)})`;
          hint = "check the cluster's certificate-authority / tls-server-name in the kubeconfig, or `--context`";
        } else {
          what = this.redact(e instanceof Error ? e.message : String(err));
        }
    }
    return new KubeUnreachableError(
      `cannot reach cluster '${this.contextName}' at ${this.server}: ${what}; ${hint}`,
      undefined,
      code || 'UNKNOWN',
      this.server,
      this.contextName,
    );
  }

  apiError(method: string, path: string, query: Query | undefined, status: number, body: unknown): KubeApiError {
    const info = describeRequest(method, path, query);
    const st = asStatus(body);
    const statusText = http.STATUS_CODES[status] ?? `HTTP ${status}`;
    // A Status gives its message; anything else (a proxy's HTML error page) is quoted in a line.
    const apiMessage = this.redact(st?.message ?? quoteServerBody(Buffer.isBuffer(body) || typeof body === 'string' ? body : undefined));
    const reason = st?.reason ?? statusText;
    const where = `on context '${this.contextName}' (${this.server})`;
    let message: string;
    let hint: string | undefined;
    switch (status) {
      case 401:
        message = `the credentials of user ${this.user} for context ${this.contextName} were rejected (401)`;
        hint = 'log in again or renew the token/client certificate, or pick another `--context`';
        break;
      case 403:
        message = apiMessage
          ? `${apiMessage} (context '${this.contextName}')`
          : `${requestPhrase(info)} is forbidden for user ${this.user} ${where} (403)`;
        hint = 'ask for RBAC access, or use another `--context`';
        break;
      default:
        message = `${requestPhrase(info)} ${where} failed: ${status} ${reason}${apiMessage ? `: ${apiMessage}` : ''}`;
    }
    return new KubeApiError(message, hint, status, reason, apiMessage, info, this.server, this.contextName);
  }
}

function asStatus(body: unknown): KubeStatus | undefined {
  if (body && typeof body === 'object' && !Buffer.isBuffer(body)) return body as KubeStatus;
  if (Buffer.isBuffer(body) && body.length > 0 && body[0] === 0x7b) {
    try {
      return JSON.parse(body.toString('utf8')) as KubeStatus;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function decodeBody(headers: http.IncomingHttpHeaders, raw: Buffer): unknown {
  const type = headers['content-type'] ?? '';
  if (raw.length > 0 && /\bjson\b/.test(type)) {
    try {
      return JSON.parse(raw.toString('utf8')) as unknown;
    } catch {
      return raw;
    }
  }
  return raw;
}

async function readAll(res: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function isTlsError(code: string, err: NodeJS.ErrnoException): boolean {
  return (
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    code === 'EPROTO' ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code) ||
    /certificate|ssl|tls/i.test(err?.message ?? '')
  );
}

function safeHost(server: string): string {
  try {
    return new URL(server).hostname;
  } catch {
    return server;
  }
}

function sameTls(a: TlsMaterial, b: TlsMaterial): boolean {
  return (
    sameBytes(a.ca, b.ca) &&
    sameBytes(a.cert, b.cert) &&
    sameBytes(a.key, b.key) &&
    sameBytes(a.pfx, b.pfx) &&
    a.passphrase === b.passphrase &&
    a.rejectUnauthorized === b.rejectUnauthorized &&
    a.servername === b.servername
  );
}

function sameBytes(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameBytes(x, b[i]));
  return false;
}

export interface ServerVersion {
  major?: string;
  minor?: string;
  gitVersion?: string;
  platform?: string;
}

/**
 * One short request before the full-screen UI starts: proves the server is reachable and the
 * credentials are accepted (and lets an exec credential plugin prompt on a normal terminal).
 * Throws a UserError naming the context and server.
 */
export async function preflight(session: KubeSession, timeoutMs = 5_000): Promise<ServerVersion> {
  const res = await session.request('GET', '/version', { timeoutMs, interactiveAuth: true });
  if (res.status === 403) {
    // /version is public by default; a 403 still proves the server and the credentials work.
    return {};
  }
  if (res.status < 200 || res.status > 299) {
    if (session instanceof HttpKubeSession) throw session.apiError('GET', '/version', undefined, res.status, res.body);
    throw new UserError(`GET /version on context '${session.contextName}' (${session.server}) failed: ${res.status}`);
  }
  return (res.body && typeof res.body === 'object' && !Buffer.isBuffer(res.body) ? res.body : {}) as ServerVersion;
}
