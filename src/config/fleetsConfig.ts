import * as z from 'zod';
import { isLabelName } from '../platform/metrics/labelEscape.js';
import type { ConfigFile } from './configFile.js';
import { httpUrl, mapping, nonEmptyString, parseSection } from './configValues.js';
import { oneAuthRule, prometheusConfigOf, prometheusFields, type PrometheusConfig } from './metricsConfig.js';

// Named fleets: several kubeconfig contexts watched as one (`warroom --fleet prod`, `:fleet prod`).
//
//   fleets:
//     prod: [prod-dc1, prod-dc2, prod-dc3]     # kubeconfig context names, at least one
//     demo: [warroom-demo-dc1, warroom-demo-dc2]
//     eu:                                      # or a mapping: the contexts and the fleet's own Prometheus
//       contexts: [eu-dc1, eu-dc2]
//       prometheus:                            # one Thanos / Mimir / Prometheus for every cluster of it
//         url: https://thanos-query.example
//         clusterLabel: cluster                # the label that tells the clusters' series apart (default cluster)
//         clusters: {eu-dc1: dc1}              # a context's value of that label when it is not the context's name
//         # and a context's prometheus keys: bearerTokenEnv, headers, caFile, refreshSeconds, queries, ...
//
// The contexts are not looked up here: the kubeconfig is read when a fleet is opened, and a
// context it does not have is named then.

const FLEET_NAME = /^[A-Za-z0-9][\w.-]*$/;
const FLEET_NAME_RULE = 'a fleet name must be a word (letters, digits, - _ .)';
const LIST_RULE = 'must be a list of kubeconfig context names ([prod-dc1, prod-dc2])';

const contextNames = z
  .array(z.string({ error: 'must be a kubeconfig context name' }).refine((s) => s.trim() === s && s !== '' && !s.includes(','), { error: 'must be a kubeconfig context name (no spaces around it, no commas)' }), {
    error: LIST_RULE,
  })
  .min(1, { error: 'must name at least one kubeconfig context' })
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((name, i) => {
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i], message: 'is listed twice in this fleet' });
      seen.add(name);
    });
  });

const { proxy: _proxy, ...urlFields } = prometheusFields;

const fleetPrometheusSchema = mapping(
  {
    ...urlFields,
    url: httpUrl('https://thanos-query.example', 'bearerTokenEnv, bearerTokenFile or basicAuth.passwordEnv'),
    proxy: z.never({ error: "a fleet's Prometheus is a URL (Thanos, Mimir, a global Prometheus): a service proxy would go through one cluster" }).optional(),
    clusterLabel: z.string({ error: 'must be a Prometheus label name (e.g. cluster)' }).refine(isLabelName, { error: 'must be a Prometheus label name (e.g. cluster)' }).optional(),
    clusters: z.record(z.string(), nonEmptyString("the cluster label's value for this context"), { error: "must be a mapping of kubeconfig context: the cluster label's value" }).optional(),
  },
  'a mapping {url, clusterLabel, clusters, ...}',
).refine(...oneAuthRule);

const fleetMapping = mapping({ contexts: contextNames, prometheus: fleetPrometheusSchema.nullish() }, 'a mapping {contexts: [...], prometheus: {...}}').superRefine((fleet, ctx) => {
  for (const context of Object.keys(fleet.prometheus?.clusters ?? {})) {
    if (!fleet.contexts.includes(context)) ctx.addIssue({ code: 'custom', path: ['prometheus', 'clusters', context], message: `is not a context of this fleet (${fleet.contexts.join(', ')})` });
  }
  // Two clusters with one label value could not be told apart.
  const seen = new Map<string, string>();
  for (const context of fleet.contexts) {
    const value = fleet.prometheus?.clusters?.[context] ?? context;
    const other = seen.get(value);
    if (other) ctx.addIssue({ code: 'custom', path: ['prometheus', 'clusters'], message: `gives ${other} and ${context} the same value ${JSON.stringify(value)}: their series could not be told apart` });
    seen.set(value, context);
  }
});

export const fleetsSchema = z
  .record(z.string(), z.union([contextNames, fleetMapping], { error: `${LIST_RULE} or a mapping {contexts: [...], prometheus: {...}}` }).nullable(), {
    error: 'must be a mapping of fleet names to lists of kubeconfig contexts (prod: [prod-dc1, prod-dc2])',
  })
  .superRefine((fleets, ctx) => {
    for (const [name, list] of Object.entries(fleets)) {
      if (!FLEET_NAME.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: `is not a usable fleet name: ${FLEET_NAME_RULE}` });
      // `prod:` with nothing after it parses as null: a fleet of no contexts.
      else if (list === null) ctx.addIssue({ code: 'custom', path: [name], message: 'must name at least one kubeconfig context' });
    }
  });

export type Fleets = Record<string, string[]>;

export function fleetsFrom(file: ConfigFile): Fleets {
  const fleets = parseSection(fleetsSchema.nullish(), file, 'fleets') ?? {};
  const out: Fleets = {};
  for (const [name, fleet] of Object.entries(fleets)) if (fleet) out[name] = [...(Array.isArray(fleet) ? fleet : fleet.contexts)];
  return out;
}

/** A fleet's one Prometheus-compatible API for all its clusters, their series told apart by a label. */
export interface FleetPrometheus {
  fleet: string;
  prometheus: PrometheusConfig;
  /** Why it cannot be used (a secret's variable not set). */
  problem?: string;
  clusterLabel: string;
  /** A context's value of the label, where it is not the context's name. */
  clusters: Record<string, string>;
}

/**
 * The fleet-wide Prometheus for a console over `contexts`: that of the first fleet in the file
 * that has one and holds every one of them (its series of other clusters are not asked for).
 */
export function fleetPrometheusFor(file: ConfigFile, contexts: readonly string[], env: NodeJS.ProcessEnv = process.env): FleetPrometheus | undefined {
  const fleets = parseSection(fleetsSchema.nullish(), file, 'fleets') ?? {};
  for (const [name, fleet] of Object.entries(fleets)) {
    if (!fleet || Array.isArray(fleet) || !fleet.prometheus || !contexts.every((c) => fleet.contexts.includes(c))) continue;
    const p = fleet.prometheus;
    const { config, problem } = prometheusConfigOf(p, file, ['fleets', name, 'prometheus'], env);
    return { fleet: name, prometheus: config, problem, clusterLabel: p.clusterLabel ?? 'cluster', clusters: p.clusters ?? {} };
  }
  return undefined;
}
