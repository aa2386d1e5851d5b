import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { alertsConfigFrom } from '../../../src/config/alertsConfig.js';
import type { ConfigFile } from '../../../src/config/configFile.js';
import { checkConfigFile } from '../../../src/config/configSchema.js';

// A context's alert source in the config file: `alertmanager:` beside `prometheus:`, checked at
// start-up like every section; a missing secret is said where alerts are shown.

const PATH = '/home/u/.config/warroom/config.yaml';
const file = (yaml: string): ConfigFile => ({ path: PATH, exists: true, data: parse(yaml) as Record<string, unknown> });

describe('the alertmanager section', () => {
  it.each([
    ['a URL that is not http', 'contexts:\n  prod:\n    alertmanager: {url: "am.prod:9093"}', 'contexts.prod.alertmanager.url: must be an http:// or https:// URL, got "am.prod:9093"'],
    ['neither url nor proxy', 'contexts:\n  prod:\n    alertmanager: {refreshSeconds: 10}', 'contexts.prod.alertmanager: give either url or proxy: {namespace, service, port}, got {"refreshSeconds":10}'],
    ['two ways to authenticate', 'contexts:\n  prod:\n    alertmanager: {url: "https://am", bearerTokenEnv: A, basicAuth: {username: u, passwordEnv: B}}', 'contexts.prod.alertmanager: give one of bearerTokenEnv, bearerTokenFile, basicAuth, not several, got {"url":"https://am"'],
  ])('refuses %s at start-up, naming the key', (_what, yaml, line) => {
    const { problems } = checkConfigFile(file(yaml));
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(`config file ${PATH}: ${line}`)).toBe(true);
  });

  it('reads the Alertmanager and the Prometheus beside it, with defaults', () => {
    const c = alertsConfigFrom(file('contexts:\n  prod:\n    prometheus: {url: "https://prom"}\n    alertmanager: {url: "https://am/", headers: {X-Scope-OrgID: prod}, refreshSeconds: 15}'), 'prod', {});
    expect(c.alertmanager).toMatchObject({ url: 'https://am', headers: { 'X-Scope-OrgID': 'prod' }, refreshMs: 15_000, timeoutMs: 10_000, auth: { kind: 'none' } });
    expect(c.prometheus?.url).toBe('https://prom');
    expect(c.problem).toBeUndefined();
  });

  it('says which secret variable is missing, and has no source (no problem) when nothing is configured', () => {
    const missing = alertsConfigFrom(file('contexts:\n  prod:\n    alertmanager: {url: "https://am", bearerTokenEnv: WARROOM_AM_TOKEN}'), 'prod', {});
    expect(missing.problem).toBe(`the token variable WARROOM_AM_TOKEN (contexts.prod.alertmanager.bearerTokenEnv in ${PATH}) is not set`);
    expect(alertsConfigFrom(file('contexts:\n  prod:\n    readOnly: true'), 'prod', {})).toEqual({ configPath: PATH, alertmanager: undefined, prometheus: undefined, problem: undefined });
  });
});
