import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { demoPerFile, keys, sleep } from './harness.js';

// Screen tests of the console spine, in process: systems -> applications -> pods -> pod
// detail, filters, commands, key bursts, live changes, at the sizes users have.

const fixture = demoPerFile();

async function api(method: string, path: string): Promise<number> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}${path}`, { method, headers: init.headers });
  return res.status;
}

describe('console spine on the demo platform', () => {
  it('drills systems -> applications -> pods -> pod detail and back with Esc', async () => {
    const c = await fixture.open();
    await c.waitFor(/SYSTEM.*APPS.*PODS/);
    await c.waitFor('● live');
    await c.waitFor(/Shopping Cart\s+cart\s/);
    // Go to the cart system with the filter, then drill down.
    await c.type('/cart');
    c.press(keys.enter);
    await c.waitFor((s) => s.split('\n').filter((l) => /\d+\/\d+/.test(l)).length === 1);
    c.press(keys.enter);
    await c.waitFor(/Systems › cart › Applications/);
    await c.waitFor(/APPLICATION.*KIND.*DESIRED/);
    const app = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press(keys.enter);
    await c.waitFor(new RegExp(`Applications › ${app} › Pods`));
    await c.waitFor(/POD.*READY.*STATUS.*RESTARTS/);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    expect(pod.startsWith(app)).toBe(true);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`› ${pod}`));
    await c.waitFor('Containers');
    await c.waitFor('Conditions');
    expect(c.screen()).toMatch(/image\s+\S+/);
    c.press(keys.esc);
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*KIND/);
    c.press(keys.esc);
    await c.waitFor(/SYSTEM.*APPS/);
  });

  it('filters by text and by regex, and says so when the regex is invalid', async () => {
    const c = await fixture.open();
    await c.waitFor('● live');
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*APPLICATION/);
    await c.type('/re:^cart-api-');
    c.press(keys.enter);
    await c.waitFor(/filter: re:\^cart-api-/);
    await c.waitFor((screen) => !/^\/re:/m.test(screen));
    // A regex anchors on one cell: only cart-api's pods remain, and fewer than the system holds.
    const podRows = c.lines().filter((l) => /\d+\/\d+\s+\w/.test(l) && !/SYSTEM/.test(l));
    expect(podRows.length, c.lines().join('\n')).toBeGreaterThan(0);
    for (const r of podRows) expect(r.trim().split(/\s+/)[0]).toMatch(/^cart-api-/);
    const [, shown, total] = /\((\d+) of (\d+)\)/.exec(c.lines()[1]) ?? [];
    expect(Number(shown)).toBeLessThan(Number(total));
    await c.type('/re:(');
    c.press(keys.enter);
    await c.waitFor(/invalid regular expression/);
    // The prompt started from the filter in effect, so the typed regex is ^cart-api-re:( and
    // invalid: every row is listed again, and the breadcrumb must not claim the filter holds.
    await c.waitFor(/filter: re:\^cart-api-re:\( ✗ not applied/);
    expect(c.lines()[1]).not.toMatch(/\(\d+ of \d+\)/);
    // Backspace inside a fast run of keys (SSH, paste) erases, it is not typed.
    c.press('/\x15');
    c.press('cartx\x7f-api\r');
    await c.waitFor(/filter: cart-api\s/);
  });

  it('sends /-l label selectors to the server and shows the API server\'s reason for a bad one', async () => {
    const c = await fixture.open();
    await c.waitFor('● live');
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/Systems › cart › Pods/);
    await c.type('/-l app.kubernetes.io/name=cart-web');
    c.press(keys.enter);
    await c.waitFor(/filter: -l app.kubernetes.io\/name=cart-web/);
    await c.waitFor((s) => s.includes('cart-web-') && !s.includes('cart-api-'));
    expect(c.lines()[1]).not.toContain('not applied');
    c.press('\x15'); // Ctrl-U clears the prefilled filter text
    await c.type('/');
    c.press('\x15');
    await c.type('-l app in (');
    c.press(keys.enter);
    await c.waitFor(/pods: .*400/);
    // The empty list is the server's refusal, not "nothing matches": the breadcrumb says so.
    await c.waitFor(/filter: -l app in \( ✗ not applied/);
  });

  it('keys typed faster than a frame (Esc, Esc, Enter in one burst) act on the view they land in', async () => {
    const c = await fixture.open();
    await c.waitFor('● live');
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/Systems › cart › Pods/);
    // No await between the keys: they reach the console before it draws again.
    c.press(keys.esc);
    c.press(keys.esc);
    c.press(keys.enter);
    await c.waitFor(/Systems › \S+ › Applications|Applications › \S+ › Pods/);
    await sleep(300);
    expect(c.ended).toBeUndefined();
    expect(c.screen()).not.toMatch(/that key failed/);
    await c.type(':systems');
    c.press(keys.enter);
    await c.waitFor(/SYSTEM.*APPS/);
    // Moves and Enter in one write: Enter drills into the row the cursor moved to.
    const third = c.lines()[5].trim().split(/\s{2,}/)[1];
    c.press('jj\r');
    await c.waitFor(new RegExp(`Systems › ${third} › Applications`));
  });

  it('runs : commands and rejects an unknown one with a clear message', async () => {
    const c = await fixture.open();
    await c.waitFor('● live');
    await c.type(':ns payment');
    c.press(keys.enter);
    await c.waitFor(/Systems › payment › Applications/);
    await c.type(':frobnicate');
    c.press(keys.enter);
    await c.waitFor(/unknown command ':frobnicate'/);
    await c.type(':ns nosuchsystem');
    c.press(keys.enter);
    await c.waitFor(/no system named 'nosuchsystem'/);
    await c.type(':systems');
    c.press(keys.enter);
    await c.waitFor(/SYSTEM.*APPS/);
    c.press('?');
    await c.waitFor(/Keys — systems view/);
    // The sorts come after the row keys: a page down at the most.
    if (!/Shift-R\s+sort by restarts/.test(c.screen())) c.press(keys.pageDown);
    await c.waitFor(/Shift-R\s+sort by restarts/);
  });

  it('a pod deleted on the server disappears from the screen without a refresh key', async () => {
    const c = await fixture.open();
    await c.waitFor('● live');
    await c.type(':pods search');
    c.press(keys.enter);
    await c.waitFor(/POD.*STATUS/);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    const count = /Pods\s+\((\d+)\)/.exec(c.screen())![1];
    expect(await api('DELETE', `/api/v1/namespaces/search/pods/${pod}`)).toBe(200);
    // Graceful deletion: Terminating first, then gone.
    await c.waitFor((s) => s.split('\n').some((l) => l.includes(pod) && l.includes('Terminating')), 20_000);
    await c.waitFor((s) => !s.split('\n').some((l) => l.includes(pod)), 20_000);
    // The owner replaces it: a new pod appears and the count is back.
    await c.waitFor(new RegExp(`Pods\\s+\\(${count}\\)`), 20_000);
  });

  it('shows READ-ONLY and keeps the rest working when pods of one system are forbidden (403)', async () => {
    const c = await fixture.open({ context: fixture.demo.restrictedContext, readOnly: true });
    await c.waitFor('READ-ONLY');
    await c.waitFor(/pods forbidden in payment/);
    await c.type(':pods payment');
    c.press(keys.enter);
    await c.waitFor(/cannot list resource "pods".*payment/);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/Running/);
  });
});

describe('terminal size', () => {
  it('follows a resize: at 80x24 the header keeps its connection state in view, and the rows and the key line fit', async () => {
    const c = await fixture.open({ cols: 120, rows: 30 });
    await c.waitFor('● live');
    await c.waitFor(/Shopping Cart\s+cart\s/);
    expect(c.lines()[0].trimEnd().length).toBeGreaterThan(80);
    c.resize(80, 24);
    await c.waitFor(() => c.lines()[0].trimEnd().length <= 80 && c.lines()[0].includes('● live'));
    // The key line is the last row the console draws (the root is rows - 1 high).
    await c.waitFor(() => /q quit/.test(c.lines()[22]));
    expect(c.lines()).toHaveLength(24);
    for (const l of c.lines()) expect(l.length).toBeLessThanOrEqual(80);
    expect(c.screen()).toMatch(/SYSTEM↑ +hidden: NAMESPACE +APPS +PODS/);
    expect(c.rowWith('Shopping Cart')).toMatch(/\d+\/\d+/);
  });
});
