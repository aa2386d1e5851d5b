// Builds or installs whatever the lab lacks: the Go binaries (test/lab/k8s/build.sh), Debian's Prometheus and Alertmanager,
// the Elasticsearch integ-test-zip from Maven Central, a JDK for it, and the unprivileged lab user.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN_DIR, CACHE_DIR, ES_HOME, LAB_DIR, LAB_USER, LOG_DIR, VERSIONS, WORK_DIR, rel } from './settings.mjs';
import { LabError, isAlive } from './proc.mjs';

const GO_BINARIES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'];

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: opts.log ? ['ignore', opts.log, opts.log] : 'inherit', env: { ...process.env, ...opts.env } });
  if (r.error) throw new LabError(`${cmd} could not be run: ${r.error.message}`);
  return r.status;
}

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Files whose change makes a binary stale (a binary older than any of them is rebuilt). */
function buildInputs(name) {
  const k8s = path.join(LAB_DIR, 'k8s');
  if (name === 'kwok') return [path.join(k8s, 'kwok-exec.patch'), path.join(k8s, 'build.sh')];
  return [path.join(k8s, 'go.mod'), path.join(k8s, 'go.sum'), path.join(k8s, 'cmd', name, 'main.go')];
}

function isStale(name) {
  const bin = path.join(BIN_DIR, name);
  if (!fs.existsSync(bin)) return true;
  const built = fs.statSync(bin).mtimeMs;
  return buildInputs(name).some((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs > built);
}

export function ensureGoBinaries() {
  const missing = GO_BINARIES.filter(isStale);
  if (!missing.length) return;
  if (!which('go')) throw new LabError('go is not on PATH; the lab builds its control plane with the Go toolchain');
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, 'build.log');
  console.log(`building ${missing.join(', ')} (log: ${rel(logFile)}; cold: ~15-25 min on 2 cores, warm: seconds)`);
  const t0 = Date.now();
  const fd = fs.openSync(logFile, 'a');
  const status = run(path.join(LAB_DIR, 'k8s', 'build.sh'), missing, { log: fd });
  fs.closeSync(fd);
  if (status !== 0) {
    throw new LabError(`the Go build failed (exit ${status}); see ${rel(logFile)}`);
  }
  console.log(`built in ${Math.round((Date.now() - t0) / 1000)}s`);
}

function aptInstall(pkgs) {
  console.log(`installing Debian package(s): ${pkgs.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-q'], { env }) !== 0) throw new LabError('apt-get update failed');
  if (run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env }) !== 0) {
    throw new LabError(`apt-get install ${pkgs.join(' ')} failed`);
  }
}

/** Debian's prometheus; its postinst may start the packaged daemon (0.0.0.0:9090): stop exactly that one. */
export function ensurePrometheus() {
  if (!which('prometheus')) {
    aptInstall(['prometheus']);
    stopPackagedPrometheus();
  }
  return which('prometheus');
}

export function stopPackagedPrometheus() {
  // The Debian init script / systemd unit record the daemon in /run/prometheus.pid (start-stop-daemon).
  for (const pidFile of ['/run/prometheus.pid', '/run/prometheus/prometheus.pid']) {
    try {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
      if (pid && isAlive(pid) && fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('prometheus')) {
        console.log(`stopping the Debian package's own prometheus daemon (pid ${pid} from ${pidFile})`);
        spawnSync('sh', ['-c', 'command -v systemctl >/dev/null && systemctl stop prometheus || invoke-rc.d prometheus stop'], { stdio: 'ignore' });
        if (isAlive(pid)) process.kill(pid, 'SIGTERM');
      }
    } catch {
      /* no such daemon */
    }
  }
}

/**
 * Debian's Alertmanager binary, from the package in Debian's archive (`apt-get download`, as apt would fetch
 * it) unpacked into the lab's cache: no postinst, so no packaged daemon on 0.0.0.0:9093 to stop.
 */
export function ensureAlertmanager() {
  const dir = path.join(CACHE_DIR, 'alertmanager');
  const binPath = path.join(dir, 'root', 'usr', 'bin', 'prometheus-alertmanager');
  // Debian builds the binary to read its notification templates from /usr/share/prometheus/alertmanager:
  // the package's two files go there as the package would put them (the web UI is not needed).
  const templates = () => {
    const from = path.join(dir, 'root', 'usr', 'share', 'prometheus', 'alertmanager');
    const to = '/usr/share/prometheus/alertmanager';
    fs.mkdirSync(to, { recursive: true });
    for (const f of ['default.tmpl', 'email.tmpl']) if (!fs.existsSync(path.join(to, f))) fs.copyFileSync(path.join(from, f), path.join(to, f));
    return binPath;
  };
  if (fs.existsSync(binPath)) return templates();
  fs.mkdirSync(dir, { recursive: true });
  const debs = () => fs.readdirSync(dir).filter((f) => /^prometheus-alertmanager_.*\.deb$/.test(f));
  console.log('downloading Debian package prometheus-alertmanager into the lab cache');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  const download = () => spawnSync('apt-get', ['download', '-q', 'prometheus-alertmanager'], { cwd: dir, stdio: 'inherit', env: { ...process.env, ...env } }).status === 0;
  if (!debs().length && !download()) {
    if (run('apt-get', ['update', '-q'], { env }) !== 0 || !download()) throw new LabError('apt-get download prometheus-alertmanager failed');
  }
  if (run('dpkg-deb', ['-x', path.join(dir, debs()[0]), path.join(dir, 'root')]) !== 0 || !fs.existsSync(binPath)) {
    throw new LabError(`could not unpack ${debs()[0]} (dpkg-deb -x) into ${rel(dir)}`);
  }
  return templates();
}

