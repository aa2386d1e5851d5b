import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertsConfig } from '../../../src/config/alertsConfig.js';
import { startDemoAlertmanager, type DemoAlertmanager } from '../../../src/demo/alerts/alertmanagerServer.js';
import { DemoAlertRules } from '../../../src/demo/alerts/alertRules.js';
import { ActionGate } from '../../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../../src/platform/actions/auditLog.js';
import { AlertStore } from '../../../src/platform/alerts/alertStore.js';
import { SilenceDialogStore } from '../../../src/platform/alerts/silenceDialogStore.js';
import type { KubeSession, ReadSession } from '../../../src/platform/kube/kubeSession.js';
import { fixtureWorld } from '../../support/alertFixture.js';
import { scratchDir } from '../../support/scratchDir.js';

// The silence dialogs as state machines, against the demo Alertmanager in process: what must be
// filled in before a preview, what the preview says, creation through the gate (audited), and
// the re-read before an expiry that finds someone else's change.

/** A session for the gate's audit records; an Alertmanager reached by URL never uses its requests. */
const session = { contextName: 'prod', clusterName: 'prod', server: 'https://prod.example', user: 'ana', contextNames: () => ['prod'] } as unknown as KubeSession;

let am: DemoAlertmanager;
let alerts: AlertStore;
let said: string[];
let auditFile: string;

function dialog(readOnly = false): SilenceDialogStore {
  const gate = new ActionGate({ session: () => session, policy: { global: readOnly, contexts: new Set() }, audit: new AuditLog(auditFile) });
  const config = (): AlertsConfig => ({ configPath: '', alertmanager: { url: am.url, auth: { kind: 'none' }, headers: {}, timeoutMs: 5000, refreshMs: 60_000 } });
  return new SilenceDialogStore({ context: 'prod', gate: () => gate, alerts, config, say: (t) => said.push(t) });
}

