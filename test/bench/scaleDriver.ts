// The bench:scale driver (bundled and run by test/bench/scale.mjs): scales N Deployments through
// warroom's own actions code (preview with dry-run, apply through the gate, audit file) and times it;
// over a fleet, N Deployments in each cluster, previewed and applied as one fleet operation (each
// cluster through its own gate, all at once), as `s` on a fleet system does.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ActionGate } from '../../src/platform/actions/actionGate.js';
import { AuditLog } from '../../src/platform/actions/auditLog.js';
import { runBounded } from '../../src/platform/actions/boundedPool.js';
import { applyFleetScale, previewFleetScale } from '../../src/platform/actions/fleetScale.js';
import { applyScale, previewScale, type ScaleItem } from '../../src/platform/actions/scaleOperation.js';
import { loadKubeSession, type KubeSession } from '../../src/platform/kube/kubeSession.js';

export { startDemoPlatform } from '../../src/demo/launch.js';
export { startDemoFleet } from '../../src/demo/fleet.js';

export interface BenchOptions {
  kubeconfig: string;
  /** One context, or several (`a,b`): a fleet. */
  context?: string;
  apps: number;
  factor: number;
  concurrency: number[];
  timeoutMs: number;
  log(line: string): void;
  /**
   * Instead of the actions code, the console does it (test/bench/scale.mjs --console): given the
   * namespace, it scales the system x`factor` through the screen and resolves when it is applied.
   */
  console?(namespace: string): Promise<void>;
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

const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
const ms = (n: number | undefined) => (n === undefined ? 'timed out' : `${(n / 1000).toFixed(2)} s`);

/** A namespace of `apps` one-replica Deployments in one cluster, settled (each has its pod). */
async function createApps(session: KubeSession, ns: string, o: BenchOptions): Promise<string[]> {
  await must(session, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  const names = Array.from({ length: o.apps }, (_, i) => `bench-app-${String(i).padStart(4, '0')}`);
  const t = performance.now();
  await runBounded(names, 64, (name) =>
    must(session, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { app: name } },
      spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'registry.example/bench:1' }] } } },
    }),
  );
  o.log(`${session.contextName}: created ${o.apps} Deployments in ${ms(performance.now() - t)}`);
  // Start from a settled cluster: every Deployment has its one pod (the controllers are idle again).
  const settled = await waitUntil('settled', o.timeoutMs, async () => (await list(session, ns)).items.filter((d) => (d.status?.replicas ?? 0) === 1).length === o.apps);
  o.log(`${session.contextName}: all ${o.apps} Deployments report status.replicas 1 after ${ms(settled)}`);
  return names;
}

/** Until every cluster's Deployments report `target` (spec, then status). */
async function converged(sessions: readonly KubeSession[], ns: string, o: BenchOptions, target: number): Promise<{ desiredMs?: number; statusMs?: number }> {
  const all = async (ok: (d: DeploymentList['items'][number]) => boolean) => (await Promise.all(sessions.map(async (s) => (await list(s, ns)).items.filter(ok).length))).every((n) => n === o.apps);
  const desiredMs = await waitUntil('desired', o.timeoutMs, () => all((d) => d.spec.replicas === target));
  const statusMs = await waitUntil('status', o.timeoutMs, () => all((d) => (d.status?.replicas ?? 0) === target));
  return { desiredMs, statusMs };
}

export async function runScaleBench(o: BenchOptions): Promise<void> {
  const contexts = o.context?.split(',') ?? [undefined];
  const sessions = contexts.map((context) => loadKubeSession({ kubeconfig: o.kubeconfig, context }));
  const fleet = sessions.length > 1;
  const ns = `bench-scale-${Date.now().toString(36)}`;
  for (const s of sessions) o.log(`target ${s.server} (context ${s.contextName}), namespace ${ns}, ${o.apps} Deployments`);
  try {
    const names = (await Promise.all(sessions.map((s) => createApps(s, ns, o))))[0];
    if (o.console) {
      const target = Math.ceil(o.factor);
      await o.console(ns);
      const { desiredMs, statusMs } = await converged(sessions, ns, o, target);
      o.log(`read back after the console's apply: every cluster's ${o.apps} Deployments report desired ${target} (${ms(desiredMs)} later), status.replicas ${target} (${ms(statusMs)} later)`);
      return;
    }
    const audit = new AuditLog(join(mkdtempSync(join(tmpdir(), 'warroom-bench-')), 'audit.jsonl'));
    const gates = new Map(sessions.map((session) => [session.contextName, new ActionGate({ session: () => session, policy: { global: false, contexts: new Set() }, audit })]));
    const gateOf = (context: string) => gates.get(context);
    const [gate] = gates.values();
    let current = 1;
    for (const concurrency of o.concurrency) {
      const target = Math.ceil(current * o.factor);
      const items: ScaleItem[] = sessions.flatMap((s) => names.map((name) => ({ ref: { kind: 'Deployment' as const, namespace: ns, name }, context: fleet ? s.contextName : undefined, change: { kind: 'factor' as const, factor: o.factor } })));
      const so = { concurrency, maxFactor: 1000 };
      let t = performance.now();
      let cpu = process.cpuUsage();
      const preview = fleet ? await previewFleetScale(gateOf, items, so) : await previewScale(gate, items, so);
      const previewMs = performance.now() - t;
      const previewCpu = cpuMs(process.cpuUsage(cpu));
      const ok = preview.rows.filter((r) => r.status === 'ok').length;
      t = performance.now();
      cpu = process.cpuUsage();
      const ao = { ...so, operation: `bench-${concurrency}` };
      const results = fleet ? await applyFleetScale(gateOf, preview, ao) : await applyScale(gate, preview, ao);
      const applyMs = performance.now() - t;
      const applyCpu = cpuMs(process.cpuUsage(cpu));
      const { desiredMs, statusMs } = await converged(sessions, ns, o, target);
      const failed = results.filter((r) => r.outcome !== 'applied');
      const where = fleet ? `${items.length} Deployments (${o.apps} in each of ${sessions.length} clusters)` : `${o.apps} Deployments`;
      o.log(
        `x${o.factor} (${current} -> ${target} replicas) of ${where}, concurrency ${concurrency}${fleet ? ' per cluster' : ''}: ` +
          `preview (read + dry-run) ${ms(previewMs)} [${ok} accepted, warroom's CPU ${ms(previewCpu)}]; apply ${ms(applyMs)} [warroom's CPU ${ms(applyCpu)}, ${results.length - failed.length} applied, ${failed.length} not${failed[0] ? `: ${failed[0].reason}` : ''}]; ` +
          `all report desired ${target} after ${ms(applyMs + (desiredMs ?? NaN))} from the start of the apply; status.replicas ${target} after a further ${ms(statusMs)}`,
      );
      current = target;
    }
    o.log(`audit records written to ${audit.path}`);
  } finally {
    await Promise.all(sessions.map((s) => s.request('DELETE', `/api/v1/namespaces/${ns}`, { timeoutMs: 60_000 }).catch(() => undefined)));
  }
}
