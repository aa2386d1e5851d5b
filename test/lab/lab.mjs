#!/usr/bin/env node
// The real lab: kube-apiserver, etcd, kube-controller-manager, kube-scheduler (built from the Kubernetes Go
// modules), kwok, Prometheus (Debian) and Elasticsearch (Maven Central integ-test-zip), all on 127.0.0.1.
//
//   node test/lab/lab.mjs up [--no-es] [--no-prom]  build/install what is missing, start, wait, seed
//   node test/lab/lab.mjs down                      stop exactly the processes `up` started (saved PIDs)
//   node test/lab/lab.mjs status                    what runs, where
//   node test/lab/lab.mjs console [args]            warroom against the lab
//   node test/lab/lab.mjs e2e [--keep] [files]      up if needed, contract suites against the lab, down
//   node test/lab/lab.mjs env                       the environment test:e2e sets, as shell exports
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ADMIN_KUBECONFIG,
  BIN_DIR,
  CONTEXT_ADMIN,
  CONTEXT_RESTRICTED,
  ES_HOME,
  ES_INDEX_PREFIX,
  HOST,
  KUBECONFIG,
  LAB_DIR,
  LOG_DIR,
  PKI_DIR,
  PORTS,
  REPO_DIR,
  RESTRICTED_KUBECONFIG,
  VERSIONS,
  WORK_DIR,
  rel,
  urls,
} from './lib/settings.mjs';
import { LabError, assertPortsFree, isOurs, readState, request, startProcess, stopAll, waitReady, writeState } from './lib/proc.mjs';
import { ensureElasticsearch, ensureEsRootPlugin, ensureGoBinaries, ensureLabUser, ensurePrometheus, findJava, stopPackagedPrometheus } from './lib/install.mjs';
import { APISERVER_CERT, Kube, SA_KEY, TOKENS_FILE, ensureCredentials, writeKubeconfigs } from './lib/kube.mjs';
import { seed, totalPods, waitSeedRunning } from './lib/scenario.mjs';
import { writeKwokConfig } from './lib/kwokConfig.mjs';
import { writePromHistory } from './lib/promHistory.mjs';

const bin = (name) => path.join(BIN_DIR, name);
const secs = (t0) => ((Date.now() - t0) / 1000).toFixed(1);

function labEnv() {
  return {
    KUBECONFIG,
    WARROOM_KUBECONFIG: KUBECONFIG,
    WARROOM_KUBE_CONTEXT: CONTEXT_ADMIN,
    WARROOM_KUBE_RESTRICTED_CONTEXT: CONTEXT_RESTRICTED,
    WARROOM_ES_URL: urls.elasticsearch,
    WARROOM_ES_INDEX: `${ES_INDEX_PREFIX}*`,
    WARROOM_PROM_URL: urls.prometheus,
  };
}

// ---------------------------------------------------------------- readiness checks

const httpOk = (url, opts) => async () => {
  const r = await request(url, opts);
  return r.status === 200 ? true : `HTTP ${r.status} ${r.body.slice(0, 200)}`;
};

