import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../src/demo/fleet.js';
import { scratchDir } from '../support/scratchDir.js';
import { ConsoleUnderTest, keys } from './harness.js';

// `warroom demo --clusters N` and `--context a,b` / `--fleet NAME`: several clusters in one
// console, against a fleet of demo clusters (dc1..dcN), each its own process.

let running: ConsoleUnderTest[] = [];
afterEach(async () => {
  for (const c of running) await c.quit();
  running = [];
});

function demo(args: string[], env?: Record<string, string>): ConsoleUnderTest {
  const c = new ConsoleUnderTest(['demo', '--pods', '100', '--no-churn', ...args], { cols: 80, rows: 24, env });
  running.push(c);
  return c;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(3000) });
    return false;
  } catch (err) {
    return (err as Error & { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}

describe('warroom demo --clusters', () => {
  it('shows a 3-cluster fleet at 80x24 as one: every cluster in the header, a column per cluster, drift marked; :ctx opens one; q stops every cluster', async () => {
    const c = demo(['--clusters', '3']);
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/, 60_000);
    // Systems over the fleet: totals and each data centre's ready/total.
    await c.waitFor(/SYSTEM.*PODS\s+dc1\s+dc2\s+dc3/);
    let screen = await c.waitFor(/Shopping Cart\s+\d+\/\d+\s+\d+\/\d+\s+\d+\/\d+\s+\d+\/\d+/);
    expect(screen).toContain('Fleet  (');
    // cart in every cluster: wishlist-api is missing from dc3 (M), cart-sync-worker has other replicas there without an HPA (R).
    await c.type(':apps cart');
    c.press(keys.enter);
    screen = await c.waitFor(/wishlist-api\s+M\s/);
    expect(screen).toMatch(/wishlist-api\s+M\s+\d+\/\d+\s+\d+\/\d+\s+\d+\/\d+\s+—/);
    expect(screen).toMatch(/cart-sync-worker\s+R\s/);
    expect(screen).toMatch(/cart-api\s{2,}\d+\/\d+/);
    // payment-api runs another image in dc2 (I).
    await c.type(':apps payment');
    c.press(keys.enter);
    await c.waitFor(/payment-api\s+I\s/);
    // The fleet's pods of an application carry their cluster and zone; Enter opens the pod in its cluster.
    await c.type('/payment-api');
    c.press(keys.enter);
    c.press(keys.enter);
    await c.waitFor(/POD.*CLUSTER/);
    const cluster = /payment-api-\S+\s+(dc\d)\s/.exec(c.selectedRow() ?? '')?.[1];
    expect(cluster).toMatch(/^dc[123]$/);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`\\[warroom-demo-${cluster}\\] › Systems › payment`));
    await c.waitFor(new RegExp(`›${cluster} ● live`));
    await c.waitFor(/system\s+payment/);

    await c.type(':ctx warroom-demo-dc2');
    c.press(keys.enter);
    await c.waitFor((s) => s.includes('warroom-demo-dc2') && s.includes('● live') && !s.includes('fleet of'), 30_000);
    const dc2 = /http:\/\/127\.0\.0\.1:\d+/.exec(c.text())?.[0];
    expect(dc2).toBeDefined();
    expect(await refused(`${dc2}/version`)).toBe(false);
    expect(await c.quit()).toBe(0);
    // The console's demo fleet ends with it.
    const deadline = Date.now() + 5000;
    while (!(await refused(`${dc2}/version`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await refused(`${dc2}/version`)).toBe(true);
  }, 120_000);

  it('warroom demo alone opens two clusters, dc1 and dc2, at 80x24; --clusters 1 the single cluster', async () => {
    const fleet = demo([]);
    await fleet.waitFor(/fleet of 2\s+dc1 ● live\s+dc2 ● live/, 60_000);
    const screen = await fleet.waitFor(/Shopping Cart\s+\d+\/\d+\s+\d+\/\d+\s+\d+\/\d+\s*$/m);
    expect(screen).toMatch(/SYSTEM.*PODS\s+dc1\s+dc2\s*$/m);
    expect(screen).not.toMatch(/dc3/);
    expect(await fleet.quit()).toBe(0);
    const single = demo(['--clusters', '1']);
    const one = await single.waitFor(/Shopping Cart\s+\d+\s/, 60_000);
    expect(one).toContain('warroom-demo');
    expect(one).not.toMatch(/fleet of|dc1|dc2/);
  }, 120_000);

  it('leaves nothing in the temp directory: the fleet\'s kubeconfig, config and clusters\' state go on SIGTERM, the single cluster\'s on SIGHUP', async () => {
    const tmp = scratchDir('warroom-demo-tty-');
    const fleet = demo(['--clusters', '2'], { TMPDIR: tmp });
    await fleet.waitFor(/dc1 ● live\s+dc2 ● live/, 60_000);
    expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^warroom-fleet-/)]);
    fleet.proc.kill('SIGTERM');
    expect(await fleet.exited).toBe(128 + 15);
    expect(readdirSync(tmp)).toEqual([]);

    const single = demo(['--clusters', '1'], { TMPDIR: tmp });
    await single.waitFor(/Shopping Cart\s+\d+\s/, 60_000);
    expect(readdirSync(tmp)).toEqual([expect.stringMatching(/^warroom-demo-/)]);
    single.proc.kill('SIGHUP');
    expect(await single.exited).toBe(128 + 1);
    // The platform removes its own as it stops, told by the console or by its stdin closing.
    for (const deadline = Date.now() + 5000; readdirSync(tmp).length > 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(tmp)).toEqual([]);
  }, 120_000);

  it('one cluster of the fleet going down never blocks the others: its header turns, the others stay live, and it comes back', async () => {
    const fleet = await startDemoFleet({ clusters: ['dc1', 'dc2', 'dc3'], pods: 100, churn: false });
    try {
      const c = new ConsoleUnderTest(['--kubeconfig', fleet.kubeconfigPath, '--fleet', 'demo', '--config', fleet.configPath], { cols: 80, rows: 24 });
      running.push(c);
      await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/, 30_000);
      await c.waitFor(/Shopping Cart\s+\d+\/\d+/);
      await fleet.stop('dc2');
      const screen = await c.waitFor(/dc2 ◌ reconnecting|dc2 ● stale since/, 30_000);
      expect(screen).toMatch(/dc1 ● live/);
      expect(screen).toMatch(/dc3 ● live/);
      // After the stale limit its column says so, the others keep their numbers.
      await c.waitFor(/Shopping Cart\s+\d+\/\d+\s+\d+\/\d+\s+✗ down\s+\d+\/\d+/, 30_000);
      expect(c.text()).toMatch(/not answering: warroom-demo-dc2/);
      await fleet.start('dc2');
      await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/, 30_000);
      await c.waitFor(/Shopping Cart\s+\d+\/\d+\s+\d+\/\d+\s+\d+\/\d+\s+\d+\/\d+/, 30_000);
    } finally {
      await fleet.close();
    }
  }, 120_000);

  it('starts the fleet when one cluster does not answer, naming it; refuses an unknown fleet name', async () => {
    const fleet = await startDemoFleet({ clusters: ['dc1', 'dc2'], pods: 100, churn: false });
    try {
      await fleet.stop('dc2');
      const c = new ConsoleUnderTest(['--kubeconfig', fleet.kubeconfigPath, '--context', 'warroom-demo-dc1,warroom-demo-dc2', '--config', fleet.configPath], { cols: 80, rows: 24 });
      running.push(c);
      await c.waitFor(/dc1 ● live/, 30_000);
      expect(c.raw.replace(/\r?\n/g, ' ')).toMatch(/warroom: warroom-demo-dc2 does not answer, shown as down/);
      await c.waitFor(/Shopping Cart\s+\d+\/\d+\s+\d+\/\d+\s+(✗ down|—)/, 30_000);
      const bad = new ConsoleUnderTest(['--kubeconfig', fleet.kubeconfigPath, '--fleet', 'nope', '--config', fleet.configPath], { cols: 80, rows: 24 });
      running.push(bad);
      expect(await bad.exited).not.toBe(0);
      expect(bad.text()).toMatch(/no fleet named 'nope' in the config file/);
      expect(bad.text()).toMatch(/fleets there: demo/);
    } finally {
      await fleet.close();
    }
  }, 120_000);

  it('--fleet-prometheus: m on a fleet application draws a series per cluster from the fleet\'s one Thanos-style Prometheus', async () => {
    const c = demo(['--clusters', '2', '--fleet-prometheus']);
    await c.waitFor(/dc1 ● live\s+dc2 ● live/, 60_000);
    await c.type(':apps cart');
    c.press(keys.enter);
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('cart-api'));
    c.press('m');
    const screen = await c.waitFor(/■ dc1 [0-9.]+\S*\s+■ dc2 [0-9.]+/, 30_000);
    expect(screen).toMatch(/in 2 clusters/);
    expect(screen).toMatch(/http:\/\/127\.0\.0\.1:\d+ for dc1, dc2/);
  }, 120_000);

  it('refuses more than five clusters before taking the screen', async () => {
    const c = demo(['--clusters', '6']);
    expect(await c.exited).toBe(2);
    expect(c.text()).toContain("warroom: --clusters must be a whole number from 1 to 5, got '6'");
  });

  it('a console on dc2 sees dc2 stop (reconnecting) and come back live on the same port', async () => {
    const fleet = await startDemoFleet({ clusters: ['dc1', 'dc2'], pods: 100, churn: false });
    try {
      const c = new ConsoleUnderTest(['--kubeconfig', fleet.kubeconfigPath, '--context', 'warroom-demo-dc2', '--config', fleet.configPath], { cols: 80, rows: 24 });
      running.push(c);
      await c.waitFor((s) => s.includes('warroom-demo-dc2') && s.includes('● live'), 30_000);
      await c.waitFor(/Shopping Cart\s+\d+\s/);
      await fleet.stop('dc2');
      await c.waitFor(/reconnecting|stale since/, 30_000);
      await fleet.start('dc2');
      await c.waitFor('● live', 30_000);
      await c.waitFor(/Shopping Cart\s+\d+\s/);
      expect(c.text()).toContain(new URL(fleet.cluster('dc2').url).host);
    } finally {
      await fleet.close();
    }
  }, 120_000);

  it("a console on dc3 shows its pods in dc3's own zones (ZONE column on a wide terminal)", async () => {
    const fleet = await startDemoFleet({ clusters: ['dc1', 'dc2', 'dc3'], pods: 100, churn: false });
    try {
      const c = new ConsoleUnderTest(['--kubeconfig', fleet.kubeconfigPath, '--context', 'warroom-demo-dc3', '--config', fleet.configPath], { cols: 200, rows: 30 });
      running.push(c);
      await c.waitFor('● live', 30_000);
      await c.type(':pods cart');
      c.press(keys.enter);
      const screen = await c.waitFor(/ZONE[\s\S]*eu-north-1[abc]/, 30_000);
      expect(screen).not.toMatch(/eu-(central|west)-1[abc]/);
    } finally {
      await fleet.close();
    }
  }, 120_000);
});
