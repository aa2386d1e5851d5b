import { describe, expect, it } from 'vitest';
import { demoFleetPerFile, keys } from './harness.js';

// Shift-F on a fleet's pod goes to the pod's own cluster: its API server, through its gate.

const fixture = demoFleetPerFile({ clusters: ['dc1', 'dc2'], pods: 100, churn: false });

describe('port-forward in a fleet', () => {
  it("F on a dc2 pod forwards to dc2's pod; the answer names it", async () => {
    const c = await fixture.open('warroom-demo-dc1,warroom-demo-dc2', { cols: 80, rows: 24 });
    await c.waitFor(/dc1 ● live\s+dc2 ● live/);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.type('/dc2');
    c.press(keys.enter);
    await c.waitFor(() => /\sdc2\s/.test(c.selectedRow() ?? '') && /Running/.test(c.selectedRow() ?? ''));
    const pod = c.selectedRow()!.trim().split(/\s+/)[0].replace(/…$/, '');
    c.press('F');
    await c.waitFor(/Port-forward to cart\/\S+ in warroom-demo-dc2/);
    c.press('\t');
    for (let i = 0; i < 5; i++) c.press(keys.backspace);
    await c.waitFor('(empty: a free port)');
    c.press(keys.enter);
    const started = await c.waitFor(/forwarding 127\.0\.0\.1:\d+ -> cart\//);
    const local = Number(/127\.0\.0\.1:(\d+)/.exec(started)![1]);
    const answer = await (await fetch(`http://127.0.0.1:${local}/`)).text();
    expect(answer).toMatch(new RegExp(`^hello from pod cart/${pod}`));
  }, 90_000);
});
