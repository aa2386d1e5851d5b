import { afterEach, describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../../../src/config/alertsConfig.js';
import { startDemoAlertmanager, type DemoAlertmanager } from '../../../src/demo/alerts/alertmanagerServer.js';
import { DemoAlertRules } from '../../../src/demo/alerts/alertRules.js';
import { AlertStore } from '../../../src/platform/alerts/alertStore.js';
import type { ReadSession } from '../../../src/platform/kube/kubeSession.js';
import { ManualClock } from '../../support/manualClock.js';
import { fixtureWorld } from '../../support/alertFixture.js';

// The alert store of a context: polls its Alertmanager, keeps the last alerts when it stops
// answering, backs off (1 s doubling, not the refresh interval), says so once, and once more
// when it answers again.

const noSession = (() => {
  throw new Error('no Kubernetes session in this test');
}) as unknown as () => ReadSession;

let am: DemoAlertmanager | undefined;
let store: AlertStore | undefined;
afterEach(async () => {
  store?.stop();
  await am?.close();
});

const config = (url: string): AlertsConfig => ({ configPath: '', alertmanager: { url, auth: { kind: 'none' }, headers: {}, timeoutMs: 2000, refreshMs: 10_000 } });

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the alert store', () => {
  it('polls, keeps the last alerts while the source is down, backs off, and says so once each way', async () => {
    const rules = new DemoAlertRules(fixtureWorld());
    am = await startDemoAlertmanager({ rules });
    const port = am.port;
    const clock = new ManualClock();
    const said: string[] = [];
    const sleeps: number[] = [];
    const sleep = clock.sleep.bind(clock);
    clock.sleep = (ms, signal) => (sleeps.push(ms), sleep(ms, signal));
    store = new AlertStore({ context: 'prod', config: () => config(am!.url), session: noSession, clock, say: (t) => said.push(t), random: () => 0.5 });
    store.start();
    expect(store.status.kind).toBe('loading');
    await until('the first poll', () => store!.status.kind === 'live');
    const first = store.alerts().map((a) => a.name).sort();
    expect(first).toContain('KubePodCrashLooping');
    expect(store.criticalFiring()).toBe(1);
    expect(store.silences()?.length).toBe(2);
    await until('the refresh sleep', () => sleeps.length === 1);
    expect(sleeps).toEqual([10_000]);

    await am.close();
    am = undefined;
    await clock.next();
    await until('the failure', () => store!.status.kind === 'failing');
    expect(store.alerts().map((a) => a.name).sort()).toEqual(first);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^alerts of prod: cannot reach Alertmanager at http:\/\/127\.0\.0\.1:\d+: connection (refused|reset); retrying with backoff/);
    // Retries back off from a second, doubling; nothing more is said while it stays down.
    for (let i = 0; i < 3; i++) {
      await until(`retry ${i + 1}`, () => sleeps.length === 2 + i);
      await clock.next();
    }
    expect(sleeps.slice(1, 4)).toEqual([1000, 2000, 4000]);
    expect(said).toHaveLength(1);

    am = await startDemoAlertmanager({ rules, port });
    await until('the retry sleep', () => sleeps.length === 5);
    await clock.next();
    await until('the recovery', () => store!.status.kind === 'live');
    expect(said).toHaveLength(2);
    expect(said[1]).toMatch(/^alerts of prod: Alertmanager at http:\/\/127\.0\.0\.1:\d+ answers again$/);
  });

  it('stays off, with nothing in the header, for a context without an alert source; a missing secret is a problem', () => {
    store = new AlertStore({ context: 'prod', config: () => ({ configPath: '' }), session: noSession });
    store.start();
    expect(store.status).toEqual({ kind: 'off' });
    expect(store.configured()).toBe(false);
    const missing = new AlertStore({ context: 'prod', config: () => ({ configPath: '', problem: 'the token variable AM_TOKEN is not set' }), session: noSession });
    missing.start();
    expect(missing.status).toEqual({ kind: 'off', problem: 'the token variable AM_TOKEN is not set' });
  });
});
