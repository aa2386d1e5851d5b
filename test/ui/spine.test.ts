import { describe, expect, it } from 'vitest';
import { demoPerFile, keys } from './harness.js';

// Screen tests of the console spine, in process: systems -> applications -> pods -> pod
// detail, filters, commands, key bursts, live changes, at the sizes users have.

const fixture = demoPerFile();

describe('console spine on the demo platform', () => {
  it('drills systems -> applications -> pods -> pod detail and back with Esc', async () => {
    const c = await fixture.open();
    await c.waitFor(/SYSTEM.*APPS.*PODS/);
    await c.waitFor('● live');
    await c.waitFor(/Shopping Cart\s+cart\s/);
    // Go to the cart system with the filter, then drill down.
    await c.type('/cart');
    c.press(keys.enter);
    await c.waitFor((s) => s.split('\n').filter((l) => /\d+\/\d+/.test(l)).length === 1);
    c.press(keys.enter);
    await c.waitFor(/Systems › cart › Applications/);
    await c.waitFor(/APPLICATION.*KIND.*DESIRED/);
    const app = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press(keys.enter);
    await c.waitFor(new RegExp(`Applications › ${app} › Pods`));
    await c.waitFor(/POD.*READY.*STATUS.*RESTARTS/);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    expect(pod.startsWith(app)).toBe(true);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`› ${pod}`));
    await c.waitFor('Containers');
    await c.waitFor('Conditions');
    expect(c.screen()).toMatch(/image\s+\S+/);
    c.press(keys.esc);
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press(keys.esc);
    await c.waitFor(/APPLICATION.*KIND/);
    c.press(keys.esc);
    await c.waitFor(/SYSTEM.*APPS/);
  });
});
