import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys, selectApp, type ConsoleScreen } from './harness.js';
import { scratchDir } from '../support/scratchDir.js';

// The war-room feed, in process with two consoles on one demo cluster (audit.kubernetesEvents on):
// the second console's scale shows in the first one's status line, in its :feed, and in its own
// scale preview of the same application; the second console is not told about its own change.

const fixture = demoPerFile();
const dir = scratchDir('warroom-feed-');
process.env.WARROOM_AUDIT_FILE = join(dir, 'audit.jsonl');
const configPath = join(dir, 'config.yaml');
writeFileSync(configPath, 'audit:\n  kubernetesEvents: true\n');

const open = (): Promise<ConsoleScreen> => fixture.open({ configPath, cols: 80, rows: 24 });

describe('war-room feed', () => {
  it("a second console's scale shows in the first console's status line, :feed and scale preview", async () => {
    const first = await open();
    const second = await open();
    await selectApp(first, 'cart', 'cart-web');
    await selectApp(second, 'cart', 'cart-web');
    second.press('s');
    await second.waitFor('Scale Deployment cart/cart-web', 30_000);
    second.press('+');
    second.press(keys.enter);
    await second.waitFor('Enter applies 1 change', 30_000);
    second.press(keys.enter);
    await second.waitFor(/applied/, 30_000);

    await first.waitFor(/war room: warroom-demo-admin .*scale Deployment cart\/cart-web/, 30_000);
    expect(second.screen()).not.toContain('war room:');

    first.press('s');
    await first.waitFor('Scale Deployment cart/cart-web', 30_000);
    first.press('+');
    first.press(keys.enter);
    await first.waitFor('another console changed this', 30_000);
    expect(first.screen()).toMatch(/another console changed this (under a minute|\d+ min) ago: warroom-demo-admin/);
    // Esc back out of the preview, then the dialog.
    first.press(keys.esc);
    await first.waitFor('replicas: ');
    first.press(keys.esc);
    await first.waitFor((s) => !s.includes('Scale Deployment'));
    await first.type(':feed');
    first.press(keys.enter);
    await first.waitFor('War-room feed');
    await first.waitFor(/\d\d:\d\d:\d\d {2}warroom-demo-admin .*scale Deployment cart\/cart-web/);
    first.close();
    second.close();
  }, 90_000);

  it("a second console's cordon of a node shows in the first console's status line on the Nodes view, and in :feed", async () => {
    const first = await open();
    const second = await open();
    for (const c of [first, second]) {
      await c.waitFor('● live');
      await c.type(':nodes');
      c.press(keys.enter);
      await c.waitFor(/Systems › Nodes +\(\d+\)/);
      await c.waitFor(/worker-a-001 +Ready/);
    }
    await second.type('/worker-a-001');
    second.press(keys.enter);
    await second.waitFor(() => (second.selectedRow() ?? '').includes('worker-a-001'));
    second.press('c');
    await second.waitFor('dry-run accepted', 30_000);
    second.press(keys.enter);
    await second.waitFor('cordoned (audited)', 30_000);
    await first.waitFor(/war room: warroom-demo-admin .*cordon Node worker-a-001/, 30_000);
    second.press(keys.enter);
    second.press('c');
    await second.waitFor('Uncordon 1 node', 30_000);
    await second.waitFor('dry-run accepted', 30_000);
    second.press(keys.enter);
    await second.waitFor('uncordoned (audited)', 30_000);
    await first.type(':feed');
    first.press(keys.enter);
    await first.waitFor(/warroom-demo-admin .*uncordon Node worker-a-001/, 30_000);
    first.close();
    second.close();
  }, 90_000);
});
