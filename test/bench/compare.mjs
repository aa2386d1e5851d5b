// Benchmark: warroom and k9s side by side on the same API server. Prints figures; asserts nothing.
//
//   npm run bench:compare -- [--target demo,lab] [--pods 20000,100000] [--reps 3] [--keys 100]
//
// For each target and pod count, runs k9s (`-c pods -A --readonly`, header shown, a fresh config
// dir) and warroom (`:pods`: every pod of every system, --readonly, no config file) one after the
// other in the same pseudo-terminal size (160x50), --reps times (the order alternates), and
// prints the medians (min-max) with the ratio warroom/k9s:
//   first rows       process start -> the first pod row on screen
//   all pods listed  process start -> the count on screen reaches the pods the server holds
//                    (k9s: its title `Pods(all)[N]`; warroom: the breadcrumb's count, header live)
//   peak RSS         VmHWM of the process at the end of the run
//   CPU seconds      user + system of the process over the whole run (listing, 5 s of churn, keys)
//   keys p50/p95     keystroke -> the highlighted row moves, j/k while pods churn (warroom only:
//                    k9s's selected row cannot be told apart in the headless terminal)
// demo: the demo platform in its own process with --churn on (pods come and go on their own) and
// --tls (its API over HTTPS, the kubeconfig trusting the CA it made at start), as client-go needs.
// lab: the lab's real kube-apiserver (`npm run lab:up` first); its Deployments are grown to --pods
// by labScale.mjs, and one Deployment is scaled up and down in the background for churn.
// k9s is built from the Go module proxy on first use (k9sBuild.mjs).
import { warroomArgs } from './benchSupport.mjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDemoChild } from './demoChild.mjs';
import { ensureK9s, K9S_VERSION } from './k9sBuild.mjs';
import { percentile, startInPty } from './ptyScreen.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'demo,lab' },
    pods: { type: 'string' },
    reps: { type: 'string', default: '3' },
    keys: { type: 'string', default: '100' },
    cols: { type: 'string', default: '160' },
    rows: { type: 'string', default: '50' },
    'timeout-seconds': { type: 'string', default: '300' },
  },
});
const cols = Number(values.cols);
const rows = Number(values.rows);
const reps = Number(values.reps);
const keyCount = Number(values.keys);
const timeoutMs = Number(values['timeout-seconds']) * 1000;
const podCounts = (target) => (values.pods ?? (target === 'demo' ? '20000,100000' : '20000')).split(',').map(Number);

