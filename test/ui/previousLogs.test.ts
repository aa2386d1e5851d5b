import { describe, expect, it } from 'vitest';
import { demoPerFile, keys } from './harness.js';

// `p` on a pod row: the logs of the container before its last restart (the kubelet's
// previous=true), also where the logs otherwise come from Elasticsearch (the demo's config).

const fixture = demoPerFile();

describe('previous container logs from the pod row', () => {
  it('p on a restarted pod opens its previous container\'s logs from the Kubernetes log API; on a pod that never restarted it says so', async () => {
    const c = await fixture.open({ cols: 120, rows: 30 });
    await c.waitFor(/SYSTEM.*APPS/);
    await c.type(':pods');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    c.press('R');
    await c.waitFor('sorted by restarts (descending)');
    // The message can be drawn a frame before the sorted table with its selected row.
    await c.waitFor(() => !!c.selectedRow()?.trim());
    const top = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press('p');
    const screen = await c.waitFor(/Logs \(pod\)/);
    expect(screen).toContain(top);
    await c.waitFor(/previous container/);
    await c.waitFor(/Kubernetes log API/);
    // Lines of the earlier run arrive (the demo answers previous=true for a restarted pod).
    await c.waitFor((s) => /\b\d+ lines?\b/.test(s) && !/\b0 lines\b/.test(s), 15_000);
    // However short the crashed run was, it ends with why it crashed.
    await c.waitFor(/fatal: unhandled exception in main thread, exiting/);
    // p again: the running container's lines, from Elasticsearch again.
    c.press('p');
    await c.waitFor((s) => !/previous container/.test(s) && /source: Elasticsearch/.test(s));
    await c.waitFor((s) => !/busy|searching/i.test(s.split('\n').slice(2, 5).join('\n')));
    c.press(keys.esc);
    await c.waitFor(/POD.*READY.*STATUS|search cancelled/);
    if (!/POD.*READY.*STATUS/.test(c.screen())) c.press(keys.esc);
    await c.waitFor(/POD.*READY.*STATUS/);
    // The last row, sorted by restarts: a pod that never restarted.
    c.press('G');
    c.press('p');
    const said = await c.waitFor(/(\S+) has not restarted: it has no previous container to read/);
    const calm = /(\S+) has not restarted/.exec(said)![1];
    expect(c.lines().find((l) => l.trim().startsWith(calm))).toMatch(/\s0\s+\S+/);
    expect(c.screen()).not.toMatch(/Logs \(pod\)/);
  });
});
