import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticMetricsWorld } from '../../../src/demo/metrics/metricsWorld.js';
import { startWorkloadExporter, type WorkloadExporter } from '../../../src/demo/metrics/workloadExporter.js';
import { FIXTURE_PODS } from '../../contract/metrics/promTarget.js';

let exporter: WorkloadExporter;
beforeAll(async () => {
  exporter = await startWorkloadExporter({ world: staticMetricsWorld(FIXTURE_PODS) });
});
afterAll(async () => {
  await exporter.close();
});

const value = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);

describe('demo workload exporter (prom-client)', () => {
  it('exports request counters and a latency histogram per HTTP pod that grow between scrapes', async () => {
    const url = `${exporter.url}/pods/shop/order-api-5d8f7b9c4-aaaaa/metrics`;
    const first = await (await fetch(url)).text();
    expect(first).toContain('# TYPE http_requests_total counter');
    expect(first).toContain('# TYPE http_request_duration_seconds histogram');
    const ok1 = value(first, /http_requests_total\{method="GET",route="\/api",status="200",namespace="shop",pod="order-api-5d8f7b9c4-aaaaa"\} (\d+)/);
    expect(ok1).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1100));
    const second = await (await fetch(url)).text();
    expect(value(second, /http_requests_total\{method="GET",route="\/api",status="200",[^}]*\} (\d+)/)).toBeGreaterThan(ok1);
    const count = value(second, /http_request_duration_seconds_count\{[^}]*\} (\d+)/);
    const inf = value(second, /http_request_duration_seconds_bucket\{le="\+Inf",[^}]*\} (\d+)/);
    expect(count).toBe(inf);
  });

  it('has nothing for a worker that serves no HTTP', async () => {
    expect((await fetch(`${exporter.url}/pods/shop/stock-worker-0/metrics`)).status).toBe(404);
  });
});
