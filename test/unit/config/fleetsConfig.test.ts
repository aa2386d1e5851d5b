// `fleets:` in the config file: fleet name -> kubeconfig contexts, checked at start-up with one
// line per problem, and handed to the console as a plain mapping.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConsoleConfig } from '../../../src/cli/consoleConfig.js';
import type { ConfigFile } from '../../../src/config/configFile.js';
import { checkConfigFile } from '../../../src/config/configSchema.js';
import { fleetPrometheusFor, fleetsFrom } from '../../../src/config/fleetsConfig.js';
import { scratchDir } from '../../support/scratchDir.js';

const PATH = '/home/u/.config/warroom/config.yaml';
const file = (yaml: string): ConfigFile => ({ path: PATH, exists: true, data: parse(yaml) as Record<string, unknown> });
const check = (yaml: string) => checkConfigFile(file(yaml));

describe('fleets in the config file', () => {
  it('reads each named fleet as its list of contexts, in the order written', () => {
    const yaml = 'fleets:\n  prod: [prod-dc1, prod-dc2, prod-dc3]\n  demo:\n    - warroom-demo-dc2\n    - warroom-demo-dc1\n';
    expect(check(yaml)).toEqual({ problems: [], warnings: [] });
    expect(fleetsFrom(file(yaml))).toEqual({ prod: ['prod-dc1', 'prod-dc2', 'prod-dc3'], demo: ['warroom-demo-dc2', 'warroom-demo-dc1'] });
  });

  it('is an empty mapping when the file has no fleets', () => {
    expect(fleetsFrom(file('logs:\n  bufferLines: 1000\n'))).toEqual({});
    expect(fleetsFrom(file('fleets:\n'))).toEqual({});
  });

  it.each([
    ['an empty list', 'fleets:\n  prod: []', 'fleets.prod: must name at least one kubeconfig context, got []'],
    ['a fleet with nothing after it', 'fleets:\n  prod:', 'fleets.prod: must name at least one kubeconfig context, got null'],
    ['one context as a string', 'fleets:\n  prod: prod-dc1', 'fleets.prod: must be a list of kubeconfig context names ([prod-dc1, prod-dc2]) or a mapping {contexts: [...], prometheus: {...}}, got "prod-dc1"'],
    ['a number in the list', 'fleets:\n  prod: [prod-dc1, 2]', 'fleets.prod[1]: must be a kubeconfig context name, got 2'],
    ['an empty name in the list', 'fleets:\n  prod: [prod-dc1, ""]', 'fleets.prod[1]: must be a kubeconfig context name (no spaces around it, no commas), got ""'],
    ['two contexts in one string', 'fleets:\n  prod: ["prod-dc1,prod-dc2"]', 'fleets.prod[0]: must be a kubeconfig context name (no spaces around it, no commas), got "prod-dc1,prod-dc2"'],
    ['a context listed twice', 'fleets:\n  prod: [prod-dc1, prod-dc2, prod-dc1]', 'fleets.prod[2]: is listed twice in this fleet, got "prod-dc1"'],
    ['a fleet name that is not a word', 'fleets:\n  "prod eu": [prod-dc1]', 'fleets.prod eu: is not a usable fleet name: a fleet name must be a word (letters, digits, - _ .), got ["prod-dc1"]'],
    ['a list instead of a mapping', 'fleets: [prod-dc1, prod-dc2]', 'fleets: must be a mapping of fleet names to lists of kubeconfig contexts (prod: [prod-dc1, prod-dc2]), got ["prod-dc1","prod-dc2"]'],
  ])('refuses %s with one line naming file, key, value and what is allowed', (_what, yaml, line) => {
    expect(check(yaml)).toEqual({ problems: [`config file ${PATH}: ${line}`], warnings: [] });
  });

  it('lists a problem per fleet, together with the other sections\' problems', () => {
    const { problems } = check('exec:\n  concurrency: 0\nfleets:\n  a: []\n  b: [x, x]\n  c: [y]\n');
    expect(problems).toEqual([
      `config file ${PATH}: exec.concurrency: must be a whole number from 1 to 256, got 0`,
      `config file ${PATH}: fleets.a: must name at least one kubeconfig context, got []`,
      `config file ${PATH}: fleets.b[1]: is listed twice in this fleet, got "x"`,
    ]);
  });

  it('names the fleets key when it is misspelt', () => {
    expect(check('fleet:\n  prod: [a]').warnings).toEqual([`config file ${PATH}: fleet: unknown key, ignored (did you mean fleets?)`]);
  });

  it('is on the console config the CLI builds; a bad fleet stops the start', () => {
    const dir = scratchDir('warroom-fleets-');
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'fleets:\n  demo: [warroom-demo-dc1, warroom-demo-dc2, warroom-demo-dc3]\n');
    expect(loadConsoleConfig(good, () => undefined).fleets).toEqual({ demo: ['warroom-demo-dc1', 'warroom-demo-dc2', 'warroom-demo-dc3'] });
    const none = join(dir, 'none.yaml');
    writeFileSync(none, 'logs:\n  bufferLines: 1000\n');
    expect(loadConsoleConfig(none, () => undefined).fleets).toEqual({});
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'fleets:\n  demo: []\n');
    expect(() => loadConsoleConfig(bad, () => undefined)).toThrow(`config file ${bad}: fleets.demo: must name at least one kubeconfig context, got []`);
  });
});

