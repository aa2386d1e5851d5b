import { describe, expect, it } from 'vitest';
import { demoFleetPerFile, keys, selectFleetApp, type ConsoleScreen } from './harness.js';

// Several clusters in one console, in process, against a demo fleet of three data centres
// (each its own API server, log store and Prometheus): switching to a fleet, `/-l` in every
// cluster, a pod's logs from its own cluster's log store, a system opened in one cluster.

const fixture = demoFleetPerFile({ clusters: ['dc1', 'dc2', 'dc3'], pods: 100, churn: false });

function open(context: string, size = { cols: 100, rows: 30 }): Promise<ConsoleScreen> {
  return fixture.open(context, size);
}

describe('a fleet in one console', () => {
  it(':fleet NAME and :ctx A,B turn one cluster into a fleet and back', async () => {
    const c = await open('warroom-demo-dc1');
    await c.waitFor(/warroom-demo-dc1 .*● live/);
    await c.type(':fleet demo');
    c.press(keys.enter);
    await c.waitFor(/fleet of 3\s+dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.waitFor(/SYSTEM.*dc1\s+dc2\s+dc3/);
    // By the short names the header shows; a short name two contexts end in is refused, naming both.
    await c.type(':ctx restricted');
    c.press(keys.enter);
    await c.waitFor(/'restricted' could be warroom-demo-dc1-restricted, warroom-demo-dc2-restricted/);
    await c.type(':ctx dc1,dc3');
    c.press(keys.enter);
    await c.waitFor(/fleet of 2\s+dc1 ● live\s+dc3 ● live/);
    await c.type(':ctx warroom-demo-dc2');
    c.press(keys.enter);
    const screen = await c.waitFor(/warroom-demo-dc2 .*● live/);
    expect(screen).not.toContain('fleet of');
    await c.type(':fleet nope');
    c.press(keys.enter);
    await c.waitFor(/no fleet named 'nope'; known: demo/);
  });

  it(':ctx with no name lists the contexts with their fleet; Space marks several and Enter watches them as a fleet', async () => {
    const c = await open('warroom-demo-dc1');
    await c.waitFor(/warroom-demo-dc1 .*● live/);
    await c.type(':ctx');
    c.press(keys.enter);
    const screen = await c.waitFor(/Switch context/);
    expect(screen).toMatch(/▸ ● warroom-demo-dc1\s+\(current\) fleet demo/);
    await c.type('demo-dc3');
    await c.waitFor(/▸\s+warroom-demo-dc3\s+fleet demo/);
    c.press(' ');
    await c.waitFor(/1 marked/);
    c.press(keys.ctrlU);
    await c.type('demo-dc2');
    await c.waitFor(/▸\s+warroom-demo-dc2\s+fleet demo/);
    c.press(' ');
    await c.waitFor(/2 marked/);
    c.press(keys.enter);
    await c.waitFor(/fleet of 2\s+dc2 ● live\s+dc3 ● live/);
  });

  it('/-l on the fleet\'s pods goes to every cluster; a pod\'s logs come from its own cluster\'s log store', async () => {
    const c = await open('warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3');
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*CLUSTER.*ZONE/);
    await c.type('/-l app.kubernetes.io/name=cart-api');
    c.press(keys.enter);
    // Once the selector is applied (the breadcrumb names it), the rows are the server-filtered ones of every cluster.
    const screen = await c.waitFor((s) => s.includes('filter: -l app.kubernetes.io/name=cart-api') && ['dc1', 'dc2', 'dc3'].every((dc) => new RegExp(`cart-api-\\S+\\s+${dc}\\s`).test(s)));
    expect(screen).not.toMatch(/cart-web-\S+\s+dc\d/);
    const row = c.selectedRow()!;
    const cluster = /cart-api-\S+\s+(dc\d)\s/.exec(row)![1];
    // Zones are the cluster's own (dc1 eu-central-1, dc2 eu-west-1, dc3 eu-north-1).
    expect(row).toMatch({ dc1: /eu-central-1[abc]/, dc2: /eu-west-1[abc]/, dc3: /eu-north-1[abc]/ }[cluster]!);
    c.press('l');
    await c.waitFor(/Logs \(pod\)/);
    await c.waitFor(new RegExp(`source: Elasticsearch ${fixture.fleet.cluster(cluster).logsUrl.replace(/[.]/g, '\\.')}`));
  });

  it('1-9 on a fleet system opens it in that cluster, where the one-cluster keys work; Esc comes back', async () => {
    const c = await open('warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3');
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.type('/cart');
    c.press(keys.enter);
    await c.waitFor(/Shopping Cart/);
    c.press('3');
    await c.waitFor(/\[warroom-demo-dc3\] › Systems › cart › Applications/);
    // dc3 has no wishlist-api (it runs in dc1 and dc2 only).
    const screen = await c.waitFor(/cart-sync-worker/);
    expect(screen).not.toContain('wishlist-api');
    expect(screen).toMatch(/›dc3 ● live/);
    c.press(keys.esc);
    await c.waitFor(/Fleet/);
  });
});

