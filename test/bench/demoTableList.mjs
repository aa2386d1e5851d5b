// Benchmark: what one demo API server process spends serving every pod as a server-side Table, as the
// console lists them (includeObject=Metadata, pages of 500, cluster-wide). Prints figures; asserts nothing.
//
//   node test/bench/demoTableList.mjs [--pods 75000] [--runs 3] [--churn off|on] [--per-namespace] [--cpu-prof DIR]
//
// Starts dist/demo-platform.mjs in its own process, lists all pods --runs times one after the other and
// prints, per run, the server's CPU ms (from /proc: user and system, 10 ms ticks), the wall time, the bytes
// and the server's RSS after the run. The first run is the one a console's start-up pays. --cpu-prof DIR
// writes the server's CPU profile there when it stops (read it with test/bench/profileTop.mjs).
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { URLSearchParams } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { startDemoChild } from './demoChild.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '75000' },
    runs: { type: 'string', default: '3' },
    churn: { type: 'string', default: 'off' },
    'per-namespace': { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
  },
});
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io, application/json';

const profile = values['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] : [];
const demo = await startDemoChild(root, ['--pods', values.pods, '--churn', values.churn], profile);
const pid = demo.pids[0];
const kubeconfig = parseYaml(readFileSync(demo.kubeconfig, 'utf8'));
const token = kubeconfig.users[0].user.token;
const agent = new http.Agent({ keepAlive: true });

function get(path, accept) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${demo.url}${path}`, { agent, headers: { authorization: `Bearer ${token}`, accept } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`${res.statusCode} for ${path}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every page of one list; returns [rows, bytes]. Only the continue token is read from a page (the client's parse is not measured). */
async function listAll(prefix) {
  let rows = 0;
  let bytes = 0;
  let cont = '';
  do {
    const q = new URLSearchParams({ limit: '500', includeObject: 'Metadata', ...(cont ? { continue: cont } : {}) });
    const body = await get(`${prefix}/pods?${q}`, TABLE);
    bytes += body.length;
    const text = body.toString('latin1');
    const m = /"continue":"([^"]*)"/.exec(text.slice(0, 2000));
    cont = m ? m[1] : '';
    rows += text.split('{"cells":').length - 1;
  } while (cont);
  return [rows, bytes];
}

/** [user, system] CPU ms of the server so far (/proc/PID/stat, 10 ms ticks). */
function cpuMs() {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return [Number(fields[11]) * 10, Number(fields[12]) * 10];
}
const rssMb = () => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
const namespaces = values['per-namespace'] ? JSON.parse(await get('/api/v1/namespaces', 'application/json')).items.map((n) => n.metadata.name) : undefined;
// Let the start-up's last timers and the first GC settle before measuring.
await new Promise((r) => setTimeout(r, 2000));
console.log(`demo server: ${values.pods} pods, churn ${values.churn}, RSS ${rssMb()} MB before listing${namespaces ? `, ${namespaces.length} namespaces listed one by one` : ''}`);
for (let run = 1; run <= Number(values.runs); run++) {
  const [user0, system0] = cpuMs();
  const t0 = performance.now();
  let rows = 0;
  let bytes = 0;
  for (const prefix of namespaces ? namespaces.map((ns) => `/api/v1/namespaces/${ns}`) : ['/api/v1']) {
    const [r, b] = await listAll(prefix);
    rows += r;
    bytes += b;
  }
  const wall = performance.now() - t0;
  const [user1, system1] = cpuMs();
  const cpu = user1 - user0 + system1 - system0;
  console.log(`run ${run}: ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, server CPU ${cpu} ms (user ${user1 - user0}, system ${system1 - system0}; ${((cpu * 1000) / rows).toFixed(1)} us a pod), wall ${wall.toFixed(0)} ms, server RSS ${rssMb()} MB`);
}
agent.destroy();
demo.stop();
