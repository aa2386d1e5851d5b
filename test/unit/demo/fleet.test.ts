// A demo fleet of three data centres, each its own platform process: every API server answers
// with its own zones and story, the kubeconfig and config file name every cluster, and one cluster
// stopped refuses connections while the others answer, then comes back on the same port.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkConfigFile } from '../../../src/config/configSchema.js';
import { startDemoFleet, type DemoFleet } from '../../../src/demo/fleet.js';
import { ensureDemoBundle } from '../../contract/demoBundle.js';
import { scratchDir } from '../../support/scratchDir.js';

const PODS = 300;
let fleet: DemoFleet;
let kc: KubeConfig;

beforeAll(async () => {
  const entry = await ensureDemoBundle();
  fleet = await startDemoFleet({ clusters: ['dc1', 'dc2', 'dc3'], pods: PODS, seed: 1, churn: false, entry });
  kc = new KubeConfig();
  kc.loadFromFile(fleet.kubeconfigPath);
}, 120_000);

afterAll(async () => {
  await fleet?.close();
});

/** GET as the user of a context, through the fleet's one kubeconfig. */
async function get(context: string, path: string): Promise<Response> {
  const own = new KubeConfig();
  own.loadFromFile(fleet.kubeconfigPath);
  own.setCurrentContext(context);
  const opts: { headers: Record<string, string> } = { headers: {} };
  await own.applyToHTTPSOptions(opts);
  return fetch(`${own.getCurrentCluster()!.server}${path}`, { headers: opts.headers });
}

async function json<T>(context: string, path: string): Promise<T> {
  const r = await get(context, path);
  expect(r.status, `${context} ${path}`).toBe(200);
  return (await r.json()) as T;
}

interface List<T> {
  metadata: { resourceVersion: string };
  items: T[];
}
interface Meta {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
}
type Node = Meta;
type Deployment = Meta & { spec: { replicas: number; template: { spec: { containers: { image: string }[] } } } };
type Pod = Meta & { status: { containerStatuses?: { state?: { waiting?: { reason?: string } } }[] } };
type Hpa = Meta & { spec: { scaleTargetRef: { name: string } } };

async function refused(url: string): Promise<string> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5000) });
    return 'answered';
  } catch (err) {
    return ((err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message) as string;
  }
}

