// The start-up check of the whole config file: one line per invalid value naming file, key
// path, value and what is allowed; unknown keys are warnings naming the closest known key.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { actionsConfigFrom } from '../../../src/config/actionsConfig.js';
import type { ConfigFile } from '../../../src/config/configFile.js';
import { checkConfigFile } from '../../../src/config/configSchema.js';
import { execConfigFrom } from '../../../src/config/execConfig.js';
import { findRepoRoot } from '../../../src/demo/launch.js';

const PATH = '/home/u/.config/warroom/config.yaml';
const file = (data: Record<string, unknown>): ConfigFile => ({ path: PATH, exists: true, data });
const check = (yaml: string) => checkConfigFile(file(parse(yaml) as Record<string, unknown>));

describe('config file check', () => {
  it.each([
    ['a string where a number is expected', 'exec:\n  timeoutSeconds: "60"', 'exec.timeoutSeconds: must be a whole number from 1 to 3600, got "60"'],
    ['a value out of range', 'logs:\n  bufferLines: 10', 'logs.bufferLines: must be a number from 100 to 5000000, got 10'],
    ['a negative factor', 'scale:\n  maxFactor: -2', 'scale.maxFactor: must be a number above 1 and at most 1000 (e.g. 3), got -2'],
    ['a zero concurrency', 'scale:\n  concurrency: 0', 'scale.concurrency: must be a whole number from 1 to 512, got 0'],
    ['a non-http URL', 'contexts:\n  prod:\n    elasticsearch:\n      urls: [ftp://es.prod:9200]', 'contexts.prod.elasticsearch.urls[0]: must be an http:// or https:// URL, got "ftp://es.prod:9200"'],
    ['a word where true/false is expected', 'contexts:\n  prod:\n    readOnly: yes please', 'contexts.prod.readOnly: must be true or false, got "yes please"'],
    ['a bad duration', 'contexts:\n  prod:\n    prometheus: {url: "https://p", rateWindow: soon}', 'contexts.prod.prometheus.rateWindow: must be a duration like 30s, 1m or 2h (or seconds), from 10s to 86400s, got "soon"'],
    ['an unknown log field preset', 'contexts:\n  prod:\n    elasticsearch: {url: "https://es", fields: {preset: splunk}}', 'contexts.prod.elasticsearch.fields.preset: must be one of ecs, logstash, fluent-bit, got "splunk"'],
    ['an empty log filter value', 'contexts:\n  prod:\n    elasticsearch: {url: "https://es", filter: {orchestrator.cluster.name: ""}}', 'contexts.prod.elasticsearch.filter.orchestrator.cluster.name: must be a value (e.g. the cluster\'s name), got ""'],
    ['a metrics matcher on a name that is not a label', 'contexts:\n  prod:\n    prometheus: {url: "https://p", matchers: {k8s.cluster: prod}}', 'contexts.prod.prometheus.matchers: has "k8s.cluster", which is not a Prometheus label name (letters, digits and _ only), got {"k8s.cluster":"prod"}'],
    ['a section of the wrong shape', 'scale: 5', 'scale: must be a mapping (key: value), got 5'],
    ['a missing plugin command', 'plugins:\n  - name: stern', 'plugins[0].command: must be the program to run, got nothing'],
    ['a word where terminal.ascii takes true or false', 'terminal:\n  ascii: maybe', 'terminal.ascii: must be true (ASCII only) or false (UTF-8 whatever the locale), got "maybe"'],
  ])('refuses %s with one line naming file, key, value and what is allowed', (_what, yaml, line) => {
    expect(check(yaml)).toEqual({ problems: [`config file ${PATH}: ${line}`], warnings: [] });
  });

  it('lists every problem of the file at once, not only the first', () => {
    const { problems } = check('scale:\n  concurrency: 0\n  maxFactor: 0.5\nexec:\n  concurrency: 0\ncontexts:\n  a: {readOnly: 1}\n  b: {prometheus: {url: "file:///x"}}');
    expect(problems).toEqual([
      `config file ${PATH}: scale.maxFactor: must be a number above 1 and at most 1000 (e.g. 3), got 0.5`,
      `config file ${PATH}: scale.concurrency: must be a whole number from 1 to 512, got 0`,
      `config file ${PATH}: exec.concurrency: must be a whole number from 1 to 256, got 0`,
      `config file ${PATH}: contexts.a.readOnly: must be true or false, got 1`,
      `config file ${PATH}: contexts.b.prometheus.url: must be an http:// or https:// URL, got "file:///x"`,
    ]);
  });

  it('warns about an unknown key, naming the closest known key, and ignores it', () => {
    const yaml = 'scale:\n  concurency: 5\ncontexts:\n  prod:\n    promethus: {url: "https://p"}\n    elasticsearch: {url: "https://es", fields: {preset: ecs, mesage: log}}\npluginz: []\nwhatever: 1';
    expect(check(yaml)).toEqual({
      problems: [],
      warnings: [
        `config file ${PATH}: scale.concurency: unknown key, ignored (did you mean concurrency?)`,
        `config file ${PATH}: contexts.prod.elasticsearch.fields.mesage: unknown key, ignored (did you mean message?)`,
        `config file ${PATH}: contexts.prod.promethus: unknown key, ignored (did you mean prometheus?)`,
        `config file ${PATH}: pluginz: unknown key, ignored (did you mean plugins?)`,
        `config file ${PATH}: whatever: unknown key, ignored (known: audit, scale, exec, logs, plugins, keys, aliases, fleets, terminal, contexts)`,
      ],
    });
    // The misspelt key does not count: the default stays.
    expect(actionsConfigFrom(file(parse(yaml) as Record<string, unknown>), { env: {} }).scale.concurrency).toBe(32);
  });

  it('reports an unknown key and a bad value together', () => {
    expect(check('exec:\n  concurrency: 0\n  shel: sh')).toEqual({
      problems: [`config file ${PATH}: exec.concurrency: must be a whole number from 1 to 256, got 0`],
      warnings: [`config file ${PATH}: exec.shel: unknown key, ignored (did you mean shell?)`],
    });
  });

  it('accepts every config the README shows and the one the demo writes', () => {
    const readme = readFileSync(join(findRepoRoot(), 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parse(m[1]) as Record<string, unknown>);
    const configs = blocks.filter((b) => b && typeof b === 'object' && ['audit', 'scale', 'exec', 'logs', 'plugins', 'fleets', 'contexts'].some((k) => k in b));
    expect(configs.length).toBeGreaterThanOrEqual(4);
    for (const data of configs) {
      const { problems, warnings } = checkConfigFile(file(data));
      // The README's CA and token files are examples of paths, not files on this machine.
      expect(problems.filter((p) => !p.endsWith('no such file, got "/etc/warroom/prom-ca.pem"'))).toEqual([]);
      expect(warnings).toEqual([]);
    }
    const demo = `contexts:\n  warroom-demo:\n    elasticsearch: {urls: ["http://127.0.0.1:4000"], index: "warroom-logs-*", fields: ecs}\n    prometheus: {url: "http://127.0.0.1:4001"}\n    alertmanager: {url: "http://127.0.0.1:4002"}\n`;
    expect(check(demo)).toEqual({ problems: [], warnings: [] });
    expect(execConfigFrom(file(parse('exec:\n  shell: /bin/bash -l\n  resultsDir: /tmp/runs') as Record<string, unknown>), 'prod')).toMatchObject({ shell: ['/bin/bash', '-l'], resultsDir: '/tmp/runs', concurrency: 10 });
  });
});