async function promTargetUp() {
  const r = await request(`${urls.prometheus}/api/v1/targets?state=active`);
  if (r.status !== 200) return `HTTP ${r.status}`;
  const targets = JSON.parse(r.body).data.activeTargets;
  const up = targets.filter((t) => t.labels.job === 'kwok-nodes' && t.health === 'up');
  return up.length > 0 ? true : `${targets.length} targets, none of job kwok-nodes up yet`;
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

async function up(flags) {
  const t0 = Date.now();
  const wantEs = !flags.has('--no-es');
  const wantProm = !flags.has('--no-prom');
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
  if (wantProm) stopPackagedPrometheus();
  let javaHome = null;
  if (wantEs) {
    ensureElasticsearch();
    javaHome = findJava();
    ensureEsRootPlugin(javaHome);
  }

  // 2. Ports, before anything starts.
  const ports = {
    'etcd client': PORTS.etcdClient,
    'etcd peer': PORTS.etcdPeer,
    'kube-apiserver': PORTS.apiserver,
    'kube-controller-manager': PORTS.controllerManager,
    'kube-scheduler': PORTS.scheduler,
    kwok: PORTS.kwok,
  };
  if (wantProm) ports.prometheus = PORTS.prometheus;
  if (wantEs) Object.assign(ports, { 'elasticsearch http': PORTS.elasticsearch, 'elasticsearch transport': PORTS.elasticsearchTransport });
  await assertPortsFree(ports);

  // 3. Fresh runtime state; credentials are kept so kubeconfigs stay valid across runs.
  fs.mkdirSync(LOG_DIR, { recursive: true });
  for (const f of fs.readdirSync(LOG_DIR)) if (f !== 'build.log') fs.rmSync(path.join(LOG_DIR, f), { force: true });
  freshDir(path.join(WORK_DIR, 'etcd'));
  freshDir(path.join(WORK_DIR, 'prometheus'));
  freshDir(path.join(WORK_DIR, 'pod-logs'));
  fs.rmSync(path.join(WORK_DIR, 'shipper.ready'), { force: true });
  const tokens = ensureCredentials();
  for (const f of ['apiserver.crt', 'apiserver.key']) fs.rmSync(path.join(PKI_DIR, f), { force: true });
  state.startedAt = new Date().toISOString();
  writeState(state);

  try {
    // Elasticsearch first: its JVM takes longest, it warms up while the control plane starts.
    let esRec = null;
    if (wantEs) esRec = startElasticsearch(state, labUser, javaHome);

    const etcd = startProcess(state, {
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
    });
    await waitReady(etcd, `http://${HOST}:${PORTS.etcdClient}/health`, httpOk(`http://${HOST}:${PORTS.etcdClient}/health`), 60);
    // The apiserver's watch cache starts at the revision etcd has when it starts; on a fresh etcd that is ~1,
    // so `watch?resourceVersion=1` would replay everything. Start it on a history that is already compacted,
    // like any real cluster's, so old resourceVersions get 410 Expired.
    await advanceEtcd(100);

    const apiserver = startProcess(state, {
      name: 'kube-apiserver',
      port: PORTS.apiserver,
      command: bin('kube-apiserver'),
      args: [
        `--etcd-servers=http://${HOST}:${PORTS.etcdClient}`,
        `--bind-address=${HOST}`,
        `--advertise-address=${HOST}`,
        `--secure-port=${PORTS.apiserver}`,
        `--cert-dir=${PKI_DIR}`,
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
        // kwok's nodes carry InternalIP 127.0.0.1; logs/exec go to kwok's server on that address.
        '--kubelet-preferred-address-types=InternalIP,Hostname',
        '--profiling=false',
        '--v=1',
      ],
    });
    await waitReady(apiserver, `https://${HOST}:${PORTS.apiserver}/readyz`, async () => {
      const r = await request(`${urls.apiserver}/readyz`, { headers: { authorization: `Bearer ${tokens.admin}` }, insecure: true });
      return r.status === 200 ? true : `HTTP ${r.status} ${r.body.slice(-200)}`;
    }, 120);
    writeKubeconfigs(tokens);
    // The kubeconfig trusts the apiserver's self-signed certificate chain; prove that it verifies.
    await request(`${urls.apiserver}/version`, { ca: fs.readFileSync(APISERVER_CERT) }).catch((err) => {
      throw new LabError(`the apiserver's certificate (${rel(APISERVER_CERT)}) does not verify for ${urls.apiserver}: ${err.message}`);
    });

    const kcm = startProcess(state, {
      name: 'kube-controller-manager',
      port: PORTS.controllerManager,
      command: bin('kube-controller-manager'),
      args: [
        `--kubeconfig=${ADMIN_KUBECONFIG}`,
        `--bind-address=${HOST}`,
        `--secure-port=${PORTS.controllerManager}`,
        '--leader-elect=false',
        `--root-ca-file=${APISERVER_CERT}`,
        `--service-account-private-key-file=${SA_KEY}`,
        '--use-service-account-credentials=false',
        '--kube-api-qps=100',
        '--kube-api-burst=200',
        '--node-monitor-grace-period=3m20s',
        '--profiling=false',
        '--v=1',
      ],
    });
    const scheduler = startProcess(state, {
      name: 'kube-scheduler',
      port: PORTS.scheduler,
      command: bin('kube-scheduler'),
      args: [`--kubeconfig=${ADMIN_KUBECONFIG}`, `--bind-address=${HOST}`, `--secure-port=${PORTS.scheduler}`, '--leader-elect=false', '--profiling=false', '--v=1'],
    });
    const kwokConfig = writeKwokConfig({ execUid: labUser.uid, execGid: labUser.gid });
    const kwok = startProcess(state, {
      name: 'kwok',
      port: PORTS.kwok,
      command: bin('kwok'),
      args: [`--kubeconfig=${ADMIN_KUBECONFIG}`, `--config=${kwokConfig}`, `--server-address=${HOST}:${PORTS.kwok}`, `--node-port=${PORTS.kwok}`, '--node-ip=127.0.0.1', '--v=INFO'],
    });
    await waitReady(kcm, `https://${HOST}:${PORTS.controllerManager}/healthz`, httpOk(`https://${HOST}:${PORTS.controllerManager}/healthz`, { insecure: true }), 60);
    await waitReady(scheduler, `https://${HOST}:${PORTS.scheduler}/healthz`, httpOk(`https://${HOST}:${PORTS.scheduler}/healthz`, { insecure: true }), 60);
    await waitReady(kwok, `http://${HOST}:${PORTS.kwok}/healthz`, httpOk(`http://${HOST}:${PORTS.kwok}/healthz`), 60);
    console.log(`control plane + kwok ready after ${secs(t0)}s`);

    const kube = new Kube(tokens.admin);
    await seed(kube);
    const running = await waitSeedRunning(kube, 240);
    console.log(`${running} seeded pods Running after ${secs(t0)}s`);
    // A real cluster older than 5 minutes has compacted its early revisions (the apiserver compacts every
    // 5 min); compact now, so continue tokens and watches from old resourceVersions get 410 Expired at once.
    const rev = await compactEtcd();
    console.log(`etcd compacted at revision ${rev}`);

    if (wantProm) {
      const t1 = Date.now();
      const hist = await writePromHistory(kube, path.join(WORK_DIR, 'prometheus', 'data'));
      console.log(`wrote an hour of metric history (${hist.series} series, ${hist.samples} samples) in ${secs(t1)}s`);
      const prom = startPrometheus(state, promBin);
      await waitReady(prom, `${urls.prometheus}/-/ready`, httpOk(`${urls.prometheus}/-/ready`), 60);
      await waitReady(prom, `${urls.prometheus}/api/v1/targets (a kwok-nodes target up)`, promTargetUp, 60);
    }
    if (wantEs) {
      await waitReady(esRec, `${urls.elasticsearch}/_cluster/health (yellow or green)`, esHealthy, 180);
      const shipper = startProcess(state, {
        name: 'log-shipper',
        port: null,
        command: process.execPath,
        args: [path.join(LAB_DIR, 'shipper.mjs')],
      });
      await waitReady(shipper, 'its backfill into Elasticsearch', async () => fs.existsSync(path.join(WORK_DIR, 'shipper.ready')), 120);
    }
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

async function etcdPost(p, body) {
  const r = await request(`http://${HOST}:${PORTS.etcdClient}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (r.status !== 200) throw new LabError(`etcd ${p} -> ${r.status} ${r.body.slice(0, 200)}; see ${rel(path.join(LOG_DIR, 'etcd.log'))}`);
  return JSON.parse(r.body);
}

/** Writes `n` revisions of a key outside the apiserver's prefix, then compacts them away. */
async function advanceEtcd(n) {
  const key = Buffer.from('/warroom-lab/history').toString('base64');
  for (let i = 0; i < n; i++) await etcdPost('/v3/kv/put', { key, value: Buffer.from(String(i)).toString('base64') });
  await compactEtcd();
}

/** Compacts etcd to its current revision through etcd's JSON gateway; returns that revision. */
async function compactEtcd() {
  const post = etcdPost;
  const { header } = await post('/v3/kv/range', { key: Buffer.from('/registry/').toString('base64'), limit: 1 });
  await post('/v3/kv/compaction', { revision: header.revision, physical: true });
  return header.revision;
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

function startPrometheus(state, promBin) {
  const dir = path.join(WORK_DIR, 'prometheus');
  const config = path.join(dir, 'prometheus.yml');
  // JSON is YAML. kwok's http_sd lists one target per node and Metric; all share kwok's host:port and differ
  // by __metrics_path__, so the node name is copied from the path into a label.
  fs.writeFileSync(
    config,
    JSON.stringify(
      {
        global: { scrape_interval: '5s', scrape_timeout: '4s', evaluation_interval: '5s' },
        scrape_configs: [
          {
            job_name: 'kwok-nodes',
            http_sd_configs: [{ url: `${urls.kwok}/discovery/prometheus`, refresh_interval: '5s' }],
            relabel_configs: [
              // Scrape what Prometheus scrapes on a real node (cAdvisor) and the kube-state-metrics stand-in;
              // /metrics/resource is metrics-server's, scraping it too would double every container series.
              { source_labels: ['metrics_name'], regex: 'metrics-cadvisor|metrics-kube-state', action: 'keep' },
              { source_labels: ['__metrics_path__'], regex: '/metrics/nodes/([^/]+)/.*', target_label: 'node', replacement: '$1' },
            ],
          },
          { job_name: 'kwok', static_configs: [{ targets: [`${HOST}:${PORTS.kwok}`] }] },
        ],
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
  });
}

async function healthy(state) {
  try {
    const names = new Set(state.components.map((c) => c.name));
    if (!(await httpOk(`http://${HOST}:${PORTS.etcdClient}/health`)()) === true) return false;
    const tokens = ensureCredentials();
    const r = await request(`${urls.apiserver}/readyz`, { headers: { authorization: `Bearer ${tokens.admin}` }, insecure: true });
    if (r.status !== 200) return false;
    if (names.has('prometheus') && (await httpOk(`${urls.prometheus}/-/ready`)()) !== true) return false;
    if (names.has('elasticsearch') && (await esHealthy()) !== true) return false;
    return !!state.readyAt;
  } catch {
    return false;
  }
}

function printInfo(state) {
  const names = new Set(state.components.map((c) => c.name));
  console.log(`
  kubeconfig     ${KUBECONFIG}
                 contexts: ${CONTEXT_ADMIN} (admin), ${CONTEXT_RESTRICTED} (read-only, no pods in "payment", no exec, no scaling)
                 also ${rel(ADMIN_KUBECONFIG)}, ${rel(RESTRICTED_KUBECONFIG)}
  kube-apiserver ${urls.apiserver}   (Kubernetes ${VERSIONS.kubernetes}, etcd ${VERSIONS.etcd}, kwok ${VERSIONS.kwok}; ${totalPods()} seeded pods)`);
  if (names.has('prometheus')) console.log(`  prometheus     ${urls.prometheus}`);
  if (names.has('elasticsearch')) console.log(`  elasticsearch  ${urls.elasticsearch}   (indices ${ES_INDEX_PREFIX}YYYY.MM.DD, Elasticsearch ${VERSIONS.elasticsearch})`);
  console.log(`  logs           ${rel(LOG_DIR)}/
  console        npm run lab:console     stop: npm run lab:down
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

async function status() {
  const state = readState();
  if (!state.components.length) {
    console.log('the lab is down');
    return 1;
  }
  for (const c of state.components) {
    console.log(`${c.name.padEnd(24)} ${isOurs(c) ? 'running' : 'DEAD   '} pid ${String(c.pid).padEnd(8)} ${c.port ? `${HOST}:${c.port}` : ''.padEnd(15)}  ${rel(c.log)}`);
  }
  const ok = await healthy(state);
  console.log(ok ? 'healthy' : 'NOT healthy');
  if (ok) printInfo(state);
  return ok ? 0 : 1;
}

function consoleCmd(args) {
  if (!fs.existsSync(KUBECONFIG)) throw new LabError('the lab is not up: run `npm run lab:up` first');
  const r = spawnSync(process.execPath, [path.join(REPO_DIR, 'bin', 'warroom'), '--context', CONTEXT_ADMIN, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...labEnv() },
  });
  return r.status ?? 1;
}

function findTests(dir, re) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true }).filter((f) => re.test(String(f)));
}

/**
 * Lab up (unless it already is), then the contract suites (test/contract, the repo's vitest config) and the
 * lab's own checks (test/e2e, its own vitest config) with the lab's WARROOM_* environment. Exit code: the
 * first non-zero of the vitest runs. Lab down afterwards unless --keep or it was already up.
 */
async function e2e(args) {
  const keep = args.includes('--keep');
  const files = args.filter((a) => a !== '--keep');
  const { alreadyUp } = await up(new Set());
  const env = { ...process.env, ...labEnv() };
  const runs = [];
  if (files.length) runs.push(['vitest', 'run', ...files]);
  else {
    if (findTests(path.join(REPO_DIR, 'test', 'contract'), /\.test\.[cm]?[jt]s$/).length) runs.push(['vitest', 'run', 'test/contract']);
    else console.log('no contract suites under test/contract yet; skipping them');
    runs.push(['vitest', 'run', '--config', 'test/e2e/vitest.config.mjs']);
  }
  let code = 0;
  for (const argv of runs) {
    console.log(`\n$ npx ${argv.join(' ')}`);
    const r = spawnSync('npx', argv, { cwd: REPO_DIR, stdio: 'inherit', env });
    const c = r.status ?? 1;
    if (c !== 0 && code === 0) code = c;
  }
  if (!keep && !alreadyUp) await down();
  else console.log('the lab stays up (npm run lab:down stops it)');
  return code;
}

async function main() {
  const [cmd = 'status', ...args] = process.argv.slice(2);
  switch (cmd) {
    case 'up':
      await up(new Set(args));
      return 0;
    case 'down':
      await down();
      return 0;
    case 'status':
      return status();
    case 'console':
      return consoleCmd(args);
    case 'e2e':
      return e2e(args);
    case 'env':
      for (const [k, v] of Object.entries(labEnv())) console.log(`export ${k}=${v}`);
      return 0;
    default:
      console.error(`usage: node test/lab/lab.mjs up|down|status|console|e2e|env`);
      return 2;
  }
}

let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    console.error(`\n${sig}: stopping what the lab started`);
    await stopAll(readState(), { quiet: true });
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof LabError ? `lab: ${err.message}` : err.stack);
    process.exit(1);
  },
);
