import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Screen tests of alerts and silences at 80x24, in process, against the demo platform: its
// Prometheus fires alerts as its pods crash-loop, its Alertmanager groups, inhibits and silences.

const fixture = demoPerFile({ pods: 300, churn: false, seed: 7 });
const stateDir = scratchDir('warroom-alerts-ui-');
const auditFile = join(stateDir, 'audit.jsonl');
// Where the config's defaults put the audit file (this test file runs in a process of its own).
process.env.WARROOM_AUDIT_FILE = auditFile;

function audit(): Array<Record<string, unknown>> {
  try {
    return readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

const small = { cols: 80, rows: 24 };

/** The header's count of firing critical alerts. */
async function headerCount(c: ConsoleScreen): Promise<number> {
  const screen = await c.waitFor(/✗ \d+ critical|0 critical/);
  return Number(/✗ (\d+) critical/.exec(screen.split('\n')[0])?.[1] ?? 0);
}

async function toAlerts(c: ConsoleScreen): Promise<string[]> {
  await c.waitFor('● live');
  await c.type(':alerts\r');
  await c.waitFor(/SEVERITY.*ALERT.*TARGET.*STATE/);
  await c.waitFor('KubePodCrashLooping');
  return alertRows(c);
}

/** The table's rows as drawn (below the column titles, above the status line). */
function alertRows(c: ConsoleScreen): string[] {
  const lines = c.lines();
  const head = lines.findIndex((l) => /SEVERITY.*ALERT/.test(l));
  // The last two lines are the status line and the one Ink leaves empty (the root is rows - 1 high).
  return lines.slice(head + 1, -2).filter((l) => l.trim());
}

/** The demo Alertmanager's crash-looping pods, newest first (the list's order within critical). */
async function crashLoopingPods(): Promise<string[]> {
  const res = await fetch(`${fixture.demo.alertmanagerUrl}/api/v2/alerts?filter=${encodeURIComponent('alertname="KubePodCrashLooping"')}`);
  const alerts = (await res.json()) as Array<{ labels: Record<string, string>; startsAt: string }>;
  return alerts.sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt)).map((a) => a.labels.pod);
}

