import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { demoPerFile, keys, type ConsoleScreen, type OpenOptions } from './harness.js';

// Screen tests of what an empty list says, in process: forbidden, no such system, filtered, empty. A
// forbidden system must not read as a healthy one with no pods.

const fixture = demoPerFile();

function open(opts: Partial<OpenOptions> = {}): Promise<ConsoleScreen> {
  return fixture.open(opts);
}

async function deleteNamespace(name: string): Promise<number> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}/api/v1/namespaces/${name}`, { method: 'DELETE', headers: init.headers });
  return res.status;
}

describe('empty, zero and loading states say why', () => {
  it('a system whose pods are forbidden shows "forbidden" in its row, not 0/0, and its pods view says why', async () => {
    const c = await open({ context: fixture.demo.restrictedContext });
    await c.waitFor(/SYSTEM.*APPS.*PODS/);
    await c.waitFor(/pods forbidden in payment/);
    const payment = await c.waitFor((s) => s.split('\n').some((l) => /\spayment\s/.test(l) && l.includes('forbidden')));
    const row = payment.split('\n').find((l) => /\spayment\s/.test(l) && l.includes('forbidden'))!;
    // Counts the user may not read are not shown as zeros.
    expect(row).not.toMatch(/\b0\/0\b/);
    expect(row).toMatch(/\d+\s+forbidden\s*$|\d+\s+forbidden\s+\S+$/);
    // A system the user may read still shows its counts.
    expect(c.rowWith(' cart ')).toMatch(/\d+\/\d+/);

    await c.type(':pods payment');
    c.press(keys.enter);
    await c.waitFor(/Systems › payment › Pods\s+\(forbidden\)/);
    // The body says what is forbidden; the line above it quotes the server's reason.
    const screen = await c.waitFor(/^\s+forbidden: list pods in payment$/m);
    expect(screen).toMatch(/⚠ .*cannot list resource "pods".*payment/);
    expect(screen).not.toMatch(/Pods\s+\(0\)/);
  });

  it('a filter that hides every row says how many it hides; a system that is deleted says it is gone', async () => {
    const c = await open({ cols: 100, rows: 24 });
    await c.waitFor('● live');
    await c.type(':apps search');
    c.press(keys.enter);
    await c.waitFor(/Systems › search › Applications\s+\(\d+\)/);
    const total = /Applications\s+\((\d+)\)/.exec(c.screen())![1];
    await c.type('/zzzz');
    c.press(keys.enter);
    await c.waitFor(`no applications match /zzzz (${total} hidden by the filter)`);
    await c.waitFor(`(0 of ${total})`);
    c.press(keys.esc);
    await c.waitFor(`Applications  (${total})`);

    expect(await deleteNamespace('search')).toBe(200);
    await c.waitFor(/no such system 'search' in context warroom-demo\b/, 60_000);
  });
});

describe('status without colour', () => {
  /** The mark a pod row must carry, from the cells a user reads (READY n/m, STATUS). */
  const expectedMark = (ready: string, total: string, status: string): string => {
    if (/Terminating|Completed|Succeeded/.test(status)) return '·';
    if (/BackOff|Err|Error|Failed|OOMKilled|Evicted|Unknown|Invalid/.test(status)) return '✗';
    if (status !== 'Running' || Number(ready) < Number(total)) return '!';
    return ' ';
  };

  it('with NO_COLOR=1 a not-ready pod row is marked in its first cell and a healthy one is not', async () => {
    const c = await open({ noColor: true });
    await c.waitFor('● live');
    // Systems with not-ready pods are marked too.
    await c.waitFor(/Shopping Cart/);
    const systems = c.lines().filter((l) => /\s\d+\/\d+\s+\d+\s+\d+\s/.test(l));
    for (const l of systems) {
      const notReady = Number(/\d+\/\d+\s+(\d+)\s/.exec(l)![1]);
      expect(l[0], l).toBe(notReady > 0 ? '!' : ' ');
    }
    expect(systems.some((l) => l.startsWith('!'))).toBe(true);

    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press('Y'); // not-ready pods first
    await c.waitFor('sorted by ready');
    const rows = c.lines()
      .map((l) => ({ l, m: /^(.)[ *](\S+)\s.*?\s(\d+)\/(\d+)\s+(\S+)/.exec(l) }))
      .filter((r) => r.m && r.m[2].startsWith('cart-'));
    expect(rows.length).toBeGreaterThan(5);
    for (const { l, m } of rows) expect(m![1], l).toBe(expectedMark(m![3], m![4], m![5]));
    const marks = new Set(rows.map((r) => r.m![1]));
    // Both kinds are on screen, and they do not look alike.
    expect(marks.has(' ')).toBe(true);
    expect([...marks].some((m) => m === '!' || m === '✗')).toBe(true);
  });
});