describe('alerts over the fleet', () => {
  it(':alerts merges every cluster\'s alerts with a CLUSTER column, critical first; the header counts each cluster\'s; Enter opens the pod in its cluster (80x24)', async () => {
    const c = await open('warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3', { cols: 80, rows: 24 });
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    // Each cluster's firing critical alerts, in the header on every screen.
    const header = await c.waitFor(/✗ dc\d:\d+/);
    const counts = Object.fromEntries([...header.split('\n')[0].matchAll(/(dc\d):(\d+)/g)].map((m) => [m[1], Number(m[2])]));
    expect(counts.dc2).toBeGreaterThan(0);
    await c.type(':alerts\r');
    await c.waitFor(/SEVERITY.*ALERT.*CLUSTER.*TARGET/);
    const screen = await c.waitFor((s) => ['dc1', 'dc2', 'dc3'].every((dc) => new RegExp(`KubePodCrashLooping\\s+${dc}\\s`).test(s)));
    const rows = screen.split('\n').filter((l) => /^ [✗!i·] \w+/.test(l));
    const critical = rows.filter((r) => r.includes('✗ critical'));
    expect(rows.slice(0, critical.length)).toEqual(critical);
    for (const dc of ['dc1', 'dc2', 'dc3']) expect(critical.filter((r) => new RegExp(`\\s${dc}\\s+\\S+\\s+firing`).test(r)).length).toBe(counts[dc] ?? 0);
    // Enter goes to the alert's own cluster.
    const cluster = /KubePodCrashLooping\s+(dc\d)\s/.exec(c.selectedRow()!)![1];
    c.press(keys.enter);
    await c.waitFor('Containers');
    await c.waitFor(new RegExp(`\\[warroom-demo-${cluster}\\] › Systems › \\S+ › Applications`));
    await c.waitFor('CrashLoopBackOff');
  });
});

