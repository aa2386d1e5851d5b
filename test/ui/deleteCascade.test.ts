import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';
import { demoApi } from './demoApi.js';

// Ctrl-D's cascade (kubectl delete --cascade) at 80x24 against the demo platform: Tab switches
// Background -> Foreground -> Orphan, each previewed by the server's dry-run; Orphan says what it
// leaves behind and leaves it; Foreground keeps the Deployment Terminating until what it owns is
// gone; the audit record names the propagationPolicy sent; read-only refuses before any preview.

const fixture = demoPerFile();
const small = { cols: 80, rows: 24 };
const ctrlD = '\x04';
const api = demoApi(() => fixture.demo);

async function deployment(namespace: string, name: string, replicas: number): Promise<{ uid: string }> {
  const labels = { app: name };
  const r = await api('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, { metadata: { name }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } } });
  expect(r.status).toBe(201);
  return { uid: r.json.metadata.uid };
}

async function openFiltered(c: ConsoleScreen, command: string, title: string, name: string): Promise<void> {
  await c.waitFor('● live');
  await c.type(`:${command}`);
  c.press(keys.enter);
  await c.waitFor(`Systems › cart › ${title}`);
  await c.type(`/${name}`);
  c.press(keys.enter);
  await c.waitFor(() => (c.selectedRow() ?? '').includes(name));
}

async function auditOf(c: ConsoleScreen): Promise<Array<Record<string, string>>> {
  return (await readFile(c.runtime.ctx.gate.auditPath, 'utf8').catch(() => '')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const ownedBy = async (path: string, uid: string) => ((await api('GET', path)).json.items as Array<{ metadata: { name: string; uid: string; deletionTimestamp?: string; ownerReferences?: Array<{ uid: string }> } }>).filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));

describe('Ctrl-D: the cascade', () => {
  it('Orphan: the preview names the ReplicaSet and its pods left behind; the Deployment goes and they stay, no longer owned', async () => {
    const { uid } = await deployment('cart', 'orphan-web', 2);
    const c = await fixture.open(small);
    await openFiltered(c, 'deploy cart', 'Deployments', 'orphan-web');
    await c.waitFor(/orphan-web +2\/2/);
    c.press(ctrlD);
    await c.waitFor('y or Enter deletes it, Esc cancels');
    expect(c.screen()).toContain('cascade (Tab): [Background]  Foreground   Orphan');
    expect(c.screen()).toMatch(/dry-run ok \(Background\)/);
    c.press(keys.tab);
    await c.waitFor('dry-run ok (Foreground)');
    c.press(keys.tab);
    const preview = await c.waitFor(/dry-run ok \(Orphan\)[\s\S]*y or Enter deletes it/);
    expect(preview).toContain('cascade (Tab):  Background   Foreground  [Orphan]');
    const [rs] = await ownedBy('/apis/apps/v1/namespaces/cart/replicasets', uid);
    expect(preview).toContain(`orphans ReplicaSet ${rs.metadata.name} and its 2 Pods:`);
    expect(preview).toContain('they stay, no longer owned; nothing else goes with it');
    expect(c.lines().every((l) => l.length <= 80)).toBe(true);
    c.press('y');
    // The status line at 80 columns: the start of `deleted … (Orphan): ReplicaSet x and its 2 Pods stay, no longer owned`.
    await c.waitFor(`deleted Deployment cart/orphan-web (Orphan): ReplicaSet ${rs.metadata.name}`);
    expect((await api('GET', '/apis/apps/v1/namespaces/cart/deployments/orphan-web')).status).toBe(404);
    const kept = (await api('GET', `/apis/apps/v1/namespaces/cart/replicasets/${rs.metadata.name}`)).json;
    expect(kept.metadata.deletionTimestamp).toBeUndefined();
    expect(kept.metadata.ownerReferences ?? []).toEqual([]);
    const pods = await ownedBy('/api/v1/namespaces/cart/pods', rs.metadata.uid);
    expect(pods.filter((p) => !p.metadata.deletionTimestamp)).toHaveLength(2);
    const record = (await auditOf(c)).find((r) => r.action === 'delete' && r.name === 'orphan-web');
    expect(record).toMatchObject({ kind: 'Deployment', options: 'propagationPolicy=Orphan', outcome: 'applied' });
  });

  it('Foreground: the Deployment shows Terminating while what it owns goes (one dependent held by a finalizer), then it is gone', async () => {
    const { uid } = await deployment('cart', 'fg-web', 1);
    const lock = await api('POST', '/api/v1/namespaces/cart/configmaps', { metadata: { name: 'fg-web-lock', finalizers: ['warroom.io/hold'], ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'fg-web', uid, blockOwnerDeletion: true }] }, data: { a: '1' } });
    expect(lock.status).toBe(201);
    const c = await fixture.open(small);
    await openFiltered(c, 'apps cart', 'Applications', 'fg-web');
    await c.waitFor(() => /fg-web +deploy +1 +1/.test(c.selectedRow() ?? ''));
    c.press(ctrlD);
    await c.waitFor('y or Enter deletes it, Esc cancels');
    c.press(keys.tab);
    const preview = await c.waitFor(/dry-run ok \(Foreground\)[\s\S]*y or Enter deletes it/);
    expect(preview).toContain('it stays, Terminating, until what it owns is deleted; then it goes');
    expect(preview).toMatch(/goes before it \(owned\): 1 Pod, 1 ReplicaSet/);
    c.press('y');
    await c.waitFor(/Deployment cart\/fg-web +\S+ Terminating: what it owns goes first \(Foreground\)/);
    expect((await api('GET', '/apis/apps/v1/namespaces/cart/deployments/fg-web')).json.metadata.finalizers).toContain('foregroundDeletion');
    // Esc stops following; the view shows the Deployment Terminating.
    c.press(keys.esc);
    await c.waitFor(() => /fg-web \(Terminating\)/.test(c.screen()));
    // And in the Deployments view, where the server's columns say nothing of it.
    await c.type(':deploy cart');
    c.press(keys.enter);
    await c.waitFor('Systems › cart › Deployments');
    await c.waitFor(() => /fg-web \(Terminating\)/.test(c.screen()));
    expect((await api('PATCH', '/api/v1/namespaces/cart/configmaps/fg-web-lock', { metadata: { finalizers: null } })).status).toBe(200);
    await c.waitFor(() => !c.screen().includes('fg-web'));
    expect((await api('GET', '/apis/apps/v1/namespaces/cart/deployments/fg-web')).status).toBe(404);
    const record = (await auditOf(c)).find((r) => r.action === 'delete' && r.name === 'fg-web');
    expect(record).toMatchObject({ options: 'propagationPolicy=Foreground', outcome: 'applied' });
  });

  it('a pod owns nothing: no cascade is offered, and Tab does nothing', async () => {
    await deployment('cart', 'solo-web', 1);
    const c = await fixture.open(small);
    await openFiltered(c, 'pods cart', 'Pods', 'solo-web');
    c.press(ctrlD);
    await c.waitFor('y or Enter deletes it, Esc cancels');
    c.press(keys.tab);
    await c.waitFor(/Pod cart\/solo-web-\S+ +\S+ dry-run ok *$/m);
    expect(c.screen()).not.toContain('cascade');
    c.press(keys.esc);
  });

  it('read-only: Ctrl-D on a Deployment is refused before any preview, and audited', async () => {
    await deployment('cart', 'ro-web', 1);
    const c = await fixture.open({ ...small, readOnly: true });
    await openFiltered(c, 'apps cart', 'Applications', 'ro-web');
    c.press(ctrlD);
    await c.waitFor(/delete refused: context '.*' is read-only/);
    expect(c.screen()).not.toMatch(/Delete Deployment|cascade/);
    await expect.poll(async () => (await auditOf(c)).some((r) => r.action === 'delete' && r.name === 'ro-web' && String(r.outcome).startsWith('refused: read-only'))).toBe(true);
  });
});
