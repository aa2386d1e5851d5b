// The lab's log shipper (a small stand-in for Filebeat on the nodes of one cluster).
//
// kwok serves each system's container logs from one CRI-format file per cluster (ClusterLogs per namespace,
// see lib/kwokConfig.mjs). This process writes those lines for the cluster named by LAB_CLUSTER and ships the
// same lines, per Running pod and container, into the lab's one Elasticsearch with Filebeat's ECS layout
// (@timestamp, message, log.level, kubernetes.namespace, kubernetes.pod.name, kubernetes.container.name,
// kubernetes.labels.*, and orchestrator.cluster.name: the cluster, as Elastic Agent's Kubernetes integration
// tags it) in daily indices warroom-logs-YYYY.MM.DD shared by the clusters. So `kubectl logs` and a search in
// Elasticsearch see the same lines, and a search filtered on the cluster sees only that cluster's.
//
// Started detached by `lab.mjs up`, one per cluster; stopped by `lab.mjs down`. Writes <cluster dir>/shipper.ready
// after the backfill.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { ES_INDEX_PREFIX, clusterNamed, urls } from './lib/settings.mjs';
import { request, sleep } from './lib/proc.mjs';
import { Kube, ensureCredentials } from './lib/kube.mjs';
import { SYSTEMS } from './lib/scenario.mjs';
import { podLogFile } from './lib/kwokConfig.mjs';

const cluster = clusterNamed(process.env.LAB_CLUSTER ?? 'warroom-lab');
const READY_FILE = cluster.shipperReady;
const TICK_MS = Number(process.env.LAB_SHIPPER_TICK_MS ?? 5000);
const BACKFILL_LINES = Number(process.env.LAB_SHIPPER_BACKFILL ?? 40);
const BACKFILL_SPAN_MS = 15 * 60 * 1000;

