import { setMaxListeners } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fleetMetricsWorld, staticMetricsWorld, type DemoMetricsPod } from '../../../src/demo/metrics/metricsWorld.js';
import { startDemoPrometheus, type DemoPrometheus } from '../../../src/demo/metrics/prometheusServer.js';
import type { MetricsPaneDeps, SourceLookup } from '../../../src/platform/metrics/contextCharts.js';
import { FleetCharts, FleetMetricsStore, type FleetMetricsMember, type FleetSourceLookup } from '../../../src/platform/metrics/fleetCharts.js';
import { fleetCharts } from '../../../src/platform/metrics/fleetQueries.js';
import { directTransport } from '../../../src/platform/metrics/httpTransport.js';
import { contextMatchers } from '../../../src/platform/metrics/labelEscape.js';
import type { MetricsPaneSnapshot } from '../../../src/platform/metrics/metricsPaneStore.js';
import type { MetricsTarget } from '../../../src/platform/metrics/metricsTarget.js';
import { PrometheusSource } from '../../../src/platform/metrics/prometheusSource.js';
import { rangeWindow } from '../../../src/platform/metrics/stepSizing.js';
import { FIXTURE_PODS } from '../../contract/metrics/promTarget.js';

// Charts over a fleet against the demo's Prometheus-compatible endpoint (a stand-in for each
// cluster's Prometheus, and for a Thanos in front of them: one endpoint whose series carry a
// `cluster` label): a series per cluster, a cluster without Prometheus or not answering named
// while the others are charted, and the fleet-wide path giving the same numbers with one query
// per chart.

/** Cluster two runs the same application with other pods (pod names differ per cluster). */
const OTHER_PODS: DemoMetricsPod[] = FIXTURE_PODS.map((p) => ({ ...p, name: p.name.replace(/-(\w+)$/, '-x$1') }));

let one: DemoPrometheus;
let two: DemoPrometheus;
let thanos: DemoPrometheus;
let closedUrl: string;

beforeAll(async () => {
  const w1 = staticMetricsWorld(FIXTURE_PODS, NOW);
  const w2 = staticMetricsWorld(OTHER_PODS, NOW);
  [one, two, thanos] = await Promise.all([
    startDemoPrometheus({ world: w1 }),
    startDemoPrometheus({ world: w2 }),
    startDemoPrometheus({ world: fleetMetricsWorld([{ cluster: 'eu-1', world: w1 }, { cluster: 'eu-2', world: w2 }]) }),
  ]);
  const gone = await startDemoPrometheus({ world: w1 });
  closedUrl = gone.url;
  await gone.close();
});
afterAll(async () => {
  await Promise.all([one?.close(), two?.close(), thanos?.close()]);
});

// Prometheus's own request timeout as the config gives it by default: on a loaded machine a
// histogram query of the in-process endpoint may take seconds, and a timeout is not what is tested.
const source = (url: string) => new PrometheusSource(directTransport({ url }), { timeoutMs: 15_000 });
const lookup = (url: string): SourceLookup => ({ source: source(url), refreshMs: 60_000, rateWindowSeconds: 60, scrapeIntervalSeconds: 15 });

function member(contextName: string, got: SourceLookup, pods: readonly DemoMetricsPod[]): FleetMetricsMember {
  const deps: MetricsPaneDeps = { source: () => got, appPods: (_ns, key) => pods.filter((p) => `${p.app?.kind}/${p.app?.name}` === key).map((p) => p.name) };
  return { contextName, metricsDeps: deps };
}

const ORDER_API: MetricsTarget = { level: 'app', namespace: 'shop', kind: 'Deployment', name: 'order-api', pods: [] };
const NOW = Date.now();
// The fixture's pods run since two days ago: the last hour has every series.
const WINDOW = rangeWindow(3600, 60, NOW, { minStepSeconds: 15 });

