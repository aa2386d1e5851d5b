// Starting, tracking and stopping the lab's processes. Each one runs detached in its own process group
// (pgid = its pid), so `down` can stop exactly what `up` started, children included, by saved PIDs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import { HOST, LOG_DIR, PID_DIR, STATE_FILE, WORK_DIR, rel } from './settings.mjs';

export class LabError extends Error {}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function readState() {
  try {
    return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return { components: [] };
  }
}

export function writeState(state) {
  fs.mkdirSync(WORK_DIR, { recursive: true });
  fs.writeFileSync(STATE_FILE + '.tmp', JSON.stringify(state, null, 2));
  fs.renameSync(STATE_FILE + '.tmp', STATE_FILE);
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** The start time of a process (field 22 of /proc/<pid>/stat), to tell a saved PID from a reused one. */
export function processStartTicks(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return null;
  }
}

/** True when the saved record still names the same live process we started. */
export function isOurs(rec) {
  return !!rec.pid && isAlive(rec.pid) && processStartTicks(rec.pid) === rec.startTicks;
}

/** Fails before anything starts when a port on 127.0.0.1 is taken. */
export async function assertPortsFree(portsByName) {
  const busy = [];
  for (const [name, port] of Object.entries(portsByName)) {
    const free = await new Promise((resolve) => {
      const srv = net.createServer();
      srv.once('error', () => resolve(false));
      srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
    });
    if (!free) busy.push(`${HOST}:${port} (${name})`);
  }
  if (busy.length) {
    throw new LabError(
      `port(s) already in use: ${busy.join(', ')}. Another lab or program is listening there; ` +
        `run \`npm run lab:down\` (with the same WARROOM_LAB_PORT_OFFSET) or stop that program (see \`ss -ltnp\`); ` +
        `to run a second lab beside it, set WARROOM_LAB_PORT_OFFSET (e.g. 1000: every port shifted by it).`,
    );
  }
}

/**
 * Starts one component detached, stdout+stderr to its log file, and records it in state.json at once
 * so that a crash of this script still leaves `down` able to stop it. `spec.ready`, when given, is how
 * to tell it is ready ({url, insecure?, bearer?}: a 200 from that URL), for a later `lab.mjs start`.
 */
export function startProcess(state, spec) {
  const { name, command, args, env, cwd, port, uid, gid } = spec;
  fs.mkdirSync(LOG_DIR, { recursive: true });
  fs.mkdirSync(PID_DIR, { recursive: true });
  const log = path.join(LOG_DIR, `${name}.log`);
  const fd = fs.openSync(log, 'a');
  fs.writeSync(fd, `\n=== ${new Date().toISOString()} ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, {
    cwd: cwd ?? WORK_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
    detached: true,
    uid,
    gid,
  });
  fs.closeSync(fd);
  let spawnError = null;
  child.on('error', (err) => {
    spawnError = err;
  });
  child.unref();
  // The spec is kept so that `lab.mjs start NAME` can start a stopped component again exactly as `up` did.
  const rec = { name, pid: child.pid, startTicks: child.pid ? processStartTicks(child.pid) : null, port, log, command, spec };
  if (child.pid) {
    fs.writeFileSync(path.join(PID_DIR, `${name}.pid`), `${child.pid}\n`);
    state.components = state.components.filter((c) => c.name !== name).concat(rec);
    writeState(state);
  }
  rec.spawnError = () => spawnError;
  return rec;
}

/** Stops one recorded component: SIGTERM to its process group, then SIGKILL after the grace period. */
export async function stopProcess(rec, graceMs = 15000) {
  if (!isOurs(rec)) return false;
  const signalGroup = (sig) => {
    try {
      process.kill(-rec.pid, sig);
    } catch {
      try {
        process.kill(rec.pid, sig);
      } catch {
        /* gone */
      }
    }
  };
  signalGroup('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(rec.pid) && !groupAlive(rec.pid)) break;
    await sleep(200);
  }
  if (isAlive(rec.pid) || groupAlive(rec.pid)) signalGroup('SIGKILL');
  await sleep(100);
  try {
    fs.rmSync(path.join(PID_DIR, `${rec.name}.pid`), { force: true });
  } catch {
    /* ignore */
  }
  return true;
}

/** Whether any process still belongs to process group `pgid` (e.g. Elasticsearch's server JVM). */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

export async function stopAll(state, { quiet = false } = {}) {
  // Everything but etcd stops in parallel (the apiserver alone takes ~10s to drain); etcd goes last.
  const stopOne = async (rec) => {
    const t0 = Date.now();
    const stopped = await stopProcess(rec);
    if (stopped && !quiet) console.log(`stopped ${rec.name} (pid ${rec.pid}) in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  };
  await Promise.all(state.components.filter((c) => c.name !== 'etcd').map(stopOne));
  await Promise.all(state.components.filter((c) => c.name === 'etcd').map(stopOne));
  state.components = [];
  writeState(state);
}

/** One HTTP(S) request; resolves {status, body, headers} or rejects on a network error. */
export function request(url, { method = 'GET', headers = {}, body, timeoutMs = 5000, insecure = false, ca } = {}) {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      { method, headers, timeout: timeoutMs, rejectUnauthorized: !insecure, ca },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs}ms`)));
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/**
 * Polls `check` (async, returns true when ready) until it succeeds, the process dies, or time runs out.
 * The error names the component, its address and its log file.
 */
export async function waitReady(rec, what, check, timeoutSec) {
  const deadline = Date.now() + timeoutSec * 1000;
  let last = '';
  while (Date.now() < deadline) {
    if (rec.spawnError?.()) {
      throw new LabError(`${rec.name} could not be started (${rec.spawnError().message}); see ${rel(rec.log)}`);
    }
    if (rec.pid && !isAlive(rec.pid)) {
      throw new LabError(
        `${rec.name} exited before it became ready (${what}, port ${rec.port}); see ${rel(rec.log)}:\n` + tail(rec.log, 15),
      );
    }
    try {
      const r = await check();
      if (r === true) return;
      last = typeof r === 'string' ? r : '';
    } catch (err) {
      last = err.message;
    }
    await sleep(500);
  }
  throw new LabError(
    `${rec.name} did not become ready on ${what} within ${timeoutSec}s` +
      (last ? ` (last answer: ${last.slice(0, 300)})` : '') +
      `; see ${rel(rec.log)}:\n` +
      tail(rec.log, 15),
  );
}

export function tail(file, lines) {
  try {
    const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    return text.slice(-lines).map((l) => '    ' + l.slice(0, 400)).join('\n');
  } catch {
    return '    (no log)';
  }
}
