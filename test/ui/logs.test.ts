import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { startLogStore, type RunningLogStore } from '../../src/demo/logs/logStoreServer.js';
import type { DemoLogPod, DemoPodView } from '../../src/demo/logs/podView.js';
import { demoPerFile, keys, sleep, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Screen tests of the logs pane, in process: open an application's logs, follow, pause, search with a
// highlighted match, and the fallback message when Elasticsearch is down. The demo log
// store runs here, fed with the demo platform's pods read over its API.

const fixture = demoPerFile({ pods: 200, churn: false, seed: 11 });
let store: RunningLogStore;
let pods: DemoLogPod[] = [];
let refresh: NodeJS.Timeout;
let dir: string;

interface PodJson {
  metadata: { name: string; namespace: string; uid: string; labels?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string }> };
  spec: { containers: Array<{ name: string }>; nodeName?: string };
  status: { phase?: string; startTime?: string; containerStatuses?: Array<{ restartCount?: number; state?: { running?: { startedAt?: string } } }> };
}

async function readPods(): Promise<DemoLogPod[]> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}/api/v1/pods`, { headers: init.headers });
  const list = (await res.json()) as { items: PodJson[] };
  return list.items.map((p) => {
    const owner = p.metadata.ownerReferences?.[0];
    const started = p.status.containerStatuses?.[0]?.state?.running?.startedAt ?? (p.status.phase === 'Running' ? p.status.startTime : undefined);
    return {
      namespace: p.metadata.namespace,
      name: p.metadata.name,
      uid: p.metadata.uid,
      containers: p.spec.containers.map((c) => c.name),
      deployment: owner?.kind === 'ReplicaSet' ? owner.name.replace(/-[a-z0-9]+$/, '') : undefined,
      statefulSet: owner?.kind === 'StatefulSet' ? owner.name : undefined,
      // History before the demo started: as if the pods had been running for an hour.
      runningSince: started ? Date.parse(started) - 3_600_000 : undefined,
      restarts: p.status.containerStatuses?.[0]?.restartCount ?? 0,
    };
  });
}

const view: DemoPodView = {
  namespaces: () => [...new Set(pods.map((p) => p.namespace))],
  podsIn: (ns) => pods.filter((p) => p.namespace === ns),
  pod: (ns, name) => pods.find((p) => p.namespace === ns && p.name === name),
};

function configFor(url: string): string {
  const path = join(dir, `config-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `contexts:\n  ${fixture.demo.context}:\n    elasticsearch:\n      urls: [${url}]\n      index: warroom-logs-*\n      fields: ecs\n      timeoutSeconds: 3\n`);
  return path;
}

beforeAll(async () => {
  pods = await readPods();
  refresh = setInterval(() => void readPods().then((p) => (pods = p), () => undefined), 3000);
  store = await startLogStore(view, { retentionMs: 30 * 60_000 });
  dir = scratchDir('warroom-logs-tty-');
});
afterAll(async () => {
  clearInterval(refresh);
  await store?.close();
});

function open(configPath: string, size = { cols: 140, rows: 34 }): Promise<ConsoleScreen> {
  return fixture.open({ configPath, ...size });
}

async function toFirstApp(c: ConsoleScreen): Promise<string> {
  await c.waitFor(/SYSTEM.*APPS.*PODS/);
  await c.waitFor('● live');
  c.press(keys.enter);
  await c.waitFor(/APPLICATION.*KIND.*DESIRED/);
  await c.waitFor((s) => /\b(deploy)\b/.test(s));
  // A Deployment (the pane's application scope matches its pods by name).
  for (let i = 0; i < 30 && !/\bdeploy\b/.test(c.selectedRow() ?? ''); i++) {
    c.press('j');
    await sleep(30);
  }
  return c.selectedRow()!.trim().split(/\s+/)[0];
}

