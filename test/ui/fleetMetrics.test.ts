import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { kubeApiMetricsWorld, kubeconfigEndpoint } from '../../src/demo/metrics/kubeApiMetricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../src/demo/metrics/prometheusServer.js';
import { demoApi } from './demoApi.js';
import { demoFleetPerFile, keys, selectFleetApp } from './harness.js';
import { chartMarked, incidentOf, stripMarked } from './timelineScreen.js';

// Charts over a fleet, in process, against a demo fleet of three data centres, each with its
// own Prometheus-compatible endpoint: `m` on a fleet application draws every chart with one
// series per cluster, named on the legend; a cluster whose Prometheus stops is named on the
// pane while the others' series are still drawn; at 80x24 a chart is whole and readable. The
// fleet also serves one Thanos-style endpoint for all its clusters (a `cluster` label on every
// series), which its config file names as the fleet's Prometheus.

const fixture = demoFleetPerFile({ clusters: ['dc1', 'dc2', 'dc3'], pods: 100, churn: false, fleetPrometheus: true });
const FLEET = 'warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3';
const BRAILLE = /[\u2801-\u28ff]/;

/** The legend entry of a cluster with a value (`■ dc1 1.23 cores`), not an empty one (`■ dc1 -`). */
const valued = (dc: string) => new RegExp(`■ ${dc} [0-9.]+ ?\\S*`);

/** The fleet's config file with `fleets.demo` a plain list: the charts ask each cluster's own Prometheus. */
function perContext(edit: (contexts: Record<string, { prometheus: { url: string; refreshSeconds?: number } }>) => void = () => {}, name = 'per-context'): string {
  const config = parse(readFileSync(fixture.fleet.configPath, 'utf8')) as { fleets: Record<string, unknown>; contexts: Record<string, { prometheus: { url: string } }> };
  config.fleets.demo = fixture.fleet.contexts;
  edit(config.contexts);
  const path = join(dirname(fixture.fleet.configPath), `config-${name}.yaml`);
  writeFileSync(path, stringify(config));
  return path;
}

