import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { ConsoleUnderTest, demoPerFile, keys } from './harness.js';

// Screen tests of the console spine against the demo platform: what a user sees and does.

const fixture = demoPerFile();


function open(extra: string[] = [], opts: ConstructorParameters<typeof ConsoleUnderTest>[1] = {}): ConsoleUnderTest {
  const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', fixture.demo.context, ...extra], opts);
  fixture.track(c);
  return c;
}

async function api(method: string, path: string): Promise<number> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}${path}`, { method, headers: init.headers });
  return res.status;
}

/** A kubeconfig whose one context, dead-ctx, points at a port nothing listens on. */
async function deadKubeconfig(current: boolean): Promise<string> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'warroom-test-')), 'config');
  writeFileSync(file, `apiVersion: v1
kind: Config
clusters: [{name: dead, cluster: {server: "http://127.0.0.1:9"}}]
users: [{name: u, user: {token: s3cr3t-token}}]
contexts: [{name: dead-ctx, context: {cluster: dead, user: u}}]
${current ? 'current-context: dead-ctx\n' : ''}`);
  return file;
}

describe('console spine on the demo platform', () => {
  it('drills systems -> applications -> pods -> pod detail and back with Esc', async () => {
    const c = open();
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
    expect(c.text()).toMatch(/image\s+\S+/);
    c.press(keys.esc);
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*KIND/);
    c.press(keys.esc);
    await c.waitFor(/SYSTEM.*APPS/);
  });

  it('filters by text and by regex, and says so when the regex is invalid', async () => {
    const c = open();
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
    const c = open();
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
    const c = open();
    await c.waitFor('● live');
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/Systems › cart › Pods/);
    // No await between the keys: they reach the console before it draws again.
    c.press(keys.esc);
    c.press(keys.esc);
    c.press(keys.enter);
    await c.waitFor(/Systems › \S+ › Applications|Applications › \S+ › Pods/);
    await new Promise((r) => setTimeout(r, 300));
    expect(c.exitCode).toBeUndefined();
    expect(c.text()).not.toMatch(/that key failed/);
    await c.type(':systems');
    c.press(keys.enter);
    await c.waitFor(/SYSTEM.*APPS/);
    // Moves and Enter in one write: Enter drills into the row the cursor moved to.
    const third = c.lines()[5].trim().split(/\s{2,}/)[1];
    c.press('jj\r');
    await c.waitFor(new RegExp(`Systems › ${third} › Applications`));
  });

  it('runs : commands and rejects an unknown one with a clear message', async () => {
    const c = open();
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
    expect(c.text()).toMatch(/Shift-R\s+sort by restarts/);
  });

  it('a pod deleted on the server disappears from the screen without a refresh key', async () => {
    const c = open();
    await c.waitFor('● live');
    await c.type(':pods search');
    c.press(keys.enter);
    await c.waitFor(/POD.*STATUS/);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    const count = /Pods\s+\((\d+)\)/.exec(c.text())![1];
    expect(await api('DELETE', `/api/v1/namespaces/search/pods/${pod}`)).toBe(200);
    // Graceful deletion: Terminating first, then gone.
    await c.waitFor((s) => s.split('\n').some((l) => l.includes(pod) && l.includes('Terminating')), 20_000);
    await c.waitFor((s) => !s.split('\n').some((l) => l.includes(pod)), 20_000);
    // The owner replaces it: a new pod appears and the count is back.
    await c.waitFor(new RegExp(`Pods\\s+\\(${count}\\)`), 20_000);
  });

  it('Ctrl-C leaves the alternate screen with the cursor shown', async () => {
    const c = open();
    await c.waitFor('● live');
    expect(c.bufferType).toBe('alternate');
    c.press(keys.ctrlC);
    expect(await c.exited).toBe(0);
    expect(c.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
  });

  it('q quits and SIGHUP (a dropped SSH session) restores the terminal too', async () => {
    const q = open();
    await q.waitFor('● live');
    q.press('q');
    expect(await q.exited).toBe(0);
    expect(q.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
    const h = open();
    await h.waitFor('● live');
    h.proc.kill('SIGHUP');
    await h.exited;
    expect(h.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
  });

  it('SIGTERM restores the terminal too', async () => {
    const c = open();
    await c.waitFor('● live');
    c.proc.kill('SIGTERM');
    await c.exited;
    expect(c.terminalRestored()).toEqual({ cursorShown: true, normalScreen: true });
  });

  it('shows READ-ONLY and keeps the rest working when pods of one system are forbidden (403)', async () => {
    const c = open(['--context', fixture.demo.restrictedContext, '--readonly']);
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

describe('errors before the screen changes', () => {
  it('names a missing kubeconfig without a stack trace', async () => {
    const c = new ConsoleUnderTest(['--kubeconfig', '/nonexistent/kubeconfig']);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    const out = await c.waitFor(/warroom:/);
    expect(out).toMatch(/warroom: .*\/nonexistent\/kubeconfig/);
    expect(out).not.toMatch(/\s+at\s+\S+ \(/);
    expect(c.raw).not.toContain('\x1b[?1049h');
  });

  it('lists the contexts for an unknown one', async () => {
    const c = new ConsoleUnderTest(['--kubeconfig', fixture.demo.kubeconfigPath, '--context', 'prod']);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    await c.waitFor(/warroom:/);
    expect(c.text()).toMatch(/prod/);
    expect(c.text()).toMatch(/warroom-demo/);
  });

  it('says which user and context were rejected for a bad token (401), without the token', async () => {
    const { mkdtempSync, readFileSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'warroom-test-')), 'config');
    writeFileSync(file, readFileSync(fixture.demo.kubeconfigPath, 'utf8').replace(/token: .*/g, 'token: not-the-token-42'));
    const c = new ConsoleUnderTest(['--kubeconfig', file]);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    await c.waitFor(/warroom:/);
    expect(c.text()).toMatch(/credentials of user .* for context warroom-demo were rejected \(401\)/);
    expect(c.text()).not.toContain('not-the-token-42');
  });

  it('names the context and URL of an unreachable server', async () => {
    const file = await deadKubeconfig(true);
    const c = new ConsoleUnderTest(['--kubeconfig', file]);
    fixture.track(c);
    expect(await c.exited).not.toBe(0);
    await c.waitFor(/warroom:/);
    expect(c.text()).toMatch(/dead-ctx/);
    expect(c.text()).toMatch(/127\.0\.0\.1:9/);
    expect(c.text()).not.toContain('s3cr3t-token');
    // While the connection was tried, the terminal said which one, on a line of its own.
    expect(c.lines().map((l) => l.trimEnd())).toContain('warroom: connecting to dead-ctx at http://127.0.0.1:9…');
  });

  it(':ctx to a server that does not answer says "connecting to CONTEXT at URL…" (with the cause), not "loading"', async () => {
    const dead = await deadKubeconfig(false);
    const c = new ConsoleUnderTest(['--context', fixture.demo.context], { env: { KUBECONFIG: `${fixture.demo.kubeconfigPath}:${dead}` } });
    fixture.track(c);
    await c.waitFor('● live', 30_000);
    await c.type(':ctx dead-ctx');
    c.press(keys.enter);
    await c.waitFor('◌ connecting to dead-ctx at http://127.0.0.1:9…');
    await c.waitFor('◌ connecting to dead-ctx at http://127.0.0.1:9… (connection refused)', 15_000);
    expect(c.text()).not.toContain('loading');
    await c.type(`:ctx ${fixture.demo.context}`);
    c.press(keys.enter);
    await c.waitFor('● live', 30_000);
  });
});
