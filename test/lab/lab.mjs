#!/usr/bin/env node
// The real lab: two Kubernetes clusters as two data centres — warroom-lab (dc1) and warroom-lab-2 (dc2), each
// its own kube-apiserver, kube-controller-manager, kube-scheduler (built from the Kubernetes Go modules) and
// kwok with its own nodes, on one etcd (each apiserver under its own --etcd-prefix) — plus one Prometheus
// (Debian) scraping both kwoks and one Elasticsearch (Maven Central integ-test-zip) holding both clusters'
// logs, all on 127.0.0.1.
//
//   node test/lab/lab.mjs up [--clusters 1] [--no-es] [--no-prom]  build/install what is missing, start, wait, seed
//   node test/lab/lab.mjs down                      stop exactly the processes `up` started (saved PIDs)
//   node test/lab/lab.mjs status                    what runs, where
//   node test/lab/lab.mjs stop [--kill] NAME... | start NAME...   stop a component (e.g. kube-apiserver-2), start it again;
//                                                   start kube-apiserver-peer: a second apiserver of dc1 (HA), stop drops it
//   node test/lab/lab.mjs console [args]            warroom against the lab
//   node test/lab/lab.mjs e2e [--keep] [files]      up if needed, contract suites against the lab, down
//   node test/lab/lab.mjs env                       the environment test:e2e sets, as shell exports
//
// WARROOM_LAB_PORT_OFFSET=N shifts every port by N (a second lab beside CI's); such a lab keeps its state in
// test/lab/.work-N unless WARROOM_LAB_WORK_DIR names a directory.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BIN_DIR,
  CLUSTERS,
  CONSOLE_CONFIG,
  ES_CLUSTER_FIELD,
  ES_HOME,
  ES_INDEX_PREFIX,
  FLEET_NAME,
  HOST,
  KUBECONFIG,
  LAB_DIR,
  LOG_DIR,
  PORTS,
  PORT_OFFSET,
  REPO_DIR,
  VERSIONS,
  WORK_DIR,
  rel,
  urls,
} from './lib/settings.mjs';
import { LabError, assertPortsFree, isOurs, readState, request, startProcess, stopAll, stopProcess, waitReady, writeState } from './lib/proc.mjs';
import { ensureAlertmanager, ensureElasticsearch, ensureEsRootPlugin, ensureGoBinaries, ensureLabUser, ensurePrometheus, findJava, stopPackagedPrometheus } from './lib/install.mjs';
import { ALERTMANAGER_CONFIG, ALERT_RULES } from './lib/alerting.mjs';
import { Kube, SA_KEY, TOKENS_FILE, ensureCredentials, writeClusterKubeconfigs, writeKubeconfig } from './lib/kube.mjs';
import { seed, totalPods, waitSeedRunning } from './lib/scenario.mjs';
import { writeKwokConfig } from './lib/kwokConfig.mjs';
import { writePromHistory } from './lib/promHistory.mjs';

const bin = (name) => path.join(BIN_DIR, name);
const secs = (t0) => ((Date.now() - t0) / 1000).toFixed(1);

/** The clusters the running (or last) lab started, in fleet order. */
function startedClusters(state = readState()) {
  const names = state.clusters ?? CLUSTERS.map((c) => c.name);
  return CLUSTERS.filter((c) => names.includes(c.name));
}

function labEnv(clusters = startedClusters()) {
  const [first] = clusters;
  return {
    KUBECONFIG,
    WARROOM_KUBECONFIG: KUBECONFIG,
    WARROOM_KUBE_CONTEXT: first.context,
    WARROOM_KUBE_RESTRICTED_CONTEXT: first.restrictedContext,
    WARROOM_ES_URL: urls.elasticsearch,
    WARROOM_ES_INDEX: `${ES_INDEX_PREFIX}*`,
    // Both clusters ship into the one Elasticsearch: the logs suite keeps to the first's lines, as its context does.
    WARROOM_ES_FILTER: `${ES_CLUSTER_FIELD}=${first.name}`,
    WARROOM_PROM_URL: urls.prometheus,
    // Alertmanager runs beside Prometheus (its rules fire on the kwok pods): the alerts suite runs against both.
    ...(readState().components.some((c) => c.name === 'alertmanager') ? { WARROOM_ALERTMANAGER_URL: urls.alertmanager } : {}),
    // The fleet: every cluster's admin context in order (each has CONTEXT-restricted too), and warroom's config
    // file pointing each context at its logs and metrics.
    WARROOM_LAB_CONTEXTS: clusters.map((c) => c.context).join(','),
    WARROOM_LAB_CONFIG: CONSOLE_CONFIG,
    WARROOM_LAB_PORT_OFFSET: String(PORT_OFFSET),
    WARROOM_LAB_WORK_DIR: WORK_DIR,
  };
}

