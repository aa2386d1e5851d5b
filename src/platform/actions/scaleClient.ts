import type { DryRunClient, KubeResponse, MutatingClient, ReadSession } from '../kube/kubeSession.js';
import { scalePath, type WorkloadRef } from './workloadRef.js';
import { quoteServerBody } from '../text/serverBody.js';

// The scale subresource (autoscaling/v1 Scale) as warroom uses it: read it, dry-run a change,
// apply it. A change carries the resourceVersion the preview read, so the apiserver refuses
// it with 409 when the object changed since (nothing is applied blind).

export interface ScaleState {
  replicas: number;
  /** status.replicas: pods that exist now. */
  current: number;
  /** Label selector of the pods (status.selector), for matching PodDisruptionBudgets. */
  selector: string;
  resourceVersion: string;
  uid: string;
}

/** A failed scale request, in the apiserver's words. */
export class ScaleRequestError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScaleRequestError';
  }

  get conflict(): boolean {
    return this.status === 409;
  }

  get forbidden(): boolean {
    return this.status === 403;
  }
}

interface ScaleJson {
  metadata?: { resourceVersion?: string; uid?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

function toState(body: unknown): ScaleState {
  const s = (body ?? {}) as ScaleJson;
  return {
    replicas: s.spec?.replicas ?? 0,
    current: s.status?.replicas ?? 0,
    selector: s.status?.selector ?? '',
    resourceVersion: s.metadata?.resourceVersion ?? '',
    uid: s.metadata?.uid ?? '',
  };
}

/** The Status message when there is one: "deployments.apps "x" is forbidden: User ...". */
export function responseError(res: KubeResponse, what: string): ScaleRequestError {
  const st = (res.body && typeof res.body === 'object' && !Buffer.isBuffer(res.body) ? res.body : {}) as { message?: string; reason?: string };
  const text = st.message || quoteServerBody(Buffer.isBuffer(res.body) ? res.body : undefined) || `HTTP ${res.status}`;
  return new ScaleRequestError(res.status, st.reason ?? String(res.status), `${what}: ${text} (${res.status})`);
}

export async function readScale(session: ReadSession, ref: WorkloadRef, signal?: AbortSignal): Promise<ScaleState> {
  const res = await session.request('GET', scalePath(ref), { signal, timeoutMs: 30_000 });
  if (res.status !== 200) throw responseError(res, `reading the scale of ${ref.kind} ${ref.namespace}/${ref.name}`);
  return toState(res.body);
}

export interface PatchScaleOptions {
  dryRun?: boolean;
  /** The resourceVersion the change was previewed against; a different one is a 409. */
  resourceVersion?: string;
  signal?: AbortSignal;
}

/**
 * A merge patch of the scale subresource, as `kubectl scale --resource-version` sends it:
 * {"metadata":{"resourceVersion":"..."},"spec":{"replicas":N}}.
 */
export async function patchScale(client: MutatingClient | DryRunClient, ref: WorkloadRef, replicas: number, o: PatchScaleOptions = {}): Promise<ScaleState> {
  const body: Record<string, unknown> = { spec: { replicas } };
  if (o.resourceVersion) body.metadata = { resourceVersion: o.resourceVersion };
  const res = await client.request('PATCH', scalePath(ref), {
    body,
    contentType: 'application/merge-patch+json',
    query: o.dryRun ? { dryRun: 'All' } : undefined,
    signal: o.signal,
    timeoutMs: 30_000,
  });
  if (res.status !== 200 && res.status !== 201) throw responseError(res, `${o.dryRun ? 'dry-run of ' : ''}scaling ${ref.kind} ${ref.namespace}/${ref.name} to ${replicas}`);
  return toState(res.body);
}
