// Exec through warroom against the lab: a shell in a lab pod (kwok's ClusterExec runs it for real), a command
// typed on the screen and its output read back, exit, and the console back where it was; and in a fleet of the
// lab's two clusters, a shell in a dc2 pod runs through dc2's API server and kwok.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleUnderTest, keys } from '../tty/harness.ts';
import { scratchDir } from '../support/scratchDir.ts';

const { WARROOM_KUBECONFIG, WARROOM_KUBE_CONTEXT, WARROOM_LAB_CONFIG, WARROOM_LAB_CONTEXTS = '' } = process.env;
const SECOND = WARROOM_LAB_CONTEXTS.split(',')[1];
const haveLab = !!WARROOM_KUBECONFIG;
let running = [];
afterEach(async () => {
  for (const c of running) await c.quit();
  running = [];
});

/** The console in a pseudo-terminal with its own config and state directories (and so its own audit file). */
function openConsole(args) {
  const home = scratchDir('warroom-e2e-exec-');
  const c = new ConsoleUnderTest(['--kubeconfig', WARROOM_KUBECONFIG, ...args], {
    cols: 120,
    env: { XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), WARROOM_CONFIG: undefined, WARROOM_AUDIT_FILE: undefined },
  });
  running.push(c);
  return c;
}

describe.skipIf(!haveLab)('exec through warroom in the lab', () => {
  it('opens a shell in a trade pod, runs a command, exits, and the console is back on the same pod', async () => {
    const c = openConsole(['--context', WARROOM_KUBE_CONTEXT]);
    await c.waitFor('● live', 30_000);
    await c.type(':pods trade');
    c.press(keys.enter);
    await c.waitFor(/POD.*READY.*STATUS/);
    await c.type('/Running');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('Running'));
    const pod = c.selectedRow().trim().split(/\s+/)[0];
    c.press('s');
    await c.waitFor((s) => s.includes('warroom exec') || s.includes('which container?'), 30_000);
    if (c.text().includes('which container?')) c.press(keys.enter);
    await c.waitFor(`pod ${pod}`, 30_000);
    await c.type('echo warroom-e2e-$((6*7))\r');
    await c.waitFor(/^warroom-e2e-42\s*$/m, 30_000);
    await c.type('exit\r');
    await c.waitFor(/POD.*READY.*STATUS/, 30_000);
    await c.waitFor(/ended: exit 0/);
    expect(c.bufferType).toBe('alternate');
    expect(c.selectedRow()).toContain(pod);
  });

  it.skipIf(!SECOND)('in a fleet of both clusters, s on a dc2 pod opens the shell through dc2 (its kwok runs it)', async () => {
    const c = openConsole(['--config', WARROOM_LAB_CONFIG, '--context', WARROOM_LAB_CONTEXTS]);
    await c.waitFor(/lab ● live\s+lab-2 ● live/, 30_000);
    await c.type(':pods cart');
    c.press(keys.enter);
    await c.waitFor(/POD.*CLUSTER\s+ZONE/);
    await c.type('/-l app=promo-service');
    c.press(keys.enter);
    await c.waitFor(/^ promo-service-\S+\s+lab-2\s.*Running/m, 30_000);
    // One row at a time, each move seen on the screen before the next: keys sent ahead would move past the row.
    for (let i = 0; i < 40 && !/\slab-2\s/.test(c.selectedRow() ?? ''); i++) {
      const before = c.selectedRow();
      c.press('j');
      await c.waitFor(() => c.selectedRow() !== before);
    }
    const pod = c.selectedRow().trim().split(/\s+/)[0];
    expect(c.selectedRow()).toMatch(/\slab-2\s+lab-dc2-[ab]\s/);
    c.press('s');
    await c.waitFor(`pod ${pod}`, 30_000);
    expect(c.text()).toContain(SECOND);
    await c.type('echo cluster=$WARROOM_LAB_CLUSTER\r');
    await c.waitFor(new RegExp(`^cluster=${SECOND}\\s*$`, 'm'), 30_000);
    await c.type('exit\r');
    await c.waitFor(/POD.*CLUSTER\s+ZONE/, 30_000);
    expect(c.selectedRow()).toContain(pod);
    // Two clusters to connect to and list before the shell: the same budget as the fleet's other e2e tests.
  }, 120_000);
});