/** The contract suites about a cluster's own API server and kwok, run against every cluster (Elasticsearch and Prometheus are shared: once is enough). */
const CLUSTER_SUITES = ['test/contract/kube', 'test/contract/scale', 'test/contract/exec', 'test/contract/rollout'];

/** The environment that points the contract suites at one cluster (the others share Elasticsearch and Prometheus). */
const clusterEnv = (c) => ({ WARROOM_KUBE_CONTEXT: c.context, WARROOM_KUBE_RESTRICTED_CONTEXT: c.restrictedContext });

// ---------------------------------------------------------------- readiness checks

const httpOk = (url, opts) => async () => {
  const r = await request(url, opts);
  return r.status === 200 ? true : `HTTP ${r.status} ${r.body.slice(0, 200)}`;
};

/** A component's readiness as recorded in its spec (`ready: {url, insecure, bearer}`). */
function readyCheck(ready) {
  return async () => {
    const headers = ready.bearer ? { authorization: `Bearer ${ensureCredentials().admin}` } : {};
    return httpOk(ready.url, { headers, insecure: ready.insecure })();
  };
}

/** Starts a component and waits until its `ready` URL answers 200. */
async function startReady(state, spec, timeoutSec) {
  const rec = startProcess(state, spec);
  await waitReady(rec, spec.ready.url, readyCheck(spec.ready), timeoutSec);
  return rec;
}

async function promTargetsUp(clusters) {
  const r = await request(`${urls.prometheus}/api/v1/targets?state=active`);
  if (r.status !== 200) return `HTTP ${r.status}`;
  const targets = JSON.parse(r.body).data.activeTargets;
  const missing = clusters.filter((c) => !targets.some((t) => t.labels.job === 'kwok-nodes' && t.labels.cluster === c.name && t.health === 'up'));
  return missing.length === 0 ? true : `${targets.length} targets, no kwok-nodes target of ${missing.map((c) => c.name).join(', ')} up yet`;
}

async function esHealthy() {
  const r = await request(`${urls.elasticsearch}/_cluster/health`);
  if (r.status !== 200) return `HTTP ${r.status}`;
  const { status } = JSON.parse(r.body);
  return status === 'green' || status === 'yellow' ? true : `cluster health ${status}`;
}

// ---------------------------------------------------------------- up

function freshDir(dir, owner) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
}

