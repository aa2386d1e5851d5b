import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { KubeSession } from '../../../src/platform/kube/kubeSession.js';
import { ContainerResume } from '../../../src/platform/logs/kubeLogResume.js';
import { KubeLogSource } from '../../../src/platform/logs/kubeLogSource.js';
import type { RawLogRecord } from '../../../src/platform/logs/logLine.js';
import { DEFAULT_QUERY } from '../../../src/platform/logs/logQuery.js';
import { ManualClock } from '../../support/manualClock.js';

describe('ContainerResume (stern-style reconnect)', () => {
  it('skips what a reconnect from the same second sends again, keeping lines that share a timestamp', () => {
    const r = new ContainerResume();
    r.restart();
    const first = ['2026-08-21T10:00:00.100000000Z a', '2026-08-21T10:00:00.500000000Z b1', '2026-08-21T10:00:00.500000000Z b2'];
    expect(first.map((l) => r.accept(l)?.text)).toEqual(['a', 'b1', 'b2']);
    expect(r.sinceTime()).toBe('2026-08-21T10:00:00Z');
    // The reconnect (sinceTime has second precision) replays the whole second, then more.
    r.restart();
    const again = [...first, '2026-08-21T10:00:00.500000000Z b3', '2026-08-21T10:00:01.000000000Z c'];
    expect(again.map((l) => r.accept(l)?.text)).toEqual([undefined, undefined, undefined, 'b3', 'c']);
  });
  it('gives each line a stable key (timestamp and rank at it)', () => {
    const r = new ContainerResume();
    r.restart();
    const a = r.accept('2026-08-21T10:00:00.5Z x')!;
    const b = r.accept('2026-08-21T10:00:00.5Z y')!;
    expect(a.key).not.toBe(b.key);
    expect(a.ts).toBe(Date.parse('2026-08-21T10:00:00.500Z'));
  });
});

/** A Kubernetes session that answers pods and pods/log from scripts (only what the source calls). */
function fakeSession(streams: Record<string, string[][]>): { session: KubeSession; requests: Array<Record<string, unknown>> } {
  const requests: Array<Record<string, unknown>> = [];
  const served: Record<string, number> = {};
  const session = {
    contextName: 'test',
    async getJson(path: string) {
      if (path.endsWith('/pods')) return { items: [{ metadata: { name: 'web-5d8f9c7b6-abcde' }, spec: { containers: [{ name: 'app' }] } }, { metadata: { name: 'web-5d8f9c7b6-fghij' }, spec: { containers: [{ name: 'app' }] } }, { metadata: { name: 'other-0' }, spec: { containers: [{ name: 'db' }] } }] };
      throw new Error(`unexpected ${path}`);
    },
    async openLineStream(path: string, query: Record<string, unknown>) {
      const pod = path.split('/')[6];
      requests.push({ pod, ...query });
      const key = `${pod}/${query.follow ? 'follow' : 'once'}`;
      const n = (served[key] = (served[key] ?? 0) + 1) - 1;
      const lines = streams[key]?.[n] ?? (query.follow ? null : []);
      if (lines === null) return Readable.from((async function* () { yield* []; await new Promise(() => undefined); })());
      return Readable.from(lines, { objectMode: true });
    },
  };
  // Only the members the source uses are implemented; the rest of KubeSession is not needed here.
  return { session: session as unknown as KubeSession, requests };
}

describe('KubeLogSource', () => {
  it('reads every pod of an application, merged in time order, and follows across a reconnect without repeats', async () => {
    const t = (s: string, text: string) => `2026-08-21T10:00:${s}Z ${text}`;
    const { session, requests } = fakeSession({
      'web-5d8f9c7b6-abcde/once': [[t('01.0', 'a1'), t('03.0', 'a2')]],
      'web-5d8f9c7b6-fghij/once': [[t('02.0', 'b1')]],
      // First follow stream ends after one new line; the reconnect replays the second and adds one.
      'web-5d8f9c7b6-abcde/follow': [[t('03.0', 'a2'), t('04.0', 'a3')], [t('04.0', 'a3'), t('05.0', 'a4')]],
    });
    const clock = new ManualClock(Date.parse('2026-08-21T10:00:06Z'));
    const source = new KubeLogSource(() => session, { clock });
    const s = source.open({ scope: { kind: 'application', namespace: 'shop', app: { kind: 'Deployment', name: 'web' } }, query: DEFAULT_QUERY, pageSize: 100 });
    const ac = new AbortController();
    const page = await s.initial(ac.signal);
    expect(page.records.map((r) => r.message)).toEqual(['a1', 'b1', 'a2']);
    expect(page.records.every((r) => r.pod.startsWith('web-'))).toBe(true);
    const got: RawLogRecord[] = [];
    const followed = new Promise<void>((resolve) => {
      s.follow({ lines: (rs) => { got.push(...rs); if (got.length >= 2) resolve(); }, error: () => undefined }, ac.signal);
    });
    // The first stream ends: the source waits its back-off (1 s of its clock), then reconnects.
    await clock.next();
    await followed;
    ac.abort();
    expect(got.map((r) => r.message)).toEqual(['a3', 'a4']);
    const reconnect = requests.filter((r) => r.pod === 'web-5d8f9c7b6-abcde' && r.follow);
    expect(reconnect[0].sinceTime).toBe('2026-08-21T10:00:03Z');
    expect(reconnect[1].sinceTime).toBe('2026-08-21T10:00:04Z');
  }, 10_000);

  it('applies the level filter and search words itself', async () => {
    const { session } = fakeSession({ 'web-5d8f9c7b6-abcde/once': [['2026-08-21T10:00:01Z INFO fine', '2026-08-21T10:00:02Z ERROR payment timeout', '2026-08-21T10:00:03Z ERROR disk full']] });
    const source = new KubeLogSource(() => session);
    const s = source.open({ scope: { kind: 'pod', namespace: 'shop', pod: 'web-5d8f9c7b6-abcde' }, query: { ...DEFAULT_QUERY, levels: 'errors', text: 'timeout' }, pageSize: 100 });
    // The pod scope reads the pod object; serve it through the list fake.
    (session as unknown as { getJson: (p: string) => Promise<unknown> }).getJson = async () => ({ metadata: { name: 'web-5d8f9c7b6-abcde' }, spec: { containers: [{ name: 'app' }] } });
    const page = await s.initial(new AbortController().signal);
    expect(page.records.map((r) => r.message)).toEqual(['ERROR payment timeout']);
  });
});
