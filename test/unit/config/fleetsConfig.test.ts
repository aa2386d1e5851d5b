// `fleets:` in the config file: fleet name -> kubeconfig contexts, checked at start-up with one
// line per problem, and handed to the console as a plain mapping.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConsoleConfig } from '../../../src/cli/consoleConfig.js';
import type { ConfigFile } from '../../../src/config/configFile.js';
import { checkConfigFile } from '../../../src/config/configSchema.js';
import { fleetsFrom } from '../../../src/config/fleetsConfig.js';

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
    ['one context as a string', 'fleets:\n  prod: prod-dc1', 'fleets.prod: must be a list of kubeconfig context names ([prod-dc1, prod-dc2]), got "prod-dc1"'],
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
    const dir = mkdtempSync(join(tmpdir(), 'warroom-fleets-'));
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
