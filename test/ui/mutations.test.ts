import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';
import { demoApi } from './demoApi.js';

// Ctrl-D (delete), Ctrl-K (kill) and Space marks on any row that is a Kubernetes object, at
// 80x24, against the demo platform: the server's dry-run and what goes with the object in the
// preview, the confirmation (y for one, a typed name for several or a namespace), the object
// followed until gone, and a read-only console refusing.

const fixture = demoPerFile();
const small = { cols: 80, rows: 24 };
const ctrlD = '\x04';
const ctrlK = '\x0b';

const api = demoApi(() => fixture.demo);

async function deployment(namespace: string, name: string, replicas: number): Promise<void> {
  const labels = { app: name };
  const r = await api('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, { metadata: { name }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
  expect(r.status).toBe(201);
}

async function configMap(namespace: string, name: string): Promise<void> {
  expect((await api('POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name }, data: { a: '1' } })).status).toBe(201);
}

async function listOf(c: ConsoleScreen, line: string, filter: string): Promise<void> {
  await c.waitFor('● live');
  await c.type(`:${line}`);
  c.press(keys.enter);
  await c.waitFor(filter);
  await c.type(`/${filter}`);
  c.press(keys.enter);
  await c.waitFor((s) => s.includes(`filter: ${filter}`) && (c.selectedRow() ?? '').includes(filter));
}

describe('Ctrl-D deletes the object behind a row', () => {
  it('a Deployment: the preview names what it owns (its ReplicaSet and pods), y deletes it, the row goes', async () => {
    await deployment('cart', 'doomed-web', 2);
    const c = await fixture.open(small);
    await listOf(c, 'deploy cart', 'doomed-web');
    await c.waitFor(/doomed-web +2\/2/);
    c.press(ctrlD);
    await c.waitFor('Delete Deployment doomed-web');
    const preview = await c.waitFor('y or Enter deletes it, Esc cancels');
    expect(preview).toMatch(/Deployment cart\/doomed-web +\S+ dry-run ok/);
    expect(preview).toMatch(/also goes \(owned\): 2 Pods, 1 ReplicaSet/);
    expect(preview).toMatch(/ReplicaSet: doomed-web-/);
    expect(c.lines().every((l) => l.length <= 80)).toBe(true);
    c.press('y');
    await c.waitFor(/deleted Deployment cart\/doomed-web; 2 Pods, 1 ReplicaSet go with it/);
    await c.waitFor((s) => !/doomed-web +\d/.test(s));
    expect((await api('GET', '/apis/apps/v1/namespaces/cart/deployments/doomed-web')).status).toBe(404);
  });

  it('Esc in the preview deletes nothing', async () => {
    await configMap('cart', 'kept-config');
    const c = await fixture.open(small);
    await listOf(c, 'cm cart', 'kept-config');
    c.press(ctrlD);
    await c.waitFor('y or Enter deletes it');
    c.press(keys.esc);
    await c.waitFor((s) => !s.includes('Delete ConfigMap'));
    expect((await api('GET', '/api/v1/namespaces/cart/configmaps/kept-config')).status).toBe(200);
  });

  it('marked rows: one preview, the system name typed before Enter deletes them all', async () => {
    await configMap('cart', 'batch-one');
    await configMap('cart', 'batch-two');
    const c = await fixture.open(small);
    await listOf(c, 'cm cart', 'batch-');
    c.press(' ');
    await c.waitFor((s) => /^ ?\*.*batch-one/m.test(s) || (c.rowWith('batch-one') ?? '').includes('*'));
    c.press(' ');
    await c.waitFor(() => (c.rowWith('batch-two') ?? '').includes('*'));
    c.press(ctrlD);
    await c.waitFor('Delete 2 objects');
    await c.waitFor('type cart and press Enter to delete');
    await c.type('y');
    c.press(keys.enter);
    await c.waitFor('type cart and press Enter to apply');
    c.press(keys.backspace);
    await c.type('cart');
    c.press(keys.enter);
    await c.waitFor('deleted 2 objects');
    for (const name of ['batch-one', 'batch-two']) expect((await api('GET', `/api/v1/namespaces/cart/configmaps/${name}`)).status).toBe(404);
  });

  it('a namespace: everything in it counted per kind, its name typed, then followed until gone', async () => {
    expect((await api('POST', '/api/v1/namespaces', { metadata: { name: 'scratch' } })).status).toBe(201);
    await configMap('scratch', 'left-over');
    await deployment('scratch', 'tmp-web', 1);
    const c = await fixture.open(small);
    await c.waitFor('● live');
    await c.type('/scratch');
    c.press(keys.enter);
    await c.waitFor(() => (c.selectedRow() ?? '').includes('scratch'));
    c.press(ctrlD);
    await c.waitFor('Delete Namespace scratch');
    const preview = await c.waitFor('type scratch and press Enter to delete');
    expect(preview).toMatch(/everything in it goes: .*1 ConfigMap/);
    expect(preview).toMatch(/1 Deployment/);
    await c.type('scratch');
    c.press(keys.enter);
    await c.waitFor('deleted Namespace scratch', 30_000);
    expect((await api('GET', '/api/v1/namespaces/scratch')).status).toBe(404);
  });

  it('an object that lingers: its finalizers are named, and it is followed until they are removed', async () => {
    expect((await api('POST', '/api/v1/namespaces/cart/configmaps', { metadata: { name: 'held-config', finalizers: ['warroom.io/hold'] }, data: { a: '1' } })).status).toBe(201);
    const c = await fixture.open(small);
    await listOf(c, 'cm cart', 'held-config');
    c.press(ctrlD);
    await c.waitFor('y or Enter deletes it');
    c.press('y');
    await c.waitFor(/ConfigMap cart\/held-config +\S+ waiting on finalizers: warroom\.io\/hold/, 20_000);
    expect((await api('PATCH', '/api/v1/namespaces/cart/configmaps/held-config', { metadata: { finalizers: null } })).status).toBe(200);
    await c.waitFor('deleted ConfigMap cart/held-config');
  });

  it('read-only: refused before any preview, and audited', async () => {
    const c = await fixture.open({ ...small, readOnly: true });
    await listOf(c, 'cm cart', 'kube-root-ca');
    c.press(ctrlD);
    await c.waitFor(/delete refused: context '.*' is read-only/);
    expect(c.screen()).not.toContain('Delete ConfigMap');
    const audit = async () => (await readFile(c.runtime.ctx.gate.auditPath, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    await expect.poll(async () => (await audit()).some((r) => r.action === 'delete' && r.name === 'kube-root-ca.crt' && String(r.outcome).startsWith('refused: read-only'))).toBe(true);
  });
});

describe('Ctrl-K kills pods', () => {
  it('the selected pod, grace period 0, confirmed with y; its ReplicaSet starts another', async () => {
    await deployment('cart', 'kill-me', 1);
    const c = await fixture.open(small);
    await listOf(c, 'pods cart', 'kill-me');
    const row = c.selectedRow()!;
    const pod = row.trim().split(/\s+/)[0].replace(/^\*/, '');
    c.press(ctrlK);
    await c.waitFor('(grace period 0, at once)');
    await c.waitFor('y or Enter kills it');
    c.press(keys.enter);
    await c.waitFor(`killed Pod cart/${pod}`);
    expect((await api('GET', `/api/v1/namespaces/cart/pods/${pod}`)).status).toBe(404);
    await c.waitFor((s) => /kill-me-\S+/.test(s) && !s.includes(pod));
  });

  it('on a row that is no pod it does nothing and says so', async () => {
    const c = await fixture.open(small);
    await listOf(c, 'cm cart', 'kube-root-ca');
    c.press(ctrlK);
    await c.waitFor(/Ctrl-K does nothing here/i);
  });
});
