import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubeApiMetricsWorld, kubeconfigEndpoint } from '../../src/demo/metrics/kubeApiMetricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../src/demo/metrics/prometheusServer.js';
import { demoPerFile, keys, sleep, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Screen tests of the metrics pane, in process: `m` on an application draws braille charts with axes
// and legends, 1-5 switch the range, ←/→ move a cursor, `:promql` shows where a syntax
// error is, and a Prometheus that fails keeps the last charts with the error in one line.
// The demo's Prometheus-compatible endpoint runs here, fed with the demo platform's pods.

const fixture = demoPerFile({ pods: 200, churn: false, seed: 7 });
let prom: DemoPrometheus;
let world: Awaited<ReturnType<typeof kubeApiMetricsWorld>>;
let dir: string;

const BRAILLE = /[\u2801-\u28ff]/;
const LEFT = '\x1b[D';

beforeAll(async () => {
  world = await kubeApiMetricsWorld(kubeconfigEndpoint(fixture.demo.kubeconfigPath, fixture.demo.context));
  prom = await startDemoPrometheus({ world });
  dir = scratchDir('warroom-metrics-tty-');
});
afterAll(async () => {
  world?.stop();
  await prom?.close();
});
afterEach(() => {
  prom?.setFault(undefined);
});

function open(refreshSeconds = 10): Promise<ConsoleScreen> {
  const config = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(config, `contexts:\n  ${fixture.demo.context}:\n    prometheus:\n      url: ${prom.url}\n      refreshSeconds: ${refreshSeconds}\n      timeoutSeconds: 2\n`);
  return fixture.open({ configPath: config, cols: 130, rows: 40 });
}

/** Goes to the Applications of the first system and selects an API Deployment (it has RED metrics). */
async function toApiApp(c: ConsoleScreen): Promise<string> {
  await c.waitFor(/SYSTEM.*APPS.*PODS/);
  await c.waitFor('● live');
  c.press(keys.enter);
  await c.waitFor(/APPLICATION.*KIND.*DESIRED/);
  await c.waitFor((s) => /-api\s+deploy/.test(s));
  for (let i = 0; i < 30 && !/-api\s+deploy/.test(c.selectedRow() ?? ''); i++) {
    c.press('j');
    await sleep(30);
  }
  return c.selectedRow()!.trim().split(/\s+/)[0];
}


describe('metrics pane on the demo platform', () => {
  it('m and l in a pod detail open that pod\'s charts and logs', async () => {
    const c = await open();
    await toApiApp(c);
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press(keys.enter);
    await c.waitFor('Containers');
    c.press('m');
    await c.waitFor(new RegExp(`pod \\S+/${pod}`));
    await c.waitFor(BRAILLE, 20_000);
    c.press(keys.esc);
    await c.waitFor('Containers');
    c.press('l');
    await c.waitFor(/Logs/);
  });

  it('shows CPU and memory sparklines for the applications on screen, on one scale per column', async () => {
    const c = await open();
    await c.waitFor(/SYSTEM.*APPS.*PODS/);
    await c.waitFor('● live');
    c.press(keys.enter);
    await c.waitFor(/APPLICATION.*CPU\s+MEM/);
    await c.waitFor((s) => s.split('\n').slice(3).filter((l) => /[▁▂▃▄▅▆▇█]{3,}/.test(l)).length >= 2, 20_000);
  });

  it("opens an application's charts with units, times and a legend of its pods", async () => {
    const c = await open();
    const app = await toApiApp(c);
    c.press('m');
    await c.waitFor(`deploy/${app}`);
    await c.waitFor('[1h]');
    const screen = await c.waitFor((s) => BRAILLE.test(s) && /CPU \((cores|millicores)\)/.test(s), 20_000);
    expect(screen).toMatch(/Memory \(working set\) \((MiB|GiB|KiB)\)/);
    // An x-axis with clock times and a legend naming the application's pods.
    expect(screen).toMatch(/\d\d:\d\d {2,}\d\d:\d\d/);
    expect(screen).toMatch(new RegExp(`■ ${app}-[a-z0-9]+-[a-z0-9]{5} [0-9.]+m? `));
    expect(screen).toMatch(/┄ requests [0-9.]+m?/);
    expect(screen).toMatch(/updated \d+s ago/);
    expect(screen).toMatch(new RegExp(`deploy/${app} \\([1-9]\\d* pods?\\)`));
    // Scroll down to the RED charts, a line at a time until the latency chart's legend is on screen
    // (how far that is depends on how many lines the pods' legends above it take). Its unit is ms or
    // s, as the demo's latency at this time of day needs.
    const latencyLegend = /■ p50 [0-9.]+ m?s\s+■ p95/;
    for (let i = 0; i < 30 && !latencyLegend.test(c.screen()); i++) {
      const before = c.screen();
      c.press('j');
      await c.waitFor((s) => s !== before, 2_000).catch(() => undefined);
    }
    await c.waitFor(/Latency \((ms|s)\)/);
    await c.waitFor(latencyLegend);
  }, 60_000);

  it('switches the range and moves a cursor that shows the values at that time', async () => {
    const c = await open();
    await toApiApp(c);
    c.press('m');
    await c.waitFor((s) => BRAILLE.test(s) && s.includes('[1h]'), 20_000);
    const stepHour = Number(/step (\d+)s/.exec(c.screen())?.[1]);
    c.press('4');
    await c.waitFor('[24h]');
    await c.waitFor((s) => Number(/step (\d+)s/.exec(s)?.[1]) > stepHour, 15_000);
    // 24h: the axis shows times spread over the day.
    c.press(LEFT);
    const at = await c.waitFor(/CPU \([a-z]+\)\s+@ \d\d:\d\d/);
    const first = /CPU \([a-z]+\)\s+@ (\d\d:\d\d)/.exec(at)![1];
    for (let i = 0; i < 12; i++) c.press(LEFT);
    await c.waitFor((s) => {
      const m = /CPU \([a-z]+\)\s+@ (\d\d:\d\d)/.exec(s);
      return !!m && m[1] !== first;
    });
    c.press(keys.esc);
    await c.waitFor((s) => !/@ \d\d:\d\d/.test(s));
    expect(c.screen()).toContain('[24h]');
  }, 60_000);

  it(':promql charts a query, and shows where a syntax error is', async () => {
    const c = await open();
    await c.waitFor('● live');
    c.press(':');
    await c.type('promql sum(rate(container_cpu_usage_seconds_total[5m])');
    c.press(keys.enter);
    await c.waitFor('PromQL syntax error at character 48: unexpected end of query');
    const lines = c.lines();
    const q = lines.findIndex((l) => l.includes('   sum(rate(container_cpu_usage_seconds_total[5m])'));
    expect(lines[q + 1].indexOf('^')).toBe(lines[q].indexOf('sum(') + 47);
    c.press(keys.esc);
    await c.waitFor(/SYSTEM.*APPS/);
    c.press(':');
    await c.type('promql sum by (namespace) (rate(container_cpu_usage_seconds_total[5m]))');
    c.press(keys.enter);
    await c.waitFor((s) => BRAILLE.test(s) && /■ \{namespace="[a-z]+"\}/.test(s), 20_000);
  }, 60_000);

  it('keeps the charts greyed with their age when Prometheus fails, and says so with the URL', async () => {
    const c = await open(1);
    await toApiApp(c);
    c.press('m');
    await c.waitFor((s) => BRAILLE.test(s), 20_000);
    prom.setFault({ kind: 'status', status: 503, body: 'Service Unavailable' });
    const screen = await c.waitFor(new RegExp(`⚠ Prometheus at ${prom.url.replace(/[.]/g, '\\.')} answered HTTP 503`), 15_000);
    expect(screen).toMatch(/showing data from \d+s ago; retrying in \d+s/);
    expect(BRAILLE.test(screen)).toBe(true);
    prom.setFault(undefined);
    c.press('r');
    await c.waitFor(/updated \d+s ago/, 15_000);
  }, 60_000);

  it(':health shows the console\'s own metrics', async () => {
    const c = await open();
    await c.waitFor('● live');
    c.press(':');
    await c.type('health');
    c.press(keys.enter);
    await c.waitFor('Console health');
    await c.waitFor(/Kubernetes API requests\s+\d+/);
    await c.waitFor(/Process\s+RSS \d+ MiB/);
  }, 60_000);
});
