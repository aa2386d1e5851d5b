import type { ReadSession } from '../kube/kubeSession.js';
import type { HpaInfo, PdbInfo } from './scaleWarnings.js';
import { refKey, type ScalableKind, type WorkloadRef } from './workloadRef.js';

// What the preview needs to know about a system besides the scale itself: its HPAs (which
// override a manual scale) and PodDisruptionBudgets. Read once per system per preview; a
// system where they cannot be read is named in the preview rather than silently trusted.

export interface SystemFacts {
  /** HPA by refKey of its scale target. */
  hpas: Map<string, HpaInfo>;
  pdbs: PdbInfo[];
  /** Why HPAs or PDBs could not be read (403, 404 on an old cluster). */
  problems: string[];
}

interface HpaJson {
  metadata?: { name?: string };
  spec?: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number };
}

interface PdbJson {
  metadata?: { name?: string };
  spec?: { minAvailable?: number | string; maxUnavailable?: number | string; selector?: { matchLabels?: Record<string, string> } };
}

async function list<T>(session: ReadSession, path: string, what: string, problems: string[], signal?: AbortSignal): Promise<T[]> {
  try {
    const res = await session.request('GET', path, { signal, timeoutMs: 30_000 });
    if (res.status !== 200) {
      const msg = (res.body as { message?: string } | undefined)?.message;
      problems.push(`cannot read ${what}: ${res.status}${msg ? ` ${msg}` : ''}`);
      return [];
    }
    return ((res.body as { items?: T[] })?.items ?? []) as T[];
  } catch (err) {
    if (signal?.aborted) throw err;
    problems.push(`cannot read ${what}: ${(err as Error).message}`);
    return [];
  }
}

export async function readSystemFacts(session: ReadSession, namespace: string, signal?: AbortSignal): Promise<SystemFacts> {
  const problems: string[] = [];
  const ns = encodeURIComponent(namespace);
  const [hpaItems, pdbItems] = await Promise.all([
    list<HpaJson>(session, `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, `HPAs in ${namespace}`, problems, signal),
    list<PdbJson>(session, `/apis/policy/v1/namespaces/${ns}/poddisruptionbudgets`, `PodDisruptionBudgets in ${namespace}`, problems, signal),
  ]);
  const hpas = new Map<string, HpaInfo>();
  for (const h of hpaItems) {
    const t = h.spec?.scaleTargetRef;
    if (!t?.kind || !t.name) continue;
    const ref: WorkloadRef = { kind: t.kind as ScalableKind, namespace, name: t.name };
    hpas.set(refKey(ref), { name: h.metadata?.name ?? '', min: h.spec?.minReplicas ?? 1, max: h.spec?.maxReplicas ?? 0 });
  }
  const pdbs: PdbInfo[] = pdbItems.map((p) => ({
    name: p.metadata?.name ?? '',
    minAvailable: p.spec?.minAvailable,
    maxUnavailable: p.spec?.maxUnavailable,
    matchLabels: p.spec?.selector?.matchLabels ?? {},
  }));
  return { hpas, pdbs, problems };
}
