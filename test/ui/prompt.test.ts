import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// The `:` line's comforts as a user meets them: Tab completes, ↑/↓ recall what was run, also in
// the next run of the console.

const historyFile = join(scratchDir('warroom-prompt-'), 'history');
process.env.WARROOM_HISTORY_FILE = historyFile;

const fixture = demoPerFile();

describe('the : line', () => {
  it('Tab completes a command, then a system name; several candidates are listed beside the line', async () => {
    const c = await fixture.open({ cols: 80, rows: 24 });
    await c.waitFor(/SYSTEM.*APPS/);
    await c.type(':po');
    c.press('\t');
    // `po` is a name itself, and the start of pod and pods: all three are offered.
    await c.waitFor(/^:po█\s+po\s+pod\s+pods/m);
    await c.type('ds pay');
    c.press('\t');
    await c.waitFor(/^:pods payment █/m);
    c.press(keys.enter);
    await c.waitFor(/Systems › payment › Pods/);
    await c.type(':ctx ');
    c.press('\t');
    await c.waitFor(/^:ctx warroom-demo█\s+warroom-demo\s+warroom-demo-operator\s+warroom-demo-restrict/m);
    c.press(keys.ctrlU);
    await c.type('nosuch');
    c.press('\t');
    await c.waitFor(/^:nosuch█\s+\(nothing to complete\)/m);
  });

  it('Tab before the systems are listed says they are still loading, and completes the name once they arrive', async () => {
    const slow = await holdNamespaceList();
    try {
      const c = await fixture.open({ kubeconfig: slow.kubeconfig, cols: 80, rows: 24 });
      await c.waitFor(/SYSTEM.*APPS/);
      await c.type(':pods pay');
      c.press('\t');
      await c.waitFor(/^:pods pay█\s+\(systems still loading…\)/m);
      slow.release();
      await c.waitFor(/^:pods payment █/m);
    } finally {
      slow.close();
    }
  });

  it('↑/↓ walk the commands run, narrowed by what is typed, and they are there in the next run', async () => {
    const first = await fixture.open({ cols: 80, rows: 24 });
    await first.waitFor(/SYSTEM.*APPS/);
    for (const command of ['apps cart', 'pods trade', 'health']) {
      await first.type(`:${command}`);
      first.press(keys.enter);
      await first.waitFor((s) => !/^:/m.test(s));
    }
    first.close();
    expect(readFileSync(historyFile, 'utf8')).toMatch(/apps cart\npods trade\nhealth\n$/);

    const next = await fixture.open({ cols: 80, rows: 24 });
    await next.waitFor(/SYSTEM.*APPS/);
    next.press(':');
    await next.waitFor(/^:█/m);
    next.press(keys.up);
    await next.waitFor(/^:health█/m);
    next.press(keys.up);
    await next.waitFor(/^:pods trade█/m);
    next.press(keys.down);
    await next.waitFor(/^:health█/m);
    next.press(keys.down);
    await next.waitFor(/^:█/m);
    // What is typed narrows the walk: `a` recalls `apps cart`, not `pods trade`.
    next.press('a');
    next.press(keys.up);
    await next.waitFor(/^:apps cart█/m);
    next.press(keys.enter);
    await next.waitFor(/Systems › cart › Applications/);
  });

  it(':ctx with no name opens a pick list of contexts, the current one marked; typing filters, Enter switches', async () => {
    const c = await fixture.open({ cols: 80, rows: 24 });
    await c.waitFor(/SYSTEM.*APPS/);
    await c.type(':ctx');
    c.press(keys.enter);
    let screen = await c.waitFor(/Switch context\s+\(3 contexts\)/);
    expect(screen).toMatch(/▸ ● warroom-demo\s+\(current\)/);
    expect(screen).toMatch(/warroom-demo-operator/);
    await c.type('restr');
    screen = await c.waitFor(/\(1 of 3 contexts\)/);
    expect(screen).not.toMatch(/warroom-demo-operator/);
    c.press(keys.backspace);
    c.press(keys.ctrlU);
    await c.waitFor(/\(3 contexts\)/);
    await c.type('oper');
    await c.waitFor(/▸\s+warroom-demo-operator/);
    c.press(keys.enter);
    await c.waitFor(/switched to context warroom-demo-operator/);
    // Esc leaves the list and changes nothing.
    await c.type(':ctx');
    c.press(keys.enter);
    await c.waitFor(/▸ ● warroom-demo-operator\s+\(current\)/);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Switch context') && /SYSTEM.*APPS/.test(s));
    expect(c.screen()).toMatch(/warroom-demo-operator/);
  });

  it(':ns with no name opens a pick list of systems, the current one marked; Enter opens the one picked', async () => {
    const c = await fixture.open({ cols: 80, rows: 24 });
    await c.waitFor(/SYSTEM.*APPS/);
    await c.type(':apps cart');
    c.press(keys.enter);
    await c.waitFor(/Systems › cart › Applications/);
    await c.type(':ns');
    c.press(keys.enter);
    const screen = await c.waitFor(/Open a system\s+\(\d+ systems\)/);
    expect(screen).toMatch(/▸ ● cart\s+\(current\)/);
    await c.type('paym');
    await c.waitFor(/▸\s+payment/);
    c.press(keys.enter);
    await c.waitFor(/Systems › payment › Applications/);
  });
});

/**
 * The demo's API server behind a proxy that holds the list of namespaces until `release()`
 * (an API server slow to answer it); `kubeconfig` points the demo's contexts at the proxy.
 */
async function holdNamespaceList(): Promise<{ kubeconfig: string; release(): void; close(): void }> {
  const target = new URL(fixture.demo.url);
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  const proxy = createServer((req, res) => {
    const url = new URL(req.url ?? '/', target);
    const held = url.pathname === '/api/v1/namespaces' && url.searchParams.get('watch') !== 'true' ? released : Promise.resolve();
    void held.then(() => {
      const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  const kubeconfig = join(scratchDir('warroom-slow-'), 'kubeconfig');
  writeFileSync(kubeconfig, readFileSync(fixture.demo.kubeconfigPath, 'utf8').replaceAll(fixture.demo.url, `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`), { mode: 0o600 });
  return { kubeconfig, release, close: () => (proxy.closeAllConnections(), proxy.close()) };
}
