// Benchmark: cold start of the console to its first frame and to the Systems view's first rows, for the
// single executable (dist/warroom-linux-<arch>, npm run package) and for `node bin/warroom` (npm install).
// Prints medians of several runs, and the CPU time the console used until its first frame (the wall time
// grows with the machine's load; the CPU time much less); asserts nothing. Each run is a new process in a pseudo-terminal against
// one demo platform started beforehand (its own start is not measured).
//
//   npm run bench:startup [-- --runs 9 --cols 120 --rows 30]
//   npm run bench:startup -- --demo='--clusters 1' --demo='--clusters 2'   # `warroom demo ARGS` as a newcomer starts it
//
// --demo ARGS (repeatable) measures `node bin/warroom demo ARGS` instead: its demo platform(s)
// start inside the run, so the figures are what a newcomer waits for, to the first frame, the
// first system rows and every cluster live.
import { warroomArgs } from './benchSupport.mjs';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import { startDemoChild } from './demoChild.mjs';
import { cpuSeconds } from './procCpu.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '9' }, cols: { type: 'string', default: '120' }, rows: { type: 'string', default: '30' }, demo: { type: 'string', multiple: true } } });
const runs = Number(values.runs);
const cols = Number(values.cols);
const rows = Number(values.rows);
const exe = join(root, 'dist', `warroom-linux-${process.arch}`);

/** One start: ms from spawn to the first frame (the header) and to the first system rows. */
async function once(command, env, demo) {
  const term = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true });
  const [file, ...pre] = command;
  const t0 = performance.now();
  const target = demo ? ['--kubeconfig', demo.kubeconfig, '--context', demo.context] : [];
  const proc = pty.spawn(file, [...pre, ...target], { name: 'xterm-256color', cols, rows, cwd: root, env });
  proc.onData((d) => term.write(d));
  const exited = new Promise((r) => proc.onExit(r));
  const screen = () => Array.from({ length: rows }, (_, y) => term.buffer.active.getLine(y)?.translateToString(true) ?? '');
  const waitFor = async (pred) => {
    for (;;) {
      await new Promise((r) => term.write('', r));
      if (pred(screen())) return performance.now() - t0;
      if (performance.now() - t0 > 30_000) throw new Error(`timeout; screen:\n${screen().join('\n')}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const frame = await waitFor((s) => /warroom/.test(s[0]));
  // CPU the console has used by then, in ms, all threads and the main thread alone: unlike wall time, not
  // inflated by a busy machine; the main thread's is the critical path.
  const cpu = Math.round(cpuSeconds(proc.pid) * 1000);
  const mainCpu = Math.round(cpuSeconds(proc.pid, proc.pid) * 1000);
  const rowsShown = await waitFor((s) => s.some((l) => /SYSTEM/.test(l)) && s.some((l) => /\d+\/\d+/.test(l)));
  // Every cluster live: one `● live` per cluster of a fleet's header, the one of a single cluster's.
  const clusters = Number(/fleet of (\d+)/.exec(screen()[0])?.[1] ?? 1);
  const live = await waitFor((s) => (s[0].match(/● live/g) ?? []).length >= clusters);
  proc.write('\x03');
  await exited;
  return { frame, rows: rowsShown, live, cpu, mainCpu };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A UTF-8 terminal, as the other benchmarks' (in a C locale the console draws ASCII: its header says '* live').
const env = { ...process.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: '', CI: '' };
const demos = values.demo?.map((a) => ({ name: `bin/warroom demo ${a}`.trim(), command: [process.execPath, ...warroomArgs(), 'demo', ...a.split(' ').filter(Boolean)], env }));
const demo = demos ? undefined : await startDemoChild(root, ['--pods', '1000', '--churn', 'off']);
const subjects = demos ?? [
  ...(existsSync(exe) ? [{ name: `dist/warroom-linux-${process.arch} (PATH empty)`, command: [exe], env: { HOME: process.env.HOME, TERM: 'xterm-256color', LANG: 'C.UTF-8', PATH: '' } }] : []),
  { name: `bin/warroom (${process.version})`, command: [process.execPath, ...warroomArgs()], env },
];
if (!demos && !existsSync(exe)) console.log(`(${exe} is missing: npm run package builds it)`);
const results = new Map(subjects.map((s) => [s.name, []]));
// Alternated, so both see the same machine load; one warm-up run each is not counted.
for (const s of subjects) await once(s.command, s.env, demo);
for (let i = 0; i < runs; i++) for (const s of subjects) results.get(s.name).push(await once(s.command, s.env, demo));
demo?.stop();
console.log(`cold start at ${cols}x${rows}, median of ${runs} runs (min-max):`);
for (const [name, rs] of results) {
  const f = rs.map((r) => r.frame);
  const r = rs.map((x) => x.rows);
  const c = rs.map((x) => x.cpu);
  const m = rs.map((x) => x.mainCpu);
  const l = rs.map((x) => x.live);
  console.log(`  ${name}`);
  console.log(`    spawn -> first frame         ${median(f).toFixed(0)} ms (${Math.min(...f).toFixed(0)}-${Math.max(...f).toFixed(0)})`);
  console.log(`    spawn -> Systems rows shown  ${median(r).toFixed(0)} ms (${Math.min(...r).toFixed(0)}-${Math.max(...r).toFixed(0)})`);
  console.log(`    spawn -> every cluster live  ${median(l).toFixed(0)} ms (${Math.min(...l).toFixed(0)}-${Math.max(...l).toFixed(0)})`);
  console.log(`    CPU used by the first frame  ${median(c).toFixed(0)} ms (${Math.min(...c)}-${Math.max(...c)}), main thread ${median(m).toFixed(0)} ms (${Math.min(...m)}-${Math.max(...m)})`);
}
