import { afterAll, describe, expect, it } from 'vitest';
import { healthRows } from '../../../src/self/healthSummary.js';
import { parseMetricsAddr, startSelfMetricsEndpoint, type SelfMetricsEndpoint } from '../../../src/self/metricsEndpoint.js';
import { apiRequestDuration, frameRenderDuration, logLinesDropped, relists } from '../../../src/self/selfMetrics.js';

let endpoint: SelfMetricsEndpoint | undefined;
afterAll(async () => {
  await endpoint?.close();
});

describe("the console's own metrics", () => {
  it('listens on loopback unless another address is given', () => {
    expect(parseMetricsAddr(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsAddr('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsAddr('0.0.0.0:9464')).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(() => parseMetricsAddr('localhost')).toThrow(/--metrics-addr must be HOST:PORT/);
  });

  it('serves what was recorded in the Prometheus text format', async () => {
    apiRequestDuration.observe({ verb: 'LIST', resource: 'pods', code: '200' }, 0.12);
    relists.inc({ resource: 'pods' });
    endpoint = await startSelfMetricsEndpoint('127.0.0.1:0');
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const text = await (await fetch(endpoint.url)).text();
    expect(text).toMatch(/warroom_api_request_duration_seconds_count\{verb="LIST",resource="pods",code="200"\} 1/);
    expect(text).toMatch(/warroom_relists_total\{resource="pods"\} 1/);
    expect(text).toMatch(/warroom_process_resident_memory_bytes \d+/);
    expect((await fetch(endpoint.url.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('summarises them for :health, flagging drops and slow frames', async () => {
    logLinesDropped.inc({ reason: 'buffer' }, 5);
    for (let i = 0; i < 10; i++) frameRenderDuration.observe(0.2);
    const rows = await healthRows();
    const row = (label: string) => rows.find((r) => r.label === label)!;
    expect(row('Kubernetes API requests').value).toMatch(/^1 {2}\(0 failed\) {2}p50 \d+ ms/);
    expect(row('   LIST pods').value).toMatch(/^1 {2}p95/);
    expect(row('Log lines ingested / dropped')).toMatchObject({ value: '0 / 5', warn: true });
    expect(row('Frames rendered').warn).toBe(true);
    expect(row('Relists').value).toBe('1');
  });
});
