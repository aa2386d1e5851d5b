// What the preview warns about before a scale is applied. Each warning is something that
// has gone wrong in a war room: an HPA quietly undoing the change, a PDB that a scale-down
// ignores, a zero typed into the wrong system, a fat-fingered factor, an app already failing.

export type WarningCode = 'hpa' | 'pdb' | 'zero' | 'factor' | 'notReady' | 'owned';

export interface ScaleWarning {
  code: WarningCode;
  text: string;
}

export interface HpaInfo {
  name: string;
  min: number;
  max: number;
}

export interface PdbInfo {
  name: string;
  /** An integer or a percentage ("50%"). */
  minAvailable?: number | string;
  maxUnavailable?: number | string;
  /** spec.selector.matchLabels */
  matchLabels: Record<string, string>;
}

export interface WarningInput {
  from: number;
  to: number;
  /** Ready replicas now, when known. */
  ready?: number;
  hpa?: HpaInfo;
  pdbs?: PdbInfo[];
  /** Warn when to/from (or from/to) exceeds this. */
  maxFactor: number;
  /** The controlling owner (`Deployment/checkout`) of a ReplicaSet or ReplicationController scaled directly. */
  owner?: string;
}

/** `a=b,c=d` (the Scale's status.selector) as a map; set-based terms are ignored. */
export function parseEqualitySelector(selector: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const term of selector.split(',')) {
    const m = /^\s*([^!=\s]+)\s*==?\s*([^\s]*)\s*$/.exec(term);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/** A PDB covers the application when every label it selects on is one of the application's pod labels. */
export function pdbCovers(pdb: PdbInfo, podLabels: Record<string, string>): boolean {
  const keys = Object.keys(pdb.matchLabels);
  return keys.length > 0 && keys.every((k) => podLabels[k] === pdb.matchLabels[k]);
}

function resolve(value: number | string, of: number, roundUp: boolean): number {
  if (typeof value === 'number') return value;
  const m = /^(\d+)%$/.exec(value.trim());
  if (!m) return Number(value) || 0;
  const exact = (Number(m[1]) * of) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

export function scaleWarnings(w: WarningInput): ScaleWarning[] {
  const out: ScaleWarning[] = [];
  if (w.to === w.from) return out;
  if (w.owner) {
    // A Deployment reconciles its ReplicaSets' replicas back to its own numbers within seconds.
    const [kind, name] = [w.owner.slice(0, w.owner.indexOf('/')), w.owner.slice(w.owner.indexOf('/') + 1)];
    out.push({
      code: 'owned',
      text: kind === 'Deployment'
        ? `owned by Deployment ${name}: the Deployment controller will set the replicas back; scale the Deployment instead`
        : `owned by ${kind} ${name}: its controller may set the replicas back`,
    });
  }
  if (w.hpa) {
    const { name, min, max } = w.hpa;
    if (w.to < min || w.to > max) {
      out.push({ code: 'hpa', text: `HPA ${name} (min ${min}, max ${max}) will scale it back into ${min}-${max}: change the HPA's limits instead` });
    } else {
      out.push({ code: 'hpa', text: `HPA ${name} (min ${min}, max ${max}) manages the replicas and may override ${w.to}` });
    }
  }
  if (w.to === 0) out.push({ code: 'zero', text: 'scales to zero: the application stops serving' });
  if (w.to < w.from) {
    for (const pdb of w.pdbs ?? []) {
      if (pdb.minAvailable !== undefined) {
        const min = resolve(pdb.minAvailable, w.from, true);
        if (w.to < min) out.push({ code: 'pdb', text: `PodDisruptionBudget ${pdb.name} wants at least ${min} available (minAvailable ${pdb.minAvailable}); ${w.to} would violate it` });
      } else if (pdb.maxUnavailable !== undefined) {
        const max = resolve(pdb.maxUnavailable, w.from, false);
        if (w.from - w.to > max) out.push({ code: 'pdb', text: `PodDisruptionBudget ${pdb.name} allows ${max} unavailable at a time (maxUnavailable ${pdb.maxUnavailable}); this removes ${w.from - w.to}` });
      }
    }
  }
  const ratio = w.from === 0 ? (w.to > w.maxFactor ? Infinity : 1) : w.to === 0 ? Infinity : Math.max(w.to / w.from, w.from / w.to);
  if (w.to !== 0 && ratio > w.maxFactor) out.push({ code: 'factor', text: `a change of more than x${w.maxFactor} (${w.from} -> ${w.to})` });
  if (w.ready !== undefined && w.from > 0 && w.ready < w.from) out.push({ code: 'notReady', text: `not ready now: ${w.ready}/${w.from} replicas ready` });
  return out;
}