describe('an application\'s logs over the fleet', () => {
  it('l on a fleet application merges every cluster\'s lines by time, tagged; a search goes to all; a stopped cluster is named while the others follow; Esc closes every tail', async () => {
    const c = await open('warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3', { cols: 120, rows: 30 });
    await selectFleetApp(c, 'cart', 'cart-api');
    c.press('l');
    await c.waitFor(/Fleet › cart › Applications › cart-api › Logs \(application\)/);
    await c.waitFor(/application cart-api \(cart\) in 3 clusters/);
    await c.waitFor(/sources: dc1, dc2, dc3: Elasticsearch/);
    // Lines of every cluster, each tagged, in time order.
    const tagged = /^(\d\d:\d\d:\d\d\.\d\d\d) (dc\d) +cart-api/;
    const screen = await c.waitFor(() => new Set(c.lines().map((l) => tagged.exec(l)?.[2]).filter(Boolean)).size === 3);
    const times = c.lines().map((l) => tagged.exec(l)?.[1]).filter((t): t is string => !!t);
    expect(times.length).toBeGreaterThan(5);
    expect([...times].sort()).toEqual(times);
    expect(screen).not.toMatch(/^\d\d:\d\d:\d\d\.\d\d\d cart-api/m);
    // One cluster stops: named in the source line, the others keep following.
    await fixture.fleet.stop('dc2');
    await c.waitFor(/dc2: (not answering|Elasticsearch: cannot reach Elasticsearch)/, 30_000);
    const before = c.runtime.fleetLogs.getSnapshot().clusters!.filter((x) => x.label !== 'dc2').map((x) => x.lines);
    await c.waitFor(() => {
      const now = c.runtime.fleetLogs.getSnapshot().clusters!.filter((x) => x.label !== 'dc2').map((x) => x.lines);
      return now.some((n, i) => n > before[i]);
    }, 20_000);
    // A search goes to every cluster (dc2 down keeps not answering): each line shown is a match.
    await c.type('/ERROR');
    c.press(keys.enter);
    await c.waitFor(/\/ERROR · FOLLOWING/);
    await c.waitFor(() => {
      const rows = c.lines().filter((l) => tagged.test(l));
      return rows.length > 0 && rows.every((l) => /ERROR/i.test(l));
    });
    // Esc clears the search first (as in one cluster's logs), then goes back to the fleet view.
    c.press(keys.esc);
    await c.waitFor(/cart-api \(cart\) in 3 clusters · last 15m · all levels · FOLLOWING/);
    // (Esc while a query runs cancels it: wait for every cluster's answer.)
    await c.waitFor(() => !c.runtime.fleetLogs.getSnapshot().busy);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*DRIFT/);
    for (const ctx of c.runtime.contexts) expect(ctx.logs.getSnapshot().scope).toBeUndefined();
    await fixture.fleet.start('dc2');
  }, 90_000);

  it('y and d on a fleet pod read the object from the pod\'s own cluster', async () => {
    const c = await open('warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3');
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*CLUSTER.*ZONE/);
    await c.type('/dc3');
    c.press(keys.enter);
    await c.waitFor(() => /\sdc3\s/.test(c.selectedRow() ?? ''));
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press('y');
    // Each cluster names its pods differently: only dc3's API server has this one.
    await c.waitFor(new RegExp(`\\[warroom-demo-dc3\\] .*pod cart/${pod} \\(YAML\\)`));
    await c.waitFor(new RegExp(`^  name: ${pod}$`, 'm'));
    c.press('d');
    await c.waitFor(/^Containers/m);
    c.press(keys.esc);
    await c.waitFor(/POD.*CLUSTER.*ZONE/);
  });
});

describe('template drift over the fleet', () => {
  it('T marks an application whose pod template differs between clusters with the same image; i shows the diff per cluster at 80x24', async () => {
    const c = await open('warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3', { cols: 80, rows: 24 });
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 ● live/);
    await c.type(':apps search');
    c.press(keys.enter);
    await c.waitFor(/APPLICATION.*DRIFT/);
    // The demo's 2nd cluster gives search-api twice the memory limit; the others agree.
    await c.waitFor(/search-api\s+T\s/);
    expect(c.lines().find((l) => /search-indexer\s/.test(l))).not.toMatch(/search-indexer\s+\S*T/);
    await c.type('/search-api');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('search-api'));
    c.press('i');
    await c.waitFor(/Template drift/);
    const screen = await c.waitFor(/dc1 -> dc2 \(- only in dc1, \+ only in dc2\)/);
    const minus = /^- +memory: (\d+)(\w+) *$/m.exec(screen);
    const plus = /^\+ +memory: (\d+)(\w+) *$/m.exec(screen);
    expect(minus && plus && Number(plus[1]) === 2 * Number(minus[1]) && plus[2] === minus[2]).toBe(true);
    // The hunk names the container and the field, its `name:` line being out of the context.
    expect(screen).toMatch(/^@@ containers\[search-api\] resources\.limits @@ *\n(?: .*\n)*- +memory: \d+\w+ *$/m);
    // dc3 runs dc1's template.
    c.press('G');
    await c.waitFor(/dc1 -> dc3: the same template/);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*DRIFT/);
    expect(c.runtime.templateDrift.getSnapshot()).toBeUndefined();
  }, 60_000);
});
