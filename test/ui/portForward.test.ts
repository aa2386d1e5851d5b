import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { testAuditFile } from '../support/auditFile.js';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';

// Shift-F and :pf at 80x24 against the demo platform: a port-forward to a pod (and through a
// Service to a ready pod behind it) whose forwarded http://127.0.0.1:PORT/ answers with the pod's
// name, listed with its connections and bytes, stopped, audited; refused on a read-only context.

const fixture = demoPerFile();
const small = { cols: 80, rows: 24, configPath: '/dev/null' };
const audit = testAuditFile('warroom-pf-ui-');

async function command(c: ConsoleScreen, line: string): Promise<void> {
  await c.type(`:${line}`);
  c.press(keys.enter);
}

/** The selected row's first cell, once a row is selected. */
async function selectedName(c: ConsoleScreen): Promise<string> {
  await c.waitFor(() => Boolean(c.selectedRow()?.trim()));
  return c.selectedRow()!.trim().split(/\s+/)[0];
}

/** Clears the local port (the field gets Tab, then backspaces): a free port is chosen. */
async function freeLocalPort(c: ConsoleScreen): Promise<void> {
  c.press('\t');
  await c.waitFor(/local port +127\.0\.0\.1:\d*[█_]/);
  for (let i = 0; i < 5; i++) c.press(keys.backspace);
  await c.waitFor('(empty: a free port)');
}

/** Shift-F on the first Running pod of trade, its declared port to a free local port: the pod, its port and the local port. */
async function forwardFirstPod(c: ConsoleScreen): Promise<{ pod: string; podPort: string; local: number; started: string }> {
  await c.waitFor('● live');
  await command(c, 'pods trade');
  await c.waitFor(/Systems › trade › Pods/);
  await c.type('/Running');
  c.press(keys.enter);
  const pod = await selectedName(c);
  c.press('F');
  await c.waitFor(`Port-forward to trade/${pod}`);
  await c.waitFor(/[▸>] +\d+ +(http|metrics), container /);
  await c.waitFor(/pod port +\d+/);
  const podPort = /pod port +(\d+)/.exec(c.screen())![1];
  await freeLocalPort(c);
  c.press(keys.enter);
  const started = await c.waitFor(/forwarding 127\.0\.0\.1:\d+ -> trade\//);
  return { pod, podPort, local: Number(/forwarding 127\.0\.0\.1:(\d+) ->/.exec(started)![1]), started };
}

describe('Shift-F: port-forward', () => {
  it('on a pod: picks its declared port, forwards a free local port, curl gets the pod\'s answer; :pf lists it with bytes and x stops it (audited)', async () => {
    const c = await fixture.open(small);
    const { pod, podPort, local, started } = await forwardFirstPod(c);
    expect(started).toContain(`trade/${pod}:${podPort}`);
    const answer = await (await fetch(`http://127.0.0.1:${local}/health`)).text();
    expect(answer).toContain(`hello from pod trade/${pod}`);
    expect(answer).toContain(`port ${podPort}): GET /health`);
    await command(c, 'pf');
    await c.waitFor(/Port-forwards/);
    await c.waitFor(/LOCAL +POD:PORT +CONN +IN +OUT +SINCE/);
    const row = await c.waitFor(new RegExp(`127\\.0\\.0\\.1:${local} +trade/${pod.slice(0, 20)}`));
    expect(row).toMatch(/\d\/1 +\d+B +\d+B/);
    expect(c.lines().every((l) => l.length <= 80)).toBe(true);
    c.press('x');
    await c.waitFor(new RegExp(`stopped 127\\.0\\.0\\.1:${local} \\(audited\\): 1 connection, \\d+(\\.\\d)?[BK] in, \\d+(\\.\\d)?[BK] out`));
    await c.waitFor('no port-forwards: Shift-F on a pod');
    await expect(new Promise((resolve, reject) => connect(local, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
    const records = audit().filter((r) => r.action === 'port-forward' && r.name === pod);
    expect(records.map((r) => r.outcome.split(' ')[0])).toEqual(['started', 'stopped']);
    expect(records[0].to).toBe(`127.0.0.1:${local} -> ${podPort}`);
  });

  it('a forward still open when the console stops is stopped and its end audited before the console is gone', async () => {
    const earlier = audit().length;
    const c = await fixture.open(small);
    const { pod, local } = await forwardFirstPod(c);
    await c.close();
    const records = audit().slice(earlier).filter((r) => r.action === 'port-forward' && r.name === pod);
    expect(records.map((r) => r.outcome.split(' ')[0])).toEqual(['started', 'stopped']);
    await expect(new Promise((resolve, reject) => connect(local, '127.0.0.1').once('connect', resolve).once('error', reject))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('on a Service: a ready pod behind it, the Service port mapped to the pod port; the answer comes from that pod', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'svc cart');
    await c.waitFor(/Systems › cart › Services/);
    const svc = await selectedName(c);
    c.press('F');
    await c.waitFor(`via Service cart/${svc}`);
    await c.waitFor(/service port \d+ .*-> pod port \d+/);
    const pod = /Port-forward to cart\/(\S+)/.exec(c.screen())![1];
    await freeLocalPort(c);
    c.press(keys.enter);
    const started = await c.waitFor(/forwarding 127\.0\.0\.1:\d+ -> cart\//);
    const local = Number(/forwarding 127\.0\.0\.1:(\d+) ->/.exec(started)![1]);
    expect(await (await fetch(`http://127.0.0.1:${local}/`)).text()).toContain(`hello from pod cart/${pod}`);
    expect(audit().find((r) => r.action === 'port-forward' && r.name === pod)?.to).toContain(`(Service cart/${svc})`);
  });

  it('a typed pod port nothing listens on: the forward starts, the connection ends, :pf shows the kubelet\'s error', async () => {
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await command(c, 'pods trade');
    await c.type('/Running');
    c.press(keys.enter);
    const pod = await selectedName(c);
    c.press('F');
    await c.waitFor(/pod port +\d+[█_]/);
    for (let i = 0; i < 5; i++) c.press(keys.backspace);
    await c.type('9');
    await freeLocalPort(c);
    c.press(keys.enter);
    const started = await c.waitFor(new RegExp(`-> trade/${pod}:9 `));
    const local = Number(/forwarding 127\.0\.0\.1:(\d+) ->/.exec(started)![1]);
    await fetch(`http://127.0.0.1:${local}/`).then((r) => r.text()).catch(() => 'refused');
    await command(c, 'pf');
    await c.waitFor(/error forwarding port 9 to pod/);
  });

  it('read-only: Shift-F is refused before any dialog, and the refusal is audited', async () => {
    const c = await fixture.open({ ...small, readOnly: true });
    await c.waitFor('● live');
    await command(c, 'pods trade');
    await c.waitFor(/Systems › trade › Pods/);
    await c.waitFor(() => /Running/.test(c.selectedRow() ?? ''));
    const pod = await selectedName(c);
    c.press('F');
    await c.waitFor(/port-forward refused: context '.*' is read-only/);
    expect(c.screen()).not.toContain('Port-forward to');
    await expect.poll(() => audit().filter((r) => r.action === 'port-forward' && r.outcome.startsWith('refused: read-only')).map((r) => r.name)).toContain(pod);
  });
});
