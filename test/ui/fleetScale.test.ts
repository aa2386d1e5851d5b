import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { loadKubeSession } from '../../src/platform/kube/kubeSession.js';
import { demoFleetPerFile, keys, sleep, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// "Double cart everywhere": `s` on a fleet application scales it in every cluster as one
// operation, previewed per cluster, confirmed once, applied through each cluster's own gate.

const fixture = demoFleetPerFile({ clusters: ['dc1', 'dc2', 'dc3'], pods: 100, churn: false });
const dir = scratchDir('warroom-fleet-scale-ui-');
const auditFile = join(dir, 'audit.jsonl');

/** The demo fleet's config file with the audit file here and, optionally, read-only contexts. */
function config(readOnly: string[] = []): string {
  const doc = parse(readFileSync(fixture.fleet.configPath, 'utf8')) as { contexts?: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  const contexts = doc.contexts ?? {};
  for (const c of readOnly) contexts[c] = { ...contexts[c], readOnly: true };
  const path = join(dir, `config-${readOnly.join('-') || 'rw'}.yaml`);
  writeFileSync(path, stringify({ ...doc, contexts, audit: { path: auditFile } }));
  return path;
}

/** The whole fleet at 80x24. */
function open(configPath: string): Promise<ConsoleScreen> {
  return fixture.open('warroom-demo-dc1,warroom-demo-dc2,warroom-demo-dc3', { configPath, cols: 80, rows: 24 });
}

function audit(): Array<Record<string, unknown>> {
  try {
    return readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

const DCS = ['dc1', 'dc2', 'dc3'];

/** A cart Deployment's spec.replicas in each cluster, read from that cluster's API server (not the console). */
async function replicasOnServer(app: string, dcs = DCS): Promise<number[]> {
  return Promise.all(
    dcs.map(async (dc) => {
      const session = loadKubeSession({ kubeconfig: fixture.fleet.kubeconfigPath, context: `warroom-demo-${dc}` });
      return (await session.getJson<{ spec: { replicas: number } }>(`/apis/apps/v1/namespaces/cart/deployments/${app}`)).spec.replicas;
    }),
  );
}

/** Opens `:apps cart` with `app` selected and returns its desired replicas per cluster that has it (dc1, dc2, dc3). */
async function selectApp(c: ConsoleScreen, app: string, clusters = 3): Promise<number[]> {
  await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 (RO )?● live/, 30_000);
  await c.type(':apps cart');
  c.press(keys.enter);
  await c.waitFor(new RegExp(`${app}\\s`));
  await c.type(`/${app}`);
  c.press(keys.enter);
  await c.waitFor(() => c.selectedRow()?.includes(app) === true);
  const cells = [...(c.selectedRow() ?? '').matchAll(/(\d+)\/(\d+)/g)].map((m) => Number(m[2]));
  // READY in total, then dc1, dc2, dc3 (— where it does not run).
  expect(cells).toHaveLength(clusters + 1);
  return cells.slice(1);
}

describe('scale over the fleet', () => {
  it('s on cart-api, x2: the preview lists each cluster with its own doubled count, the typed word applies it in every cluster, the per-cluster columns show it', async () => {
    const c = await open(config());
    const before = await selectApp(c, 'cart-api');
    c.press('s');
    await c.waitFor('Scale Deployment cart/cart-api in 3 clusters');
    await c.waitFor(new RegExp(`cart-api in 3 clusters: dc1 ${before[0]}, dc2 ${before[1]}, dc3 ${before[2]}`));
    await c.type('x2');
    await c.waitFor(new RegExp(`means dc1 ${before[0]} -> ${before[0] * 2}, dc2 ${before[1]} -> ${before[1] * 2}, dc3 ${before[2]} -> ${before[2] * 2}`));
    c.press(keys.enter);
    const screen = await c.waitFor(/Type cart to\s+confirm/, 30_000);
    expect(screen).toMatch(/CLUSTER\s+APPLICATION\s+FROM\s+TO\s+DRY-RUN/);
    for (const [i, dc] of ['dc1', 'dc2', 'dc3'].entries()) expect(screen).toMatch(new RegExp(`${dc}\\s+cart-api\\s+${before[i]}\\s+${before[i] * 2}\\s+accepted`));
    expect(screen).toMatch(/This changes 3 applications in 3 of 3 clusters \(dc1, dc2, dc3\)\./);
    // Enter alone does not apply a fleet-wide change.
    c.press(keys.enter);
    await c.waitFor(/type cart and press Enter to apply/);
    expect(audit().filter((r) => r.name === 'cart-api')).toEqual([]);
    await c.type('cart');
    c.press(keys.enter);
    await c.waitFor(/3 applied|replicas ready/, 30_000);
    const records = audit().filter((r) => r.name === 'cart-api');
    expect(records.map((r) => `${String(r.context)} ${String(r.from)}->${String(r.to)} ${String(r.outcome)}`).sort()).toEqual(
      ['dc1', 'dc2', 'dc3'].map((dc, i) => `warroom-demo-${dc} ${before[i]}->${before[i] * 2} applied`),
    );
    expect(new Set(records.map((r) => r.operation)).size).toBe(1);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Scale Deployment'));
    // The fleet view's per-cluster columns: each cluster at its new desired count.
    await c.waitFor(() => {
      const row = c.selectedRow() ?? '';
      const desired = [...row.matchAll(/(\d+)\/(\d+)/g)].map((m) => Number(m[2])).slice(1);
      return desired.join(' ') === before.map((n) => n * 2).join(' ');
    }, 30_000);
    // :undo typed on the fleet view is the fleet's undo too (every cluster).
    await c.type(':undo');
    c.press(keys.enter);
    await c.waitFor(/Undo scale \w+: restore 3 applications/, 30_000);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Undo scale'));
  }, 120_000);

  it('a read-only cluster is listed with its reason and left out; the others are scaled; u restores them', async () => {
    const c = await open(config(['warroom-demo-dc3']));
    const before = await selectApp(c, 'cart-web');
    c.press('s');
    await c.waitFor('Scale Deployment cart/cart-web in 3 clusters');
    await c.type('+1');
    c.press(keys.enter);
    const screen = await c.waitFor(/Type cart to\s+confirm/, 30_000);
    expect(screen).toMatch(/dc3\s+cart-web\s+—\s+—\s+LEFT OUT/);
    expect(screen).toMatch(/LEFT OUT\s+read-only \(config file\)/);
    expect(screen).toMatch(/in 2 of 3 clusters \(dc1, dc2\)/);
    await c.type('cart');
    c.press(keys.enter);
    await c.waitFor(/2 applied, 1 skipped|replicas ready/, 30_000);
    c.press(keys.esc);
    const want = [before[0] + 1, before[1] + 1, before[2]];
    const desired = () => [...(c.selectedRow() ?? '').matchAll(/(\d+)\/(\d+)/g)].map((m) => Number(m[2])).slice(1).join(' ');
    await c.waitFor(() => desired() === want.join(' '), 30_000);
    const records = audit().filter((r) => r.name === 'cart-web');
    expect(records.find((r) => r.context === 'warroom-demo-dc3')).toMatchObject({ outcome: 'skipped: left out, read-only (config file)' });
    // u on the fleet view: every cluster back to its count, with its own preview and confirmation.
    c.press('u');
    await c.waitFor(/Undo scale \w+: restore 2 applications/, 30_000);
    await c.waitFor(/Type cart to\s+confirm/, 30_000);
    await c.type('cart');
    c.press(keys.enter);
    await c.waitFor(/2 applied|replicas ready/, 30_000);
    c.press(keys.esc);
    await c.waitFor(() => desired() === before.join(' '), 30_000);
  }, 120_000);

  it('dc1=N dc2=x2: each named cluster is scaled to what was typed for it, dc3 not named keeps its count (checked on each cluster\'s API server)', async () => {
    const c = await open(config());
    const before = await selectApp(c, 'cart-sync-worker');
    expect(await replicasOnServer('cart-sync-worker')).toEqual(before);
    const want = [before[0] + 3, before[1] * 2, before[2]];
    c.press('s');
    await c.waitFor('Scale Deployment cart/cart-sync-worker in 3 clusters');
    await c.waitFor(/per cluster: dc1=40 dc2=x2/);
    await c.type(`dc1=${want[0]} dc2=x2`);
    await c.waitFor(new RegExp(`means dc1 ${before[0]} -> ${want[0]}, dc2 ${before[1]} -> ${want[1]}, dc3 keeps ${before[2]}\\s+\\(not named\\)`));
    c.press(keys.enter);
    const screen = await c.waitFor(/Type cart to\s+confirm/, 30_000);
    expect(screen).toMatch(new RegExp(`dc1\\s+cart-sync-worker\\s+${before[0]}\\s+${want[0]}\\s+accepted`));
    expect(screen).toMatch(new RegExp(`dc2\\s+cart-sync-worker\\s+${before[1]}\\s+${want[1]}\\s+accepted`));
    expect(screen).toMatch(new RegExp(`dc3\\s+not named: cart-sync-worker keeps ${before[2]}`));
    expect(screen).toMatch(/This changes 2 applications in 2 of 3 clusters \(dc1, dc2\)\./);
    await c.type('cart');
    c.press(keys.enter);
    await c.waitFor(/2 applied|replicas ready/, 30_000);
    expect(await replicasOnServer('cart-sync-worker')).toEqual(want);
    const records = audit().filter((r) => r.name === 'cart-sync-worker');
    expect(records.map((r) => `${String(r.context)} ${String(r.from)}->${String(r.to)} ${String(r.outcome)}`).sort()).toEqual([
      `warroom-demo-dc1 ${before[0]}->${want[0]} applied`,
      `warroom-demo-dc2 ${before[1]}->${want[1]} applied`,
    ]);
    // u restores each cluster it changed to that cluster's own count; dc3 is not touched.
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Scale Deployment'));
    c.press('u');
    await c.waitFor(/Undo scale \w+: restore 2 applications/, 30_000);
    const undo = await c.waitFor(/Type cart to\s+confirm/, 30_000);
    expect(undo).toMatch(new RegExp(`dc1\\s+cart-sync-worker\\s+${want[0]}\\s+${before[0]}\\s+accepted`));
    expect(undo).toMatch(new RegExp(`dc2\\s+cart-sync-worker\\s+${want[1]}\\s+${before[1]}\\s+accepted`));
    await c.type('cart');
    c.press(keys.enter);
    await c.waitFor(/2 applied|replicas ready/, 30_000);
    expect(await replicasOnServer('cart-sync-worker')).toEqual(before);
  }, 120_000);

  it('a cluster name that is not in the fleet, or one without the application, is refused in the field with the reason; nothing is applied', async () => {
    const c = await open(config());
    // wishlist-api runs in dc1 and dc2 only.
    const before = await selectApp(c, 'wishlist-api', 2);
    c.press('s');
    await c.waitFor('Scale Deployment cart/wishlist-api in 2 clusters');
    await c.type('dc1=4 dc9=2');
    await c.waitFor(/scale by: dc1=4 dc9=2█[^]*no cluster 'dc9' in this fleet: dc1, dc2, dc3/);
    // Enter keeps the field and the reason; no preview is asked for.
    c.press(keys.enter);
    await sleep(300);
    expect(c.screen()).toMatch(/scale by: dc1=4 dc9=2█[^]*no cluster 'dc9' in this fleet: dc1, dc2, dc3/);
    expect(c.screen()).not.toMatch(/dry-run|DRY-RUN|Type cart/);
    for (let i = 0; i < 'dc9=2'.length; i++) c.press(keys.backspace);
    await c.type('dc3=2');
    await c.waitFor(/scale by: dc1=4 dc3=2█[^]*dc3 has nothing to scale here \(the application is not there\): name dc1,\s+dc2/);
    c.press(keys.enter);
    await sleep(300);
    expect(c.screen()).toMatch(/dc3 has nothing to scale here/);
    expect(c.screen()).not.toMatch(/dry-run|DRY-RUN|Type cart/);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Scale Deployment'));
    expect(audit().filter((r) => r.name === 'wishlist-api')).toEqual([]);
    expect(await replicasOnServer('wishlist-api', DCS.slice(0, 2))).toEqual(before);
  }, 120_000);

  it(':plan save on the fleet view writes every cluster\'s lines with their context; :plan apply changes each line in its cluster, a read-only cluster\'s lines listed and skipped', async () => {
    const c = await open(config(['warroom-demo-dc3']));
    await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 (RO )?● live/, 30_000);
    await c.type(':apps cart');
    c.press(keys.enter);
    await c.waitFor(/cart-api\s/);
    const planFile = join(dir, 'cart-peak.yaml');
    await c.type(`:plan save ${planFile}`);
    c.press(keys.enter);
    await c.waitFor(/saved the replica counts of cart in dc1, dc2, dc3 \(11 lines\) to/);
    const saved = parse(readFileSync(planFile, 'utf8')) as { context?: string; applications: Array<{ context: string; name: string; replicas: number }> };
    expect(saved.context).toBeUndefined();
    const now = await replicasOnServer('cart-web');
    for (const [i, dc] of DCS.entries()) expect(saved.applications.find((a) => a.context === `warroom-demo-${dc}` && a.name === 'cart-web')?.replicas).toBe(now[i]);
    // The peak, prepared by hand: cart-web to its own count in each data centre.
    const peak = [now[0] + 2, now[1] + 4, now[2] + 6];
    for (const a of saved.applications) if (a.name === 'cart-web') a.replicas = peak[DCS.indexOf(a.context.replace('warroom-demo-', ''))];
    writeFileSync(planFile, stringify(saved));
    await c.type(`:plan apply ${planFile}`);
    c.press(keys.enter);
    await c.waitFor(/Apply plan .*cart-peak\.yaml\s+in\s+3\s+clusters\s+\(dc1, dc2, dc3\): 3 of 11\s+applications\s+differ/, 30_000);
    const screen = await c.waitFor(/Type cart to\s+confirm/, 30_000);
    expect(screen).toMatch(new RegExp(`dc1\\s+cart-web\\s+${now[0]}\\s+${peak[0]}\\s+accepted`));
    expect(screen).toMatch(new RegExp(`dc2\\s+cart-web\\s+${now[1]}\\s+${peak[1]}\\s+accepted`));
    expect(screen).toMatch(/dc3\s+cart-web\s+—\s+—\s+LEFT OUT\s+read-only \(config file\)/);
    expect(screen).toMatch(/in 2 of 3 clusters \(dc1, dc2\)/);
    await c.type('cart');
    c.press(keys.enter);
    await c.waitFor(/2 applied, 1 skipped|replicas ready/, 30_000);
    expect(await replicasOnServer('cart-web')).toEqual([peak[0], peak[1], now[2]]);
    // Each cluster's audit has its line of the plan under one operation: dc3's says why it was skipped.
    const operation = audit().find((r) => r.name === 'cart-web' && r.to === peak[0])?.operation;
    expect(operation).toBeDefined();
    expect(audit().filter((r) => r.operation === operation).map((r) => `${String(r.context)} ${String(r.name)} ${String(r.outcome)}`).sort()).toEqual([
      'warroom-demo-dc1 cart-web applied',
      'warroom-demo-dc2 cart-web applied',
      'warroom-demo-dc3 cart-web skipped: left out, read-only (config file)',
    ]);
  }, 120_000);
});