function clusterCount(flags) {
  const i = flags.indexOf('--clusters');
  if (i < 0) return CLUSTERS.length;
  const n = Number(flags[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > CLUSTERS.length) throw new LabError(`--clusters takes 1 to ${CLUSTERS.length}, got ${flags[i + 1] ?? 'nothing'}`);
  return n;
}

async function up(args) {
  const t0 = Date.now();
  const flags = new Set(args);
  const wantEs = !flags.has('--no-es');
  const wantProm = !flags.has('--no-prom');
  const clusters = CLUSTERS.slice(0, clusterCount(args));
  const state = readState();
  const alive = state.components.filter(isOurs);
  if (alive.length) {
    if (alive.length === state.components.length && (await healthy(state))) {
      console.log('the lab is already up');
      printInfo(state);
      return { alreadyUp: true };
    }
    console.log('a previous lab is partly running; stopping it first');
    await stopAll(state);
  }
  state.components = [];

  // 1. Build and install what is missing (before ports are checked: a cold build takes minutes).
  ensureGoBinaries();
  const labUser = ensureLabUser();
  const promBin = wantProm ? ensurePrometheus() : null;
  const amBin = wantProm ? ensureAlertmanager() : null;
  if (wantProm) stopPackagedPrometheus();
  let javaHome = null;
  if (wantEs) {
    ensureElasticsearch();
    javaHome = findJava();
    ensureEsRootPlugin(javaHome);
  }

  // 2. Ports, before anything starts.
  const ports = { 'etcd client': PORTS.etcdClient, 'etcd peer': PORTS.etcdPeer };
  for (const c of clusters) {
    for (const [what, port] of [['kube-apiserver', c.ports.apiserver], ['kube-controller-manager', c.ports.controllerManager], ['kube-scheduler', c.ports.scheduler], ['kwok', c.ports.kwok]]) {
      ports[c.component(what)] = port;
    }
  }
  if (wantProm) Object.assign(ports, { prometheus: PORTS.prometheus, alertmanager: PORTS.alertmanager });
  if (wantEs) Object.assign(ports, { 'elasticsearch http': PORTS.elasticsearch, 'elasticsearch transport': PORTS.elasticsearchTransport });
  await assertPortsFree(ports);

  // 3. Fresh runtime state; credentials are kept so kubeconfigs stay valid across runs. Each cluster's directory
  //    (serving certificate, kubeconfigs, kwok config, pod logs) starts empty.
  fs.mkdirSync(LOG_DIR, { recursive: true });
  for (const f of fs.readdirSync(LOG_DIR)) if (f !== 'build.log') fs.rmSync(path.join(LOG_DIR, f), { force: true });
  freshDir(path.join(WORK_DIR, 'etcd'));
  freshDir(path.join(WORK_DIR, 'prometheus'));
  freshDir(path.join(WORK_DIR, 'alertmanager'));
  for (const c of CLUSTERS) fs.rmSync(c.dir, { recursive: true, force: true });
  const tokens = ensureCredentials();
  state.clusters = clusters.map((c) => c.name);
  state.startedAt = new Date().toISOString();
  delete state.readyAt;
  writeState(state);

  try {
    // Elasticsearch first: its JVM takes longest, it warms up while the control planes start.
    let esRec = null;
    if (wantEs) esRec = startElasticsearch(state, labUser, javaHome);
    // Alertmanager needs nothing else: it starts now and is ready long before Prometheus sends it anything.
    let amReady = Promise.resolve(0);
    if (wantProm) {
      const amT0 = Date.now();
      const amRec = startAlertmanager(state, amBin);
      amReady = waitReady(amRec, `${urls.alertmanager}/-/ready`, httpOk(`${urls.alertmanager}/-/ready`), 60).then(() => (Date.now() - amT0) / 1000);
      amReady.catch(() => undefined); // awaited below; a failure then stops the lab
    }

    await startReady(
      state,
      {
        name: 'etcd',
        port: PORTS.etcdClient,
        command: bin('etcd'),
        args: [
          '--name=lab',
          `--data-dir=${path.join(WORK_DIR, 'etcd')}`,
          `--listen-client-urls=http://${HOST}:${PORTS.etcdClient}`,
          `--advertise-client-urls=http://${HOST}:${PORTS.etcdClient}`,
          `--listen-peer-urls=http://${HOST}:${PORTS.etcdPeer}`,
          `--initial-advertise-peer-urls=http://${HOST}:${PORTS.etcdPeer}`,
          `--initial-cluster=lab=http://${HOST}:${PORTS.etcdPeer}`,
          '--unsafe-no-fsync',
          '--log-level=warn',
        ],
        ready: { url: `http://${HOST}:${PORTS.etcdClient}/health` },
      },
      60,
    );
    // The apiservers' watch caches start at the revision etcd has when they start; on a fresh etcd that is ~1,
    // so `watch?resourceVersion=1` would replay everything. Start them on a history that is already compacted,
    // like any real cluster's, so old resourceVersions get 410 Expired.
    await advanceEtcd(100);

    // The clusters start side by side: each control plane, kwok and seed is independent of the other's.
    const kubes = await Promise.all(clusters.map((c) => startCluster(state, c, tokens, labUser, t0)));
    writeKubeconfig(clusters, tokens);
    writeConsoleConfig(clusters, { wantEs, wantProm });
    // A real cluster older than 5 minutes has compacted its early revisions (the apiserver compacts every
    // 5 min); compact now, so continue tokens and watches from old resourceVersions get 410 Expired at once.
    const rev = await compactEtcd();
    console.log(`etcd compacted at revision ${rev}`);

    // Metrics and logs are independent of each other: Prometheus (history, start, first scrapes) and the log
    // shippers (once Elasticsearch, started first, is green) get ready side by side.
    await Promise.all([
      wantProm &&
        (async () => {
          const hist = await writePromHistory(kubes, path.join(WORK_DIR, 'prometheus', 'data'));
          console.log(`wrote an hour of metric history (${hist.series} series, ${hist.samples} samples) after ${secs(t0)}s`);
          const prom = startPrometheus(state, promBin, clusters);
          await waitReady(prom, `${urls.prometheus}/-/ready`, httpOk(`${urls.prometheus}/-/ready`), 60);
          await waitReady(prom, `${urls.prometheus}/api/v1/targets (a kwok-nodes target of each cluster up)`, () => promTargetsUp(clusters), 60);
          console.log(`prometheus scraping every cluster's kwok after ${secs(t0)}s`);
          console.log(`alertmanager ready ${(await amReady).toFixed(1)}s after its start (it started before etcd, beside Elasticsearch)`);
        })(),
      wantEs &&
        (async () => {
          await waitReady(esRec, `${urls.elasticsearch}/_cluster/health (yellow or green)`, esHealthy, 180);
          console.log(`elasticsearch ready after ${secs(t0)}s`);
          const shippers = clusters.map((c) => ({
            c,
            rec: startProcess(state, { name: c.component('log-shipper'), port: null, command: process.execPath, args: [path.join(LAB_DIR, 'shipper.mjs')], env: { LAB_CLUSTER: c.name } }),
          }));
          await Promise.all(shippers.map(({ c, rec }) => waitReady(rec, `its backfill of ${c.name} into Elasticsearch`, async () => fs.existsSync(c.shipperReady), 120)));
          console.log(`every cluster's logs in elasticsearch after ${secs(t0)}s`);
        })(),
    ]);
  } catch (err) {
    if (stopping) await new Promise(() => {}); // a signal handler is already stopping everything and exits
    console.error(`\nlab:up failed: ${err.message}\nstopping everything it started`);
    await stopAll(state);
    throw new LabError('lab:up failed (see above); nothing is left running');
  }
  state.readyAt = new Date().toISOString();
  state.upSeconds = Number(secs(t0));
  writeState(state);
  console.log(`\nlab is up in ${secs(t0)}s`);
  printInfo(state);
  return { alreadyUp: false };
}

/**
 * One cluster: its apiserver (own port, serving certificate and etcd prefix), controller-manager, scheduler and
 * kwok with its own nodes, then its seed. Returns an admin client of it once every seeded pod runs.
 */
async function startCluster(state, c, tokens, labUser, t0) {
  fs.mkdirSync(c.pkiDir, { recursive: true, mode: 0o700 });
  const apiserver = await startReady(
    state,
    {
      name: c.component('kube-apiserver'),
      port: c.ports.apiserver,
      command: bin('kube-apiserver'),
      args: [
        `--etcd-servers=http://${HOST}:${PORTS.etcdClient}`,
        `--etcd-prefix=${c.etcdPrefix}`,
        `--bind-address=${HOST}`,
        `--advertise-address=${HOST}`,
        `--secure-port=${c.ports.apiserver}`,
        `--cert-dir=${c.pkiDir}`,
        // A loopback advertise address is invalid for the "kubernetes" Endpoints; kwokctl does the same.
        '--endpoint-reconciler-type=none',
        '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
        `--service-account-key-file=${SA_KEY}`,
        `--service-account-signing-key-file=${SA_KEY}`,
        '--service-cluster-ip-range=10.96.0.0/16',
        `--token-auth-file=${TOKENS_FILE}`,
        '--authorization-mode=RBAC',
        '--allow-privileged=true',
        '--enable-priority-and-fairness=false',
        // kwok's nodes carry InternalIP 127.0.0.1; logs/exec go to the cluster's kwok server on that address.
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        '--profiling=false',
        '--v=1',
      ],
      ready: { url: `${c.urls.apiserver}/readyz`, insecure: true, bearer: true },
    },
    120,
  );
  writeClusterKubeconfigs(c, tokens);
  // The kubeconfig trusts the apiserver's self-signed certificate chain (kept across `stop`/`start`); prove it verifies.
  await request(`${c.urls.apiserver}/version`, { ca: fs.readFileSync(c.apiserverCert) }).catch((err) => {
    throw new LabError(`the certificate of ${apiserver.name} (${rel(c.apiserverCert)}) does not verify for ${c.urls.apiserver}: ${err.message}`);
  });

  const kwokConfig = writeKwokConfig(c, { execUid: labUser.uid, execGid: labUser.gid });
  const specs = [
    {
      name: c.component('kube-controller-manager'),
      port: c.ports.controllerManager,
      command: bin('kube-controller-manager'),
      args: [
        `--kubeconfig=${c.adminKubeconfig}`,
        `--bind-address=${HOST}`,
        `--secure-port=${c.ports.controllerManager}`,
        '--leader-elect=false',
        `--root-ca-file=${c.apiserverCert}`,
        `--service-account-private-key-file=${SA_KEY}`,
        '--use-service-account-credentials=false',
        '--kube-api-qps=100',
        '--kube-api-burst=200',
        '--node-monitor-grace-period=3m20s',
        '--profiling=false',
        '--v=1',
      ],
      ready: { url: `https://${HOST}:${c.ports.controllerManager}/healthz`, insecure: true },
    },
    {
      name: c.component('kube-scheduler'),
      port: c.ports.scheduler,
      command: bin('kube-scheduler'),
      args: [`--kubeconfig=${c.adminKubeconfig}`, `--bind-address=${HOST}`, `--secure-port=${c.ports.scheduler}`, '--leader-elect=false', '--profiling=false', '--v=1'],
      ready: { url: `https://${HOST}:${c.ports.scheduler}/healthz`, insecure: true },
    },
    {
      name: c.component('kwok'),
      port: c.ports.kwok,
      command: bin('kwok'),
      args: [`--kubeconfig=${c.adminKubeconfig}`, `--config=${kwokConfig}`, `--server-address=${HOST}:${c.ports.kwok}`, `--node-port=${c.ports.kwok}`, '--node-ip=127.0.0.1', '--v=INFO'],
      ready: { url: `${c.urls.kwok}/healthz` },
    },
  ];
  await Promise.all(specs.map((spec) => startReady(state, spec, 60)));
  console.log(`${c.name}: control plane + kwok ready after ${secs(t0)}s`);

  const kube = new Kube(tokens.admin, c);
  await seed(kube);
  const running = await waitSeedRunning(kube, 240);
  console.log(`${c.name}: ${running} seeded pods Running after ${secs(t0)}s`);
  return kube;
}

async function etcdPost(p, body) {
  const r = await request(`http://${HOST}:${PORTS.etcdClient}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new LabError(`etcd ${p} -> ${r.status} ${r.body.slice(0, 200)}; see ${rel(path.join(LOG_DIR, 'etcd.log'))}`);
  return JSON.parse(r.body);
}

/** Writes `n` revisions of a key outside the apiservers' prefixes, then compacts them away. */
async function advanceEtcd(n) {
  const key = Buffer.from('/warroom-lab/history').toString('base64');
  for (let i = 0; i < n; i++) await etcdPost('/v3/kv/put', { key, value: Buffer.from(String(i)).toString('base64') });
  await compactEtcd();
}

/** Compacts etcd (all clusters' keys: one revision counter) to its current revision; returns that revision. */
async function compactEtcd() {
  const { header } = await etcdPost('/v3/kv/range', { key: Buffer.from('/registry/').toString('base64'), limit: 1 });
  await etcdPost('/v3/kv/compaction', { revision: header.revision, physical: true });
  return header.revision;
}

/**
 * warroom's config file for the lab (JSON is YAML): each context reads its cluster's logs from the one
 * Elasticsearch (only documents whose orchestrator.cluster.name is its cluster) and its metrics from the one
 * Prometheus (only series whose `cluster` label is its cluster); the fleet `lab` names the clusters and that
 * Prometheus as the fleet's (its label `cluster` tells them apart: the context names are its values).
 */
function writeConsoleConfig(clusters, { wantEs, wantProm }) {
  const contexts = {};
  for (const c of clusters) {
    const section = {};
    if (wantEs) section.elasticsearch = { url: urls.elasticsearch, index: `${ES_INDEX_PREFIX}*`, fields: 'ecs', filter: { [ES_CLUSTER_FIELD]: c.name } };
    if (wantProm) section.prometheus = { url: urls.prometheus, matchers: { cluster: c.name }, scrapeInterval: '5s' };
    // One Alertmanager for both clusters, as one monitoring stack has: an alert's `cluster` label names its cluster.
    if (wantProm) section.alertmanager = { url: urls.alertmanager };
    contexts[c.context] = section;
    contexts[c.restrictedContext] = section;
  }
  // The fleet's charts ask the one Prometheus once per chart, telling the clusters apart by their label.
  const fleet = { contexts: clusters.map((c) => c.context), ...(wantProm ? { prometheus: { url: urls.prometheus, clusterLabel: 'cluster', scrapeInterval: '5s' } } : {}) };
  const doc = { fleets: { [FLEET_NAME]: fleet }, contexts };
  fs.writeFileSync(CONSOLE_CONFIG, `# Written by test/lab/lab.mjs up: the lab's contexts, their logs and metrics, and the fleet.\n${JSON.stringify(doc, null, 2)}\n`);
}

function startElasticsearch(state, labUser, javaHome) {
  const esDir = path.join(WORK_DIR, 'es');
  freshDir(esDir, labUser);
  for (const d of ['data', 'logs', 'tmp']) freshDir(path.join(esDir, d), labUser);
  // ES writes its keystore into the config dir, so each lab gets its own copy owned by the lab user.
  fs.cpSync(path.join(ES_HOME, 'config'), path.join(esDir, 'config'), { recursive: true });
  spawnSync('chown', ['-R', `${labUser.uid}:${labUser.gid}`, esDir]);
  return startProcess(state, {
    name: 'elasticsearch',
    port: PORTS.elasticsearch,
    // For `lab.mjs start elasticsearch`: ready once the cluster (its indices recovered from disk) is yellow or green.
    ready: { url: `${urls.elasticsearch}/_cluster/health?wait_for_status=yellow&timeout=1s` },
    command: path.join(ES_HOME, 'bin', 'elasticsearch'),
    uid: labUser.uid,
    gid: labUser.gid,
    cwd: esDir,
    env: {
      ES_JAVA_HOME: javaHome,
      ES_JAVA_OPTS: '-Xms512m -Xmx512m',
      ES_PATH_CONF: path.join(esDir, 'config'),
      ES_TMPDIR: path.join(esDir, 'tmp'),
      HOME: esDir,
    },
    args: [
      '-E', 'cluster.name=warroom-lab',
      '-E', 'node.name=lab-es',
      '-E', 'discovery.type=single-node',
      '-E', `network.host=${HOST}`,
      '-E', `http.port=${PORTS.elasticsearch}`,
      '-E', `transport.port=${PORTS.elasticsearchTransport}`,
      '-E', 'xpack.security.enabled=false',
      '-E', 'cluster.routing.allocation.disk.threshold_enabled=false',
      '-E', 'action.destructive_requires_name=false',
      '-E', `path.data=${path.join(esDir, 'data')}`,
      '-E', `path.logs=${path.join(esDir, 'logs')}`,
    ],
  });
}

function startPrometheus(state, promBin, clusters) {
  const dir = path.join(WORK_DIR, 'prometheus');
  const config = path.join(dir, 'prometheus.yml');
  const rules = path.join(dir, 'rules.yml');
  fs.writeFileSync(rules, `# Written by test/lab/lab.mjs up: alerting rules over the kwok pods.\n${JSON.stringify(ALERT_RULES, null, 2)}\n`);
  const kwokAddress = (c) => `${HOST}:${c.ports.kwok}`;
  // JSON is YAML. Each kwok's http_sd lists one target per node and Metric; all share that kwok's host:port and
  // differ by __metrics_path__, so the cluster is told by the address and the node name is copied from the path.
  fs.writeFileSync(
    config,
    JSON.stringify(
      {
        global: { scrape_interval: '5s', scrape_timeout: '4s', evaluation_interval: '5s' },
        scrape_configs: [
          {
            job_name: 'kwok-nodes',
            http_sd_configs: clusters.map((c) => ({ url: `${c.urls.kwok}/discovery/prometheus`, refresh_interval: '5s' })),
            relabel_configs: [
              // Scrape what Prometheus scrapes on a real node (cAdvisor) and the kube-state-metrics stand-in;
              // /metrics/resource is metrics-server's, scraping it too would double every container series.
              { source_labels: ['metrics_name'], regex: 'metrics-cadvisor|metrics-kube-state', action: 'keep' },
              { source_labels: ['__metrics_path__'], regex: '/metrics/nodes/([^/]+)/.*', target_label: 'node', replacement: '$1' },
              ...clusters.map((c) => ({ source_labels: ['__address__'], regex: kwokAddress(c).replace(/\./g, '\\.'), target_label: 'cluster', replacement: c.name })),
            ],
          },
          { job_name: 'kwok', static_configs: clusters.map((c) => ({ targets: [kwokAddress(c)], labels: { cluster: c.name } })) },
        ],
        rule_files: [rules],
        alerting: { alertmanagers: [{ static_configs: [{ targets: [`${HOST}:${PORTS.alertmanager}`] }] }] },
      },
      null,
      2,
    ),
  );
  return startProcess(state, {
    name: 'prometheus',
    port: PORTS.prometheus,
    command: promBin,
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      '--storage.tsdb.retention.time=1d',
      `--web.listen-address=${HOST}:${PORTS.prometheus}`,
      '--web.enable-lifecycle',
    ],
    ready: { url: `${urls.prometheus}/-/ready` },
  });
}

/** Debian's Alertmanager on loopback; `--cluster.listen-address=` turns off its gossip (else 0.0.0.0:9094). */
function startAlertmanager(state, amBin) {
  const dir = path.join(WORK_DIR, 'alertmanager');
  const config = path.join(dir, 'alertmanager.yml');
  fs.writeFileSync(config, `# Written by test/lab/lab.mjs up.\n${JSON.stringify(ALERTMANAGER_CONFIG, null, 2)}\n`);
  return startProcess(state, {
    name: 'alertmanager',
    port: PORTS.alertmanager,
    command: amBin,
    args: [`--config.file=${config}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=${HOST}:${PORTS.alertmanager}`, '--cluster.listen-address=', '--log.level=warn'],
    ready: { url: `${urls.alertmanager}/-/ready` },
  });
}

async function healthy(state) {
  try {
    const names = new Set(state.components.map((c) => c.name));
    if ((await httpOk(`http://${HOST}:${PORTS.etcdClient}/health`)()) !== true) return false;
    const tokens = ensureCredentials();
    for (const c of startedClusters(state)) {
      const r = await request(`${c.urls.apiserver}/readyz`, { headers: { authorization: `Bearer ${tokens.admin}` }, insecure: true });
      if (r.status !== 200) return false;
    }
    if (names.has('prometheus') && (await httpOk(`${urls.prometheus}/-/ready`)()) !== true) return false;
    if (names.has('alertmanager') && (await httpOk(`${urls.alertmanager}/-/ready`)()) !== true) return false;
    if (names.has('elasticsearch') && (await esHealthy()) !== true) return false;
    return !!state.readyAt;
  } catch {
    return false;
  }
}

function printInfo(state) {
  const names = new Set(state.components.map((c) => c.name));
  const clusters = startedClusters(state);
  console.log(`
  kubeconfig     ${KUBECONFIG}
                 contexts: ${clusters.map((c) => `${c.context} (admin), ${c.restrictedContext}`).join(', ')}
                 (restricted: read-only, no pods in "payment", no exec, no scaling)
  config         ${CONSOLE_CONFIG}   (each context's logs and metrics; the fleet "${FLEET_NAME}")`);
  for (const c of clusters) {
    console.log(`  ${c.name.padEnd(14)} ${c.urls.apiserver}   (${c.site}; ${totalPods(c)} seeded pods; kwok ${c.urls.kwok})`);
  }
  console.log(`                 Kubernetes ${VERSIONS.kubernetes}, etcd ${VERSIONS.etcd}, kwok ${VERSIONS.kwok}`);
  if (names.has('prometheus')) console.log(`  prometheus     ${urls.prometheus}   (label cluster=<cluster name>)`);
  if (names.has('alertmanager')) console.log(`  alertmanager   ${urls.alertmanager}   (Prometheus' rules: Watchdog, KubePodCrashLooping, KubePodNotReady)`);
  if (names.has('elasticsearch')) console.log(`  elasticsearch  ${urls.elasticsearch}   (indices ${ES_INDEX_PREFIX}YYYY.MM.DD, ${ES_CLUSTER_FIELD}=<cluster name>, Elasticsearch ${VERSIONS.elasticsearch})`);
  const offset = PORT_OFFSET ? `WARROOM_LAB_PORT_OFFSET=${PORT_OFFSET} ` : '';
  console.log(`  logs           ${rel(LOG_DIR)}/
  console        ${offset}npm run lab:console [-- --fleet ${FLEET_NAME}]     stop: ${offset}npm run lab:down
`);
}

// ---------------------------------------------------------------- other commands

async function down() {
  const state = readState();
  const ours = state.components.filter(isOurs);
  if (!ours.length) console.log('nothing of the lab is running');
  await stopAll(state);
  // Verify: nothing the lab started may remain.
  const left = readState().components.filter(isOurs);
  if (left.length) throw new LabError(`still running: ${left.map((c) => `${c.name} (${c.pid})`).join(', ')}`);
}

function component(state, name) {
  const rec = state.components.find((c) => c.name === name);
  if (!rec) throw new LabError(`the lab has no component "${name}" (it has: ${state.components.map((c) => c.name).join(', ') || 'nothing; run lab:up'})`);
  return rec;
}

const PEER = '-peer';

/**
 * A second apiserver of a cluster, `kube-apiserver-peer` (dc2: `kube-apiserver-2-peer`): the recorded apiserver's
 * command line on the cluster's `apiserverPeer` port, same etcd prefix, certificate and tokens, as a second
 * member of an HA control plane. Recorded when started; its record is dropped again when it is stopped.
 */
async function peerSpec(state, name) {
  const base = component(state, name.slice(0, -PEER.length));
  const cluster = CLUSTERS.find((c) => c.component('kube-apiserver') === base.name);
  if (!cluster || !base.spec) throw new LabError(`${name}: only an apiserver recorded by lab:up has a peer (e.g. kube-apiserver${PEER})`);
  const port = cluster.ports.apiserverPeer;
  await assertPortsFree({ [name]: port });
  const at = (url) => url.replace(`:${base.port}/`, `:${port}/`);
  return {
    ...base.spec,
    name,
    port,
    args: base.spec.args.map((a) => (a.startsWith('--secure-port=') ? `--secure-port=${port}` : a)),
    ready: { ...base.spec.ready, url: at(base.spec.ready.url) },
  };
}

/**
 * Stops components of a running lab (e.g. kube-apiserver-2: a data centre's API goes away); `start` brings them
 * back. `--kill`: SIGKILL at once, as a crash (the apiserver's graceful stop takes ~15 s).
 */
async function stopComponents(args) {
  const state = readState();
  const kill = args.includes('--kill');
  for (const name of args.filter((a) => a !== '--kill')) {
    const rec = component(state, name);
    const t0 = Date.now();
    if (await stopProcess(rec, kill ? 0 : undefined)) console.log(`${kill ? 'killed' : 'stopped'} ${name} (pid ${rec.pid}) in ${secs(t0)}s`);
    else console.log(`${name} was not running`);
    if (name.endsWith(PEER)) {
      state.components = state.components.filter((c) => c !== rec);
      writeState(state);
    }
  }
}

/**
 * Starts stopped components again exactly as `up` started them (same ports, certificates, data) and waits until
 * ready; `NAME-peer` of an apiserver starts a second apiserver of its cluster (peerSpec).
 */
async function startComponents(names) {
  const state = readState();
  for (const name of names) {
    const known = state.components.find((c) => c.name === name);
    if (known && isOurs(known)) {
      console.log(`${name} is already running (pid ${known.pid})`);
      continue;
    }
    const spec = !known && name.endsWith(PEER) ? await peerSpec(state, name) : component(state, name).spec;
    if (!spec) throw new LabError(`${name} was started by an older lab.mjs that did not record how; run lab:down and lab:up`);
    const t0 = Date.now();
    const next = spec.ready ? await startReady(state, spec, 120) : startProcess(state, spec);
    console.log(`started ${name} (pid ${next.pid}) on ${HOST}:${spec.port ?? '-'} in ${secs(t0)}s`);
  }
}

async function status() {
  const state = readState();
  if (!state.components.length) {
    console.log('the lab is down');
    return 1;
  }
  for (const c of state.components) {
    console.log(`${c.name.padEnd(26)} ${isOurs(c) ? 'running' : 'STOPPED'} pid ${String(c.pid).padEnd(8)} ${c.port ? `${HOST}:${c.port}` : ''.padEnd(15)}  ${rel(c.log)}`);
  }
  const ok = (await healthy(state)) && state.components.every(isOurs);
  console.log(ok ? 'healthy' : 'NOT healthy');
  if (ok) printInfo(state);
  return ok ? 0 : 1;
}

function consoleCmd(args) {
  if (!fs.existsSync(KUBECONFIG)) throw new LabError('the lab is not up: run `npm run lab:up` first');
  const has = (...flags) => args.some((a) => flags.some((f) => a === f || a.startsWith(`${f}=`)));
  const pre = [];
  if (!has('--config')) pre.push('--config', CONSOLE_CONFIG);
  if (!has('--context', '--fleet')) pre.push('--context', CLUSTERS[0].context);
  const r = spawnSync(process.execPath, [path.join(REPO_DIR, 'bin', 'warroom'), ...pre, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...labEnv() },
  });
  return r.status ?? 1;
}