function fetcher(members: FleetMetricsMember[], fleetSource?: FleetSourceLookup): FleetCharts {
  const charts = new FleetCharts({ members: () => members, fleetSource: () => fleetSource });
  charts.labels = members.map((m) => m.contextName.replace(/^ctx-/, ''));
  return charts;
}

async function fetchOnce(charts: FleetCharts, target: MetricsTarget = ORDER_API) {
  const settings = charts.settings();
  if ('problem' in settings) throw new Error(settings.problem);
  charts.reset();
  const abort = new AbortController();
  setMaxListeners(100, abort.signal);
  return charts.fetch(target, WINDOW, settings, abort.signal);
}

const lastValue = (values: Float64Array) => [...values].reverse().find(Number.isFinite);

describe('charts over a fleet, each cluster asking its own Prometheus', () => {
  it('draws each chart with one series per cluster, in the fleet\'s order, each of its own pods', async () => {
    const got = await fetchOnce(fetcher([member('ctx-dc1', lookup(one.url), FIXTURE_PODS), member('ctx-dc2', lookup(two.url), OTHER_PODS)]));
    expect(got.failure).toBeUndefined();
    expect(got.charts.map((c) => c.id)).toEqual(fleetCharts('app').map((c) => c.id));
    const cpu = got.charts.find((c) => c.id === 'cpu')!;
    expect(cpu.series.map((s) => s.label)).toEqual(['dc1', 'dc2']);
    for (const s of cpu.series) expect(lastValue(s.values)).toBeGreaterThan(0);
    // order-api has three pods in each cluster (not order-api-admin's).
    expect(got.podCount).toBe(6);
    expect(got.clusters).toEqual([{ label: 'dc1', problem: undefined, note: undefined }, { label: 'dc2', problem: undefined, note: undefined }]);
  });

  it('names a cluster without Prometheus and one not answering, and still charts the others', async () => {
    const got = await fetchOnce(
      fetcher([
        member('ctx-dc1', lookup(one.url), FIXTURE_PODS),
        member('ctx-dc2', { problem: 'no Prometheus configured for context ctx-dc2' }, OTHER_PODS),
        member('ctx-dc3', lookup(closedUrl), FIXTURE_PODS),
      ]),
    );
    expect(got.failure).toBeUndefined();
    expect(got.clusters!.map((c) => [c.label, c.problem])).toEqual([
      ['dc1', undefined],
      ['dc2', 'no Prometheus configured for context ctx-dc2'],
      ['dc3', expect.stringContaining(`cannot reach Prometheus at ${closedUrl}`)],
    ]);
    // Every cluster stays on the legend (its colour the same on every chart); only dc1 has values.
    const memory = got.charts.find((c) => c.id === 'memory')!;
    expect(memory.series.map((s) => [s.label, lastValue(s.values) !== undefined])).toEqual([
      ['dc1', true],
      ['dc2', false],
      ['dc3', false],
    ]);
  });

  it('fails the refresh (kept greyed, retried) only when no cluster answers, naming each', async () => {
    const store = new FleetMetricsStore(fetcher([member('ctx-dc1', lookup(closedUrl), FIXTURE_PODS), member('ctx-dc2', lookup(closedUrl), OTHER_PODS)]));
    store.openFleet(ORDER_API, ['dc1', 'dc2']);
    expect(store.getSnapshot().clusters!.map((c) => c.label)).toEqual(['dc1', 'dc2']);
    const s = await until(store, (x) => x.error !== undefined);
    expect(s.error).toContain(`cannot reach Prometheus at ${closedUrl}`);
    expect(s.retryAt).toBeGreaterThan(Date.now());
    expect(s.clusters!.every((c) => c.problem?.includes('cannot reach'))).toBe(true);
    store.close();
  });

  it("shows a cluster's problem sanitised: a malformed answer's text does not reach the terminal", async () => {
    // A Prometheus (or a proxy in front of it) whose answer names a label with a terminal escape in it.
    const evil = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: { '\u001b]0;owned\u0007x': 5 }, values: [] }] } }));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    const store = new FleetMetricsStore(fetcher([member('ctx-dc1', lookup(one.url), FIXTURE_PODS), member('ctx-dc2', lookup(evilUrl), OTHER_PODS)]));
    try {
      store.openFleet(ORDER_API, ['dc1', 'dc2']);
      const s = await until(store, (x) => x.clusters?.[1]?.problem !== undefined, 20_000);
      expect(s.clusters![1].problem).toContain(evilUrl);
      expect(s.clusters![1].problem).not.toMatch(/[\u0000-\u001f\u007f]/);
    } finally {
      store.close();
      await new Promise((resolve) => evil.close(resolve));
    }
  });

  it('says why nothing can be charted when no cluster has a Prometheus', () => {
    const charts = fetcher([member('ctx-dc1', { problem: 'no Prometheus configured for context ctx-dc1: add …' }, FIXTURE_PODS), member('ctx-dc2', { problem: 'x' }, OTHER_PODS)]);
    expect(charts.settings()).toEqual({ problem: expect.stringMatching(/^no Prometheus for dc1, dc2: add contexts\.<context>\.prometheus to each, or fleets\.<fleet>\.prometheus \(Thanos, Mimir\) for all/) });
  });

  it('charts a :promql query in every cluster, one series each', async () => {
    const got = await fetchOnce(fetcher([member('ctx-dc1', lookup(one.url), FIXTURE_PODS), member('ctx-dc2', lookup(two.url), OTHER_PODS)]), {
      level: 'promql',
      query: 'sum(kube_pod_container_resource_requests{resource="cpu"})',
    });
    const requested = FIXTURE_PODS.reduce((n, p) => n + p.containers.reduce((m, c) => m + (c.requests.cpu ?? 0), 0), 0);
    expect(got.charts[0].series.map((s) => [s.label, lastValue(s.values)])).toEqual([
      ['dc1', requested],
      ['dc2', requested],
    ]);
  });

  it('names an application that does not run in a cluster beside it, as a note', async () => {
    const got = await fetchOnce(fetcher([member('ctx-dc1', lookup(one.url), FIXTURE_PODS), member('ctx-dc2', lookup(two.url), [])]));
    expect(got.clusters![1]).toEqual({ label: 'dc2', problem: undefined, note: 'no pods of order-api' });
  });
});