describe('charts over a fleet', () => {
  it('m on a fleet application: every chart has a series per cluster, named on the legend; the range keys work; Esc goes back', async () => {
    const c = await fixture.open(FLEET, { cols: 130, rows: 40, configPath: perContext() });
    await selectFleetApp(c, 'cart', 'cart-api');
    c.press('m');
    await c.waitFor(/Fleet › cart › Applications › cart-api › Metrics/);
    const screen = await c.waitFor((s) => BRAILLE.test(s) && ['dc1', 'dc2', 'dc3'].every((dc) => valued(dc).test(s)), 20_000);
    // One series per cluster and its pods counted over the fleet (a pod legend would name pods).
    expect(screen).toMatch(/deploy\/cart-api \(\d+ pods\) in 3 clusters/);
    expect(screen).toMatch(/ CPU \((milli)?cores\)/);
    expect(screen).not.toMatch(/■ cart-api-/);
    expect(screen).toMatch(/dc1, dc2, dc3: each cluster's Prometheus\s+updated \d+s ago/);
    // Every cluster's legend on each chart, in the fleet's order.
    const legends = c.lines().filter((l) => l.includes('■ dc1'));
    expect(legends.length).toBeGreaterThanOrEqual(2);
    for (const l of legends) expect(l).toMatch(/■ dc1 .*■ dc2 .*■ dc3 /);
    // 3: the 6h range in every cluster; j scrolls to the charts below.
    c.press('3');
    await c.waitFor(/range 15m 1h \[6h\] 24h 7d/);
    await c.waitFor((s) => /step \d+s/.test(s) && valued('dc3').test(s), 20_000);
    c.press('j');
    c.press('j');
    c.press('j');
    await c.waitFor(/Network out|Request rate|Error rate/);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*DRIFT/);
    expect(c.runtime.fleetMetrics.getSnapshot().target).toBeUndefined();
  }, 90_000);

  it("the fleet's Applications and Pods show CPU and MEM sparklines: an application's summed over its clusters, a pod's from its own cluster", async () => {
    const c = await fixture.open(FLEET, { cols: 130, rows: 40, configPath: perContext() });
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.type(':apps cart');
    c.press(keys.enter);
    await c.waitFor(/APPLICATION.*DRIFT.*CPU\s+MEM\s+dc1\s+dc2\s+dc3/);
    const spark = /[▁▂▃▄▅▆▇█]{3,}/;
    // wishlist-api runs in dc1 and dc2 only: its line is the sum of those two.
    await c.waitFor((s) => s.split('\n').some((l) => /cart-api\s/.test(l) && spark.test(l)) && /wishlist-api\s.*[▁▂▃▄▅▆▇█]{3,}.*—/.test(s), 20_000);
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor((s) => s.includes('filter: cart-api') && (c.selectedRow() ?? '').includes('cart-api'));
    c.press(keys.enter);
    await c.waitFor(/POD.*CLUSTER.*CPU\s+MEM/);
    // Pods of every cluster, each with its own cluster's samples.
    await c.waitFor((s) => ['dc1', 'dc2', 'dc3'].every((dc) => s.split('\n').some((l) => new RegExp(`cart-api-\\S+\\s+${dc}\\s.*[▁▂▃▄▅▆▇█]{3,}`).test(l))), 20_000);
    // At 80 columns they give way to the names, as in one cluster's tables, and the header says so.
    c.resize(80, 24);
    const narrow = await c.waitFor(/POD.*hidden:.*CPU MEM/);
    expect(narrow).not.toMatch(/[▁▂▃▄▅▆▇█]{3,}/);
  });

  it('a cluster whose Prometheus stops is named on the pane while the other clusters\' series are still drawn', async () => {
    // dc2's Prometheus here is one this test runs (over dc2's pods) so that it can stop it alone.
    const dc2 = fixture.fleet.cluster('dc2');
    const world = await kubeApiMetricsWorld(kubeconfigEndpoint(fixture.fleet.kubeconfigPath, dc2.context));
    let prom: DemoPrometheus | undefined = await startDemoPrometheus({ world });
    try {
      const url = prom.url;
      const configPath = perContext((contexts) => {
        for (const ctx of Object.values(contexts)) ctx.prometheus = { ...ctx.prometheus, refreshSeconds: 1 };
        contexts[dc2.context].prometheus.url = url;
      }, 'dc2-prom');
      const c = await fixture.open(FLEET, { cols: 120, rows: 40, configPath });
      await selectFleetApp(c, 'cart', 'cart-api');
      c.press('m');
      await c.waitFor((s) => ['dc1', 'dc2', 'dc3'].every((dc) => valued(dc).test(s)), 20_000);
      await prom.close();
      prom = undefined;
      const screen = await c.waitFor(new RegExp(`⚠ dc2: cannot reach Prometheus at ${url.replace(/[.]/g, '\\.')}`), 20_000);
      // Still charts, fresh ones: dc1 and dc3 drawn with values, dc2 on the legend with none.
      expect(BRAILLE.test(screen)).toBe(true);
      const at = c.runtime.fleetMetrics.getSnapshot().dataAt!;
      await c.waitFor(() => c.runtime.fleetMetrics.getSnapshot().dataAt! > at, 20_000);
      const after = await c.waitFor((s) => valued('dc1').test(s) && valued('dc3').test(s) && /■ dc2 - /.test(s));
      // The one line names dc2 first (cut from the right at 80 columns); the others' data is not stale.
      expect(after).toMatch(/^ ⚠ dc2: cannot reach/m);
      expect(after).not.toMatch(/showing data from/);
      expect(c.runtime.fleetMetrics.getSnapshot().clusters!.map((x) => [x.label, !!x.problem])).toEqual([['dc1', false], ['dc2', true], ['dc3', false]]);
    } finally {
      world.stop();
      await prom?.close();
    }
  }, 90_000);

  it('at 80x24 a fleet chart is whole: its title, plot, times and every cluster on its legend', async () => {
    const c = await fixture.open(FLEET, { cols: 80, rows: 24, configPath: perContext() });
    await selectFleetApp(c, 'cart', 'cart-api');
    c.press('m');
    const screen = await c.waitFor((s) => ['dc1', 'dc2', 'dc3'].every((dc) => valued(dc).test(s)), 20_000);
    const lines = c.lines();
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(screen).toMatch(/deploy\/cart-api \(\d+ pods\) in 3 clusters/);
    expect(screen).toMatch(/ CPU \((milli)?cores\)/);
    expect(lines.filter((l) => BRAILLE.test(l)).length).toBeGreaterThanOrEqual(4);
    expect(screen).toMatch(/\d\d:\d\d {2,}\d\d:\d\d/);
    expect(screen).toMatch(/↓ \d+ more below \(j\/k\)/);
    expect(screen).toMatch(/updated \d+s ago/);
  }, 90_000);

  it("the fleet's charts and logs strip mark the application's rollout and scale changes, from every cluster", async () => {
    // The demo's staged incident (a rollout 45 minutes ago, scale changes 32 and 18 minutes ago), read from dc1.
    const dc1 = fixture.fleet.cluster('dc1');
    const incident = incidentOf((await demoApi(() => ({ kubeconfigPath: fixture.fleet.kubeconfigPath, context: dc1.context, url: dc1.url }))('GET', '/apis/apps/v1/deployments')).json);
    const c = await fixture.open(FLEET, { cols: 160, rows: 45, configPath: perContext() });
    await selectFleetApp(c, incident.namespace, incident.name);
    c.press('m');
    await c.waitFor(/in 3 clusters/, 20_000);
    await c.waitFor(chartMarked(3), 30_000);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*DRIFT/);
    c.press('l');
    await c.waitFor(/last 15m/);
    c.press('t');
    await c.waitFor(/last 1h/);
    await c.waitFor(stripMarked(3), 30_000);
  }, 120_000);

  it('m on a fleet pod charts it from its own cluster\'s Prometheus', async () => {
    const c = await fixture.open(FLEET, { cols: 120, rows: 30, configPath: perContext() });
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*CLUSTER.*ZONE/);
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor(() => /cart-api-\S+\s+dc\d\s/.test(c.selectedRow() ?? ''));
    const cluster = /cart-api-\S+\s+(dc\d)\s/.exec(c.selectedRow()!)![1];
    c.press('m');
    await c.waitFor(/pod cart\/cart-api-/);
    const screen = await c.waitFor(new RegExp(`${fixture.fleet.cluster(cluster).prometheusUrl.replace(/[.]/g, '\\.')}\\s+updated`), 20_000);
    expect(screen).not.toMatch(/in 3 clusters/);
  }, 90_000);

  it('with the fleet\'s own Prometheus (the demo\'s Thanos-style endpoint), every chart still has a series per cluster, from that one URL', async () => {
    const url = fixture.fleet.fleetPrometheusUrl!;
    const c = await fixture.open(FLEET, { cols: 120, rows: 40 });
    await selectFleetApp(c, 'cart', 'cart-api');
    c.press('m');
    const screen = await c.waitFor((s) => BRAILLE.test(s) && ['dc1', 'dc2', 'dc3'].every((dc) => valued(dc).test(s)), 20_000);
    expect(screen).toMatch(new RegExp(`${url.replace(/[.]/g, '\\.')} for dc1, dc2, dc3\\s+updated \\d+s ago`));
    expect(screen).toMatch(/deploy\/cart-api \(\d+ pods\) in 3 clusters/);
    for (const l of c.lines().filter((x) => x.includes('■ dc1'))) expect(l).toMatch(/■ dc1 .*■ dc2 .*■ dc3 /);
    expect(screen).not.toMatch(/each cluster's Prometheus/);
  }, 90_000);

  it('m on a fleet system charts the whole system, a series per cluster; :promql there asks every cluster', async () => {
    const c = await fixture.open(FLEET, { cols: 120, rows: 40, configPath: perContext() });
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.type('/cart');
    c.press(keys.enter);
    await c.waitFor(() => /Shopping Cart|cart/.test(c.selectedRow() ?? ''));
    c.press('m');
    const screen = await c.waitFor((s) => /system cart in 3 clusters/.test(s) && ['dc1', 'dc2', 'dc3'].every((dc) => valued(dc).test(s)), 20_000);
    expect(screen).not.toMatch(/■ cart-/);
    c.press(keys.esc);
    await c.waitFor(/SYSTEM/);
    await c.type(':promql count(kube_pod_info{namespace="cart"})');
    c.press(keys.enter);
    await c.waitFor((s) => /query in 3 clusters/.test(s) && ['dc1', 'dc2', 'dc3'].every((dc) => valued(dc).test(s)), 20_000);
  }, 90_000);
});
