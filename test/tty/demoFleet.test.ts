import { afterEach, describe, expect, it } from 'vitest';
import { startDemoFleet } from '../../src/demo/fleet.js';
import { ConsoleUnderTest, keys } from './harness.js';

// `warroom demo --clusters N`: a fleet of demo clusters (dc1..dcN). Until the fleet console
// lands, the console opens dc1 and :ctx switches to another data centre.

let running: ConsoleUnderTest[] = [];
afterEach(async () => {
  for (const c of running) await c.quit();
  running = [];
});

function demo(args: string[]): ConsoleUnderTest {
  const c = new ConsoleUnderTest(['demo', '--pods', '100', '--no-churn', ...args], { cols: 80, rows: 24 });
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
  it('opens dc1 of a 3-cluster fleet at 80x24, :ctx switches to dc2 and dc3, and q stops every cluster', async () => {
    const c = demo(['--clusters', '3']);
    await c.waitFor('● live', 60_000);
    const first = await c.waitFor('warroom-demo-dc1');
    const server = /http:\/\/127\.0\.0\.1:\d+/.exec(first)?.[0];
    expect(server).toBeDefined();
    const cartApps = (screen: string) => Number(/Shopping Cart\s+(\d+)\s/.exec(screen)?.[1]);
    const dc1Cart = cartApps(await c.waitFor(/Shopping Cart\s+\d+\s/));

    await c.type(':ctx warroom-demo-dc2');
    c.press(keys.enter);
    await c.waitFor((s) => s.includes('warroom-demo-dc2') && s.includes('● live'), 30_000);
    const second = /http:\/\/127\.0\.0\.1:\d+/.exec(c.text())?.[0];
    expect(second).toBeDefined();
    expect(second).not.toBe(server);

    await c.type(':ctx warroom-demo-dc3');
    c.press(keys.enter);
    await c.waitFor((s) => s.includes('warroom-demo-dc3') && s.includes('● live'), 30_000);
    // dc3 has not got cart's wishlist-api: one application fewer than dc1 (dc2's rows may stay a
    // moment after the header names dc3, so wait for dc3's).
    await c.waitFor((screen) => cartApps(screen) === dc1Cart - 1, 15_000);

    expect(await refused(`${server}/version`)).toBe(false);
    expect(await c.quit()).toBe(0);
    // The console's demo fleet ends with it.
    const deadline = Date.now() + 5000;
    while (!(await refused(`${server}/version`)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await refused(`${server}/version`)).toBe(true);
    expect(await refused(`${second}/version`)).toBe(true);
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