describe('startDemoFleet', () => {
  it('writes one private kubeconfig with every cluster\'s contexts and cluster names that say the data centre', () => {
    expect(statSync(fleet.kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(kc.getCurrentContext()).toBe('warroom-demo-dc1');
    expect(fleet.contexts).toEqual(['warroom-demo-dc1', 'warroom-demo-dc2', 'warroom-demo-dc3']);
    expect(kc.getContexts().map((c) => c.name).sort()).toEqual(
      ['dc1', 'dc2', 'dc3'].flatMap((dc) => [`warroom-demo-${dc}`, `warroom-demo-${dc}-operator`, `warroom-demo-${dc}-restricted`]).sort(),
    );
    expect(kc.getClusters().map((c) => c.name)).toEqual(['warroom-demo-dc1', 'warroom-demo-dc2', 'warroom-demo-dc3']);
    const servers = fleet.clusters.map((c) => kc.getCluster(`warroom-demo-${c.name}`)!.server);
    expect(servers).toEqual(fleet.clusters.map((c) => c.url));
    expect(new Set(servers).size).toBe(3);
    for (const c of fleet.clusters) expect(kc.getContextObject(c.restrictedContext)?.cluster).toBe(`warroom-demo-${c.name}`);
  });

  it('writes a config file pointing each context at its own log store, Prometheus and Alertmanager, with the fleet', () => {
    const data = parse(readFileSync(fleet.configPath, 'utf8')) as { fleets: Record<string, string[]>; contexts: Record<string, { elasticsearch: { urls: string[] }; prometheus: { url: string }; alertmanager: { url: string } }> };
    expect(checkConfigFile({ path: fleet.configPath, exists: true, data })).toEqual({ problems: [], warnings: [] });
    expect(data.fleets).toEqual({ demo: ['warroom-demo-dc1', 'warroom-demo-dc2', 'warroom-demo-dc3'] });
    for (const c of fleet.clusters) {
      for (const ctx of [c.context, c.restrictedContext]) {
        expect(data.contexts[ctx].elasticsearch.urls).toEqual([c.logsUrl]);
        expect(data.contexts[ctx].prometheus.url).toBe(c.prometheusUrl);
        expect(data.contexts[ctx].alertmanager.url).toBe(c.alertmanagerUrl);
      }
    }
    expect(new Set(fleet.clusters.map((c) => c.alertmanagerUrl)).size).toBe(3);
    expect(new Set(fleet.clusters.map((c) => c.logsUrl)).size).toBe(3);
    expect(new Set(fleet.clusters.map((c) => c.prometheusUrl)).size).toBe(3);
  });

  it('each API server answers /version and lists its nodes in its own region and zones', async () => {
    const expected = { dc1: 'eu-central-1', dc2: 'eu-west-1', dc3: 'eu-north-1' } as Record<string, string>;
    for (const c of fleet.clusters) {
      const version = (await (await fetch(`${c.url}/version`)).json()) as { major: string };
      expect(version.major).toBe('1');
      const nodes = await json<List<Node>>(c.context, '/api/v1/nodes');
      const zones = new Set(nodes.items.map((n) => n.metadata.labels!['topology.kubernetes.io/zone']));
      const regions = new Set(nodes.items.map((n) => n.metadata.labels!['topology.kubernetes.io/region']));
      expect([...regions]).toEqual([expected[c.name]]);
      expect([...zones].sort()).toEqual(['a', 'b', 'c'].map((z) => `${expected[c.name]}${z}`));
      // Each log store and Prometheus answers too.
      expect((await fetch(`${c.prometheusUrl}/api/v1/query?query=up`)).status).toBe(200);
      expect((await fetch(`${c.logsUrl}/`)).status).toBe(200);
    }
  });

  it('tells the fleet story: payment-api drifted in dc2, wishlist-api not in dc3, cart-sync-worker rescaled in dc3 without an HPA', async () => {
    const image = async (ctx: string) => (await json<Deployment>(ctx, '/apis/apps/v1/namespaces/payment/deployments/payment-api')).spec.template.spec.containers[0].image;
    const [i1, i2, i3] = await Promise.all(fleet.contexts.map(image));
    expect(i1).toBe(i3);
    expect(i2).not.toBe(i1);
    expect(i2.split(':')[0]).toBe(i1.split(':')[0]);

    expect((await get('warroom-demo-dc1', '/apis/apps/v1/namespaces/cart/deployments/wishlist-api')).status).toBe(200);
    expect((await get('warroom-demo-dc2', '/apis/apps/v1/namespaces/cart/deployments/wishlist-api')).status).toBe(200);
    expect((await get('warroom-demo-dc3', '/apis/apps/v1/namespaces/cart/deployments/wishlist-api')).status).toBe(404);

    const replicas = async (ctx: string) => (await json<Deployment>(ctx, '/apis/apps/v1/namespaces/cart/deployments/cart-sync-worker')).spec.replicas;
    const [r1, r2, r3] = await Promise.all(fleet.contexts.map(replicas));
    expect(r2).toBe(r1);
    expect(r3).not.toBe(r1);
    const hpas = await json<List<Hpa>>('warroom-demo-dc3', '/apis/autoscaling/v2/namespaces/cart/horizontalpodautoscalers');
    expect(hpas.items.map((h) => h.spec.scaleTargetRef.name)).not.toContain('cart-sync-worker');
  });

  it('keeps --pods per cluster, with pods of its own and crash-loops that differ', async () => {
    const crashing: string[][] = [];
    const names: Set<string>[] = [];
    for (const ctx of fleet.contexts) {
      const pods = await json<List<Pod>>(ctx, '/api/v1/pods');
      expect(pods.items.length).toBe(PODS);
      names.push(new Set(pods.items.map((p) => p.metadata.name)));
      const apps = pods.items
        .filter((p) => p.status.containerStatuses?.some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff'))
        .map((p) => `${p.metadata.namespace}/${p.metadata.labels?.['app.kubernetes.io/name']}`);
      crashing.push([...new Set(apps)].sort());
    }
    for (const c of crashing) expect(c.length).toBeGreaterThan(0);
    expect(crashing[0]).not.toEqual(crashing[1]);
    expect(crashing[1]).not.toEqual(crashing[2]);
    expect(crashing[1]).toContain('payment/payment-api');
    const shared = [...names[0]].filter((n) => names[1].has(n) && !n.startsWith('control-plane'));
    expect(shared.filter((n) => !/-\d+$/.test(n))).toEqual([]); // only StatefulSet pods (name-0, name-1) share names
  });

  it('stop(dc2) makes dc2 refuse connections while dc1 and dc3 answer; start(dc2) brings it back on the same port', async () => {
    const dc2 = fleet.cluster('dc2');
    const { url, logsUrl, prometheusUrl, alertmanagerUrl } = dc2;
    const before = await json<List<Pod>>('warroom-demo-dc2', '/api/v1/namespaces/cart/pods');
    await fleet.stop('dc2');
    expect(dc2.running).toBe(false);
    // Its state directory (tokens, certificate) and the fleet's kubeconfig stay for the start.
    expect(readdirSync(dc2.stateDir).sort()).toEqual(['config.yaml', 'kubeconfig', 'tokens.json']);
    expect(existsSync(fleet.kubeconfigPath)).toBe(true);
    expect(await refused(`${url}/version`)).toBe('ECONNREFUSED');
    expect(await refused(`${logsUrl}/`)).toBe('ECONNREFUSED');
    expect(await refused(`${prometheusUrl}/api/v1/query?query=up`)).toBe('ECONNREFUSED');
    expect(await refused(`${alertmanagerUrl}/api/v2/status`)).toBe('ECONNREFUSED');
    expect((await fetch(`${fleet.cluster('dc1').url}/version`)).status).toBe(200);
    expect((await json<List<Node>>('warroom-demo-dc1', '/api/v1/nodes')).items.length).toBeGreaterThan(0);
    expect((await json<List<Node>>('warroom-demo-dc3', '/api/v1/nodes')).items.length).toBeGreaterThan(0);

    await fleet.start('dc2');
    expect(dc2.running).toBe(true);
    expect(dc2.url).toBe(url);
    expect((await fetch(`${url}/version`)).status).toBe(200);
    // The kubeconfig written at the start still works: same port, same tokens.
    const after = await json<List<Pod>>('warroom-demo-dc2', '/api/v1/namespaces/cart/pods');
    expect(after.items.map((p) => p.metadata.name).sort()).toEqual(before.items.map((p) => p.metadata.name).sort());
    expect((await fetch(`${logsUrl}/`)).status).toBe(200);
    expect((await fetch(`${prometheusUrl}/api/v1/query?query=up`)).status).toBe(200);
    expect((await fetch(`${alertmanagerUrl}/api/v2/status`)).status).toBe(200);
    // A watch from before the stop is told to relist (410), not served the new run's events as if nothing happened.
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(Number(before.metadata.resourceVersion));
    const watch = await get('warroom-demo-dc2', `/api/v1/namespaces/cart/pods?watch=1&resourceVersion=${before.metadata.resourceVersion}&timeoutSeconds=2`);
    const text = await watch.text();
    expect(text).toContain('"code":410');
  });

  it('refuses more than five clusters, and names that are not DNS labels or repeat', async () => {
    await expect(startDemoFleet({ clusters: ['a', 'b', 'c', 'd', 'e', 'f'] })).rejects.toThrow('a demo fleet has 1 to 5 clusters, got 6');
    await expect(startDemoFleet({ clusters: ['DC1'] })).rejects.toThrow('demo cluster name "DC1" is not a DNS label');
    await expect(startDemoFleet({ clusters: ['dc1', 'dc1'] })).rejects.toThrow('demo cluster names must differ: dc1, dc1');
  });
  // Last: it closes the fleet the tests above share.
  it('close stops every cluster and removes the directory the fleet made (kubeconfig, config, the clusters\' state)', async () => {
    const root = dirname(fleet.kubeconfigPath);
    expect(basename(root)).toMatch(/^warroom-fleet-/);
    expect(readdirSync(root).sort()).toEqual(['config.yaml', 'dc1', 'dc2', 'dc3', 'kubeconfig']);
    const urls = fleet.clusters.map((c) => c.url);
    await fleet.close();
    for (const url of urls) expect(await refused(`${url}/version`)).toBe('ECONNREFUSED');
    expect(existsSync(root)).toBe(false);
  });
});

describe('a fleet in a directory the caller named', () => {
  it('keeps it after close, with the kubeconfig, config and each cluster\'s state', async () => {
    const stateDir = join(scratchDir('warroom-fleet-test-'), 'mine');
    const own = await startDemoFleet({ clusters: ['dc1'], pods: 100, churn: false, entry: await ensureDemoBundle(), stateDir });
    await own.close();
    expect(readdirSync(stateDir).sort()).toEqual(['config.yaml', 'dc1', 'kubeconfig']);
    expect(readdirSync(join(stateDir, 'dc1')).sort()).toEqual(['config.yaml', 'kubeconfig', 'tokens.json']);
  });
});