function findTests(dir, re) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => re.test(String(f)));
}

/** Runs `npx ARGV` with `run.env` (printing the variables in `run.shown` before the command); resolves its exit code. */
function npx(run) {
  const shown = Object.entries(run.shown ?? {}).map(([k, v]) => `${k}=${v} `).join('');
  console.log(`\n$ ${shown}npx ${run.argv.join(' ')}`);
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npx', run.argv, { cwd: REPO_DIR, stdio: 'inherit', env: run.env });
    child.on('exit', (code) => {
      console.log(`(took ${secs(t0)}s)`);
      resolve(code ?? 1);
    });
  });
}

/**
 * Lab up (unless it already is), then the contract suites (test/contract, the repo's vitest config) against the
 * first cluster, the suites about a cluster's own API server (CLUSTER_SUITES) against every other cluster, and the lab's own checks and the console's end-to-end tests
 * (test/e2e, its own vitest config) with the lab's WARROOM_* environment. Exit code: the first non-zero of the
 * vitest runs. Lab down afterwards unless --keep or it was already up.
 */
async function e2e(args) {
  const keep = args.includes('--keep');
  const files = args.filter((a) => a !== '--keep');
  const { alreadyUp } = await up([]);
  const clusters = startedClusters();
  const env = { ...process.env, ...labEnv(clusters) };
  const runs = [];
  if (files.length) runs.push({ argv: ['vitest', 'run', ...files], env });
  else {
    if (findTests(path.join(REPO_DIR, 'test', 'contract'), /\.test\.[cm]?[jt]s$/).length) {
      runs.push({ argv: ['vitest', 'run', 'test/contract'], env, shown: clusterEnv(clusters[0]) });
      for (const c of clusters.slice(1)) {
        runs.push({ argv: ['vitest', 'run', ...CLUSTER_SUITES], env: { ...env, ...clusterEnv(c) }, shown: clusterEnv(c) });
      }
    } else console.log('no contract suites under test/contract yet; skipping them');
    runs.push({ argv: ['vitest', 'run', '--config', 'test/e2e/vitest.config.mjs'], env });
  }
  let code = 0;
  for (const run of runs) {
    const c = await npx(run);
    if (c !== 0 && code === 0) code = c;
  }
  if (!keep && !alreadyUp) await down();
  else console.log('the lab stays up (npm run lab:down stops it)');
  return code;
}

