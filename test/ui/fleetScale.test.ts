import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { demoFleetPerFile, keys, type ConsoleScreen } from './harness.js';

// "Double cart everywhere": `s` on a fleet application scales it in every cluster as one
// operation, previewed per cluster, confirmed once, applied through each cluster's own gate.

const fixture = demoFleetPerFile({ clusters: ['dc1', 'dc2', 'dc3'], pods: 100, churn: false });
const dir = mkdtempSync(join(tmpdir(), 'warroom-fleet-scale-ui-'));
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

/** Opens `:apps cart` with `app` selected and returns its desired replicas per cluster (dc1, dc2, dc3). */
async function selectApp(c: ConsoleScreen, app: string): Promise<number[]> {
  await c.waitFor(/dc1 ● live\s+dc2 ● live\s+dc3 (RO )?● live/, 30_000);
  await c.type(':apps cart');
  c.press(keys.enter);
  await c.waitFor(new RegExp(`${app}\\s`));
  await c.type(`/${app}`);
  c.press(keys.enter);
  await c.waitFor(() => c.selectedRow()?.includes(app) === true);
  const cells = [...(c.selectedRow() ?? '').matchAll(/(\d+)\/(\d+)/g)].map((m) => Number(m[2]));
  // READY in total, then dc1, dc2, dc3.
  expect(cells).toHaveLength(4);
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
    // :undo typed on the fleet view is the fleet's undo too (every cluster); :plan says it works per cluster.
    await c.type(':undo');
    c.press(keys.enter);
    await c.waitFor(/Undo scale \w+: restore 3 applications/, 30_000);
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Undo scale'));
    await c.type(':plan save /tmp/warroom-fleet-plan.yaml');
    c.press(keys.enter);
    await c.waitFor(/:plan works on one cluster: open it with 1-9/);
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
});
