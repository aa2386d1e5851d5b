// Fault probes against the lab's real components: what the user sees and what is lost when the kube-apiserver,
// Elasticsearch or Prometheus goes away under a running console and comes back, and what reaches the terminal when
// a real Elasticsearch holds hostile log lines. The built console runs in a pseudo-terminal (test/tty/harness.ts);
// components are stopped and started with `lab.mjs stop|start` and each probe leaves the lab as it found it (the
// component running again, its own objects and documents removed).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, KubeClient, type Json } from '../contract/kubeHttp.js';
import { ConsoleUnderTest, keys } from '../tty/harness.js';

const {
  WARROOM_KUBECONFIG: kubeconfig = '',
  WARROOM_KUBE_CONTEXT: context = '',
  WARROOM_LAB_CONFIG: labConfig = '',
  WARROOM_ES_URL: esUrl = '',
  WARROOM_PROM_URL: promUrl = '',
} = process.env;
const haveLab = Boolean(kubeconfig && existsSync(kubeconfig) && labConfig && esUrl && promUrl);
const LAB = join(import.meta.dirname, '..', 'lab', 'lab.mjs');
const run = promisify(execFile);
const id = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), 'warroom-e2e-faults-'));
let admin: KubeClient;
let running: ConsoleUnderTest[] = [];

/** `node test/lab/lab.mjs ARGS`, without blocking this process (the console's output keeps being read). */
async function lab(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [LAB, ...args], { encoding: 'utf8' });
  return stdout;
}

function open(opts: { cols?: number; rows?: number } = {}): ConsoleUnderTest {
  const c = new ConsoleUnderTest(['--kubeconfig', kubeconfig, '--context', context, '--config', labConfig], { cols: 120, rows: 40, cwd: dir, ...opts });
  running.push(c);
  return c;
}

function client(server?: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  if (!server) return new KubeClient(kc);
  const cluster = kc.getCurrentCluster()!;
  const other = new KubeConfig();
  other.loadFromOptions({
    clusters: kc.clusters.map((c) => (c.name === cluster.name ? { ...c, server } : c)),
    users: kc.users,
    contexts: kc.contexts,
    currentContext: context,
  });
  return new KubeClient(other);
}

async function ok(r: Promise<{ status: number; text: string }>, ...want: number[]): Promise<void> {
  const res = await r;
  expect(want.length ? want : [200, 201], res.text).toContain(res.status);
}