/** A JDK >= 21 for Elasticsearch 9 (Debian 12 ships only 17): the machine's Temurin 25 or any /usr/lib/jvm JDK >= 21. */
export function findJava() {
  if (process.env.LAB_ES_JAVA_HOME) return process.env.LAB_ES_JAVA_HOME;
  const jvmDir = '/usr/lib/jvm';
  const candidates = fs.existsSync(jvmDir) ? fs.readdirSync(jvmDir) : [];
  const scored = candidates
    .map((d) => ({ d: path.join(jvmDir, d), v: Number((d.match(/(?:^|-)(\d{2})(?:[.-]|$)/) || [])[1] || 0) }))
    .filter((c) => c.v >= 21 && fs.existsSync(path.join(c.d, 'bin', 'java')))
    .sort((a, b) => b.v - a.v);
  if (scored.length) return scored[0].d;
  throw new LabError('no JDK >= 21 found under /usr/lib/jvm (Elasticsearch 9 needs one); set LAB_ES_JAVA_HOME');
}

export function ensureElasticsearch() {
  if (fs.existsSync(path.join(ES_HOME, 'bin', 'elasticsearch'))) return;
  const dir = path.join(CACHE_DIR, 'es');
  fs.mkdirSync(dir, { recursive: true });
  const zip = path.join(dir, `elasticsearch-${VERSIONS.elasticsearch}.zip`);
  if (!fs.existsSync(zip)) {
    const gav = `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSIONS.elasticsearch}:zip`;
    console.log(`fetching ${gav} from Maven Central`);
    if (!which('mvn')) aptInstall(['maven']);
    const status = run('mvn', ['-q', '-B', 'dependency:copy', `-Dartifact=${gav}`, `-DoutputDirectory=${dir}`]);
    if (status !== 0 || !fs.existsSync(zip)) throw new LabError(`mvn could not fetch ${gav}`);
  }
  if (!which('unzip')) aptInstall(['unzip']);
  execFileSync('unzip', ['-q', '-o', zip, '-d', dir]);
}

/** The unprivileged account for Elasticsearch and exec'd commands; returns {uid, gid}. */
export function ensureLabUser() {
  const id = spawnSync('id', ['-u', LAB_USER], { encoding: 'utf8' });
  if (id.status !== 0) {
    if (process.getuid() !== 0) throw new LabError(`user ${LAB_USER} is missing and only root can create it`);
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', LAB_USER]);
  }
  const uid = Number(execFileSync('id', ['-u', LAB_USER], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', LAB_USER], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * The integ-test-zip lacks the rest-root module (GET / answers 405); es-root-plugin/LabRootPlugin.java
 * restores GET / and HEAD /. Compiled with the JDK that runs Elasticsearch against the zip's own jars.
 */
export function ensureEsRootPlugin(javaHome) {
  const src = path.join(LAB_DIR, 'es-root-plugin', 'LabRootPlugin.java');
  const dir = path.join(ES_HOME, 'plugins', 'warroom-lab-root');
  const jar = path.join(dir, 'warroom-lab-root.jar');
  if (fs.existsSync(jar) && fs.statSync(jar).mtimeMs >= fs.statSync(src).mtimeMs) return;
  const classes = path.join(WORK_DIR, 'es-root-plugin-classes');
  fs.rmSync(classes, { recursive: true, force: true });
  fs.mkdirSync(classes, { recursive: true });
  const javac = spawnSync(path.join(javaHome, 'bin', 'javac'), ['--release', '21', '-proc:none', '-cp', path.join(ES_HOME, 'lib', '*'), '-d', classes, src], { encoding: 'utf8' });
  if (javac.status !== 0) throw new LabError(`javac could not build ${rel(src)}:\n${javac.stderr || javac.error?.message}`);
  fs.mkdirSync(dir, { recursive: true });
  const jarTool = spawnSync(path.join(javaHome, 'bin', 'jar'), ['--create', '--file', jar, '-C', classes, '.'], { encoding: 'utf8' });
  if (jarTool.status !== 0) throw new LabError(`jar failed for the ES root plugin: ${jarTool.stderr || jarTool.error?.message}`);
  fs.writeFileSync(
    path.join(dir, 'plugin-descriptor.properties'),
    [
      'description=warroom lab: GET / and HEAD / for the integ-test-zip (which lacks rest-root)',
      'version=1.0.0',
      'name=warroom-lab-root',
      'classname=warroom.lab.LabRootPlugin',
      'java.version=21',
      `elasticsearch.version=${VERSIONS.elasticsearch}`,
      '',
    ].join('\n'),
  );
  fs.rmSync(classes, { recursive: true, force: true });
}
