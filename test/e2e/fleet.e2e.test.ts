// The console over the lab's two clusters (two real kube-apiservers, each with its own kwok nodes): the merged
// fleet views, everything below a row routed to the row's cluster (detail, logs from the shared Elasticsearch
// filtered to that cluster, charts from the shared Prometheus narrowed to it), a fleet scale that one cluster
// refuses, and one cluster's API server going down and coming back while the other stays live. In process
// (test/ui/harness.tsx); the shell in a dc2 pod, which needs the terminal, is in exec.e2e.test.mjs.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { json, KubeClient, type Json } from '../contract/kubeHttp.js';
import { ConsoleScreen, keys, type OpenOptions } from '../ui/harness.js';
import { eventually } from './eventually.js';
import { scratchDir } from '../support/scratchDir.js';

const { WARROOM_KUBECONFIG: kubeconfig = '', WARROOM_LAB_CONFIG: labConfig = '', WARROOM_LAB_CONTEXTS: contexts = '', WARROOM_ES_URL: esUrl = '' } = process.env;
const [ONE, TWO] = contexts.split(',');
const haveFleet = Boolean(kubeconfig && existsSync(kubeconfig) && labConfig && TWO);
const FLEET = `${ONE},${TWO}`;
/** The fleet views' titles for the two contexts (the words both names start with dropped). */
const [L1, L2] = ['lab', 'lab-2'];
const LAB = join(import.meta.dirname, '..', 'lab', 'lab.mjs');

const dir = scratchDir('warroom-e2e-fleet-');
const auditFile = join(dir, 'audit.jsonl');
const configPath = join(dir, 'config.yaml');
let one: KubeClient;
let two: KubeClient;
let opened: ConsoleScreen[] = [];

function client(context: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  return new KubeClient(kc);
}

async function open(context: string, size: Partial<OpenOptions> = {}): Promise<ConsoleScreen> {
  const c = await ConsoleScreen.open({ kubeconfig, context, configPath, cols: 120, rows: 34, ...size });
  opened.push(c);
  return c;
}

/** The console over both clusters, once both are live. */
async function openFleet(size: Partial<OpenOptions> = {}): Promise<ConsoleScreen> {
  const c = await open(FLEET, size);
  await c.waitFor(new RegExp(`fleet of 2\\s+${L1} ● live\\s+${L2} ● live`), 30_000);
  return c;
}

/** Types `:LINE` and Enter. */
async function command(c: ConsoleScreen, line: string): Promise<void> {
  await c.type(`:${line}`);
  c.press(keys.enter);
}

/** The fleet's pods of a system, filtered by `filter` (`/TEXT`, `/-l SELECTOR`). */
async function fleetPods(c: ConsoleScreen, ns: string, filter: string): Promise<void> {
  await command(c, `pods ${ns}`);
  await c.waitFor(/POD.*CLUSTER\s+ZONE/);
  await c.type(`/${filter}`);
  c.press(keys.enter);
}

/** `node test/lab/lab.mjs ARGS` (the lab's port offset and work dir come with the environment). */
function lab(...args: string[]): string {
  return execFileSync(process.execPath, [LAB, ...args], { encoding: 'utf8' });
}

async function get(c: KubeClient, path: string): Promise<Json> {
  const r = await c.request(path);
  expect(r.status, `${path}: ${r.text}`).toBe(200);
  return json(r);
}

/** Pods of a namespace as a system row counts them: ready/total. */
async function podCount(c: KubeClient, ns: string): Promise<string> {
  const pods = ((await get(c, `/api/v1/namespaces/${ns}/pods`)).items as Json[]).filter((p) => !p.metadata.deletionTimestamp);
  const ready = pods.filter((p) => (p.status?.conditions ?? []).some((x: Json) => x.type === 'Ready' && x.status === 'True'));
  return `${ready.length}/${pods.length}`;
}

