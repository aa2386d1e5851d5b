import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { mutations } from '../../self/selfMetrics.js';
import { describeError, UserError } from '../errors.js';
import {
  GateClientRevokedError,
  isReadMethod,
  readSessionOf,
  type DryRunClient,
  type KubeRequestOptions,
  type KubeSession,
  type MutatingClient,
  type ReadSession,
} from '../kube/kubeSession.js';
import { reviewAccess, type AccessAttributes, type AccessDecision } from './accessReview.js';
import { AuditLog, localUser, type AuditRecord } from './auditLog.js';
import { assertWritable, readOnlyReason, ReadOnlyError, type ReadOnlyPolicy } from './readOnlyGuard.js';

// The one path for every change warroom makes to a cluster (scale, restart, HPA limits, exec):
//
//   gate.perform({ action, target, from, to, dryRun, run: (client) => ... })
//
// refuses it when the context is read-only, refuses it when the audit file cannot be written,
// runs it, and appends the outcome to the audit file, success or failure. Optionally it also
// records a Kubernetes Event on the object. Nothing else in warroom sends a mutating request:
// the types see to it. The gate alone holds the full session; `run` receives the only
// MutatingClient there is, and everything else sees a ReadSession (no mutating method).
// Previews get a DryRunClient from `gate.dryRun`, which sends every write with dryRun=All.

export interface MutationTarget {
  namespace: string;
  kind: string;
  name: string;
  /** API version of the object, for the optional Kubernetes Event (default apps/v1). */
  apiVersion?: string;
  uid?: string;
}

export interface Mutation<T> {
  /** scale, restart, hpa, exec, ... */
  action: string;
  target: MutationTarget;
  from?: string | number;
  to?: string | number;
  /** How it is sent (the cascade of a delete, the options of a drain), for the audit record. */
  options?: string;
  /** What the dry-run said; "none" where the API has no dry-run (exec). */
  dryRun?: string;
  /** Groups the audit records of one bulk operation. */
  operation?: string;
  /** exec: container and command line for the audit record. */
  container?: string;
  command?: string;
  /** silence: the comment given with it. */
  comment?: string;
  /** False for a change outside Kubernetes (an Alertmanager silence): no Event is recorded for it. */
  kubernetesEvent?: boolean;
  /** Sends the change with the client the gate hands out after its checks. */
  run(client: MutatingClient): Promise<T>;
  /** Audit outcome for a result (default "applied"). */
  outcome?(result: T): string;
  /** Audit outcome for an error (default "failed: <message>"). */
  outcomeOfError?(err: unknown): string;
  /** A one-line note for the optional Kubernetes Event (default: action, from -> to). */
  eventMessage?: string;
}

export interface ActionGateOptions {
  /** The full session (only the composition root has one); the gate hands out its sides. */
  session: () => KubeSession;
  policy: ReadOnlyPolicy;
  audit: AuditLog;
  /** Also record a Kubernetes Event on the changed object (config audit.kubernetesEvents). */
  kubernetesEvents?: boolean;
}

/** Annotations of the Events a gate records: the war-room feed of other consoles reads them. */
export const FEED_ANNOTATIONS = { console: 'warroom.io/console', host: 'warroom.io/host', user: 'warroom.io/user', osUser: 'warroom.io/os-user', action: 'warroom.io/action' } as const;

export class ActionGate {
  readonly audit: AuditLog;
  /** Names this console's Events, so its own war-room feed does not announce them back to it. */
  readonly consoleId = randomUUID();
  private readonly opts: ActionGateOptions;

  constructor(opts: ActionGateOptions) {
    this.opts = opts;
    this.audit = opts.audit;
  }

  get auditPath(): string {
    return this.audit.path;
  }

  /** The read side of the current session, for previews and messages. */
  get session(): ReadSession {
    const full = this.opts.session();
    if (this.readSide?.full !== full) this.readSide = { full, read: readSessionOf(full) };
    return this.readSide.read;
  }

  private readSide: { full: KubeSession; read: ReadSession } | undefined;

  /**
   * A preview: `run` gets a client that sends every write as a server-side dry-run, so it
   * cannot change the cluster and needs no read-only check or audit record.
   */
  async dryRun<T>(run: (client: DryRunClient) => Promise<T>): Promise<T> {
    const { client, revoke } = dryRunClient(this.opts.session());
    try {
      return await run(client);
    } finally {
      revoke();
    }
  }

  /** 'flag' (--readonly), 'config' (contexts.<name>.readOnly) or undefined when changes are allowed. */
  readOnlyReason(): 'flag' | 'config' | undefined {
    return readOnlyReason(this.opts.policy, this.session.contextName);
  }

  /** Throws ReadOnlyError for a read-only context; views call it before offering a dialog. */
  assertWritable(action: string): void {
    assertWritable(this.opts.policy, this.session.contextName, action);
  }

  canI(attributes: AccessAttributes, signal?: AbortSignal): Promise<AccessDecision> {
    return reviewAccess(this.session, attributes, signal);
  }

  newOperationId(): string {
    return randomUUID().slice(0, 8);
  }