describe("charts over a fleet whose contexts share one Prometheus, each with its own matchers (contexts.<name>.prometheus.matchers)", () => {
  it("gives each cluster the numbers its own Prometheus gives, not the clusters' sum", async () => {
    const shared = (cluster: string): SourceLookup => ({ ...(lookup(thanos.url) as Extract<SourceLookup, { source: unknown }>), matchers: contextMatchers({ cluster }) });
    const system: MetricsTarget = { level: 'system', namespace: 'shop' };
    const viaShared = await fetchOnce(fetcher([member('ctx-dc1', shared('eu-1'), FIXTURE_PODS), member('ctx-dc2', shared('eu-2'), OTHER_PODS)]), system);
    const viaOwn = await fetchOnce(fetcher([member('ctx-dc1', lookup(one.url), FIXTURE_PODS), member('ctx-dc2', lookup(two.url), OTHER_PODS)]), system);
    expect(viaShared.failure).toBeUndefined();
    for (const id of ['cpu', 'memory']) {
      const a = viaShared.charts.find((c) => c.id === id)!;
      const b = viaOwn.charts.find((c) => c.id === id)!;
      expect(a.series.map((x) => x.label), id).toEqual(['dc1', 'dc2']);
      a.series.forEach((x, i) => expect(lastValue(x.values), `${id} ${x.label}`).toBeCloseTo(lastValue(b.series[i].values)!, 6));
    }
  });
});

