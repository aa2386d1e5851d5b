import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { demoPerFile, keys, sleep, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Screen tests of scale operations on the demo platform, in process: what the war room sees
// and types.
// Each test works on its own system so the tests do not depend on each other's changes.

const fixture = demoPerFile();
const stateDir = scratchDir('warroom-scale-tty-');
const auditFile = join(stateDir, 'audit.jsonl');


// The audit file is where the config's defaults put it: $WARROOM_AUDIT_FILE, read when a
// console's config is loaded (this file runs in a process of its own).
process.env.WARROOM_AUDIT_FILE = auditFile;

/** A console with no config file (defaults for everything). */
function open(opts: { readOnly?: boolean; context?: string; cols?: number; rows?: number } = {}): Promise<ConsoleScreen> {
  return fixture.open({ configPath: '/dev/null', ...opts });
}

function audit(): Array<Record<string, unknown>> {
  try {
    return readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

/** Opens the applications of a system with the list filtered to one application. */
async function selectApp(c: ConsoleScreen, system: string, app: string): Promise<void> {
  await c.waitFor('● live', 30_000);
  await c.type(`:apps ${system}`);
  c.press(keys.enter);
  await c.waitFor(new RegExp(`Systems › ${system} › Applications`));
  await c.waitFor(app);
  await c.type(`/${app}`);
  c.press(keys.enter);
  await c.waitFor((s) => c.selectedRow()?.includes(app) === true && s.includes(`filter: ${app}`));
}

const podRows = (c: ConsoleScreen, app: string) => c.lines().filter((l) => l.trim().startsWith(`${app}-`) && /\bRunning\b/.test(l) && /1\/1|2\/2/.test(l));

/** Someone else's change, made with the admin credentials straight to the API. */
async function scaleBehindTheConsole(namespace: string, name: string, replicas: number): Promise<void> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}/apis/apps/v1/namespaces/${namespace}/deployments/${name}/scale`, {
    method: 'PATCH',
    headers: { ...init.headers, 'Content-Type': 'application/merge-patch+json' },
    body: JSON.stringify({ spec: { replicas } }),
  });
  expect(res.status).toBe(200);
}

describe('scale operations on the demo platform', () => {
  it('scales an application from 3 to 5 with a dry-run preview, shows replicas becoming ready, and the pods appear', async () => {
    const c = await open();
    await selectApp(c, 'payment', 'refund-worker');
    expect(c.selectedRow()).toMatch(/refund-worker\s+deploy\s+\s*3\s/);
    c.press('s');
    await c.waitFor('Scale Deployment payment/refund-worker', 30_000);
    await c.waitFor(/desired 3\s+ready \d\/3/);
    c.press('+');
    await c.waitFor('replicas: 4█');
    c.press('+');
    await c.waitFor('replicas: 5█');
    c.press(keys.enter);
    await c.waitFor(/refund-worker\s+3\s+5\s+accepted/, 30_000);
    await c.waitFor('Enter applies 1 change');
    // Nothing changed yet: the preview was a dry-run.
    expect(audit().filter((r) => r.name === 'refund-worker')).toEqual([]);
    c.press(keys.enter);
    await c.waitFor(/refund-worker\s+3\s+5\s+applied/, 30_000);
    await c.waitFor(/refund-worker\s+3\s+5\s+applied\s+5\/5 ✓/, 60_000);
    await c.waitFor('1 applied; all ready at the new counts', 30_000);
    const rec = audit().find((r) => r.name === 'refund-worker')!;
    expect(rec).toMatchObject({ action: 'scale', context: 'warroom-demo', namespace: 'payment', kind: 'Deployment', from: 3, to: 5, dryRun: 'accepted', outcome: 'applied' });
    c.press(keys.esc);
    await c.waitFor(/refund-worker\s+deploy\s+\s*5\s/);
    c.press(keys.enter);
    await c.waitFor(/Applications › refund-worker › Pods/);
    await c.waitFor(() => podRows(c, 'refund-worker').length === 5, 30_000);
  }, 150_000);

  it('at 80x24 every text in the scale field shows what it leads to or, whole on one line, why it is not read; Enter on it sends nothing', async () => {
    const c = await open({ cols: 80, rows: 24 });
    await selectApp(c, 'payment', 'fraud-check');
    c.press('s');
    await c.waitFor('Scale Deployment payment/fraud-check', 30_000);
    const desired = Number(/desired (\d+)/.exec(await c.waitFor(/desired \d+/))![1]);
    const clear = async () => {
      for (let i = 0; i < 14; i++) c.press(keys.backspace);
      await c.waitFor('replicas: █');
    };
    const reasons: Array<[string, string]> = [
      ['abc', "'abc' is not a replica count: type 5, +2, -1, x2 or x1.5"],
      ['1e3', "'1e3' is exponent notation: type the count in digits (1000)"],
      ['1.5', "'1.5': replicas are whole: type 1 or 2 (x1.5 is a factor)"],
      ['x-1', "'x-1': a factor has no sign (x0.5 halves; -1 is a step)"],
      ['--5', "'--5' has two signs: a step has one (-5 is five fewer)"],
    ];
    for (const [text, reason] of reasons) {
      await clear();
      await c.type(text);
      await c.waitFor(`replicas: ${text}█`);
      await c.waitFor(reason);
      c.press(keys.enter);
      await sleep(300);
      // Still editing, the reason still on screen: nothing was previewed.
      await c.waitFor((s) => s.includes(`replicas: ${text}█`) && s.includes(reason) && !s.includes('DRY-RUN'));
    }
    await clear();
    c.press(keys.enter);
    await c.waitFor('type a number (5), a step (+2, -1) or a factor (x2, x1.5)');
    await c.type('1'.repeat(20));
    await c.waitFor(`replicas: ${'1'.repeat(12)}█`);
    await c.waitFor('at most 12 characters in this field');
    // The help says a leading sign is a step: -1 is one fewer.
    await clear();
    await c.type('-1');
    await c.waitFor(`means ${desired} -> ${desired - 1} replicas (a step of -1)`);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`fraud-check\\s+${desired}\\s+${desired - 1}\\s+accepted`), 30_000);
    c.press(keys.esc);
    await c.waitFor('replicas: -1█');
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Scale Deployment'));
    expect(audit().filter((r) => r.name === 'fraud-check')).toEqual([]);
  }, 120_000);

  it('scaling to zero asks for the system name to be typed; u then restores the previous count', async () => {
    const c = await open();
    await selectApp(c, 'notification', 'sms-sender');
    const desired = Number(/sms-sender\s+deploy\s+\S*\s*(\d+)/.exec(c.selectedRow()!)![1]);
    expect(desired).toBeGreaterThan(0);
    c.press('s');
    await c.waitFor('Scale Deployment notification/sms-sender', 30_000);
    c.press('0');
    await c.waitFor('replicas: 0█');
    c.press(keys.enter);
    await c.waitFor(/scales to zero/, 30_000);
    await c.waitFor(/some to ZERO\. Type notification to confirm:/);
    c.press(keys.enter);
    await c.waitFor('type notification and press Enter to apply');
    await c.type('notificatio');
    c.press(keys.enter);
    await c.waitFor('type notification and press Enter to apply');
    expect(audit().filter((r) => r.name === 'sms-sender')).toEqual([]);
    await c.type('n');
    c.press(keys.enter);
    await c.waitFor(new RegExp(`sms-sender\\s+${desired}\\s+0\\s+applied`), 30_000);
    await c.waitFor('1 applied', 60_000);
    c.press('u');
    await c.waitFor(/Undo scale \S+: restore 1 application/, 30_000);
    await c.waitFor(new RegExp(`sms-sender\\s+0\\s+${desired}\\s+accepted`), 30_000);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`sms-sender\\s+0\\s+${desired}\\s+applied`), 30_000);
    c.press(keys.esc);
    await c.waitFor(new RegExp(`sms-sender\\s+deploy\\s+\\S*\\s*${desired}\\s`), 30_000);
    const recs = audit().filter((r) => r.name === 'sms-sender').map((r) => `${r.from}->${r.to} ${r.outcome}`);
    expect(recs).toEqual([`${desired}->0 applied`, `0->${desired} applied`]);
  }, 150_000);

  it('bulk x2 over a system: the one application the user may not scale is listed as forbidden, the others are applied', async () => {
    const c = await open({ context: 'warroom-demo-operator' });
    await c.waitFor('● live', 30_000);
    await c.waitFor(/Trade & Orders\s+trade/);
    await c.type('/trade');
    c.press(keys.enter);
    await c.waitFor((s) => c.selectedRow()?.includes('Trade & Orders') === true && s.includes('filter: trade'));
    c.press('s');
    await c.waitFor(/Scale system trade: all 6 applications/, 30_000);
    await c.type('x2');
    await c.waitFor('scale by: x2█');
    c.press(keys.enter);
    await c.waitFor(/orders-db\s+3\s+6\s+FORBIDDEN\s+forbidden: no permission to patch statefulsets\/scale in trade/, 30_000);
    await c.waitFor(/order-worker\s+(\d+)\s+(\d+)\s+accepted/);
    await c.waitFor(/This changes 5 applications\. Type trade to confirm:/);
    await c.type('trade');
    c.press(keys.enter);
    await c.waitFor(/orders-db\s+3\s+6\s+SKIPPED/, 30_000);
    // Replicas become ready per application; an application that had a failing pod before is not waited for.
    await c.waitFor(/order-api\s+18\s+36\s+applied\s+36\/36 ✓/, 90_000);
    await c.waitFor(/5 applied, 1 skipped; all ready at the new counts/, 90_000);
    const recs = audit().filter((r) => r.namespace === 'trade');
    expect(recs.filter((r) => r.outcome === 'applied')).toHaveLength(5);
    expect(recs.find((r) => r.name === 'orders-db')).toMatchObject({ outcome: expect.stringMatching(/^skipped: forbidden/), user: 'demo-operator' });
  }, 150_000);

  it('marks applications with space and scales the marked ones; saves a plan and applies it later as a diff', async () => {
    const c = await open();
    await c.waitFor('● live', 30_000);
    await c.type(':apps customer');
    c.press(keys.enter);
    await c.waitFor(/account-api\s+deploy/);
    await c.waitFor(() => c.selectedRow()?.includes('account-api') === true);
    c.press(' ');
    await c.waitFor(/^\*account-api/m);
    await c.waitFor(() => c.selectedRow()?.includes('customer-db') === true);
    c.press('j');
    await c.waitFor(() => c.selectedRow()?.includes('login-web') === true);
    c.press(' ');
    await c.waitFor(/^\*login-web/m);
    const planFile = join(stateDir, 'promotion-peak.yaml');
    await c.type(`:plan save ${planFile}`);
    c.press(keys.enter);
    await c.waitFor(`saved the replica counts of 5 applications in customer to ${planFile}`);
    c.press('s');
    await c.waitFor('Scale 2 marked applications', 30_000);
    await c.type('+1');
    c.press(keys.enter);
    await c.waitFor(/account-api\s+(\d+)\s+(\d+)\s+accepted/, 30_000);
    await c.waitFor(/login-web\s+(\d+)\s+(\d+)\s+accepted/);
    await c.waitFor('Enter applies 2 changes');
    c.press(keys.enter);
    await c.waitFor(/2 applied/, 90_000);
    c.press(keys.esc);
    // Esc clears the marks first.
    await c.waitFor(/^\*login-web/m);
    c.press(keys.esc);
    await c.waitFor((s) => !/^\*/m.test(s));
    // The plan is the counts before the change: applying it previews exactly the two applications back.
    await c.type(`:plan apply ${planFile}`);
    c.press(keys.enter);
    await c.waitFor(/Apply plan .*promotion-peak.yaml: 2 of 5 applications differ/, 30_000);
    await c.waitFor(/account-api\s+(\d+)\s+(\d+)\s+accepted/, 30_000);
    c.press(keys.enter);
    await c.waitFor(/2 applied/, 90_000);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Apply plan') && /APPLICATION\S*\s+KIND/.test(s));
    const plan = readFileSync(planFile, 'utf8');
    expect(plan).toContain('kind: ScalePlan');
    // A plan edited by hand: one application to 7.
    writeFileSync(planFile, plan.replace(/(name: profile-service\n\s+replicas: )\d+/, '$17'));
    await c.type(`:plan apply ${planFile}`);
    c.press(keys.enter);
    await c.waitFor(/1 of 5 applications differ/, 30_000);
    await c.waitFor(/profile-service\s+\d+\s+7\s+accepted/, 30_000);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION\S*\s+KIND/);
  }, 200_000);

  it('r restarts an application after a dry-run preview; :health names the audit file', async () => {
    const c = await open();
    await selectApp(c, 'pricing', 'price-rules-worker');
    c.press('r');
    await c.waitFor('Rollout restart Deployment pricing/price-rules-worker', 30_000);
    await c.waitFor('dry-run: accepted by the API server', 30_000);
    c.press(keys.enter);
    await c.waitFor('restart applied: the pods are replaced one at a time', 30_000);
    expect(audit().find((r) => r.name === 'price-rules-worker')).toMatchObject({ action: 'restart', dryRun: 'accepted', outcome: 'applied' });
    c.press(keys.esc);
    // An Esc followed at once by ':' would read as Alt-':'; wait for the dialog to close.
    await c.waitFor((s) => !s.includes('Rollout restart'));
    await c.type(':health');
    c.press(keys.enter);
    await c.waitFor(new RegExp(`audit file\\s+${auditFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`), 30_000);
  }, 120_000);

  it('a change made by someone else after the preview is a conflict: nothing is applied blind, Enter previews again', async () => {
    const c = await open();
    await selectApp(c, 'catalog', 'catalog-importer');
    c.press('s');
    await c.waitFor('Scale Deployment catalog/catalog-importer', 30_000);
    await c.type('8');
    c.press(keys.enter);
    await c.waitFor(/catalog-importer\s+6\s+8\s+accepted/, 30_000);
    await scaleBehindTheConsole('catalog', 'catalog-importer', 2);
    c.press(keys.enter);
    await c.waitFor(/catalog-importer\s+6\s+8\s+CONFLICT\s+.*changed since the preview: replicas are now 2 \(previewed 6\)/, 30_000);
    await c.waitFor('Enter previews the conflicting applications again');
    expect(audit().find((r) => r.name === 'catalog-importer')).toMatchObject({ outcome: expect.stringMatching(/^conflict: /) });
    c.press(keys.enter);
    await c.waitFor(/catalog-importer\s+2\s+8\s+accepted/, 30_000);
    c.press(keys.esc);
    await c.waitFor('replicas: 8█');
  }, 120_000);

  it('S over every system\'s applications: the preview\'s 32 requests in flight write no Node warning over the screen', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      const c = await open({ cols: 80, rows: 24 });
      await c.waitFor('● live', 30_000);
      await c.type(':apps');
      c.press(keys.enter);
      await c.waitFor(/Applications\s+\((\d{2,})\)/);
      c.press('S');
      await c.waitFor(/Scale the \d{2,} applications shown/);
      // +0 changes nothing: every application is read, none is dry-run or changed.
      await c.type('+0');
      c.press(keys.enter);
      await c.waitFor(/\d{2,} applications are already at the target count/, 30_000);
      c.press(keys.esc);
      expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('read-only: s is refused with a clear message and nothing is offered', async () => {
    const c = await open({ readOnly: true });
    await selectApp(c, 'search', 'search-api');
    c.press('s');
    await c.waitFor(/scale refused: context 'warroom-demo' is read-only \(started with --readonly\)/);
    expect(c.screen()).not.toContain('Scale Deployment');
    c.press('r');
    await c.waitFor(/restart refused: context 'warroom-demo' is read-only/);
  }, 60_000);

  it(':rs lists the ReplicaSets with their owner; s scales one directly and the preview warns that its Deployment sets it back', async () => {
    const c = await open();
    await c.waitFor('● live', 30_000);
    await c.type(':rs cart');
    c.press(keys.enter);
    await c.waitFor('Systems › cart › ReplicaSets');
    await c.waitFor(/NAME\S*\s+KIND\s+OWNER\s+DESIRED\s+CURRENT\s+READY\s+AGE/);
    // The demo does not serve ReplicationControllers: its 404 is no problem line.
    await c.waitFor(/cart-api-\S+\s+rs\s+deploy\/cart-api\s+[1-9]/, 30_000);
    expect(c.screen()).not.toContain('⚠');
    await c.type('/deploy/cart-api');
    c.press(keys.enter);
    await c.waitFor('filter: deploy/cart-api');
    // The Deployment keeps its old ReplicaSet at 0: sort by desired, descending, to select the live one.
    c.press('D');
    await c.waitFor('sorted by desired');
    c.press('D');
    await c.waitFor((s) => s.includes('(descending)') && /\brs\s+deploy\/cart-api\s+[1-9]/.test(c.selectedRow() ?? ''));
    const name = /(cart-api-\S+)/.exec(c.selectedRow()!)![1];
    c.press('s');
    await c.waitFor(`Scale ReplicaSet cart/${name}`, 30_000);
    c.press('+');
    c.press(keys.enter);
    await c.waitFor(/owned by Deployment cart-api/, 30_000);
    // Only previewed: nothing was sent for real.
    expect(audit().filter((r) => r.name === name)).toEqual([]);
    c.press(keys.esc);
  }, 90_000);
});
