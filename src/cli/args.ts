import { parseArgs } from 'node:util';
import { DEMO_PODS_DEFAULT, DEMO_PODS_MAX, DEMO_PODS_MIN } from '../demo/demoPodCount.js';
import { DEMO_CLUSTERS_DEFAULT, FLEET_MAX_CLUSTERS } from '../demo/demoClusterCount.js';
import { UserError } from '../platform/errors.js';

// argv -> options. Unknown flags are an error with the usage, never ignored.

export interface CliOptions {
  command: 'console' | 'demo';
  kubeconfig?: string;
  /** One kubeconfig context, or several (`dc1,dc2`): a fleet. */
  context?: string;
  /** A named fleet from the config file's `fleets:`. */
  fleet?: string;
  namespace?: string;
  readOnly: boolean;
  theme?: string;
  /** ASCII only (charts, borders, symbols), whatever the locale. */
  ascii: boolean;
  /** warroom's own config file (Elasticsearch, Prometheus, read-only contexts, ...). */
  config?: string;
  /** Serve the console's own metrics at HOST:PORT/metrics. */
  metricsAddr?: string;
  debug: boolean;
  help: boolean;
  version: boolean;
  /** demo only */
  pods: number;
  seed: number;
  churn: boolean;
  /** Demo clusters (data centres dc1..dcN), each its own demo platform; 1 is the single demo (default 2). */
  clusters: number;
  /** Demo fleet: also one Thanos-style Prometheus for all its clusters, named as the fleet's. */
  fleetPrometheus: boolean;
  /** Demo: serve each cluster's Kubernetes API over HTTPS (a CA made at start, in the kubeconfig). */
  tls: boolean;
}

export const USAGE = `warroom — a full-screen operations console for Kubernetes platforms

Usage:
  warroom [options]             console on the current kubeconfig context
  warroom demo [demo options]   console on an embedded demo platform (no cluster needed)

Options:
  --kubeconfig PATH   one kubeconfig file (default: $KUBECONFIG's ':'-separated files, ~/.kube/config)
  --context NAME      kubeconfig context to use (default: current-context); NAME,NAME,... watches
                      several clusters at once (a fleet)
  --fleet NAME        the contexts of a fleet named in the config file (fleets: {NAME: [ctx, ...]})
  -n, --namespace NS  watch only this system (namespace)
  --readonly          refuse every change (scale, restart, exec)
  --theme NAME        dark (default), light, high-contrast, monochrome, or a path to a theme .yaml
                      (NO_COLOR=1 always gives monochrome)
  --ascii             ASCII only: charts, borders and symbols for a terminal without UTF-8
                      (the default when LC_ALL / LC_CTYPE / LANG is not UTF-8, e.g. LANG=C)
  --config PATH       warroom config file (default $WARROOM_CONFIG, ~/.config/warroom/config.yaml)
  --metrics-addr A    serve the console's own metrics at A/metrics (e.g. 127.0.0.1:9464; off by default)
  --debug             print stack traces of errors
  -h, --help          this help
  -v, --version       print the version

Demo options:
  --pods N            pods in the demo platform, ${DEMO_PODS_MIN} to ${DEMO_PODS_MAX} (default ${DEMO_PODS_DEFAULT}); per cluster
  --clusters N        data centres dc1..dcN, 1 to ${FLEET_MAX_CLUSTERS} (default ${DEMO_CLUSTERS_DEFAULT}), each its own demo platform; the
                      console shows them all as one fleet; 1 is a single cluster
  --fleet-prometheus  for the demo fleet: one Thanos-style Prometheus for the whole fleet (a cluster
                      label on every series) instead of each cluster's own, for the fleet's charts
  --seed N            scenario seed (default 1)
  --no-churn          pods do not come and go on their own
  --tls               serve the demo's Kubernetes API over HTTPS with a certificate made at start
                      (its CA in the demo's kubeconfig), as a real API server does

Keys: ? in the console lists them.`;

export function parseCli(argv: string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        fleet: { type: 'string' },
        namespace: { type: 'string', short: 'n' },
        readonly: { type: 'boolean', default: false },
        theme: { type: 'string' },
        ascii: { type: 'boolean', default: false },
        config: { type: 'string' },
        'metrics-addr': { type: 'string' },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
        pods: { type: 'string' },
        seed: { type: 'string' },
        'no-churn': { type: 'boolean', default: false },
        clusters: { type: 'string' },
        'fleet-prometheus': { type: 'boolean', default: false },
        tls: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new UserError((err as Error).message, 'run `warroom --help` for the options', 2);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1 || (positionals[0] && positionals[0] !== 'demo')) {
    throw new UserError(`unknown command '${positionals.join(' ')}'`, 'commands: warroom, warroom demo (see --help)', 2);
  }
  const command = positionals[0] === 'demo' ? 'demo' : 'console';
  const int = (name: string, v: string | undefined, dflt: number, min: number, max: number): number => {
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UserError(`--${name} must be a whole number from ${min} to ${max}, got '${v}'`, undefined, 2);
    return n;
  };
  if (command === 'console' && (values.pods !== undefined || values.seed !== undefined || values['no-churn'] || values.clusters !== undefined || values.tls)) {
    throw new UserError('--pods, --seed, --no-churn, --clusters and --tls apply to `warroom demo` only', undefined, 2);
  }
  if (values['fleet-prometheus'] && (command !== 'demo' || values.clusters === '1')) {
    throw new UserError('--fleet-prometheus applies to a demo fleet only (warroom demo, --clusters 2 or more)', undefined, 2);
  }
  if (values.fleet !== undefined && values.context !== undefined) throw new UserError('--fleet and --context both choose the clusters: give one of them', undefined, 2);
  return {
    command,
    kubeconfig: values.kubeconfig,
    context: values.context,
    fleet: values.fleet,
    namespace: values.namespace,
    readOnly: values.readonly ?? false,
    theme: values.theme,
    ascii: values.ascii ?? false,
    config: values.config,
    metricsAddr: values['metrics-addr'],
    debug: values.debug ?? false,
    help: values.help ?? false,
    version: values.version ?? false,
    pods: int('pods', values.pods, DEMO_PODS_DEFAULT, DEMO_PODS_MIN, DEMO_PODS_MAX),
    seed: int('seed', values.seed, 1, 0, 2 ** 31),
    churn: !values['no-churn'],
    clusters: int('clusters', values.clusters, DEMO_CLUSTERS_DEFAULT, 1, FLEET_MAX_CLUSTERS),
    fleetPrometheus: values['fleet-prometheus'] ?? false,
    tls: values.tls ?? false,
  };
}