describe('charts over a fleet from one fleet-wide Prometheus (Thanos-style, a demo stand-in)', () => {
  const fleetLookup = (clusters: Record<string, string>): FleetSourceLookup => ({ ...(lookup(thanos.url) as Extract<SourceLookup, { source: unknown }>), fleet: 'prod', clusterLabel: 'cluster', clusters });
  const members = () => [member('ctx-dc1', { problem: 'not used' }, FIXTURE_PODS), member('ctx-dc2', { problem: 'not used' }, OTHER_PODS)];

  it('asks once per chart, by the cluster label, and gives each cluster the numbers its own Prometheus gives', async () => {
    const before = thanos.requests.get('/api/v1/query_range') ?? 0;
    const fleet = await fetchOnce(fetcher(members(), fleetLookup({ 'ctx-dc1': 'eu-1', 'ctx-dc2': 'eu-2' })));
    expect((thanos.requests.get('/api/v1/query_range') ?? 0) - before).toBe(fleetCharts('app').length);
    expect(fleet.failure).toBeUndefined();
    const each = await fetchOnce(fetcher([member('ctx-dc1', lookup(one.url), FIXTURE_PODS), member('ctx-dc2', lookup(two.url), OTHER_PODS)]));
    for (const id of ['cpu', 'memory', 'network.in', 'requests', 'errors', 'latency.p95']) {
      const a = fleet.charts.find((c) => c.id === id)!;
      const b = each.charts.find((c) => c.id === id)!;
      expect(a.series.map((s) => s.label), id).toEqual(['dc1', 'dc2']);
      a.series.forEach((s, i) => expect(lastValue(s.values), `${id} ${s.label}`).toBeCloseTo(lastValue(b.series[i].values)!, 6));
    }
    expect(fleet.clusters!.every((c) => !c.problem)).toBe(true);
  });

  it('names a cluster whose label value has no series (the mapping is wrong) while the others are charted', async () => {
    const got = await fetchOnce(fetcher(members(), fleetLookup({ 'ctx-dc1': 'eu-1' })));
    expect(got.clusters!.map((c) => [c.label, c.problem])).toEqual([
      ['dc1', undefined],
      ['dc2', 'no series with cluster="ctx-dc2" (fleets.prod.prometheus.clusters maps a context to its value)'],
    ]);
    const cpu = got.charts.find((c) => c.id === 'cpu')!;
    expect(cpu.series.map((s) => [s.label, lastValue(s.values) !== undefined])).toEqual([
      ['dc1', true],
      ['dc2', false],
    ]);
  });

  it("keeps every chart to the fleet's Prometheus matchers too (its series of other fleets or environments left out)", async () => {
    const narrowed = { ...fleetLookup({ 'ctx-dc1': 'eu-1', 'ctx-dc2': 'eu-2' }), matchers: contextMatchers({ cluster: 'eu-1' }) } as FleetSourceLookup;
    const got = await fetchOnce(fetcher(members(), narrowed));
    const cpu = got.charts.find((c) => c.id === 'cpu')!;
    expect(cpu.series.map((s) => [s.label, lastValue(s.values) !== undefined])).toEqual([
      ['dc1', true],
      ['dc2', false],
    ]);
  });

  it('says on the pane why the fleet\'s Prometheus cannot be used, rather than asking each cluster instead', () => {
    const charts = fetcher([member('ctx-dc1', lookup(one.url), FIXTURE_PODS)], { problem: "the fleet prod's Prometheus: the token variable T (…) is not set" });
    expect(charts.settings()).toEqual({ problem: "the fleet prod's Prometheus: the token variable T (…) is not set" });
  });
});

function until(store: FleetMetricsStore, pred: (s: MetricsPaneSnapshot) => boolean, ms = 8000): Promise<MetricsPaneSnapshot> {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pred(store.getSnapshot())) return;
      unsub();
      clearTimeout(timer);
      resolve(store.getSnapshot());
    };
    const unsub = store.subscribe(check);
    const timer = setTimeout(() => {
      unsub();
      reject(new Error(`timed out; last snapshot: ${JSON.stringify({ ...store.getSnapshot(), charts: undefined })}`));
    }, ms);
    check();
  });
}
