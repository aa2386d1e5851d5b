// The console itself against the real lab (kube-apiserver + kwok): the screen tests that make
// sense on a real cluster — drill-down, live updates as pods are created and deleted on the
// server, and a 403 for one system with the restricted context while the rest keeps working.
import { existsSync } from 'node:fs';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../contract/kubeHttp.js';
import { ConsoleUnderTest, keys } from '../tty/harness.js';

const { WARROOM_KUBECONFIG: kubeconfig = '', WARROOM_KUBE_CONTEXT: context = '', WARROOM_KUBE_RESTRICTED_CONTEXT: restricted = '' } = process.env;
const haveLab = Boolean(kubeconfig && existsSync(kubeconfig));
const podName = `warroom-e2e-${Date.now().toString(36)}`;
let admin: KubeClient;
let running: ConsoleUnderTest[] = [];

function open(ctx: string, extra: string[] = []): ConsoleUnderTest {
  const c = new ConsoleUnderTest(['--kubeconfig', kubeconfig, '--context', ctx, ...extra], { cols: 130, rows: 34 });
  running.push(c);
  return c;
}

beforeAll(() => {
  if (!haveLab) return;
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  kc.setCurrentContext(context);
  admin = new KubeClient(kc);
});
afterEach(async () => {
  for (const c of running) await c.quit();
  running = [];
});
afterAll(async () => {
  if (haveLab) await admin.request(`/api/v1/namespaces/trade/pods/${podName}`, { method: 'DELETE' }).catch(() => undefined);
});

describe.skipIf(!haveLab)('warroom against the lab', () => {
  it('drills trade -> application -> pods -> pod detail (containers, conditions, YAML) and back', async () => {
    const c = open(context);
    await c.waitFor(/SYSTEM.*APPS.*PODS/, 30_000);
    await c.waitFor('● live', 30_000);
    await c.waitFor(/\strade\s+\d+\s+\d+\/\d+/);
    await c.type(':ns trade');
    c.press(keys.enter);
    await c.waitFor(/Systems › trade › Applications/);
    await c.waitFor(/APPLICATION.*DESIRED/);
    const app = c.selectedRow()!.trim().split(/\s+/)[0];
    c.press(keys.enter);
    await c.waitFor(new RegExp(`Applications › ${app} › Pods`));
    await c.waitFor(/\d\/\d\s+Running/, 30_000);
    const pod = c.selectedRow()!.trim().split(/\s+/)[0];
    expect(pod.startsWith(app)).toBe(true);
    c.press(keys.enter);
    await c.waitFor('Containers', 20_000);
    await c.waitFor('Conditions');
    c.press('G');
    await c.waitFor(/kind: Pod|apiVersion: v1|qosClass/);
    c.press(keys.esc);
    await c.waitFor(/POD.*READY.*STATUS/);
  }, 120_000);

  it('shows a pod created on the server, and removes it when it is deleted', async () => {
    const c = open(context);
    await c.waitFor('● live', 30_000);
    await c.type(':pods trade');
    c.press(keys.enter);
    await c.waitFor(/Systems › trade › Pods/);
    await c.type(`/${podName}`);
    c.press(keys.enter);
    const created = await admin.request('/api/v1/namespaces/trade/pods', {
      method: 'POST',
      body: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName },
        spec: {
          containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
          tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
          terminationGracePeriodSeconds: 1,
        },
      },
    });
    expect(created.status, created.text).toBe(201);
    await c.waitFor((s) => s.split('\n').slice(3).some((l) => l.includes(podName)), 30_000);
    await c.waitFor((s) => s.split('\n').slice(3).some((l) => l.includes(podName) && /1\/1\s+Running/.test(l)), 60_000);
    const deleted = await admin.request(`/api/v1/namespaces/trade/pods/${podName}`, { method: 'DELETE' });
    expect(deleted.status, deleted.text).toBe(200);
    // Rows only: the breadcrumb line and the empty list's message ("no pods match /NAME") quote the filter, which contains the name.
    const screen = await c.waitFor((s) => !s.split('\n').slice(3).some((l) => l.includes(podName) && !/no pods match/.test(l)), 60_000);
    expect(screen).toMatch(new RegExp(`no pods match /${podName}`));
  }, 180_000);

  it.skipIf(!restricted)('with the restricted context, names the forbidden system and keeps the others working', async () => {
    const c = open(restricted, ['--readonly']);
    await c.waitFor('READ-ONLY', 30_000);
    await c.waitFor(/pods forbidden in .*payment/, 60_000);
    await c.type(':pods payment');
    c.press(keys.enter);
    await c.waitFor(/cannot list resource "pods".*payment/);
    await c.type(':pods trade');
    c.press(keys.enter);
    await c.waitFor(/\d\/\d\s+Running/, 60_000);
  }, 120_000);
});
