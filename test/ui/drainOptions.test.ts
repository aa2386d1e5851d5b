import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';
import { demoApi } from './demoApi.js';

// D's options (kubectl drain's flags) at 80x24 against the demo platform, whose first worker runs
// a pod with emptyDir data (search/query-cache-warmer) and a pod no controller manages
// (trade/debug-netshoot-…): the plan names the pods that block the drain and why, Enter is refused
// until e (--delete-emptydir-data) and f (--force) let them go, g sets the grace period the
// evictions carry; x (--disable-eviction) is turned on only by typing `delete`, and then the pods
// are deleted past a budget that would refuse their eviction; every record names the options.

const fixture = demoPerFile();
const small = { cols: 80, rows: 24, configPath: '/dev/null' };
const api = demoApi(() => fixture.demo);

interface PodJson { metadata: { name: string; namespace: string; labels: Record<string, string> }; spec: { nodeName: string } }

async function podsOn(node: string): Promise<PodJson[]> {
  return (await api('GET', `/api/v1/pods?fieldSelector=spec.nodeName=${node}`)).json.items;
}

async function auditOf(c: ConsoleScreen): Promise<Array<Record<string, string>>> {
  return (await readFile(c.runtime.ctx.gate.auditPath, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

async function drainDialog(node: string): Promise<ConsoleScreen> {
  const c = await fixture.open(small);
  await c.waitFor('● live');
  await c.type(':nodes');
  c.press(keys.enter);
  await c.waitFor(/Systems › Nodes +\(\d+\)/);
  await c.type(`/${node}`);
  c.press(keys.enter);
  await c.waitFor(() => (c.selectedRow() ?? '').includes(node));
  c.press('D');
  await c.waitFor(`Drain 1 node in warroom-demo (${node})`);
  return c;
}

const uncordon = (node: string) => api('PATCH', `/api/v1/nodes/${node}`, { spec: { unschedulable: null } }, { 'Content-Type': 'application/strategic-merge-patch+json' });

describe('D: the drain options', () => {
  it('x (--disable-eviction) only after typing delete; with l (--pod-selector) the chosen pods are deleted past a budget that refuses their eviction', async () => {
    // The last healthy worker (the first is the one the next test drains).
    const node = ((await api('GET', '/api/v1/nodes')).json.items as Array<{ metadata: { name: string; labels: Record<string, string> }; spec?: { unschedulable?: boolean }; status: { conditions: Array<{ type: string; status: string }> } }>)
      .filter((n) => n.metadata.labels['node-role.kubernetes.io/worker'] !== undefined && !n.spec?.unschedulable && n.status.conditions.some((x) => x.type === 'Ready' && x.status === 'True'))
      .map((n) => n.metadata.name)
      .sort()
      .at(-1)!;
    // An application of cart on the node that no budget covers yet: a budget that allows no disruption will.
    const budgets = (await api('GET', '/apis/policy/v1/namespaces/cart/poddisruptionbudgets')).json.items as Array<{ spec: { selector: { matchLabels: Record<string, string> } } }>;
    const covered = (p: PodJson) => budgets.some((b) => Object.entries(b.spec.selector.matchLabels).every(([k, v]) => p.metadata.labels[k] === v));
    const victim = (await podsOn(node)).find((p) => p.metadata.namespace === 'cart' && p.metadata.labels['app.kubernetes.io/name'] && !covered(p))!;
    const app = victim.metadata.labels['app.kubernetes.io/name'];
    expect((await api('POST', `/apis/policy/v1/namespaces/cart/poddisruptionbudgets`, { metadata: { name: 'freeze' }, spec: { maxUnavailable: 0, selector: { matchLabels: { 'app.kubernetes.io/name': app } } } })).status).toBe(201);
    const c = await drainDialog(node);
    const before = (await auditOf(c)).length;
    try {
      await c.waitFor(new RegExp(`${node}: cordon, evict \\d+`));
      c.press('l');
      await c.waitFor('pod-selector, a label selector (now every pod; empty: every pod):');
      await c.type(`app.kubernetes.io/name=${app}`);
      c.press(keys.enter);
      await c.waitFor(`l pod-selector: app.kubernetes.io/name=${app}`);
      const selected = await c.waitFor(new RegExp(`${node}: cordon, evict \\d+, skip 0; \\d+ blocked by a PDB now`));
      // Only the application's pods are planned, and the budget refuses their eviction now.
      const chosen = [...selected.matchAll(/(?:⚠|→) cart\/(\S+)/g)].map((m) => m[1]);
      expect(chosen.length).toBeGreaterThan(0);
      expect(chosen.every((name) => name.startsWith(`${app}-`))).toBe(true);
      expect(selected).toContain('The disruption budget freeze needs');

      c.press('x');
      await c.waitFor('disable-eviction DELETES the pods, bypassing every disruption budget.');
      expect(c.screen()).toContain('Type delete and press Enter to turn it on:');
      await c.type('yes');
      c.press(keys.enter);
      await c.waitFor('type delete to turn it on, or Esc to keep evicting');
      for (let i = 0; i < 3; i++) c.press(keys.backspace);
      await c.type('delete');
      c.press(keys.enter);
      await c.waitFor(new RegExp(`${node}: cordon, delete ${chosen.length}, skip 0 *$`, 'm'));
      const plan = c.screen();
      expect(plan).toContain('x disable-eviction [x]');
      expect(plan).toContain('disable-eviction: pods are DELETED, no disruption budget is consulted');
      expect(plan).toContain('PDB freeze (bypassed)');
      expect(c.lines().every((l) => l.length <= 80)).toBe(true);

      c.press(keys.enter);
      await c.waitFor('type warroom-demo and press Enter to drain, DELETING the pods, Esc goes back');
      await c.type('warroom-demo');
      c.press(keys.enter);
      await c.waitFor(new RegExp(`${node} drained: ${chosen.length} pods? deleted, 0 skipped; it stays cordoned`), 30_000);
      for (const name of chosen) {
        const now = await api('GET', `/api/v1/namespaces/cart/pods/${name}`);
        expect(now.status === 404 || now.json.metadata.deletionTimestamp !== undefined).toBe(true);
      }
      const records = (await auditOf(c)).slice(before).filter((r) => chosen.includes(r.name));
      expect(records.map((r) => [r.action, r.options, r.outcome])).toEqual(chosen.map(() => ['delete', `--ignore-daemonsets --timeout=10m --pod-selector=app.kubernetes.io/name=${app} --disable-eviction`, 'applied']));
    } finally {
      await uncordon(node);
      await api('DELETE', '/apis/policy/v1/namespaces/cart/poddisruptionbudgets/freeze');
    }
  }, 60_000);

  it('refused by an emptyDir pod until e (--delete-emptydir-data), by a pod no controller manages until f (--force); then drained with g (--grace-period=0)', async () => {
    const [bare] = (await api('GET', '/api/v1/namespaces/trade/pods?labelSelector=run%3Ddebug-netshoot')).json.items as PodJson[];
    const node = bare.spec.nodeName;
    const bareName = bare.metadata.name;
    const cache = (await podsOn(node)).find((p) => p.metadata.name.startsWith('query-cache-warmer-'))!;
    expect(cache, 'the emptyDir pod runs on the same worker').toBeDefined();
    const c = await drainDialog(node);
    const before = (await auditOf(c)).length;
    try {
      await c.waitFor(new RegExp(`${node}: cordon, evict \\d+, skip 0; 2 block the drain`));
      const plan = c.screen();
      expect(plan).toContain('options: e delete-emptydir-data [ ]  f force [ ]  x disable-eviction [ ]');
      expect(plan).toContain("g grace-period: pod's own   t timeout: 10m   l pod-selector: all");
      expect(plan).toMatch(new RegExp(`✗ search/${cache.metadata.name} +e --delete-emptydir-data\\s+emptyDir warm-cache would be lost`));
      expect(plan).toMatch(new RegExp(`✗ trade/${bareName} +f --force\\s+no controller: nothing would recreate it`));
      expect(c.lines().every((l) => l.length <= 80)).toBe(true);
      c.press(keys.enter);
      await c.waitFor('refused: 2 pods block the drain (e: --delete-emptydir-data, f: --force)');
      expect((await api('GET', `/api/v1/nodes/${node}`)).json.spec.unschedulable).toBeUndefined();

      c.press('e');
      await c.waitFor(new RegExp(`${node}: cordon, evict \\d+, skip 0; 1 blocks the drain`));
      expect(c.screen()).toContain('e delete-emptydir-data [x]');
      expect(c.screen()).toMatch(new RegExp(`→ search/${cache.metadata.name}: deletes emptyDir warm-cache`));
      c.press(keys.enter);
      await c.waitFor('refused: 1 pod blocks the drain (f: --force)');

      c.press('f');
      await c.waitFor(new RegExp(`${node}: cordon, evict \\d+, skip 0 *$`, 'm'));
      expect(c.screen()).toMatch(new RegExp(`→ trade/${bareName}: no controller: gone for good`));
      c.press('g');
      await c.waitFor("grace-period in seconds (now each pod's own; empty: each pod's own):");
      await c.type('0');
      c.press(keys.enter);
      await c.waitFor('g grace-period: 0s');

      c.press(keys.enter);
      await c.waitFor('type warroom-demo and press Enter to drain, Esc goes back');
      await c.type('warroom-demo');
      c.press(keys.enter);
      await c.waitFor(new RegExp(`${node} drained: \\d+ pods evicted, 0 skipped; it stays cordoned`), 60_000);
      expect((await api('GET', `/api/v1/namespaces/trade/pods/${bareName}`)).status).toBe(404);
      expect((await api('GET', `/api/v1/namespaces/search/pods/${cache.metadata.name}`)).status).toBe(404);
      const records = (await auditOf(c)).slice(before).filter((r) => r.action === 'evict' && (r.name === bareName || r.name === cache.metadata.name));
      expect(records.map((r) => [r.name, r.options, r.outcome]).sort()).toEqual(
        [[bareName, '--ignore-daemonsets --delete-emptydir-data --force --grace-period=0 --timeout=10m', 'applied'], [cache.metadata.name, '--ignore-daemonsets --delete-emptydir-data --force --grace-period=0 --timeout=10m', 'applied']].sort(),
      );
    } finally {
      await uncordon(node);
    }
  }, 90_000);
});
