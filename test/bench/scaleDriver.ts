// The bench:scale driver (bundled and run by test/bench/scale.mjs): scales N Deployments through
// warroom's own actions code (preview with dry-run, apply through the gate, audit file) and times it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionGate } from '../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../src/platform/actions/auditLog.js';
import { runBounded } from '../../src/platform/actions/boundedPool.js';
import { applyScale, previewScale, type ScaleItem } from '../../src/platform/actions/scaleOperation.js';
import { loadKubeSession, type KubeSession } from '../../src/platform/kube/kubeSession.js';

export { startDemoPlatform } from '../../src/demo/launch.js';

export interface BenchOptions {
  kubeconfig: string;
  context?: string;
  apps: number;
  factor: number;
  concurrency: number[];
  timeoutMs: number;
  log(line: string): void;
}

interface DeploymentList {
  items: Array<{ metadata: { name: string }; spec: { replicas: number }; status?: { replicas?: number; readyReplicas?: number } }>;
}

async function must(session: KubeSession, method: string, path: string, body?: unknown): Promise<void> {
  const r = await session.request(method, path, { body, timeoutMs: 60_000 });
  if (r.status >= 300 && r.status !== 409) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
}

async function list(session: KubeSession, ns: string): Promise<DeploymentList> {
  return session.getJson<DeploymentList>(`/apis/apps/v1/namespaces/${ns}/deployments`);
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<number | undefined> {
  const t0 = performance.now();
  for (;;) {
    if (await check()) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const ms = (n: number | undefined) => (n === undefined ? 'timed out' : `${(n / 1000).toFixed(2)} s`);

export async function runScaleBench(o: BenchOptions): Promise<void> {
  const session = loadKubeSession({ kubeconfig: o.kubeconfig, context: o.context });
  const ns = `bench-scale-${Date.now().toString(36)}`;
  o.log(`target ${session.server} (context ${session.contextName}), namespace ${ns}, ${o.apps} Deployments`);
  await must(session, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  try {
    const names = Array.from({ length: o.apps }, (_, i) => `bench-app-${String(i).padStart(4, '0')}`);
    let t = performance.now();
    await runBounded(names, 64, (name) =>
      must(session, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, labels: { app: name } },
        spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example/bench:1' }] } } },
      }),
    );
    o.log(`created ${o.apps} Deployments in ${ms(performance.now() - t)}`);
    // Start from a settled cluster: every Deployment has its one pod (the controllers are idle again).
    const settled = await waitUntil('settled', o.timeoutMs, async () => (await list(session, ns)).items.filter((d) => (d.status?.replicas ?? 0) === 1).length === o.apps);
    o.log(`all ${o.apps} Deployments report status.replicas 1 after ${ms(settled)}`);
    const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'warroom-bench-')), 'audit.jsonl'));
    const gate = new ActionGate({ session: () => session, policy: { global: false, contexts: new Set() }, audit });
    let current = 1;
    for (const concurrency of o.concurrency) {
      const target = Math.ceil(current * o.factor);
      const items: ScaleItem[] = names.map((name) => ({ ref: { kind: 'Deployment', namespace: ns, name }, change: { kind: 'absolute', value: target } }));
      t = performance.now();
      const preview = await previewScale(gate, items, { concurrency, maxFactor: 1000 });
      const previewMs = performance.now() - t;
      const ok = preview.rows.filter((r) => r.status === 'ok').length;
      t = performance.now();
      const results = await applyScale(gate, preview, { concurrency, maxFactor: 1000, operation: `bench-${concurrency}` });
      const applyMs = performance.now() - t;
      const desiredMs = await waitUntil('desired', o.timeoutMs, async () => (await list(session, ns)).items.filter((d) => d.spec.replicas === target).length === o.apps);
      const statusMs = await waitUntil('status', o.timeoutMs, async () => (await list(session, ns)).items.filter((d) => (d.status?.replicas ?? 0) === target).length === o.apps);
      const failed = results.filter((r) => r.outcome !== 'applied');
      o.log(
        `x${o.factor} (${current} -> ${target} replicas) of ${o.apps} Deployments, concurrency ${concurrency}: ` +
          `preview (read + dry-run) ${ms(previewMs)} [${ok} accepted]; apply ${ms(applyMs)} [${results.length - failed.length} applied, ${failed.length} not${failed[0] ? `: ${failed[0].reason}` : ''}]; ` +
          `all report desired ${target} after ${ms(applyMs + (desiredMs ?? NaN))} from the start of the apply; status.replicas ${target} after a further ${ms(statusMs)}`,
      );
      current = target;
    }
    o.log(`audit records written to ${audit.path}`);
  } finally {
    await session.request('DELETE', `/api/v1/namespaces/${ns}`, { timeoutMs: 60_000 }).catch(() => undefined);
  }
}