describe('logs pane on the demo platform', () => {
  it('opens an application\'s logs from Elasticsearch, follows, pauses and resumes', async () => {
    const c = await open(configFor(store.url));
    const app = await toFirstApp(c);
    c.press('l');
    await c.waitFor(`application ${app}`);
    await c.waitFor(/source: Elasticsearch http:\/\/127\.0\.0\.1:\d+ index warroom-logs-\*/);
    await c.waitFor('FOLLOWING');
    // Lines with pod tags: the application's name, then its pod's generated parts.
    await c.waitFor(new RegExp(`\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ${app}-(\\S+-|…)?[a-z0-9]{5}(\\/\\S+)? `));
    // The strip counts the application's lines over the range once Elasticsearch answers.
    await c.waitFor(/[1-9]\d* lines \d+ err/);
    c.press(' ');
    await c.waitFor(/PAUSED — \d+ new lines waiting/);
    // The log lines (from row 5, below the title, source and strip) stay put while paused;
    // the strip itself may be refreshed meanwhile.
    const frozen = c.lines().slice(5, 20).join('\n');
    await c.waitFor((s) => /PAUSED — [1-9]\d* new lines waiting/.test(s), 15_000);
    expect(c.lines().slice(5, 20).join('\n')).toBe(frozen);
    c.press('G');
    await c.waitFor('FOLLOWING');
  }, 60_000);

  it('searches with a highlighted match and jumps with n', async () => {
    const c = await open(configFor(store.url));
    await toFirstApp(c);
    c.press('l');
    await c.waitFor('FOLLOWING');
    await c.waitFor(/\d\d:\d\d:\d\d\.\d{3} /);
    c.press('/');
    await c.type('timeout @errors');
    c.press(keys.enter);
    await c.waitFor('errors only · /timeout');
    await c.waitFor((s) => s.split('\n').slice(5).some((l) => /timeout/i.test(l)), 15_000);
    // The match is drawn inverse (SGR 7) around the term.
    await c.waitFor(() => /\x1b\[7m[^\x1b]*timeout/i.test(c.raw), 10_000);
    c.press('n');
    await c.waitFor('PAUSED');
    // A malformed query keeps the results and says why in one line; the title keeps the
    // search in effect and the breadcrumb marks the typed one as not applied.
    c.press('/');
    await c.type(' "unclosed');
    c.press(keys.enter);
    await c.waitFor(/⚠ not applied: \/timeout @errors "unclosed — query rejected: .*Cannot parse/);
    expect(c.lines()[1]).toMatch(/filter: timeout @errors "unclosed ✗ not applied/);
    expect(c.screen()).toContain('errors only · /timeout · ');
    expect(c.screen()).toMatch(/timeout/i);
  }, 60_000);

  it('at 80x24 jumps to a histogram bar (its range to the second) and Esc goes back to the live range, not out', async () => {
    const c = await open(configFor(store.url), { cols: 80, rows: 24 });
    await toFirstApp(c);
    c.press('l');
    await c.waitFor(/ · last 15m · all levels · FOLLOWING/);
    // The strip's counts and the follow state are whole at 80 columns.
    await c.waitFor(/^ [1-9]\d*k? lines \d+k? err /m);
    // The oldest bar of the strip: older than the lines held, so the range narrows to it.
    c.press('['.repeat(80));
    c.press(keys.enter);
    await c.waitFor(/ · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \.\. \d\d:\d\d:\d\d · all levels · PAUSED/);
    await c.waitFor('Esc: back to last 15m');
    c.press(keys.esc);
    await c.waitFor(/ · last 15m · all levels · FOLLOWING/);
    expect(c.lines()[1]).toMatch(/› Logs \(application\)/);
    // A rejected search at 80 columns: the breadcrumb keeps the filter and its mark in view.
    c.press('/');
    await c.type('"unclosed');
    c.press(keys.enter);
    await c.waitFor(/⚠ not applied: \/"unclosed — query rejected/);
    expect(c.lines()[1]).toMatch(/ Logs \(application\) {2}filter: "unclosed ✗ not applied\s*$/);
    expect(c.lines()[2]).toMatch(/ · last 15m · all levels · FOLLOWING/);
    c.press(keys.esc); // clears the filter, in the pane
    await c.waitFor((s) => !s.split('\n')[1].includes('filter:') && !s.includes('not applied'));
    expect(c.lines()[1]).toMatch(/› Logs \(application\)\s*$/);
    // Nothing left to go back to: the next Esc leaves the pane.
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*KIND.*DESIRED/);
  }, 60_000);

  it('falls back to the Kubernetes log API when Elasticsearch is down, and says so', async () => {
    const c = await open(configFor('http://127.0.0.1:9'));
    const app = await toFirstApp(c);
    c.press('l');
    await c.waitFor(`application ${app}`);
    await c.waitFor(/source: Kubernetes log API \(warroom-demo\) — Elasticsearch failed: cannot reach Elasticsearch at http:\/\/127\.0\.0\.1:9/, 20_000);
    await c.waitFor(/\d\d:\d\d:\d\d\.\d{3} /, 20_000);
  }, 60_000);

  it('keeps following from Elasticsearch through an outage: the lines stay, one line says it is unreachable, then new lines follow, none twice', async () => {
    // A relay in front of the demo's log store that can refuse connections, as an Elasticsearch being restarted.
    const sockets = new Set<net.Socket>();
    const relay = net.createServer((client) => {
      const upstream = net.connect(store.port, '127.0.0.1');
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('error', () => undefined);
        sock.on('close', () => sockets.delete(sock));
      }
      client.pipe(upstream).pipe(client);
    });
    const listen = (port = 0) => new Promise<number>((r) => relay.listen(port, '127.0.0.1', () => r((relay.address() as net.AddressInfo).port)));
    const port = await listen();
    const url = `http://127.0.0.1:${port}`;
    try {
      const c = await open(configFor(url), { cols: 160, rows: 40 });
      const app = await toFirstApp(c);
      c.press('l');
      await c.waitFor(`application ${app}`);
      await c.waitFor('FOLLOWING');
      const logLines = () => c.lines().slice(5, -2).filter((l) => /^\d\d:\d\d:\d\d\.\d{3} /.test(l));
      await c.waitFor(() => logLines().length > 10, 20_000);

      await new Promise<void>((r) => {
        relay.close(() => r());
        for (const sock of sockets) sock.destroy();
      });
      const problem = `cannot reach Elasticsearch at ${url}: connection refused`;
      await c.waitFor(problem, 20_000);
      const during = c.screen();
      expect(during.split(problem).length - 1).toBe(1);
      expect(during).toMatch(/\(retrying; lines kept\)/);
      expect(during).toMatch(new RegExp(`source: Elasticsearch ${url}`));
      expect(logLines().length).toBeGreaterThan(10);
      // What the pane holds (the screen shows its newest page; the catch-up after the outage can be longer than a page).
      const ring = () => c.runtime.ctx.logs.getSnapshot().ring.lines();
      const held = ring();
      const newestHeld = Math.max(...held.map((l) => l.ts));

      await listen(port);
      await c.waitFor((s) => !s.includes(problem), 30_000);
      // New lines arrive after the ones held, every held line is kept, and none is held twice.
      await c.waitFor(() => ring().some((l) => l.ts > newestHeld), 30_000);
      const after = ring().map((l) => l.id);
      expect(new Set(after).size).toBe(after.length);
      expect(held.every((l) => after.includes(l.id))).toBe(true);
      expect(c.screen()).toMatch(new RegExp(`source: Elasticsearch ${url}`));
      const shown = logLines();
      expect(new Set(shown).size).toBe(shown.length);
    } finally {
      relay.close();
      for (const sock of sockets) sock.destroy();
    }
  }, 90_000);
});
