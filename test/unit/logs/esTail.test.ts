import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLogStore, type RunningLogStore } from '../../../src/demo/logs/logStoreServer.js';
import { staticPodView, type DemoLogPod } from '../../../src/demo/logs/podView.js';
import { EsLogSource } from '../../../src/platform/logs/esLogSource.js';
import { FIELD_PRESETS } from '../../../src/platform/logs/fieldMapping.js';
import type { RawLogRecord } from '../../../src/platform/logs/logLine.js';
import { DEFAULT_QUERY } from '../../../src/platform/logs/logQuery.js';
import { ManualClock } from '../../support/manualClock.js';

// Following a system that writes more lines in the late window than one poll may read
// (20 pages of 1,000): the tail must still show new lines, not re-read the window forever.
// The store and the tail share a manual clock: the tail's polls wait their intervals on it,
// the store generates the lines of the time it shows, and nothing waits real seconds.

let store: RunningLogStore;
const clock = new ManualClock();

beforeAll(async () => {
  const now = clock.now();
  const pods: DemoLogPod[] = Array.from({ length: 1000 }, (_, i) => ({ namespace: 'busy', name: `api-6d9f7c5b8-p${String(i).padStart(4, '0')}`, uid: `uid-busy-${i}`, containers: ['api', 'proxy'], deployment: 'api', runningSince: now - 3_600_000, restarts: 0 }));
  // 2,000 containers at 2.5 lines/s each: 5,000 lines a second, 25,000 in a 5 s late window.
  store = await startLogStore(staticPodView(pods), { generator: { periodMs: 400, burstFactor: 10 }, now: () => clock.now() });
});
afterAll(() => store?.close());

describe('Elasticsearch tail at thousands of lines a second', () => {
  it('keeps showing new lines, each once', async () => {
    const source = new EsLogSource({ urls: [store.url], auth: { kind: 'none' }, index: 'warroom-logs-*', fields: FIELD_PRESETS.ecs.fields, preset: 'ecs', lateWindowMs: 5000, requestTimeoutMs: 20_000 }, { clock });
    const session = source.open({ scope: { kind: 'system', namespace: 'busy' }, query: DEFAULT_QUERY, pageSize: 200 });
    const page = await session.initial(new AbortController().signal);
    const newestShown = page.records[page.records.length - 1].ts;
    const got: RawLogRecord[] = [];
    const ac = new AbortController();
    session.follow({ lines: (rs) => void got.push(...rs), error: (e) => void got.push({ id: `error ${e.message}`, ts: 0, namespace: '', pod: '', container: '', message: e.message }) }, ac.signal);
    const started = clock.now();
    while (clock.now() - started < 15_000 && !got.some((r) => r.ts > newestShown + 2000)) await clock.next();
    ac.abort();
    session.close();
    source.dispose();
    expect(got.filter((r) => r.id.startsWith('error'))).toEqual([]);
    expect(got.some((r) => r.ts > newestShown + 2000), 'no line newer than the first screen arrived').toBe(true);
    expect(new Set(got.map((r) => r.id)).size).toBe(got.length);
  }, 30_000);
});
