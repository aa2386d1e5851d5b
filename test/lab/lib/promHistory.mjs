// An hour of metric history for the seeded pods, written as TSDB blocks (promtool) before Prometheus starts,
// so charts over the last hour (rate over 2m, step 60s) have data the moment the lab is up. The series carry
// exactly the labels the live scrape of each cluster's kwok gives them (`cluster` included), so history and
// live samples are one series each.
// The CPU counters restart near zero when live scraping begins (rate() treats that as a counter reset).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { HOST } from './settings.mjs';
import { LabError } from './proc.mjs';
import { SYSTEMS } from './scenario.mjs';

const HISTORY_SECONDS = 3600;
const STEP_SECONDS = 30;

function parseQuantity(q) {
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(String(q));
  if (!m) return 0;
  const mult = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, k: 1e3, M: 1e6, G: 1e9 }[m[2]] ?? 1;
  return Number(m[1]) * mult;
}

const esc = (v) => String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels) =>
  '{' +
  Object.entries(labels)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',') +
  '}';

/** A smooth, per-series wobble in [-1, 1] so charts are not flat lines. */
const wobble = (seed, t) => Math.sin(t / 600 + seed) * 0.6 + Math.sin(t / 97 + seed * 3) * 0.4;

/** `kubes`: one admin client per cluster (its `cluster` names the kwok and the label). */
export async function writePromHistory(kubes, dataDir, { now = Math.floor(Date.now() / 1000) - 5 } = {}) {
  const containers = [];
  for (const kube of kubes) {
    const instance = `${HOST}:${kube.cluster.ports.kwok}`;
    for (const s of SYSTEMS) {
      const pods = await kube.get(`/api/v1/namespaces/${s.name}/pods?limit=2000`);
      for (const p of pods.items) {
        if (p.status?.phase !== 'Running') continue;
        const ann = p.metadata.annotations ?? {};
        for (const c of p.spec.containers) {
          containers.push({
            cluster: kube.cluster.name,
            instance,
            ns: s.name,
            pod: p.metadata.name,
            node: p.spec.nodeName,
            container: c.name,
            image: c.image,
            cpu: parseQuantity(ann['kwok.x-k8s.io/usage-cpu'] ?? '1m'),
            mem: parseQuantity(ann['kwok.x-k8s.io/usage-memory'] ?? '1Mi'),
            reqCpu: parseQuantity(c.resources?.requests?.cpu ?? '0'),
            reqMem: parseQuantity(c.resources?.requests?.memory ?? '0'),
          });
        }
      }
    }
  }
  const start = now - HISTORY_SECONDS;
  const times = [];
  for (let t = start; t <= now; t += STEP_SECONDS) times.push(t);
  const out = [];
  const common = (c, metricsName) => ({ cluster: c.cluster, instance: c.instance, job: 'kwok-nodes', metrics_name: metricsName, node: c.node });
  const cadvisor = (c) => ({ container: c.container, image: c.image, namespace: c.ns, pod: c.pod, ...common(c, 'metrics-cadvisor') });

  out.push('# TYPE container_cpu_usage_seconds_total unknown');
  containers.forEach((c, i) => {
    const labels = labelText(cadvisor(c));
    let total = 0;
    let prev = start;
    for (const t of times) {
      total += c.cpu * (1 + 0.35 * wobble(i, t)) * (t - prev);
      prev = t;
      out.push(`container_cpu_usage_seconds_total${labels} ${total.toFixed(6)} ${t}`);
    }
  });
  out.push('# TYPE container_memory_working_set_bytes gauge');
  containers.forEach((c, i) => {
    const labels = labelText(cadvisor(c));
    for (const t of times) out.push(`container_memory_working_set_bytes${labels} ${Math.round(c.mem * (0.9 + 0.1 * wobble(i + 7, t)))} ${t}`);
  });
  out.push('# TYPE kube_pod_container_resource_requests gauge');
  for (const c of containers) {
    for (const [resource, unit, v] of [['cpu', 'core', c.reqCpu], ['memory', 'byte', c.reqMem]]) {
      const labels = labelText({ container: c.container, namespace: c.ns, pod: c.pod, resource, unit, ...common(c, 'metrics-kube-state') });
      for (const t of times) out.push(`kube_pod_container_resource_requests${labels} ${v} ${t}`);
    }
  }
  out.push('# EOF');
  const file = path.join(path.dirname(dataDir), 'history.om');
  fs.writeFileSync(file, out.join('\n') + '\n');
  fs.mkdirSync(dataDir, { recursive: true });
  const r = spawnSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, dataDir], { encoding: 'utf8' });
  if (r.status !== 0) throw new LabError(`promtool could not write the metric history: ${(r.stderr || r.stdout || r.error?.message || '').slice(0, 500)}`);
  fs.rmSync(file, { force: true });
  return { series: containers.length * 4, samples: (out.length - 4) };
}