describe('a fleet with its own Prometheus (Thanos, Mimir) in the config file', () => {
  const THANOS = 'fleets:\n  prod:\n    contexts: [prod-dc1, prod-dc2, prod-dc3]\n    prometheus:\n      url: https://thanos.example/\n      clusterLabel: k8s_cluster\n      clusters: {prod-dc1: eu-central}\n      headers: {X-Scope-OrgID: prod}\n      refreshSeconds: 30\n  staging: [stg-dc1]\n';

  it('keeps the list form and reads the mapping form: the contexts, and the Prometheus for every cluster of the fleet', () => {
    expect(check(THANOS)).toEqual({ problems: [], warnings: [] });
    expect(fleetsFrom(file(THANOS))).toEqual({ prod: ['prod-dc1', 'prod-dc2', 'prod-dc3'], staging: ['stg-dc1'] });
    const got = fleetPrometheusFor(file(THANOS), ['prod-dc2', 'prod-dc1'], {})!;
    expect(got).toMatchObject({ fleet: 'prod', clusterLabel: 'k8s_cluster', clusters: { 'prod-dc1': 'eu-central' }, problem: undefined });
    expect(got.prometheus).toMatchObject({ url: 'https://thanos.example', headers: { 'X-Scope-OrgID': 'prod' }, refreshMs: 30_000 });
  });

  it('applies to a console over contexts of that fleet only; the label defaults to cluster', () => {
    expect(fleetPrometheusFor(file(THANOS), ['prod-dc1', 'stg-dc1'], {})).toBeUndefined();
    expect(fleetPrometheusFor(file(THANOS), ['stg-dc1'], {})).toBeUndefined();
    expect(fleetPrometheusFor(file('fleets:\n  prod: {contexts: [a, b], prometheus: {url: "http://t:9090"}}\n'), ['a', 'b'], {})).toMatchObject({ clusterLabel: 'cluster', clusters: {} });
    expect(fleetPrometheusFor(file('fleets:\n  prod: {contexts: [a, b]}\n'), ['a', 'b'], {})).toBeUndefined();
  });

  it('names a secret variable that is not set (the pane says it; the file is fine)', () => {
    const yaml = 'fleets:\n  prod: {contexts: [a, b], prometheus: {url: "https://t", bearerTokenEnv: THANOS_TOKEN}}\n';
    expect(check(yaml).problems).toEqual([]);
    expect(fleetPrometheusFor(file(yaml), ['a'], {})!.problem).toBe(`the token variable THANOS_TOKEN (fleets.prod.prometheus.bearerTokenEnv in ${PATH}) is not set`);
    expect(fleetPrometheusFor(file(yaml), ['a'], { THANOS_TOKEN: 'x' })!.problem).toBeUndefined();
  });

  it.each([
    ['no url', 'fleets:\n  prod: {contexts: [a], prometheus: {clusterLabel: cluster}}', 'fleets.prod.prometheus.url: must be an http:// or https:// URL (e.g. https://thanos-query.example), got nothing'],
    ['a service proxy', 'fleets:\n  prod: {contexts: [a], prometheus: {url: "http://t", proxy: {namespace: m, service: p, port: 9090}}}', "fleets.prod.prometheus.proxy: a fleet's Prometheus is a URL (Thanos, Mimir, a global Prometheus): a service proxy would go through one cluster, got {\"namespace\":\"m\",\"service\":\"p\",\"port\":9090}"],
    ['a label name that is not one', 'fleets:\n  prod: {contexts: [a], prometheus: {url: "http://t", clusterLabel: "k8s-cluster"}}', 'fleets.prod.prometheus.clusterLabel: must be a Prometheus label name (e.g. cluster), got "k8s-cluster"'],
    ['a mapping for a context not in the fleet', 'fleets:\n  prod: {contexts: [a, b], prometheus: {url: "http://t", clusters: {c: dc3}}}', 'fleets.prod.prometheus.clusters.c: is not a context of this fleet (a, b), got "dc3"'],
    ['two clusters with one label value', 'fleets:\n  prod: {contexts: [a, b], prometheus: {url: "http://t", clusters: {a: b}}}', 'fleets.prod.prometheus.clusters: gives a and b the same value "b": their series could not be told apart, got {"a":"b"}'],
    ['an empty list of contexts', 'fleets:\n  prod: {contexts: [], prometheus: {url: "http://t"}}', 'fleets.prod.contexts: must name at least one kubeconfig context, got []'],
  ])('refuses %s with one line naming file, key, value and what is allowed', (_what, yaml, line) => {
    expect(check(yaml)).toEqual({ problems: [`config file ${PATH}: ${line}`], warnings: [] });
  });

  it('warns about a misspelt key of the fleet\'s Prometheus', () => {
    expect(check('fleets:\n  prod: {contexts: [a], prometheus: {url: "http://t", clusterLable: cluster}}').warnings).toEqual([
      `config file ${PATH}: fleets.prod.prometheus.clusterLable: unknown key, ignored (did you mean clusterLabel?)`,
    ]);
  });
});