const kube = new Kube(ensureCredentials().admin, cluster);
let seq = 0;
// Each cluster its own sequence of lines.
let rand = 0x2f6b1d3 + cluster.index * 7919;
const rnd = () => ((rand = (rand * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

const PATHS = {
  trade: ['/api/orders', '/api/orders/{id}', '/api/quotes', '/api/positions', '/api/risk/check'],
  cart: ['/api/cart/{id}', '/api/cart/{id}/items', '/api/promotions', '/api/checkout'],
  search: ['/api/search', '/api/suggest', '/api/index/batch', '/api/facets'],
  payment: ['/api/payments', '/api/payments/{id}', '/api/refunds', '/api/ledger/entries'],
  logistics: ['/api/shipments', '/api/shipments/{id}/track', '/api/routes', '/api/labels'],
};

/** One log line of a system: [level, message]. Mostly INFO, some WARN/ERROR/DEBUG; `site=dc2` says where it ran. */
function makeLine(ns) {
  const r = rnd();
  const p = pick(PATHS[ns] ?? ['/api']).replace('{id}', String(1000 + Math.floor(rnd() * 9000)));
  const ms = 2 + Math.floor(rnd() * 180);
  const trace = crypto.randomBytes(8).toString('hex');
  seq += 1;
  const site = `site=${cluster.site}`;
  if (r < 0.06) return ['ERROR', `ERROR request failed path=${p} status=500 duration=${ms}ms error="upstream timeout" trace=${trace} ${site} seq=${seq}`];
  if (r < 0.16) return ['WARN', `WARN slow request path=${p} status=200 duration=${ms * 9}ms trace=${trace} ${site} seq=${seq}`];
  if (r < 0.22) return ['DEBUG', `DEBUG cache lookup key=${ns}:${trace} hit=${rnd() < 0.7} ${site} seq=${seq}`];
  return ['INFO', `INFO request handled method=${pick(['GET', 'GET', 'POST', 'PUT'])} path=${p} status=${pick([200, 200, 200, 201, 204, 404])} duration=${ms}ms trace=${trace} ${site} seq=${seq}`];
}

const criLine = (ts, msg) => `${ts.toISOString()} stdout F ${msg}\n`;
const dedot = (k) => k.replace(/\./g, '_');
const indexFor = (ts) => ES_INDEX_PREFIX + ts.toISOString().slice(0, 10).replace(/-/g, '.');

async function es(method, p, body, contentType = 'application/json') {
  const res = await request(urls.elasticsearch + p, {
    method,
    headers: { 'content-type': contentType },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    timeoutMs: 60000,
  });
  if (res.status >= 300) throw new Error(`ES ${method} ${p} -> ${res.status}: ${res.body.slice(0, 300)}`);
  return JSON.parse(res.body || '{}');
}

async function ensureTemplate() {
  await es('PUT', '/_index_template/warroom-logs', {
    index_patterns: [`${ES_INDEX_PREFIX}*`],
    template: {
      settings: { number_of_shards: 1, number_of_replicas: 0, refresh_interval: '1s' },
      mappings: {
        dynamic_templates: [{ labels: { path_match: 'kubernetes.labels.*', mapping: { type: 'keyword' } } }],
        properties: {
          '@timestamp': { type: 'date' },
          message: { type: 'text' },
          log: { properties: { level: { type: 'keyword' }, offset: { type: 'long' } } },
          stream: { type: 'keyword' },
          ecs: { properties: { version: { type: 'keyword' } } },
          container: { properties: { id: { type: 'keyword' }, image: { properties: { name: { type: 'keyword' } } } } },
          host: { properties: { name: { type: 'keyword' } } },
          orchestrator: { properties: { cluster: { properties: { name: { type: 'keyword' } } } } },
          kubernetes: {
            properties: {
              namespace: { type: 'keyword' },
              node: { properties: { name: { type: 'keyword' } } },
              pod: { properties: { name: { type: 'keyword' }, uid: { type: 'keyword' }, ip: { type: 'keyword' } } },
              container: { properties: { name: { type: 'keyword' } } },
              deployment: { properties: { name: { type: 'keyword' } } },
              replicaset: { properties: { name: { type: 'keyword' } } },
              statefulset: { properties: { name: { type: 'keyword' } } },
              labels: { type: 'object', dynamic: true },
            },
          },
        },
      },
    },
  });
}

/** Running pods of one namespace, reduced to what a document needs. */
async function runningPods(ns) {
  const list = await kube.get(`/api/v1/namespaces/${ns}/pods?limit=2000`);
  return list.items
    .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
    .map((p) => {
      const owner = p.metadata.ownerReferences?.[0];
      const k8s = {
        namespace: ns,
        pod: { name: p.metadata.name, uid: p.metadata.uid, ip: p.status.podIP },
        node: { name: p.spec.nodeName },
        labels: Object.fromEntries(Object.entries(p.metadata.labels ?? {}).map(([k, v]) => [dedot(k), v])),
      };
      if (owner?.kind === 'ReplicaSet') {
        k8s.replicaset = { name: owner.name };
        k8s.deployment = { name: owner.name.replace(/-[a-z0-9]+$/, '') };
      } else if (owner?.kind === 'StatefulSet') k8s.statefulset = { name: owner.name };
      return { k8s, containers: p.spec.containers.map((c) => ({ name: c.name, image: c.image })) };
    });
}

function docsFor(pods, lines) {
  const out = [];
  for (const pod of pods) {
    for (const c of pod.containers) {
      for (const { ts, level, msg } of lines) {
        out.push(JSON.stringify({ index: { _index: indexFor(ts) } }));
        out.push(
          JSON.stringify({
            '@timestamp': ts.toISOString(),
            message: msg,
            log: { level: level.toLowerCase() },
            stream: 'stdout',
            ecs: { version: '8.11.0' },
            host: { name: pod.k8s.node.name },
            orchestrator: { cluster: { name: cluster.name } },
            container: { image: { name: c.image } },
            kubernetes: { ...pod.k8s, container: { name: c.name } },
          }),
        );
      }
    }
  }
  return out;
}

async function bulk(lines) {
  for (let i = 0; i < lines.length; i += 8000) {
    const chunk = lines.slice(i, i + 8000).join('\n') + '\n';
    const r = await es('POST', '/_bulk', chunk, 'application/x-ndjson');
    if (r.errors) {
      const first = r.items.find((it) => it.index?.error);
      throw new Error(`bulk had errors, first: ${JSON.stringify(first?.index?.error).slice(0, 300)}`);
    }
  }
}

async function shipSystem(ns, newLines, pods) {
  fs.appendFileSync(podLogFile(cluster, ns), newLines.map((l) => criLine(l.ts, l.msg)).join(''));
  if (pods.length) await bulk(docsFor(pods, newLines));
}

async function main() {
  await ensureTemplate();
  let podsByNs = {};
  const refreshPods = async () => {
    const next = {};
    for (const s of SYSTEMS) next[s.name] = await runningPods(s.name);
    podsByNs = next;
  };
  await refreshPods();

  // Backfill: a quarter hour of history so searches and `kubectl logs --tail` have something at once.
  let total = 0;
  const now = Date.now();
  for (const s of SYSTEMS) {
    const lines = Array.from({ length: BACKFILL_LINES }, (_, i) => {
      const [level, msg] = makeLine(s.name);
      return { ts: new Date(now - BACKFILL_SPAN_MS + Math.floor((i * BACKFILL_SPAN_MS) / BACKFILL_LINES)), level, msg };
    });
    await shipSystem(s.name, lines, podsByNs[s.name]);
    total += lines.length * podsByNs[s.name].reduce((n, p) => n + p.containers.length, 0);
  }
  await es('POST', `/${ES_INDEX_PREFIX}*/_refresh`);
  fs.writeFileSync(READY_FILE, JSON.stringify({ backfilledDocs: total, at: new Date().toISOString() }) + '\n');
  console.log(`${cluster.name}: backfilled ${total} documents`);

  let lastRefresh = Date.now();
  for (;;) {
    await sleep(TICK_MS);
    try {
      if (Date.now() - lastRefresh > 15000) {
        await refreshPods();
        lastRefresh = Date.now();
      }
      for (const s of SYSTEMS) {
        const n = 1 + Math.floor(rnd() * 2);
        const lines = Array.from({ length: n }, () => {
          const [level, msg] = makeLine(s.name);
          return { ts: new Date(), level, msg };
        });
        await shipSystem(s.name, lines, podsByNs[s.name]);
      }
    } catch (err) {
      console.error(`${new Date().toISOString()} shipping failed (will retry): ${err.message}`);
    }
  }
}

process.on('SIGTERM', () => process.exit(0));
main().catch((err) => {
  console.error(`log shipper failed: ${err.stack || err.message}`);
  process.exit(1);
});
