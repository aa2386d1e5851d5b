import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KubeConfig } from '@kubernetes/client-node';
import { demoPerFile, keys, selectApp, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// Screen tests of an application's rollout history and rollback on the demo platform, in process,
// at 80x24: H lists the revisions, Enter diffs two, R previews the rollback as the server's
// dry-run diff, Enter applies it (audited) and the progress runs until the rollout completes.

const fixture = demoPerFile();
const auditFile = join(scratchDir('warroom-rollout-'), 'audit.jsonl');
process.env.WARROOM_AUDIT_FILE = auditFile;

function open(opts: { readOnly?: boolean } = {}): Promise<ConsoleScreen> {
  return fixture.open({ configPath: '/dev/null', cols: 80, rows: 24, ...opts });
}

function audit(): Array<Record<string, unknown>> {
  try {
    return readFileSync(auditFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}

async function api(path: string): Promise<any> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}${path}`, { headers: init.headers });
  expect(res.status).toBe(200);
  return res.json();
}

const image = (d: any): string => d.spec.template.spec.containers[0].image;

describe('rollout history and rollback', () => {
  it('H lists the revisions with their images and change-cause; Enter diffs the older one against the running one', async () => {
    const d = await api('/apis/apps/v1/namespaces/trade/deployments/order-api');
    const running = image(d);
    const revision = Number(d.metadata.annotations['deployment.kubernetes.io/revision']);
    const c = await open();
    await selectApp(c, 'trade', 'order-api');
    c.press('H');
    await c.waitFor('Applications › order-api › History');
    await c.waitFor(new RegExp(`●\\s+${revision}\\s`));
    expect(c.screen()).toContain(running);
    c.press('j');
    await c.waitFor(new RegExp(`revision ${revision - 1}: ReplicaSet order-api-`));
    expect(c.screen()).toMatch(/change-cause: helm upgrade order-api --version \d/);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`revision ${revision - 1} -> revision ${revision} \\(running\\)`));
    // The unified diff of the pod templates: the older image out, the running one in.
    expect(c.lines().some((l) => /^\s*\+ /.test(l) && l.includes(running))).toBe(true);
    expect(c.lines().some((l) => /^\s*- /.test(l) && l.includes('order-api:'))).toBe(true);
    // The change is headed by the container it is in.
    expect(c.lines().some((l) => /@@ containers\[[\w-]+\]( \S+)? @@/.test(l))).toBe(true);
    c.press(keys.esc);
    await c.waitFor(/●\s+\d+/);
    c.close();
  });

  it('R previews the rollback as the dry-run diff, Enter applies it, the progress ends rolled out and the API runs the old image', async () => {
    const before = await api('/apis/apps/v1/namespaces/trade/deployments/order-history');
    const revision = Number(before.metadata.annotations['deployment.kubernetes.io/revision']);
    const c = await open();
    await selectApp(c, 'trade', 'order-history');
    c.press('H');
    await c.waitFor(new RegExp(`●\\s+${revision}\\s`));
    c.press('j');
    c.press('R');
    await c.waitFor(`Roll back Deployment trade/order-history from revision ${revision} to revision ${revision - 1}`, 30_000);
    await c.waitFor('Enter rolls back', 30_000);
    expect(c.lines().some((l) => /^\s*- /.test(l) && l.includes(image(before)))).toBe(true);
    const older = c.lines().find((l) => /^\s*\+ /.test(l) && l.includes('order-history:'))!;
    expect(older).toBeDefined();
    // A preview changes nothing.
    expect(image(await api('/apis/apps/v1/namespaces/trade/deployments/order-history'))).toBe(image(before));
    expect(audit().filter((r) => r.name === 'order-history')).toEqual([]);
    c.press(keys.enter);
    await c.waitFor('deployment order-history successfully rolled out', 60_000);
    const after = await api('/apis/apps/v1/namespaces/trade/deployments/order-history');
    expect(older).toContain(image(after));
    expect(after.metadata.annotations['deployment.kubernetes.io/revision']).toBe(String(revision + 1));
    expect(audit().filter((r) => r.name === 'order-history')).toEqual([expect.objectContaining({ action: 'rollback', kind: 'Deployment', from: revision, to: `revision ${revision - 1}`, outcome: 'applied', dryRun: 'accepted' })]);
    // Back in the list, the old revision is the running one under its new number.
    c.press(keys.esc);
    await c.waitFor(new RegExp(`●\\s+${revision + 1}\\s`));
    c.close();
  });

  it('a read-only console refuses the rollback before any preview', async () => {
    const c = await open({ readOnly: true });
    await selectApp(c, 'trade', 'order-worker');
    c.press('H');
    await c.waitFor(/●\s+\d+/);
    c.press('j');
    c.press('R');
    await c.waitFor(/read-only/i);
    expect(c.screen()).not.toContain('Roll back Deployment');
    c.close();
  });
});
