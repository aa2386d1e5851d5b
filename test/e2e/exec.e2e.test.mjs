// Exec through warroom against the lab: a shell in a lab pod (kwok's ClusterExec runs it for real), a command
// typed on the screen and its output read back, exit, and the console back where it was.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConsoleUnderTest, keys } from '../tty/harness.ts';

const { WARROOM_KUBECONFIG, WARROOM_KUBE_CONTEXT } = process.env;
const haveLab = !!WARROOM_KUBECONFIG;
let running = [];
afterEach(async () => {
  for (const c of running) await c.quit();
  running = [];
});

describe.skipIf(!haveLab)('exec through warroom in the lab', () => {
  it('opens a shell in a trade pod, runs a command, exits, and the console is back on the same pod', async () => {
    const home = mkdtempSync(join(tmpdir(), 'warroom-e2e-exec-'));
    const c = new ConsoleUnderTest(['--kubeconfig', WARROOM_KUBECONFIG, '--context', WARROOM_KUBE_CONTEXT], {
      env: { XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state'), WARROOM_CONFIG: undefined, WARROOM_AUDIT_FILE: undefined },
    });
    running.push(c);
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
});