/** Polls `check` until it says true; a string is the last state, for the error. */
async function eventually(check: () => Promise<true | string> | true | string, timeoutMs = 30_000): Promise<void> {
  const t0 = Date.now();
  for (;;) {
    const r = await check();
    if (r === true) return;
    if (Date.now() - t0 > timeoutMs) throw new Error(`not so after ${timeoutMs} ms; last: ${r}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

async function command(c: ConsoleUnderTest, line: string): Promise<void> {
  await c.type(`:${line}`);
  c.press(keys.enter);
}

beforeAll(() => {
  if (haveLab) admin = client();
});
afterEach(async () => {
  for (const c of running) await c.quit();
  running = [];
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ------------------------------------------------------------------------------------------------ kube-apiserver

const PROBE_NS = `faults-${id}`;
const probePod = (i: number) => `probe-${String(i).padStart(2, '0')}`;

function podBody(name: string): Json {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, labels: { app: 'fault-probe' } },
    spec: {
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      terminationGracePeriodSeconds: 1,
    },
  };
}

/** The probe namespace's pods as the API server lists them: name -> phase (pods being deleted left out). */
async function apiPods(c: KubeClient): Promise<Map<string, string>> {
  const r = await c.request(`/api/v1/namespaces/${PROBE_NS}/pods`);
  expect(r.status, r.text).toBe(200);
  const live = (json(r).items as Json[]).filter((p) => !p.metadata.deletionTimestamp);
  return new Map(live.map((p) => [p.metadata.name as string, p.status?.phase as string]));
}

/** Every pod row on the screen below the header: name -> its STATUS cells, one entry per row (a duplicate shows twice). */
function screenPods(c: ConsoleUnderTest): Array<[string, string]> {
  return c
    .lines()
    .slice(3)
    .map((l) => /^.\s*(probe-\d\d)\s+\S+\s+(\S+)/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [m[1], m[2]]);
}

/** The screen's pod rows against a fresh list: true when they are the same pods with the same phase, once each. */
async function screenMatchesApi(c: ConsoleUnderTest): Promise<true | string> {
  const api = await apiPods(admin);
  const shown = screenPods(c);
  const names = shown.map(([n]) => n);
  const same = names.length === api.size && new Set(names).size === names.length && shown.every(([n, status]) => api.get(n) === status);
  return same || `API ${JSON.stringify([...api])}; screen ${JSON.stringify(shown)}`;
}


// ------------------------------------------------------------------------------------------------ Elasticsearch

const LOGS_NS = `faults-logs-${id}`;
const LOGGER = 'logger-0';
/** The probes' documents go to an index of their own under the console's pattern, deleted afterwards (the lab's Elasticsearch has no delete-by-query). */
const PROBE_INDEX = `warroom-logs-faults-${id}`;

async function es(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<Json> {
  const r = await fetch(`${esUrl}${path}`, { method, headers: { 'content-type': contentType }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await r.text();
  expect(r.status, `${method} ${path}: ${text.slice(0, 300)}`).toBeLessThan(300);
  return JSON.parse(text || '{}');
}

/** A log document of the probe's pod in the lab's layout (what the shipper writes), `message` as given. */
function logDoc(pod: Json, ts: number, message: string): Json {
  return {
    '@timestamp': new Date(ts).toISOString(),
    message,
    log: { level: 'info' },
    stream: 'stdout',
    orchestrator: { cluster: { name: context } },
    kubernetes: { namespace: LOGS_NS, pod: { name: pod.metadata.name, uid: pod.metadata.uid }, node: { name: pod.spec.nodeName }, container: { name: 'app' } },
  };
}

/** Indexes `[ts, message]` lines for the pod in bulk (raw NDJSON lines may be given as `raw`), then refreshes. */
async function indexLines(pod: Json, lines: Array<[number, string]>, raw: string[] = []): Promise<void> {
  const ndjson = [...lines.flatMap(([ts, m]) => [JSON.stringify({ index: { _index: PROBE_INDEX } }), JSON.stringify(logDoc(pod, ts, m))]), ...raw];
  for (let i = 0; i < ndjson.length; i += 4000) {
    const res = await es('POST', '/_bulk', ndjson.slice(i, i + 4000).join('\n') + '\n', 'application/x-ndjson');
    expect(res.errors, JSON.stringify(res.items?.find((x: Json) => x.index?.error))?.slice(0, 300)).toBe(false);
  }
  await es('POST', `/${PROBE_INDEX}/_refresh`);
}

/** The messages the index holds for the probe's pod, oldest first. */
async function indexedMessages(): Promise<string[]> {
  const res = await es('POST', `/${PROBE_INDEX}/_search`, {
    size: 10_000,
    query: { bool: { filter: [{ term: { 'kubernetes.namespace': LOGS_NS } }, { term: { 'orchestrator.cluster.name': context } }] } },
    sort: [{ '@timestamp': 'asc' }],
    _source: ['message'],
  });
  return (res.hits.hits as Json[]).map((h) => h._source.message as string);
}

/** A namespace with one Running pod, whose log lines only this probe writes (the shipper ships the seeded systems'). */
async function loggerPod(ns: string): Promise<Json> {
  await ok(admin.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } }));
  await ok(admin.request(`/api/v1/namespaces/${ns}/pods`, { method: 'POST', body: podBody(LOGGER) }));
  let pod: Json;
  await eventually(async () => {
    pod = json(await admin.request(`/api/v1/namespaces/${ns}/pods/${LOGGER}`));
    return pod.status?.phase === 'Running' || `phase ${pod.status?.phase}`;
  }, 60_000);
  return pod!;
}

/** Opens the logs of the namespace's one pod; resolves once the pane reads Elasticsearch. */
async function openLogs(c: ConsoleUnderTest, ns: string): Promise<void> {
  await c.waitFor('● live', 30_000);
  await command(c, `pods ${ns}`);
  await c.waitFor(new RegExp(`^.\\s*${LOGGER}\\s.*Running`, 'm'), 30_000);
  c.press('l');
  await c.waitFor(`› ${ns} › Logs (pod)`);
  await c.waitFor(`source: Elasticsearch ${esUrl} index warroom-logs-* orchestrator.cluster.name=${context}`, 30_000);
}

/** The probe's sequence numbers as the screen shows them, in screen order (a repeated line shows twice). */
const shownSeqs = (c: ConsoleUnderTest): number[] => [...c.text().matchAll(/fault-probe seq=(\d{4})/g)].map((m) => Number(m[1]));
const seqLine = (n: number, what: string) => `fault-probe seq=${String(n).padStart(4, '0')} ${what}`;
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

// ------------------------------------------------------------------------------------------------ Prometheus

/** The braille cells of the charts on the screen, and how many of them are drawn dim (greyed). */
function chartCells(c: ConsoleUnderTest): { cells: number; dim: number } {
  const b = c.term.buffer.active;
  let cells = 0;
  let dim = 0;
  for (let y = 0; y < c.term.rows; y++) {
    const line = b.getLine(b.viewportY + y);
    for (let x = 0; line && x < c.term.cols; x++) {
      const cell = line.getCell(x);
      const cp = cell?.getChars().codePointAt(0) ?? 0;
      // Dots only: a blank braille cell (U+2800) shows nothing either way.
      if (cp > 0x2800 && cp <= 0x28ff) {
        cells++;
        if (cell!.isDim()) dim++;
      }
    }
  }
  return { cells, dim };
}

describe.skipIf(!haveLab)('fault probes against the lab', () => {
  it('kube-apiserver killed while pods are watched, pods created and deleted meanwhile (through a second apiserver): reconnecting, then live with exactly the API\'s pods', async () => {
    await ok(admin.request('/api/v1/namespaces', { method: 'POST', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: PROBE_NS } } }));
    let down = false;
    let peer = false;
    try {
      for (let i = 0; i < 12; i++) await ok(admin.request(`/api/v1/namespaces/${PROBE_NS}/pods`, { method: 'POST', body: podBody(probePod(i)) }));
      await eventually(async () => [...(await apiPods(admin)).values()].filter((p) => p === 'Running').length === 12 || 'not all 12 Running yet', 60_000);

      const c = open();
      await c.waitFor('● live', 30_000);
      await command(c, `pods ${PROBE_NS}`);
      await c.waitFor(`Systems › ${PROBE_NS} › Pods`);
      await eventually(() => screenMatchesApi(c));

      await lab('stop', '--kill', 'kube-apiserver');
      down = true;
      await c.waitFor(/◌ reconnecting|● stale since/, 30_000);
      // The pods listed are kept while the server is away.
      expect(screenPods(c).map(([n]) => n).sort()).toEqual(Array.from({ length: 12 }, (_, i) => probePod(i)));

      // An HA peer on the same etcd changes the cluster while the console's apiserver is down.
      const started = await lab('start', 'kube-apiserver-peer');
      peer = true;
      const other = client(/on (127\.0\.0\.1:\d+)/.exec(started)![1].replace(/^/, 'https://'));
      for (let i = 0; i < 4; i++) await ok(other.request(`/api/v1/namespaces/${PROBE_NS}/pods/${probePod(i)}?gracePeriodSeconds=0`, { method: 'DELETE' }));
      for (let i = 12; i < 16; i++) await ok(other.request(`/api/v1/namespaces/${PROBE_NS}/pods`, { method: 'POST', body: podBody(probePod(i)) }));
      expect([...(await apiPods(other)).keys()].sort()).toEqual(Array.from({ length: 12 }, (_, i) => probePod(i + 4)));

      await lab('start', 'kube-apiserver');
      down = false;
      await c.waitFor('● live', 60_000);
      await lab('stop', 'kube-apiserver-peer');
      peer = false;
      // No ghost of a pod deleted meanwhile, none missing, none twice, each in its phase as the server has it
      // (the new ones go Pending -> Running as the scheduler and kwok catch up).
      await eventually(() => screenMatchesApi(c), 60_000);
      await eventually(async () => [...(await apiPods(admin)).values()].every((p) => p === 'Running') || 'new pods not Running yet', 60_000);
      await eventually(() => screenMatchesApi(c), 30_000);
      expect(c.text()).toMatch(new RegExp(`Systems › ${PROBE_NS} › Pods\\s+\\(12\\)`));
    } finally {
      if (down) await lab('start', 'kube-apiserver');
      if (peer) await lab('stop', 'kube-apiserver-peer');
      await admin.request(`/api/v1/namespaces/${PROBE_NS}`, { method: 'DELETE' });
    }
  }, 300_000);

  it('Elasticsearch stopped while a logs pane follows, then started: one line naming the URL, the lines kept, following resumes with every indexed line once', async () => {
    let stopped = false;
    try {
      const pod = await loggerPod(LOGS_NS);
      const t0 = Date.now() - 60_000;
      await indexLines(pod, range(1, 20).map((n) => [t0 + n * 100, seqLine(n, 'before')]));
      const c = open({ rows: 60 });
      await openLogs(c, LOGS_NS);
      await c.waitFor(() => shownSeqs(c).length === 20);
      await indexLines(pod, range(21, 25).map((n) => [Date.now(), seqLine(n, 'followed')]));
      await c.waitFor(() => shownSeqs(c).includes(25), 20_000);

      await lab('stop', 'elasticsearch');
      stopped = true;
      const downAt = Date.now();
      const problem = `cannot reach Elasticsearch at ${esUrl}: connection refused`;
      await c.waitFor(problem, 30_000);
      expect(c.text().split(problem).length - 1, c.text()).toBe(1);
      expect(shownSeqs(c)).toEqual(range(1, 25));

      await lab('start', 'elasticsearch');
      stopped = false;
      // A shipper that buffered through the outage sends its lines late, stamped when they were written; then new ones.
      await indexLines(pod, [...range(26, 30).map((n): [number, string] => [downAt + n, seqLine(n, 'buffered')]), ...range(31, 35).map((n): [number, string] => [Date.now(), seqLine(n, 'after')])]);
      await c.waitFor(() => shownSeqs(c).includes(35), 60_000);
      await c.waitFor(() => !c.text().includes(problem), 30_000);
      expect(shownSeqs(c)).toEqual(range(1, 35));
      expect((await indexedMessages()).map((m) => Number(/seq=(\d+)/.exec(m)![1]))).toEqual(range(1, 35));
    } finally {
      if (stopped) await lab('start', 'elasticsearch');
      await es('DELETE', `/${PROBE_INDEX}`);
      await admin.request(`/api/v1/namespaces/${LOGS_NS}`, { method: 'DELETE' });
    }
  }, 300_000);

  it('Prometheus stopped while a metrics pane refreshes, then started: one line naming the URL, the last charts greyed with their age, then fresh', async () => {
    let stopped = false;
    try {
      const c = open();
      await c.waitFor('● live', 30_000);
      await command(c, 'ns trade');
      await c.waitFor(/Systems › trade › Applications/);
      await c.waitFor(/APPLICATION.*DESIRED/);
      c.press('m');
      await c.waitFor(/› Metrics/);
      const fresh = new RegExp(`${promUrl.replace(/[.:/]/g, '\\$&')} \\{cluster="${context}"\\}\\s+updated \\d+s ago`);
      await c.waitFor((s) => fresh.test(s) && chartCells(c).cells > 20, 30_000);
      expect(chartCells(c).dim).toBe(0);

      await lab('stop', 'prometheus');
      stopped = true;
      const problem = `cannot reach Prometheus at ${promUrl}`;
      // The next refresh (every 10 s) fails: one line with the URL and the age of what is shown; the charts stay, greyed.
      const down = await c.waitFor((s) => s.includes(problem) && /showing data from \d+s ago; retrying in \d+s/.test(s), 40_000);
      // The pane says it once (the lab's alerts come from the same Prometheus: the status line may say so for them).
      expect(down.split('\n').filter((l) => l.includes(problem) && !l.startsWith(` alerts of ${context}:`)), down).toHaveLength(1);
      const greyed = chartCells(c);
      expect(greyed.cells).toBeGreaterThan(20);
      expect(greyed.dim).toBe(greyed.cells);

      await lab('start', 'prometheus');
      stopped = false;
      await c.waitFor((s) => !s.includes(problem) && fresh.test(s), 60_000);
      await c.waitFor(() => chartCells(c).cells > 20 && chartCells(c).dim === 0);
    } finally {
      if (stopped) await lab('start', 'prometheus');
    }
  }, 180_000);
});