function audit(): Array<Record<string, unknown>> {
  try {
    return readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeEach(async () => {
  am = await startDemoAlertmanager({ rules: new DemoAlertRules(fixtureWorld()) });
  said = [];
  auditFile = join(scratchDir('warroom-silence-'), 'audit.jsonl');
  alerts = new AlertStore({ context: 'prod', config: () => ({ configPath: '', alertmanager: { url: am.url, auth: { kind: 'none' }, headers: {}, timeoutMs: 5000, refreshMs: 60_000 } }), session: (() => session) as unknown as () => ReadSession });
  alerts.start();
  await until('the alerts', () => alerts.status.kind === 'live');
});

afterEach(async () => {
  alerts.stop();
  await am.close();
});

const crash = () => alerts.alerts().find((a) => a.name === 'KubePodCrashLooping')!;

describe('the silence dialog', () => {
  it('prefills a matcher per label, and will not preview without a matcher that names a value, a duration or a comment', () => {
    const d = dialog();
    d.openCreate(crash());
    const s = d.getSnapshot()!;
    expect(s.matchers.map((m) => m.matcher.name)).toEqual(['alertname', 'namespace', 'pod', 'container', 'severity', 'job', 'reason']);
    expect(s.matchers.every((m) => m.on)).toBe(true);
    expect(s.focus).toBe(s.matchers.length + 1);
    d.enter();
    expect(d.getSnapshot()!.error).toMatch(/a comment is required/);
    d.type('INC-7');
    d.moveFocus(-1);
    d.type('2 hours');
    d.enter();
    expect(d.getSnapshot()!.error).toBe("'2 hours' is not a duration: type e.g. 2h, 30m, 1h30m or 1d");
    for (let i = 0; i < 12; i++) d.backspace();
    d.type('30m');
    // From the duration, down past the comment to the first matcher (the fields wrap round).
    d.moveFocus(1);
    // Space drops every matcher in turn: none left is refused.
    for (let i = 0; i < s.matchers.length; i++) {
      d.moveFocus(1);
      expect(d.toggleMatcher()).toBe(true);
    }
    // On the duration, Space is a space, not a toggle.
    d.moveFocus(1);
    expect(d.toggleMatcher()).toBe(false);
    d.enter();
    expect(d.getSnapshot()!.error).toMatch(/keep at least one matcher/);
    expect(d.getSnapshot()!.phase).toBe('edit');
  });

  it('previews what it matches, creates it through the gate with the comment audited, and the alert shows silenced', async () => {
    const d = dialog();
    const alert = crash();
    d.openCreate(alert);
    d.type('INC-7 known crash loop');
    d.enter();
    await until('the preview', () => d.getSnapshot()?.phase === 'preview');
    const p = d.getSnapshot()!.preview!;
    expect(p.matching.map((a) => a.labels.pod)).toEqual([alert.labels.pod]);
    expect(p.endsAt - p.startsAt).toBe(7_200_000);
    expect(p.access).toMatch(/no Kubernetes RBAC and no dry-run/);
    expect(audit()).toEqual([]);
    d.enter();
    await until('the silence', () => !d.isOpen);
    expect(said.at(-1)).toMatch(/^silence \S+ created: 1 alert silenced for 2h \(until \d\d:\d\d\)$/);
    const rec = audit()[0];
    expect(rec).toMatchObject({ action: 'silence', kind: 'Silence', namespace: 'cart', user: 'ana', context: 'prod', comment: 'INC-7 known crash loop', outcome: expect.stringMatching(/^applied: silence /) });
    expect(String(rec.to)).toMatch(/^until \d{4}-/);
    await until('the alert silenced', () => alerts.alerts().find((a) => a.key === alert.key)?.state === 'silenced');
    expect(alerts.criticalFiring()).toBe(0);
  });

  it('refuses on a read-only context before the dialog opens, and audits the refusal', async () => {
    const d = dialog(true);
    d.openCreate(crash());
    expect(d.isOpen).toBe(false);
    expect(said).toEqual(["silence refused: context 'prod' is read-only (started with --readonly)"]);
    await until('the audit record', () => audit().length === 1);
    expect(audit()[0]).toMatchObject({ action: 'silence', outcome: 'refused: read-only (--readonly)' });
  });

  it('re-reads a silence before expiring it: one someone else expired or changed meanwhile is said, not expired blindly', async () => {
    const post = async (body: unknown) => ((await (await fetch(`${am.url}/api/v2/silences`, { method: 'POST', body: JSON.stringify(body) })).json()) as { silenceID: string }).silenceID;
    const matchers = [{ name: 'namespace', value: 'cart', isRegex: false, isEqual: true }];
    const id = await post({ matchers, startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 3_600_000).toISOString(), createdBy: 'bo@jump-2', comment: 'deploy' });
    alerts.refreshNow();
    await until('the silence listed', () => alerts.silences()?.some((s) => s.id === id) === true);
    const listed = alerts.silences()!.find((s) => s.id === id)!;

    // Someone extends it: the preview says what changed.
    await post({ id, matchers, startsAt: new Date(listed.startsAt).toISOString(), endsAt: new Date(Date.now() + 7_200_000).toISOString(), createdBy: 'bo@jump-2', comment: 'deploy, longer' });
    const d = dialog();
    await d.openExpire(listed);
    const s = d.getSnapshot()!;
    expect(s.phase).toBe('preview');
    expect(s.conflict).toMatch(/^changed since listed \(by someone else\?\): it now ends \d\d:\d\d \(listed: \d\d:\d\d\); its comment is now "deploy, longer"$/);
    expect(s.silencedNow!.length).toBeGreaterThan(0);
    d.close();

    // Someone expires it: nothing to do, and nothing is sent.
    await fetch(`${am.url}/api/v2/silence/${id}`, { method: 'DELETE' });
    await d.openExpire(listed);
    expect(d.getSnapshot()).toMatchObject({ phase: 'done', conflict: expect.stringMatching(/^it expired meanwhile/) });
    expect(audit()).toEqual([]);
  });
});
