import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { demoPerFile, keys } from './harness.js';

// Any kind from discovery, YAML and describe on any row, nodes, events and :aliases, at the
// smallest terminal the console supports (80x24), against the demo platform.

const fixture = demoPerFile();
const small = { cols: 80, rows: 24 };

async function api(method: string, path: string, body?: unknown): Promise<number> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}${path}`, { method, headers: { ...init.headers, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return res.status;
}

async function command(c: Awaited<ReturnType<typeof fixture.open>>, line: string): Promise<void> {
  await c.type(`:${line}`);
  c.press(keys.enter);
}

/** The screen's table rows below the header (line 3 on): their first cell. */
const firstCells = (lines: string[]) => lines.slice(3, -1).map((l) => l.trim().split(/\s+/)[0]).filter(Boolean);

describe('any kind, by the names discovery gives it', () => {
  it(':deploy lists Deployments with the server\'s columns and keeps up with a new one', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'deploy cart');
    await c.waitFor(/Systems › cart › Deployments/);
    // The printer's priority-0 columns, as kubectl get deploy prints them; the wide ones named as hidden.
    await c.waitFor(/^ NAME↑ +hidden: CONTAINERS IMAGES SELECTOR +READY +UP-TO-DATE +AVAILABLE +AGE *$/m);
    await c.waitFor(/cart-api +\d+\/\d+ +\d+ +\d+ +\d+d/);
    expect(c.lines().every((l) => l.length <= 80)).toBe(true);
    const created = await api('POST', '/apis/apps/v1/namespaces/cart/deployments', {
      metadata: { name: 'basket-canary' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'basket-canary' } }, template: { metadata: { labels: { app: 'basket-canary' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
    });
    expect(created).toBe(201);
    await c.waitFor(/basket-canary +\d\/1 +/);
  });

  it(':po is the built-in pods view; :promo lists the CRD\'s objects in every system with -A; an unknown word says so', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'po cart');
    await c.waitFor(/Systems › cart › Pods/);
    await c.waitFor(/POD↑.*READY +STATUS +RESTARTS/);
    await command(c, 'promotions -A');
    await c.waitFor(/Systems › Promotions +\(5\)/);
    await c.waitFor(/^ NAME↑ .*SYSTEM +PHASE +WINDOW/m);
    await c.waitFor(/black-friday +trade +Scheduled +Fri 06:00-23:59 CET/);
    await command(c, 'promo trade');
    await c.waitFor(/Systems › trade › Promotions +\(2\)/);
    await command(c, 'frobnicators');
    await c.waitFor(/unknown command ':frobnicators' \(not a kind in warroom-demo either/);
  });

  it('a kind Enter cannot go into opens its description; Esc goes back to the list', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'svc search');
    await c.waitFor(/Systems › search › Services/);
    await c.type('/legacy');
    c.press(keys.enter);
    await c.waitFor(/legacy-search +ClusterIP/);
    c.press(keys.enter);
    await c.waitFor(/service search\/legacy-search \(describe\)/);
    await c.waitFor(/^Selector: +app\.kubernetes\.io\/name=legacy-search/m);
    c.press(keys.esc);
    await c.waitFor(/legacy-search +ClusterIP/);
  });

  it(':aliases lists the built-in names, every kind discovery found and its short names', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'aliases');
    await c.waitFor(/Built-in views/);
    await c.waitFor(/:pods :pod :po +Pods/);
    // Discovery is read when first needed: here, as the page opens.
    await c.waitFor(/Kinds served by context warroom-demo \([1-9]\d+;/);
    const all: string[] = [];
    for (let i = 0; i < 8; i++) {
      all.push(...c.lines());
      c.press(keys.pageDown);
      await c.waitFor(() => true);
    }
    const text = all.join('\n');
    expect(text).toMatch(/deployments\.apps +deployments deployment deploy Deployment/);
    expect(text).toMatch(/promotions\.shop\.example +promotions promotion promo Promotion/);
    expect(text).toMatch(/services +services service svc Service/);
  });
});

describe('YAML and describe on any row', () => {
  it('y and d on a pod: its YAML (managedFields hidden), its description with containers and events; Esc back', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'pods cart');
    await c.type('/CrashLoop');
    c.press(keys.enter);
    await c.waitFor(/CrashLoopBackOff/);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press('y');
    await c.waitFor(new RegExp(`pod cart/${pod} \\(YAML\\)`));
    await c.waitFor(/^kind: Pod$/m);
    await c.waitFor(new RegExp(`^ {2}name: ${pod}$`, 'm'));
    c.press('d');
    await c.waitFor(new RegExp(`pod cart/${pod} \\(describe\\)`));
    await c.waitFor(/^Status: +Running/m);
    await c.waitFor(/^Containers/m);
    // The description is longer than the screen: the events are at the end.
    c.press('G');
    await c.waitFor(/Warning +BackOff +\S+ \(x\d+ over \S+\) +kubelet/);
    c.press(keys.esc);
    await c.waitFor(/Systems › cart › Pods/);
    await c.waitFor(/CrashLoopBackOff/);
  });

  it('y and d on an application and on a Deployment row of :deploy show the same object', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'apps cart');
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor((s) => /cart-api/.test(c.selectedRow() ?? '') && !s.includes('cart-web'));
    c.press('d');
    await c.waitFor(/deployment cart\/cart-api \(describe\)/);
    await c.waitFor(/^Kind: +Deployment \(apps\/v1\)$/m);
    await c.waitFor(/^Replicas: +\d+ desired \| \d+ updated/m);
    await c.waitFor(/^Pod Template/m);
    c.press(keys.esc);
    await c.waitFor(/Systems › cart › Applications/);
    await command(c, 'deploy cart');
    await c.waitFor(/cart-api +\d+\/\d+/);
    await c.type('/cart-api');
    c.press(keys.enter);
    await c.waitFor((s) => /cart-api/.test(c.selectedRow() ?? '') && !s.includes('cart-web'));
    c.press('y');
    await c.waitFor(/deployment cart\/cart-api \(YAML\)/);
    await c.waitFor(/^kind: Deployment$/m);
    await c.waitFor(/managedFields hidden|^metadata:$/m);
    c.press('E');
    await c.waitFor(/Events of deployment\/cart-api/);
    await c.waitFor(/Normal +ScalingReplica\S* +deployment\/cart-api/);
  });
});

describe('nodes and events', () => {
  it(':nodes puts the NotReady node first; Enter lists its pods; d describes it with its taints', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'no');
    await c.waitFor(/Systems › Nodes +\(6\)/);
    await c.waitFor(/^ NODE .*STATUS↑ +PODS/m);
    const first = () => firstCells(c.lines())[0];
    await c.waitFor(() => /NotReady/.test(c.lines()[3]));
    const lost = first();
    // Used CPU and memory of its pods, from the demo's Prometheus (% of the node's allocatable).
    await c.waitFor(() => /NotReady +\d+\/110 +\d+% +\d+%/.test(c.selectedRow() ?? ''));
    c.press('d');
    await c.waitFor(new RegExp(`node ${lost} \\(describe\\)`));
    await c.waitFor(/^Taints: +node\.kubernetes\.io\/unreachable:NoSchedule/m);
    c.press(keys.esc);
    // The list is read again when the view comes back: Enter once its rows are there.
    await c.waitFor(() => /NotReady/.test(c.selectedRow() ?? ''));
    c.press(keys.enter);
    await c.waitFor(new RegExp(`Systems › Nodes › ${lost} › Pods +\\(\\d+\\)`));
    await c.waitFor(/Running/);
  });

  it(':events -A lists Warnings first, grouped with their counts, and E on a pod lists that pod\'s events', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'events -A');
    await c.waitFor(/Systems › Events +\(\d+\)/);
    await c.waitFor(/^ +LAST TYPE↑ +REASON +OBJECT +COUNT MESSAGE/m);
    await c.waitFor(/Warning +BackOff/);
    const types = c.lines().slice(3, -1).map((l) => /\b(Warning|Normal)\b/.exec(l)?.[1]).filter(Boolean);
    expect(types[0]).toBe('Warning');
    expect(types.indexOf('Normal')).toBeGreaterThan(types.lastIndexOf('Warning'));
    await command(c, 'pods cart');
    await c.type('/CrashLoop');
    c.press(keys.enter);
    await c.waitFor(/CrashLoopBackOff/);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press('E');
    await c.waitFor(new RegExp(`Events of pod/${pod}`));
    await c.waitFor(/Warning +BackOff +pod\//);
    expect(c.screen()).not.toMatch(/deployment\//);
  });
});
