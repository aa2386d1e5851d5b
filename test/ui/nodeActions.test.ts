import { describe, expect, it } from 'vitest';
import { testAuditFile } from '../support/auditFile.js';
import { KubeConfig } from '@kubernetes/client-node';
import { demoPerFile, keys, type ConsoleScreen } from './harness.js';

// c (cordon / uncordon) and D (drain) on the Nodes view at 80x24 against the demo platform:
// previewed by dry-run, confirmed, applied through the gate and audited; marks act on all with one
// typed confirmation; a drain evicts through the Eviction API, names the budget that refuses, and
// Esc stops it with the node left cordoned; read-only refuses.

const fixture = demoPerFile();
const small = { cols: 80, rows: 24, configPath: '/dev/null' };
const audit = testAuditFile('warroom-nodes-ui-');

async function api<T = unknown>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: T }> {
  const kc = new KubeConfig();
  kc.loadFromFile(fixture.demo.kubeconfigPath);
  kc.setCurrentContext(fixture.demo.context);
  const init: { headers?: Record<string, string> } = {};
  await kc.applyToFetchOptions(init as never);
  const res = await fetch(`${fixture.demo.url}${path}`, { method, headers: { ...init.headers, 'Content-Type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as T };
}

interface NodeJson { metadata: { name: string; labels: Record<string, string> }; spec?: { unschedulable?: boolean }; status: { conditions: Array<{ type: string; status: string }> } }

/** Healthy, schedulable workers, by name. */
async function healthyWorkers(): Promise<string[]> {
  const { body } = await api<{ items: NodeJson[] }>('GET', '/api/v1/nodes');
  return body.items
    .filter((n) => n.metadata.labels['node-role.kubernetes.io/worker'] !== undefined && !n.spec?.unschedulable && n.status.conditions.some((c) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata.name)
    .sort();
}

async function unschedulable(node: string): Promise<boolean> {
  return (await api<NodeJson>('GET', `/api/v1/nodes/${node}`)).body.spec?.unschedulable === true;
}

async function openNodes(opts: { readOnly?: boolean } = {}): Promise<ConsoleScreen> {
  const c = await fixture.open({ ...small, ...opts });
  await c.waitFor('● live');
  await c.type(':nodes');
  c.press(keys.enter);
  await c.waitFor(/Systems › Nodes +\(\d+\)/);
  return c;
}

/** Filters the Nodes view to one node and waits until it is the selected row. */
async function selectNode(c: ConsoleScreen, node: string): Promise<void> {
  await c.type(`/${node}`);
  c.press(keys.enter);
  await c.waitFor(() => (c.selectedRow() ?? '').includes(node));
}

describe('c: cordon and uncordon', () => {
  it('previews by dry-run, applies on Enter (audited), the row says SchedulingDisabled; c again uncordons', async () => {
    const [node] = await healthyWorkers();
    const c = await openNodes();
    await selectNode(c, node);
    c.press('c');
    await c.waitFor(/Cordon 1 node in warroom-demo/);
    await c.waitFor(new RegExp(`${node}: dry-run accepted`));
    expect(await unschedulable(node)).toBe(false);
    expect(c.lines().every((l) => l.length <= 80)).toBe(true);
    c.press(keys.enter);
    await c.waitFor(new RegExp(`${node}: cordoned \\(audited\\)`));
    expect(await unschedulable(node)).toBe(true);
    c.press(keys.enter);
    await c.waitFor(() => /SchedulingDisabled/.test(c.selectedRow() ?? ''));
    // c on a cordoned node uncordons it (as u does, k9s' key).
    c.press('c');
    await c.waitFor(/Uncordon 1 node/);
    await c.waitFor('dry-run accepted');
    c.press(keys.enter);
    await c.waitFor(new RegExp(`${node}: uncordoned \\(audited\\)`));
    c.press(keys.esc);
    await c.waitFor(() => !/SchedulingDisabled/.test(c.selectedRow() ?? '') && (c.selectedRow() ?? '').includes(node));
    const records = audit().filter((r) => r.name === node && r.kind === 'Node');
    expect(records.map((r) => [r.action, r.outcome])).toEqual([['cordon', 'applied'], ['uncordon', 'applied']]);
    // u on a schedulable node: nothing to change, and nothing is sent.
    c.press('u');
    await c.waitFor(/Uncordon 1 node/);
    await c.waitFor(new RegExp(`${node}: already schedulable`));
    c.press(keys.enter);
    await c.waitFor('nothing to change: every node is refused or already so');
    c.press(keys.esc);
    expect(audit().filter((r) => r.name === node && r.kind === 'Node')).toHaveLength(2);
  });

  it('marked nodes: one preview, the context name typed once, every one cordoned', async () => {
    const workers = (await healthyWorkers()).slice(0, 2);
    expect(workers).toHaveLength(2);
    const before = audit().length;
    try {
      await cordonMarked(workers, before);
    } finally {
      for (const n of workers) await api('PATCH', `/api/v1/nodes/${n}`, { spec: { unschedulable: null } }, 'application/strategic-merge-patch+json');
    }
  });

  async function cordonMarked(workers: string[], before: number): Promise<void> {
    const c = await openNodes();
    await c.type(`/re:^(${workers.join('|')})$`);
    c.press(keys.enter);
    await c.waitFor(/Systems › Nodes +\(2 of \d+\)/);
    c.press(' ');
    c.press(' ');
    await c.waitFor(() => c.lines().filter((l) => workers.some((w) => l.includes(w)) && l.includes('*')).length === 2);
    c.press('c');
    await c.waitFor(/Cordon 2 nodes in warroom-demo/);
    await c.waitFor(/type warroom-demo and press Enter/);
    c.press(keys.enter);
    await c.waitFor(/type warroom-demo and press Enter to apply \(Esc goes back\)/);
    expect(await unschedulable(workers[0])).toBe(false);
    await c.type('warroom-demo');
    c.press(keys.enter);
    for (const n of workers) await c.waitFor(new RegExp(`${n}: cordoned \\(audited\\)`));
    for (const n of workers) expect(await unschedulable(n)).toBe(true);
    const records = audit().slice(before).filter((r) => r.action === 'cordon');
    expect(records.map((r) => r.name).sort()).toEqual(workers);
    expect(new Set(records.map((r) => r.operation)).size).toBe(1);
  }

  it('read-only: c and D are refused before any preview, and audited', async () => {
    const [node] = await healthyWorkers();
    const c = await openNodes({ readOnly: true });
    await selectNode(c, node);
    c.press('c');
    await c.waitFor(/cordon refused: context '.*' is read-only/);
    c.press('D');
    await c.waitFor(/drain refused: context '.*' is read-only/);
    expect(c.screen()).not.toMatch(/Cordon 1 node|Drain 1 node/);
    await expect.poll(() => audit().filter((r) => r.name === node && r.outcome.startsWith('refused: read-only')).map((r) => r.action).sort()).toEqual(['cordon', 'drain']);
  });
});

describe('D: drain', () => {
  it('previews the pods and the budget that blocks; cordons, evicts, retries the blocked pod naming its budget; Esc stops and the node stays cordoned', async () => {
    const workers = await healthyWorkers();
    const node = workers[workers.length - 1];
    // A pod on the node whose application has no budget yet: a budget that allows no disruption blocks it.
    const { body: pods } = await api<{ items: Array<{ metadata: { name: string; namespace: string; labels: Record<string, string> } }> }>('GET', `/api/v1/pods?fieldSelector=spec.nodeName=${node}`);
    const { body: budgets } = await api<{ items: Array<{ metadata: { namespace: string }; spec: { selector: { matchLabels: Record<string, string> } } }> }>('GET', '/apis/policy/v1/poddisruptionbudgets');
    const guarded = pods.items.find((p) => !budgets.items.some((b) => b.metadata.namespace === p.metadata.namespace && Object.entries(b.spec.selector.matchLabels).every(([k, v]) => p.metadata.labels[k] === v)))!;
    const app = guarded.metadata.labels['app.kubernetes.io/name'];
    const created = await api('POST', `/apis/policy/v1/namespaces/${guarded.metadata.namespace}/poddisruptionbudgets`, { metadata: { name: 'hold-all' }, spec: { maxUnavailable: 0, selector: { matchLabels: { 'app.kubernetes.io/name': app } } } });
    expect(created.status).toBe(201);
    try {
      await drainStopped(node, `${guarded.metadata.namespace}/${guarded.metadata.name}`);
    } finally {
      await api('PATCH', `/api/v1/nodes/${node}`, { spec: { unschedulable: null } }, 'application/strategic-merge-patch+json');
    }
  });

  async function drainStopped(node: string, guarded: string): Promise<void> {
    const c = await openNodes();
    await selectNode(c, node);
    c.press('D');
    await c.waitFor(/Drain 1 node in warroom-demo/);
    await c.waitFor(new RegExp(`${node}: cordon, evict \\d+, skip 0; 1 blocked by a PDB now`));
    await c.waitFor(new RegExp(`${guarded} \\(blocked now; retried\\)\\s+The disruption budget hold-all needs \\d+ healthy pods and has \\d+ currently`));
    expect(await unschedulable(node)).toBe(false);
    // Enter leaves the options for the typed confirmation.
    c.press(keys.enter);
    await c.waitFor('type warroom-demo and press Enter to drain, Esc goes back');
    await c.type('warroom-demo');
    c.press(keys.enter);
    await c.waitFor(/evicting +\d+\/\d+ gone/);
    await c.waitFor(/waiting +\S+\s+The disruption budget hold-all needs/, 30_000);
    expect(await unschedulable(node)).toBe(true);
    // The others go: every pod but the ones the budget holds.
    await c.waitFor(() => {
      const m = /evicting +(\d+)\/(\d+) gone/.exec(c.screen());
      return Boolean(m && Number(m[1]) > 0);
    }, 30_000);
    c.press(keys.esc);
    await c.waitFor(/drain stopped: \d+ pods? not evicted; \S+ stays cordoned/, 30_000);
    expect(await unschedulable(node)).toBe(true);
    const records = audit().filter((r) => r.operation && (r.name === node || r.from === node));
    expect(records.find((r) => r.action === 'cordon')?.outcome).toBe('applied');
    expect(records.some((r) => r.action === 'evict' && r.outcome === 'applied')).toBe(true);
    expect(records.some((r) => r.action === 'evict' && /^stopped: The disruption budget hold-all/.test(r.outcome))).toBe(true);
  }
});