const deploymentPath = (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;
const replicasOf = async (c: KubeClient, ns: string, name: string): Promise<number> => (await get(c, deploymentPath(ns, name))).spec.replicas as number;

async function setReplicas(c: KubeClient, ns: string, name: string, replicas: number): Promise<void> {
  const r = await c.request(`${deploymentPath(ns, name)}/scale`, { method: 'PATCH', contentType: 'application/merge-patch+json', body: { spec: { replicas } } });
  expect(r.status, r.text).toBe(200);
}

/**
 * Moves the selection down until the selected row matches (the fleet's rows interleave the clusters), one row
 * at a time, each move seen on the screen before the next: keys sent ahead would move past the row.
 */
async function selectRow(c: ConsoleScreen, row: RegExp): Promise<string> {
  for (let i = 0; i < 60 && !row.test(c.selectedRow() ?? ''); i++) {
    const before = c.selectedRow();
    c.press('j');
    await c.waitFor(() => c.selectedRow() !== before);
  }
  expect(c.selectedRow()).toMatch(row);
  return c.selectedRow()!;
}

function audit(): Array<Record<string, unknown>> {
  if (!existsSync(auditFile)) return [];
  return readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

beforeAll(() => {
  if (!haveFleet) return;
  one = client(ONE);
  two = client(TWO);
  // The lab's config file (each context's Elasticsearch filter and Prometheus matchers, the fleet) with an audit file of our own.
  writeFileSync(configPath, stringify({ ...(parse(readFileSync(labConfig, 'utf8')) as Record<string, unknown>), audit: { path: auditFile } }));
});
afterEach(() => {
  for (const c of opened) c.close();
  opened = [];
});

describe.skipIf(!haveFleet)('warroom over the lab\'s two clusters', () => {
  it('systems: one row per system over both clusters, each cluster\'s pods ready/total in its own column as its API server counts them', async () => {
    const c = await openFleet();
    await c.waitFor(new RegExp(`SYSTEM.*PODS.*\\s${L1}\\s+${L2}\\s*$`, 'm'));
    for (const [ns, display] of [['trade', 'Trading'], ['cart', 'Shopping cart'], ['logistics', 'Logistics'], ['payment', 'Payments']]) {
      await eventually(async () => {
        const [a, b] = await Promise.all([podCount(one, ns), podCount(two, ns)]);
        const row = c.rowWith(display) ?? '(no row)';
        return new RegExp(`\\s${a}\\s+${b}\\s*$`).test(row) || `${ONE} ${a}, ${TWO} ${b}: ${row}`;
      });
    }
    // dc2 runs fewer trade pods (order-api 24, not 30): the two columns differ.
    expect(c.rowWith('Trading')).toMatch(/\s72\/72\s+66\/66\s*$/);
  }, 90_000);

  it('applications: payment-api runs another image in dc2 (I, and i names both images), label-printer runs in dc1 only (M, — in dc2), route-planner has fewer replicas in dc2 (R)', async () => {
    // Wide: `i` says both clusters' images (with payment-api's log-agent sidecar) on the one status line.
    const c = await openFleet({ cols: 220, rows: 30 });
    await command(c, 'apps payment');
    await c.waitFor(/APPLICATION.*DRIFT/);
    await c.waitFor(new RegExp(`payment-api\\s+deploy\\s+I\\s+40/40\\s.*\\s20/20\\s+20/20\\s*$`, 'm'), 30_000);
    await c.type('/payment-api');
    c.press(keys.enter);
    await c.waitFor(/\(1 of 3\)\s+filter: payment-api/);
    await c.waitFor(() => /payment-api/.test(c.selectedRow() ?? ''));
    c.press('i');
    const image = (v: string) => `registry\\.lab\\.local/payment/payment-api:${v.replace(/\./g, '\\.')}`;
    await c.waitFor(new RegExp(`payment-api: ${ONE}: 20 × ${image('1.20.0')},registry\\.lab\\.local/platform/log-agent:2\\.4\\.1; ${TWO}: 20 × ${image('1.21.0')}`));
    await command(c, 'apps logistics');
    await c.waitFor(new RegExp(`label-printer\\s+deploy\\s+M\\s+8/8\\s.*\\s8/8\\s+—\\s*$`, 'm'), 30_000);
    await c.waitFor(new RegExp(`route-planner\\s+deploy\\s+R\\s+30/30\\s.*\\s18/18\\s+12/12\\s*$`, 'm'));
    expect(c.rowWith('shipment-api')).toMatch(/shipment-api\s+deploy\s+52\/52\s.*\s26\/26\s+26\/26\s*$/);
    // search-store asks for 2Gi in dc2, 3Gi in dc1, same image: T, and i diffs the two templates read from both API servers.
    await command(c, 'apps search');
    await c.waitFor(/search-store\s+sts\s+T\s/, 30_000);
    expect(c.rowWith('indexer')).toMatch(/indexer\s+deploy\s+\d/);
    await c.type('/search-store');
    c.press(keys.enter);
    await c.waitFor(() => /search-store/.test(c.selectedRow() ?? ''));
    c.press('i');
    const diff = await c.waitFor(new RegExp(`${L1} -> ${L2} \\(- only in ${L1}, \\+ only in ${L2}\\)`), 30_000);
    expect(diff).toMatch(/^- +memory: 3Gi *$/m);
    expect(diff).toMatch(/^\+ +memory: 2Gi *$/m);
    // Its limit and request are one hunk, headed by the container (kwok's usage annotation is another).
    expect(diff).toMatch(/^@@ containers\[search-store\] resources @@ *\n(?: .*\n)*- +memory: 3Gi *$/m);
  }, 90_000);

  it('pods: both clusters\' pods with CLUSTER and ZONE, each zone its node\'s in that cluster', async () => {
    const c = await openFleet();
    await fleetPods(c, 'cart', '-l app=cart-api');
    const rowRe = new RegExp(`^ (cart-api-\\S+)\\s+(${L1}|${L2})\\s+(\\S+)\\s`);
    const screen = await c.waitFor((s) => s.includes('filter: -l app=cart-api') && [L1, L2].every((l) => c.lines().some((x) => rowRe.exec(x)?.[2] === l)), 30_000);
    expect(screen).not.toMatch(/^ cart-worker-/m);
    const zones = new Map<string, Map<string, string>>();
    for (const [label, kube] of [[L1, one], [L2, two]] as const) {
      const nodes = (await get(kube, '/api/v1/nodes')).items as Json[];
      zones.set(label, new Map(nodes.map((n) => [n.metadata.name as string, n.metadata.labels['topology.kubernetes.io/zone'] as string])));
    }
    const rows = c.lines().map((l) => rowRe.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    expect(rows.length).toBeGreaterThan(10);
    for (const [line, pod, label, zone] of rows) {
      const kube = label === L1 ? one : two;
      const r = await kube.request(`/api/v1/namespaces/cart/pods/${pod}`);
      expect(r.status, `${pod} shown in ${label}: ${line}`).toBe(200);
      expect(zone, line).toBe(zones.get(label)!.get(json(r).spec.nodeName));
      expect(zone).toMatch(label === L1 ? /^lab-dc1-[abc]$/ : /^lab-dc2-[ab]$/);
    }
  }, 90_000);

  it('Enter, l and m on dc2\'s search-store-0 (a name dc1 has too) show dc2\'s pod, dc2\'s log lines and dc2\'s series', async () => {
    const c = await openFleet();
    await fleetPods(c, 'search', 'search-store-0');
    await c.waitFor((s) => [L1, L2].every((l) => new RegExp(`^ search-store-0\\s+${l}\\s`, 'm').test(s)), 30_000);
    await selectRow(c, new RegExp(`search-store-0\\s+${L2}\\s`));

    // Detail: read from dc2 (its node, its 2Gi request; dc1's search-store asks for 3Gi).
    const pod = await get(two, '/api/v1/namespaces/search/pods/search-store-0');
    c.press(keys.enter);
    await c.waitFor(`[${TWO}] › Systems › search › Pods › search-store-0`, 20_000);
    const detail = await c.waitFor('requests  cpu=500m memory=2Gi', 20_000);
    expect(detail).toMatch(new RegExp(`node\\s+${pod.spec.nodeName}\\b`));
    expect(pod.spec.nodeName).toMatch(/^kwok-dc2-node-/);
    c.press(keys.esc);
    await c.waitFor(/POD.*CLUSTER\s+ZONE/);

    // Logs: dc2's lines from the shared Elasticsearch; dc1 has lines of its own search-store-0 there too.
    const dc1Lines = await fetch(`${esUrl}/warroom-logs-*/_count`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: { bool: { filter: [{ term: { 'orchestrator.cluster.name': ONE } }, { term: { 'kubernetes.pod.name': 'search-store-0' } }] } } }),
    }).then((r) => r.json() as Promise<{ count: number }>);
    expect(dc1Lines.count).toBeGreaterThan(0);
    c.press('l');
    await c.waitFor(`[${TWO}] › Systems › search › Logs (pod)`);
    await c.waitFor(`index warroom-logs-* orchestrator.cluster.name=${TWO}`, 20_000);
    c.press('W'); // wrap: each line whole, `site=` included
    const logs = await c.waitFor((s) => (s.match(/site=dc2/g) ?? []).length >= 5, 30_000);
    expect(logs).not.toContain('site=dc1');
    c.press(keys.esc);
    await c.waitFor(/POD.*CLUSTER\s+ZONE/);

    // Charts: dc2's series from the shared Prometheus (2 GiB; dc1's search-store-0 has 3 GiB, both would sum to 5).
    c.press('m');
    await c.waitFor(`[${TWO}] › Systems › search › Metrics`);
    await c.waitFor(`{cluster="${TWO}"}`, 20_000);
    const charts = await c.waitFor(/■ search-store 2 GiB/, 30_000);
    expect(charts).not.toMatch(/■ search-store [35] GiB/);
  }, 120_000);

  it("m on a fleet application: one series per cluster from the fleet's one Prometheus, told apart by the label cluster", async () => {
    const c = await openFleet();
    await command(c, 'apps search');
    await c.waitFor(/search-store/, 30_000);
    await c.type('/search-store');
    c.press(keys.enter);
    await c.waitFor(/\(1 of 4\)\s+filter: search-store/);
    c.press('m');
    await c.waitFor('Fleet › search › Applications › search-store › Metrics');
    await c.waitFor(new RegExp(`sts/search-store \\(6 pods\\) in 2 clusters`), 30_000);
    await c.waitFor(`for ${L1}, ${L2}`, 30_000);
    // search-store asks for 3Gi per pod in dc1 and 2Gi in dc2: dc2's line is the lower one.
    const screen = await c.waitFor(new RegExp(`■ ${L1} [\\d.]+ GiB\\s+■ ${L2} [\\d.]+ GiB`), 30_000);
    const [, a, b] = new RegExp(`■ ${L1} ([\\d.]+) GiB\\s+■ ${L2} ([\\d.]+) GiB`).exec(screen)!;
    expect(Number(a)).toBeGreaterThan(Number(b));
  }, 90_000);

  it('s x2 on cart/promo-service over dc1 and a dc2 that may not scale: dc2 is listed as forbidden and skipped, dc1 is scaled (checked on both API servers)', async () => {
    const before = [await replicasOf(one, 'cart', 'promo-service'), await replicasOf(two, 'cart', 'promo-service')];
    try {
      // The second cluster through its restricted user: read-only RBAC on its own API server.
      const c = await open(`${ONE},${TWO}-restricted`, { cols: 80, rows: 24 });
      await c.waitFor(new RegExp(`${L1} ● live\\s+restricted ● live`), 30_000);
      await command(c, 'apps cart');
      await c.waitFor(/promo-service/, 30_000);
      await c.type('/promo-service');
      c.press(keys.enter);
      await c.waitFor(() => /promo-service/.test(c.selectedRow() ?? ''));
      c.press('s');
      await c.waitFor('Scale Deployment cart/promo-service in 2 clusters');
      await c.type('x2');
      await c.waitFor(`means ${L1} ${before[0]} -> ${before[0] * 2}, restricted ${before[1]} -> ${before[1] * 2}`);
      c.press(keys.enter);
      const preview = await c.waitFor(/Type cart to confirm/, 30_000);
      expect(preview).toMatch(new RegExp(`${L1}\\s+promo-service\\s+${before[0]}\\s+${before[0] * 2}\\s+accepted`));
      expect(preview).toMatch(new RegExp(`restricted promo-service\\s+${before[1]}\\s+${before[1] * 2}\\s+FORBIDDEN\\s+forbidden: no permission`));
      expect(preview).toMatch(/This changes 1 application in 1 of 2 clusters \(lab\)\./);
      await c.type('cart');
      c.press(keys.enter);
      await c.waitFor(/1 applied|replicas ready/, 30_000);
      expect(await replicasOf(one, 'cart', 'promo-service')).toBe(before[0] * 2);
      expect(await replicasOf(two, 'cart', 'promo-service')).toBe(before[1]);
      const records = audit().filter((r) => r.name === 'promo-service');
      expect(records.find((r) => r.context === ONE)).toMatchObject({ from: before[0], to: before[0] * 2, outcome: 'applied' });
      expect(String(records.find((r) => r.context === `${TWO}-restricted`)?.outcome)).toMatch(/^skipped: forbidden/);
      c.press(keys.esc);
      await c.waitFor(new RegExp(`promo-service\\s.*\\s${before[0] * 2}/${before[0] * 2}\\s+${before[1]}/${before[1]}\\s*$`, 'm'), 60_000);
    } finally {
      await setReplicas(one, 'cart', 'promo-service', before[0]);
    }
  }, 120_000);

  it('dc2\'s API server stops: its header and columns say so while dc1 stays live; started again, dc2 comes back live with its rows', async () => {
    const before = [await replicasOf(one, 'cart', 'promo-service'), await replicasOf(two, 'cart', 'promo-service')];
    const cell = (n: number) => `${n}/${n}`;
    const row = (a: string, b: string) => new RegExp(`^ promo-service\\s.*\\s${a}\\s+${b}\\s*$`, 'm');
    const c = await openFleet({ cols: 100, rows: 24 });
    await command(c, 'apps cart');
    await c.waitFor(row(cell(before[0]), cell(before[1])), 30_000);
    let stopped = false;
    try {
      lab('stop', '--kill', 'kube-apiserver-2');
      stopped = true;
      await c.waitFor(new RegExp(`${L1} ● live\\s+${L2} (◌ reconnecting|● stale since)`), 30_000);
      await c.waitFor(row(cell(before[0]), '✗ down'), 60_000);
      expect(c.screen()).toContain(`not answering: ${TWO}`);
      // dc1 keeps following its API server while dc2 is away.
      await setReplicas(one, 'cart', 'promo-service', before[0] + 1);
      await c.waitFor(row(cell(before[0] + 1), '✗ down'), 60_000);
      expect(c.screen()).toMatch(new RegExp(`${L1} ● live`));

      lab('start', 'kube-apiserver-2');
      stopped = false;
      await c.waitFor(new RegExp(`${L1} ● live\\s+${L2} ● live`), 90_000);
      await c.waitFor(row(cell(before[0] + 1), cell(before[1])), 30_000);
      expect(c.screen()).not.toContain('not answering');
      // Its watches follow again: a change on dc2's API server reaches the row.
      await setReplicas(two, 'cart', 'promo-service', before[1] + 1);
      await c.waitFor(row(cell(before[0] + 1), cell(before[1] + 1)), 60_000);
    } finally {
      if (stopped) lab('start', 'kube-apiserver-2');
      await setReplicas(one, 'cart', 'promo-service', before[0]);
      await setReplicas(two, 'cart', 'promo-service', before[1]);
    }
  }, 240_000);
});