const k9sBin = await ensureK9s();
const scratch = mkdtempSync(join(tmpdir(), 'warroom-compare-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

/** An environment with no user config: HOME and the XDG dirs in a fresh folder per run. */
function freshEnv(name) {
  const home = join(scratch, `${name}-${Math.random().toString(36).slice(2)}`);
  const dirs = { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'), XDG_STATE_HOME: join(home, '.local/state'), XDG_CACHE_HOME: join(home, '.cache') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const env = { ...process.env, ...dirs };
  delete env.WARROOM_CONFIG;
  delete env.KUBECONFIG;
  return env;
}

const podRow = (l) => /\b(Running|Pending|ContainerCreating|CrashLoopBackOff|Terminating|Completed)\b/.test(l);

const tools = {
  k9s: {
    start(target) {
      const env = freshEnv('k9s');
      env.K9S_CONFIG_DIR = join(env.XDG_CONFIG_HOME, 'k9s');
      mkdirSync(env.K9S_CONFIG_DIR, { recursive: true });
      // No call to GitHub for the latest release; everything else k9s's defaults.
      writeFileSync(join(env.K9S_CONFIG_DIR, 'config.yaml'), 'k9s:\n  skipLatestRevCheck: true\n');
      const args = ['--kubeconfig', target.kubeconfig, '--context', target.context, '-c', 'pods', '-A', '--readonly'];
      return startInPty(k9sBin, args, { cols, rows, cwd: scratch, env });
    },
    async listed(t, want) {
      const firstRows = await t.waitFor((s) => s.slice(3).some(podRow), timeoutMs);
      const title = (s) => s.map((l) => /pods\(all\)\[([\d,]+)\]/i.exec(l)).find(Boolean);
      const all = await t.waitFor((s) => Number((title(s)?.[1] ?? '0').replace(/,/g, '')) >= want, timeoutMs);
      return { firstRows, all, shown: title(t.screen())?.[0] };
    },
    quit: (t) => t.proc.write('\x03'),
    // In this headless terminal k9s draws its selected row like every other (no inverse, no
    // colour change the emulator keeps), so a key's effect cannot be seen: not measured.
    keysSeen: false,
  },
  warroom: {
    start(target) {
      const args = [...warroomArgs(), '--kubeconfig', target.kubeconfig, '--context', target.context, '--readonly'];
      return startInPty(process.execPath, args, { cols, rows, cwd: root, env: freshEnv('warroom') });
    },
    async listed(t, want) {
      await t.waitFor((s) => /warroom/.test(s[0]), timeoutMs);
      t.proc.write(':pods\r');
      const firstRows = await t.waitFor((s) => /Pods/.test(s[1]) && s.slice(3).some(podRow), timeoutMs);
      const count = (s) => Number((/Pods\s+\(([\d,]+)\)/.exec(s[1])?.[1] ?? '0').replace(/,/g, ''));
      const all = await t.waitFor((s) => /● live/.test(s[0]) && count(s) >= want, timeoutMs);
      return { firstRows, all, shown: t.screen()[1].trim() };
    },
    quit: (t) => t.proc.write('q'),
  },
};

async function measure(tool, target, want) {
  const t = tools[tool].start(target);
  try {
    const { firstRows, all, shown } = await tools[tool].listed(t, want);
    await new Promise((r) => setTimeout(r, 5000));
    await t.flush();
    const span = Math.max(1, Math.min(20, t.screen().slice(3).filter(podRow).length - 1));
    const keys = tools[tool].keysSeen === false ? [NaN] : await t.keyLatencies(keyCount, span);
    const cpu = t.cpuSeconds();
    const mem = t.memory();
    return { firstRows: firstRows - t.t0, all: all - t.t0, rss: mem.hwm, cpu, p50: percentile(keys, 50), p95: percentile(keys, 95), shown };
  } finally {
    tools[tool].quit(t);
    const killed = setTimeout(() => t.proc.kill('SIGKILL'), 5000);
    await t.exit;
    clearTimeout(killed);
  }
}

// ---- targets ----

async function demoTarget(pods) {
  // Over TLS (--tls, its CA in the kubeconfig): client-go sets a kubeconfig's bearer token only on
  // TLS connections (kubernetes/kubectl#744), so over plain HTTP k9s would get 401 on every request.
  const child = await startDemoChild(root, ['--pods', String(pods), '--churn', 'on', '--tls']);
  return { ...child, want: Math.floor(pods * 0.99) };
}

/** The lab's API server at `pods` pods, one Deployment scaled up and down by 20 every 3 s meanwhile. */
async function labTarget(pods) {
  // The lab's kubeconfig and first cluster (WARROOM_LAB_PORT_OFFSET as for lab:up).
  const lab = await import('../lab/lib/settings.mjs');
  const { KUBECONFIG } = lab;
  const CONTEXT_ADMIN = lab.CLUSTERS?.[0]?.context ?? lab.CONTEXT_ADMIN;
  if (!existsSync(KUBECONFIG)) throw new Error(`the lab is not up (${KUBECONFIG} is missing): npm run lab:up`);
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(KUBECONFIG);
  kc.setCurrentContext(CONTEXT_ADMIN);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const count = async () => {
    const page = await core.listPodForAllNamespaces({ limit: 1 });
    return page.items.length + (page.metadata?.remainingItemCount ?? 0);
  };
  let have = await count();
  if (Math.abs(have - pods) > pods * 0.02) {
    await new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [join(import.meta.dirname, 'labScale.mjs'), '--pods', String(pods), '--until', 'created'], { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`labScale.mjs exited with ${code}`))));
    });
    have = await count();
  }
  const churned = (await apps.listNamespacedDeployment({ namespace: 'trade' })).items[0];
  const base = churned.spec?.replicas ?? 1;
  const scaleTo = (replicas) =>
    apps.patchNamespacedDeploymentScale(
      { name: churned.metadata.name, namespace: 'trade', body: { spec: { replicas } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  let up = false;
  const timer = setInterval(() => {
    up = !up;
    scaleTo(up ? base + 20 : base).catch((err) => console.error(`churn: ${err.message}`));
  }, 3000);
  return {
    kubeconfig: KUBECONFIG,
    context: CONTEXT_ADMIN,
    want: have - 25,
    stop: async () => {
      clearInterval(timer);
      await scaleTo(base);
    },
  };
}

// ---- report ----

const median = (xs) => percentile([...xs].sort((a, b) => a - b), 50);
const rowsOf = [
  ['first rows', 'firstRows', (v) => `${(v / 1000).toFixed(2)} s`],
  ['all pods listed', 'all', (v) => `${(v / 1000).toFixed(2)} s`],
  ['peak RSS', 'rss', (v) => `${Math.round(v)} MB`],
  ['CPU seconds', 'cpu', (v) => `${v.toFixed(1)} s`],
  ['keys p50', 'p50', (v) => `${v.toFixed(0)} ms`],
  ['keys p95', 'p95', (v) => `${v.toFixed(0)} ms`],
];

function printTable(title, runs) {
  const cell = (tool, key, fmt) => {
    const xs = runs[tool].map((r) => r[key]).filter((x) => !Number.isNaN(x));
    if (!xs.length) return tool === 'k9s' && key.startsWith('p') ? 'not measured' : '-';
    return xs.length > 1 ? `${fmt(median(xs))} (${fmt(Math.min(...xs))}-${fmt(Math.max(...xs))})` : fmt(xs[0]);
  };
  console.log(`\n${title}`);
  console.log(`  ${''.padEnd(16)} ${'warroom'.padEnd(30)} ${`k9s ${K9S_VERSION}`.padEnd(30)} warroom/k9s`);
  for (const [label, key, fmt] of rowsOf) {
    const w = runs.warroom.map((r) => r[key]).filter((x) => !Number.isNaN(x));
    const k = runs.k9s.map((r) => r[key]).filter((x) => !Number.isNaN(x));
    const ratio = w.length && k.length ? (median(w) / median(k)).toFixed(2) : '-';
    console.log(`  ${label.padEnd(16)} ${cell('warroom', key, fmt).padEnd(30)} ${cell('k9s', key, fmt).padEnd(30)} ${ratio}`);
  }
}

for (const targetName of values.target.split(',')) {
  for (const pods of podCounts(targetName)) {
    let target;
    try {
      target = targetName === 'lab' ? await labTarget(pods) : await demoTarget(pods);
    } catch (err) {
      console.log(`\n${targetName}, ${pods} pods: skipped: ${err.message}`);
      continue;
    }
    const runs = { warroom: [], k9s: [] };
    for (let rep = 0; rep < reps; rep++) {
      for (const tool of rep % 2 === 0 ? ['warroom', 'k9s'] : ['k9s', 'warroom']) {
        try {
          const r = await measure(tool, target, target.want);
          runs[tool].push(r);
          console.error(`${targetName} ${pods} rep ${rep + 1} ${tool}: first rows ${Math.round(r.firstRows)} ms, all ${Math.round(r.all)} ms, RSS ${Math.round(r.rss)} MB, CPU ${r.cpu.toFixed(1)} s, keys p50 ${r.p50.toFixed(0)} p95 ${r.p95.toFixed(0)} ms; on screen when all were listed: ${r.shown}`);
        } catch (err) {
          console.error(`${targetName} ${pods} rep ${rep + 1} ${tool}: failed: ${err.message}`);
        }
      }
    }
    await target.stop();
    printTable(`bench:compare  target=${targetName}  pods=${pods}  reps=${reps}  terminal=${cols}x${rows}  node ${process.version}  (median (min-max))`, runs);
  }
}
process.exit(0);