async function main(cmd, args) {
  switch (cmd) {
    case 'up':
      await up(args);
      return 0;
    case 'down':
      await down();
      return 0;
    case 'status':
      return status();
    case 'stop':
      await stopComponents(args);
      return 0;
    case 'start':
      await startComponents(args);
      return 0;
    case 'console':
      return consoleCmd(args);
    case 'e2e':
      return e2e(args);
    case 'env':
      for (const [k, v] of Object.entries(labEnv())) console.log(`export ${k}=${v}`);
      return 0;
    default:
      console.error(`usage: node test/lab/lab.mjs up|down|status|stop [--kill] NAME...|start NAME...|console|e2e|env`);
      return 2;
  }
}

let stopping = false;
const [cmd = 'status', ...cmdArgs] = process.argv.slice(2);
// Ctrl-C while `up` (or e2e's) starts things stops what was started; other commands leave the lab alone.
if (cmd === 'up' || cmd === 'e2e') {
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      if (stopping) return;
      stopping = true;
      console.error(`\n${sig}: stopping what the lab started`);
      await stopAll(readState(), { quiet: true });
      process.exit(130);
    });
  }
}

main(cmd, cmdArgs).then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof LabError ? `lab: ${err.message}` : err.stack);
    process.exit(1);
  },
);