describe('alerts and silences on the demo platform (80x24)', () => {
  it(':alerts lists the crash-loop alerts first, critical and firing, with pending and inhibited ones below; the header counts the firing critical ones', async () => {
    const c = await fixture.open(small);
    const count = await headerCount(c);
    const rows = await toAlerts(c);
    // Critical first: every crash-loop alert, firing, before any other severity.
    const critical = rows.filter((r) => r.includes('✗ critical'));
    expect(critical.length).toBeGreaterThan(0);
    expect(rows.slice(0, critical.length)).toEqual(critical);
    for (const r of critical) expect(r).toMatch(/✗ critical\s+KubePodCrashLooping\s+\S+\s+firing\s+\d+[smh]/);
    expect(count).toBe(critical.length);
    // Severity is in words and a symbol (no colour needed); states Prometheus and Alertmanager tell apart.
    expect(rows.some((r) => /! warning\s+KubePodNotReady\s+\S+\s+pending/.test(r))).toBe(true);
    expect(rows.some((r) => /! warning\s+KubeDeploymentReplicasMis…\s+\S+\s+inhibited/.test(r))).toBe(true);
    expect(rows.at(-1)).toMatch(/· none\s+Watchdog\s+firing/);
    expect(c.screen()).toMatch(/Alerts {2}\(\d+\)/);
    // The header's count is on every screen.
    c.press(keys.esc);
    await c.waitFor(/SYSTEM.*APPS/);
    expect(c.lines()[0]).toContain(`✗ ${count} critical`);
  });

  it('Enter on a crash-loop alert opens its pod in the pod detail; i shows what the alert says', async () => {
    const c = await fixture.open(small);
    await toAlerts(c);
    const [newest] = await crashLoopingPods();
    c.press('i');
    await c.waitFor(/description\s+Pod \S+/);
    const detail = c.screen();
    expect(detail).toContain(`pod=${newest}`);
    expect(detail).toMatch(/group\s+alertname=KubePodCrashLooping,namespace=\S+ → pager/);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('description'));
    c.press(keys.enter);
    await c.waitFor('Containers');
    const screen = await c.waitFor('CrashLoopBackOff');
    expect(screen.split('\n')[1]).toMatch(/Systems › \S+ › Applications › \S+ › Pods/);
    expect(screen).toContain(newest);
    c.press(keys.esc);
    await c.waitFor(/SEVERITY.*ALERT/);
  });

  it('S silences an alert after a preview of what it matches: the alert shows silenced and leaves the header count; :silences lists it and x expires it', async () => {
    const c = await fixture.open(small);
    const count = await headerCount(c);
    await toAlerts(c);
    const [pod] = await crashLoopingPods();
    c.press('S');
    await c.waitFor('Matchers');
    const dialog = c.screen();
    expect(dialog).toContain('[x] alertname="KubePodCrashLooping"');
    expect(dialog).toContain(`[x] pod="${pod}"`);
    expect(dialog).toMatch(/Duration\s+2h/);
    // No comment, no preview.
    c.press(keys.enter);
    await c.waitFor('a comment is required');
    await c.type('INC-42 known crash loop');
    c.press(keys.enter);
    await c.waitFor(/matches\s+1 alert now: KubePodCrashLooping/);
    expect(c.screen()).toMatch(/access\s+Alertmanager has no Kubernetes RBAC and no dry-run/);
    // Nothing is sent before the preview is confirmed.
    expect(audit().filter((r) => r.action === 'silence')).toEqual([]);
    c.press(keys.enter);
    await c.waitFor(/silence \S+ created: 1 alert silenced for 2h/);
    await c.waitFor((s) => alertRows(c).some((r) => /KubePodCrashLooping\s+\S+\s+silenced/.test(r)) && s.split('\n')[0].includes(count > 1 ? `✗ ${count - 1} critical` : '0 critical'));
    const created = audit().find((r) => r.action === 'silence');
    expect(created).toMatchObject({ kind: 'Silence', namespace: expect.any(String), comment: 'INC-42 known crash loop', dryRun: 'none (Alertmanager has no dry-run)', outcome: expect.stringMatching(/^applied: silence [0-9a-f-]{36}$/) });
    expect(created!.name).toContain(`pod="${pod}"`);
    const id = /silence (\S+)$/.exec(String(created!.outcome))![1];

    await c.type(':silences\r');
    await c.waitFor(/STATE.*MATCHERS.*ENDS/);
    await c.waitFor(/active\s+alertname="KubePodCrashLooping".*in (1h59m|2h)/);
    expect(c.selectedRow()).toMatch(/^\s*active\s+alertname="KubePodCrashLooping"/);
    c.press('x');
    await c.waitFor(/brings back\s+1 alert it silences now/);
    expect(c.screen()).toContain(`Expire silence ${id}`);
    c.press(keys.enter);
    await c.waitFor(`silence ${id} expired: 1 alert notify again`);
    await c.waitFor(/expired\s+alertname="KubePodCrashLooping"/);
    await c.waitFor((s) => s.split('\n')[0].includes(`✗ ${count} critical`));
    expect(audit().find((r) => r.action === 'expire-silence')).toMatchObject({ name: id, to: 'expired', outcome: 'applied' });
  });

  it('a read-only context refuses S before any dialog, and the refusal is audited', async () => {
    const c = await fixture.open({ ...small, readOnly: true });
    await toAlerts(c);
    c.press('S');
    await c.waitFor("silence refused: context 'warroom-demo' is read-only");
    expect(c.screen()).not.toContain('Matchers');
    await c.waitFor(() => audit().some((r) => r.action === 'silence' && String(r.outcome).startsWith('refused: read-only')));
  });

  it('with only Prometheus configured, alerts come from its rules (firing and pending), and S says silences need an Alertmanager', async () => {
    const config = join(stateDir, 'prometheus-only.yaml');
    writeFileSync(config, `contexts:\n  ${fixture.demo.context}:\n    prometheus: {url: "${fixture.demo.prometheusUrl}"}\n`);
    const c = await fixture.open({ ...small, configPath: config });
    const rows = await toAlerts(c);
    expect(rows[0]).toMatch(/✗ critical\s+KubePodCrashLooping\s+\S+\s+firing/);
    expect(rows.some((r) => /KubePodNotReady\s+\S+\s+pending/.test(r))).toBe(true);
    // Prometheus does not know Alertmanager's inhibitions: the mismatch fires.
    expect(rows.some((r) => /inhibited/.test(r))).toBe(false);
    c.press('S');
    await c.waitFor(`silences need an Alertmanager: add contexts.${fixture.demo.context}.alertmanager.url`);
    await c.type(':silences\r');
    await c.waitFor("silences are Alertmanager's");
  });

  it('without an alert source the header shows no count, and :alerts says how to add one', async () => {
    const c = await fixture.open({ ...small, configPath: '/dev/null' });
    await c.waitFor('● live');
    expect(c.lines()[0]).not.toMatch(/critical|alerts/);
    await c.type(':alerts\r');
    const screen = await c.waitFor(/no alert source for context warroom-demo: add\s+contexts\.warroom-demo\.alertmanager\.url/);
    expect(screen).toContain('(0)');
  });
});
