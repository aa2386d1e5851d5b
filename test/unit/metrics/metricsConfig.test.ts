import { describe, expect, it } from 'vitest';
import { metricsConfigFrom, usePrometheusFor } from '../../../src/config/metricsConfig.js';
import type { ConfigFile } from '../../../src/config/configFile.js';

const file = (data: Record<string, unknown>): ConfigFile => ({ path: '/home/u/.config/warroom/config.yaml', exists: true, data });
const ctx = (prometheus: unknown) => file({ contexts: { prod: { prometheus } } });

describe('per-context Prometheus config', () => {
  it('reads a URL with a bearer token from the environment, never from the file', () => {
    const c = metricsConfigFrom(ctx({ url: 'https://prom.example/', bearerTokenEnv: 'PROM_TOKEN', refreshSeconds: 5 }), 'prod', { PROM_TOKEN: 't0k' });
    expect(c.prometheus?.url).toBe('https://prom.example');
    expect(c.prometheus?.refreshMs).toBe(5000);
    expect(c.prometheus?.auth.kind === 'bearer' && c.prometheus.auth.token()).toBe('t0k');
    expect(JSON.stringify(c)).not.toContain('t0k');
  });

  it('says which variable is missing, naming file and key', () => {
    const c = metricsConfigFrom(ctx({ url: 'https://prom.example', basicAuth: { username: 'u', passwordEnv: 'PROM_PW' } }), 'prod', {});
    expect(c.problem).toBe('the password variable PROM_PW (contexts.prod.prometheus.basicAuth.passwordEnv in /home/u/.config/warroom/config.yaml) is not set');
  });

  it("reads the context's matchers (its cluster in a Prometheus shared by clusters)", () => {
    const c = metricsConfigFrom(ctx({ url: 'https://thanos.example', matchers: { cluster: 'prod-dc2', region: 'eu' } }), 'prod', {});
    expect(c.prometheus?.matchers).toEqual({ cluster: 'prod-dc2', region: 'eu' });
  });

  it('takes a Prometheus behind the Kubernetes service proxy', () => {
    const c = metricsConfigFrom(ctx({ proxy: { namespace: 'monitoring', service: 'prometheus-k8s', port: 9090 } }), 'prod', {});
    expect(c.prometheus?.proxy).toEqual({ namespace: 'monitoring', service: 'prometheus-k8s', port: 9090, scheme: undefined });
  });

  it.each([
    [{}, 'contexts.prod.prometheus: give either url or proxy'],
    [{ url: 'https://user:pw@p' }, 'contexts.prod.prometheus.url: must not carry credentials'],
    [{ url: 'https://p', basicAuth: { username: 'u', password: 'x' } }, 'contexts.prod.prometheus.basicAuth.password: passwords do not go into the file'],
    [{ url: 'https://p', queries: { cpu: { usage: 'sum(rate(x{$selector}[$rate])' } } }, 'contexts.prod.prometheus.queries.cpu.usage: not valid PromQL: unexpected end of query'],
    [{ url: 'https://p', queries: { cpu: { usage: 'x{$pods}' } } }, 'contexts.prod.prometheus.queries.cpu.usage: unknown placeholder $pods'],
    [{ url: 'https://p', queries: { disk: { usage: 'x' } } }, 'contexts.prod.prometheus.queries.disk: unknown chart'],
    [{ url: 'https://p', rateWindow: 'soon' }, 'contexts.prod.prometheus.rateWindow: must be a duration'],
    [{ url: 'https://p', matchers: { 'k8s-cluster': 'a' } }, 'contexts.prod.prometheus.matchers: has "k8s-cluster", which is not a Prometheus label name'],
    [{ url: 'https://p', matchers: { cluster: '' } }, 'contexts.prod.prometheus.matchers.cluster: must be a label value'],
    [{ url: 'https://p', matchers: {} }, 'contexts.prod.prometheus.matchers: needs at least one label: value'],
  ])('rejects %j with an error naming file and key', (prom, message) => {
    expect(() => metricsConfigFrom(ctx(prom), 'prod', {})).toThrow(`config file /home/u/.config/warroom/config.yaml: ${message}`);
  });

  it('ignores an unknown key (the start-up check warns about it, see configSchema.test.ts)', () => {
    expect(metricsConfigFrom(ctx({ url: 'https://p', bogus: 1 }), 'prod', {}).prometheus?.url).toBe('https://p');
  });

  it('says how to configure a context that has no Prometheus', () => {
    expect(metricsConfigFrom(file({}), 'staging', {}).problem).toBe('no Prometheus configured for context staging: add contexts.staging.prometheus.url (or .proxy) to /home/u/.config/warroom/config.yaml');
  });

  it('can be given a URL programmatically (warroom demo)', () => {
    usePrometheusFor('demo-ctx', { url: 'http://127.0.0.1:9999' });
    const c = metricsConfigFrom(file({}), 'demo-ctx', {});
    expect(c.prometheus).toMatchObject({ url: 'http://127.0.0.1:9999', refreshMs: 10_000, auth: { kind: 'none' } });
  });
});
