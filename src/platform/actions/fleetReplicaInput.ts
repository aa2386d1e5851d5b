import { readReplicaInput, type ReplicaChange } from './replicaMath.js';

// What the user types in a fleet's scale dialog (#12): one change for every cluster, as in one
// cluster (`x2` doubles each cluster's own count), or a change per cluster:
//
//   dc1=40 dc2=20     dc1 to 40, dc2 to 20; every other cluster keeps its count (not touched)
//   dc1=x2 dc3=+5     each form of the one-cluster field, per cluster
//   x2 dc3=10         dc3 to 10, every other cluster x2 (one change without a name: the rest's)
//
// A cluster is named by its short label (`dc1`, as the columns show it) or its whole context
// name. A cluster not named is left as it is, never scaled by a guess: it is listed in the
// preview as kept. Anything else gets a one-line reason (an unknown cluster name with the names
// there are, a bad count with the one-cluster field's reason, a cluster named twice).

/** A cluster of the fleet as the field knows it. */
export interface FleetClusterName {
  context: string;
  /** Its column title (`dc1`). */
  label: string;
  /** It has something to scale here (an application being scaled runs there). */
  scaled: boolean;
}

export type FleetReplicaReading =
  | {
      /** The change per context of the clusters that get one. */
      changes: ReadonlyMap<string, ReplicaChange>;
      /** Contexts with something to scale that were not named (and no change for the rest was given): left as they are. */
      kept: string[];
      /** Clusters were named (`dc1=40`), as opposed to one change for all. */
      perCluster: boolean;
    }
  | { reason: string };

/** Room for a change per cluster of a five-cluster fleet with long context names. */
export const MAX_FLEET_REPLICA_INPUT_LENGTH = 120;

const EXAMPLE = 'dc1=40 dc2=x2';

function names(clusters: readonly FleetClusterName[], which: (c: FleetClusterName) => boolean): string {
  return clusters.filter(which).map((c) => c.label).join(', ');
}

export function readFleetReplicaInput(text: string, clusters: readonly FleetClusterName[]): FleetReplicaReading {
  const scaled = clusters.filter((c) => c.scaled);
  const example = scaled.length >= 2 ? `${scaled[0].label}=40 ${scaled[1].label}=x2` : EXAMPLE;
  if (text.length > MAX_FLEET_REPLICA_INPUT_LENGTH) return { reason: `at most ${MAX_FLEET_REPLICA_INPUT_LENGTH} characters in this field` };
  const find = (name: string) => {
    const n = name.toLowerCase();
    return clusters.find((c) => c.label.toLowerCase() === n) ?? clusters.find((c) => c.context.toLowerCase() === n);
  };
  if (!text.includes('=')) {
    // One change for every cluster: the one-cluster field's forms and reasons, unless a
    // cluster's name was typed without its count.
    const words = text.trim().split(/[\s,;]+/);
    const named = words.map(find).find((c) => c);
    if (named) return { reason: `'${named.label}' needs a count after an =: ${named.label}=40 (a number, +2, x2)` };
    const r = readReplicaInput(text);
    if ('reason' in r) return r;
    const changes = new Map(scaled.map((c) => [c.context, r.change]));
    return { changes, kept: [], perCluster: false };
  }

  const tokens = text.trim().replace(/\s*=\s*/g, '=').split(/[\s,;]+/).filter(Boolean);
  const changes = new Map<string, ReplicaChange>();
  const typedFor = new Map<string, string>();
  let rest: { token: string; change: ReplicaChange } | undefined;
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      const c = find(token);
      if (c) return { reason: `'${c.label}' needs a count after an =: ${c.label}=40 (a number, +2, x2)` };
      const r = readReplicaInput(token);
      if ('reason' in r) return { reason: `${r.reason} (per cluster: ${example})` };
      if (rest) return { reason: `two changes for the clusters not named (${rest.token} and ${token}): give one` };
      rest = { token, change: r.change };
      continue;
    }
    const name = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (!name) return { reason: `'${token}': a cluster name before the = (${example})` };
    const c = find(name);
    if (!c) return { reason: `no cluster '${name}' in this fleet: ${names(clusters, () => true)}` };
    if (!c.scaled) return { reason: `${c.label} has nothing to scale here (the application is not there): name ${names(clusters, (x) => x.scaled)}` };
    if (!value) return { reason: `'${token}': a count after the = (${c.label}=40, ${c.label}=x2, ${c.label}=+5)` };
    if (value.includes('=')) return { reason: `'${token}': one = per cluster; separate clusters with a space (${example})` };
    const previous = typedFor.get(c.context);
    if (previous !== undefined) return { reason: `${c.label} is named twice (${previous} and ${token}): give it one count` };
    const r = readReplicaInput(value);
    if ('reason' in r) return { reason: `${c.label}: ${r.reason}` };
    typedFor.set(c.context, token);
    changes.set(c.context, r.change);
  }
  const kept: string[] = [];
  for (const c of scaled) {
    if (changes.has(c.context)) continue;
    if (rest) changes.set(c.context, rest.change);
    else kept.push(c.context);
  }
  return { changes, kept, perCluster: true };
}