  /** The audit record for a target as it would be written now. */
  record(m: Pick<Mutation<unknown>, 'action' | 'target' | 'from' | 'to' | 'options' | 'dryRun' | 'operation' | 'container' | 'command' | 'comment'>, outcome: string): AuditRecord {
    const s = this.session;
    return {
      time: new Date().toISOString(),
      user: s.user,
      osUser: localUser(),
      context: s.contextName,
      action: m.action,
      namespace: m.target.namespace,
      kind: m.target.kind,
      name: m.target.name,
      from: m.from,
      to: m.to,
      options: m.options,
      dryRun: m.dryRun ?? 'none',
      outcome,
      operation: m.operation,
      container: m.container,
      command: m.command,
      comment: m.comment,
    };
  }

  /** Audits outcomes decided without a request (skipped as forbidden, cancelled before sending). */
  note(records: AuditRecord[]): Promise<void> {
    return this.audit.append(records);
  }

  async perform<T>(m: Mutation<T>): Promise<T> {
    try {
      this.assertWritable(m.action);
    } catch (err) {
      if (err instanceof ReadOnlyError) await this.audit.append([this.record(m, `refused: read-only (${err.why === 'flag' ? '--readonly' : 'config'})`)]).catch(() => undefined);
      mutations.inc({ action: m.action, result: 'refused' });
      throw err;
    }
    try {
      await this.audit.ensureWritable();
    } catch (err) {
      throw new AuditUnavailableError(this.audit.path, err);
    }
    let result: T;
    const { client, revoke } = mutatingClient(this.opts.session());
    try {
      result = await m.run(client);
    } catch (err) {
      mutations.inc({ action: m.action, result: 'failed' });
      await this.audit.append([this.record(m, m.outcomeOfError?.(err) ?? `failed: ${describeError(err)}`)]);
      throw err;
    } finally {
      revoke();
    }
    const outcome = m.outcome?.(result) ?? 'applied';
    mutations.inc({ action: m.action, result: 'applied' });
    await this.audit.append([this.record(m, outcome)]);
    if (this.opts.kubernetesEvents && outcome === 'applied' && m.kubernetesEvent !== false) await this.postEvent(m).catch(() => undefined);
    return result;
  }

  /** Best effort: an Event must never turn a successful change into a reported failure. */
  private async postEvent(m: Mutation<unknown>): Promise<void> {
    const s = this.opts.session();
    const now = new Date().toISOString();
    const message = m.eventMessage ?? `${m.action}${m.from !== undefined ? ` from ${m.from}` : ''}${m.to !== undefined ? ` to ${m.to}` : ''} by ${s.user} with warroom`;
    // A cluster-scoped object's (a node's) Event lives in "default", its involvedObject without a namespace, as the kubelet's do.
    await s.request('POST', `/api/v1/namespaces/${encodeURIComponent(m.target.namespace || 'default')}/events`, {
      timeoutMs: 10_000,
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: {
          generateName: `${m.target.name}.warroom-`,
          annotations: { [FEED_ANNOTATIONS.console]: this.consoleId, [FEED_ANNOTATIONS.host]: hostname(), [FEED_ANNOTATIONS.user]: s.user, [FEED_ANNOTATIONS.osUser]: localUser(), [FEED_ANNOTATIONS.action]: m.action },
        },
        involvedObject: { apiVersion: m.target.apiVersion ?? 'apps/v1', kind: m.target.kind, namespace: m.target.namespace, name: m.target.name, uid: m.target.uid },
        reason: `Warroom${m.action[0].toUpperCase()}${m.action.slice(1)}`,
        message,
        type: 'Normal',
        source: { component: 'warroom' },
        reportingComponent: 'warroom',
        reportingInstance: localUser() || 'warroom',
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      },
    });
  }
}

// The gate's clients are made here and nowhere else: objects of their own over the full session
// (never the session itself), working until revoke(), which the gate calls when `run` settles.
// A WebSocket opened during `run` lives on (an exec ends inside its run); a new one cannot be opened.

function liveness(): { check: (method: string, path: string) => void; revoke: () => void } {
  let live = true;
  return {
    check: (method, path) => {
      if (!live) throw new GateClientRevokedError(method, path);
    },
    revoke: () => {
      live = false;
    },
  };
}

function mutatingClient(full: KubeSession): { client: MutatingClient; revoke: () => void } {
  const { check, revoke } = liveness();
  const client: MutatingClient = Object.freeze({
    gateClient: 'mutating' as const,
    contextName: full.contextName,
    user: full.user,
    request: async (method: string, path: string, opts?: KubeRequestOptions) => {
      check(method, path);
      return full.request(method, path, opts);
    },
    openWebSocket: async (path: string, protocols: string[]) => {
      check('WebSocket', path);
      return full.openWebSocket(path, protocols);
    },
  });
  return { client, revoke };
}

function dryRunClient(full: KubeSession): { client: DryRunClient; revoke: () => void } {
  const { check, revoke } = liveness();
  const client: DryRunClient = Object.freeze({
    gateClient: 'dry-run' as const,
    request: async (method: string, path: string, opts: KubeRequestOptions = {}) => {
      check(method, path);
      return full.request(method, path, isReadMethod(method) ? opts : { ...opts, query: { ...opts.query, dryRun: 'All' } });
    },
  });
  return { client, revoke };
}

export class AuditUnavailableError extends UserError {
  constructor(path: string, cause: unknown) {
    super(`change refused: cannot write the audit file ${path}: ${describeError(cause)}`, 'fix the directory or point audit.path in the config file (or --audit-file) elsewhere');
    this.name = 'AuditUnavailableError';
  }
}
