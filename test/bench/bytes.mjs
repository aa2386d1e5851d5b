// Benchmark: what the console writes to a slow link. Prints figures; asserts nothing.
//
//   npm run bench:bytes -- [--pods 20000] [--seconds 10] [--cols 160 --rows 50] [--term xterm-256color] [--ascii]
//
// Runs the built console in a pseudo-terminal against the demo platform (its own process, as
// bench:pods) and counts every byte the console writes, per second, in three views: Systems, the
// first system's Pods, and every pod newest first (:pods, then A: the pods that come and go,
// ages in seconds); first with the demo's churn off (idle: only the clock and the ages move),
// then with it on (pods start, crash and go away). Also: frames per second (Ink wraps
// each frame in a synchronized-output pair), bytes per frame, full-screen clears (ESC [2J) and
// the share of the screen's lines a frame rewrites on average.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import { screenOf, warroomArgs } from './benchSupport.mjs';
import { startDemoChild } from './demoChild.mjs';

const root = join(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    pods: { type: 'string', default: '20000' },
    seconds: { type: 'string', default: '10' },
    cols: { type: 'string', default: '160' },
    rows: { type: 'string', default: '50' },
    term: { type: 'string', default: 'xterm-256color' },
    ascii: { type: 'boolean', default: false },
  },
});
const pods = Number(values.pods);
const seconds = Number(values.seconds);
const cols = Number(values.cols);
const rows = Number(values.rows);

/** Everything written since `from`: bytes, frames, clears and lines rewritten. */
function tally(chunks, from, to) {
  const text = chunks.filter((c) => c.at >= from && c.at < to).map((c) => c.data).join('');
  const frames = text.split('\x1b[?2026h').length - 1;
  // A line a frame writes to: each changed line starts at a column (ESC [nG: 1 for a whole line,
  // else where its changed cells start); Ink's standard mode erases the previous frame (ESC [2K
  // per line) and writes every line.
  const lineWrites = (text.match(/\x1b\[\d+G/g) ?? []).length + (text.match(/\x1b\[2K/g) ?? []).length;
  return { bytes: Buffer.byteLength(text, 'utf8'), frames, clears: text.split('\x1b[2J').length - 1, lineWrites };
}

async function measure(churn) {
  const demo = await startDemoChild(root, ['--pods', String(pods), '--churn', churn ? 'on' : 'off']);
  const term = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true });
  const chunks = [];
  const args = [...warroomArgs(), '--kubeconfig', demo.kubeconfig, '--context', demo.context, ...(values.ascii ? ['--ascii'] : [])];
  const env = Object.fromEntries(Object.entries({ ...process.env, TERM: values.term, LANG: 'C.UTF-8' }).filter(([k]) => !['LC_ALL', 'LC_CTYPE', 'NO_COLOR', 'FORCE_COLOR', 'CI'].includes(k)));
  const proc = pty.spawn(process.execPath, args, { name: values.term, cols, rows, cwd: root, env });
  proc.onData((d) => {
    chunks.push({ at: performance.now(), data: d });
    term.write(d);
  });
  const { waitFor } = screenOf(term, rows);
  const phase = async (name) => {
    // Let the view settle (first rows, sparklines) before counting.
    await new Promise((r) => setTimeout(r, 2000));
    const from = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const t = tally(chunks, from, performance.now());
    const perFrame = t.frames ? t.bytes / t.frames : 0;
    const share = t.frames ? t.lineWrites / t.frames / (rows - 1) : 0;
    console.log(`  ${name.padEnd(28)} ${(t.bytes / seconds).toFixed(0).padStart(7)} B/s  ${(t.frames / seconds).toFixed(1).padStart(5)} frames/s  ${perFrame.toFixed(0).padStart(6)} B/frame  ${(share * 100).toFixed(0).padStart(3)}% of lines written per frame  ${t.clears} full clears`);
  };
  await waitFor((s) => /live/.test(s[0]) && s.some((l) => /SYSTEM/.test(l)));
  await phase(`${churn ? 'churn' : 'idle'}: Systems`);
  proc.write('p');
  await waitFor((s) => /Pods/.test(s[1]) && s.some((l) => /Running|Pending|Crash/.test(l)));
  await phase(`${churn ? 'churn' : 'idle'}: Pods (first system)`);
  proc.write('\x1b');
  await waitFor((s) => !/Pods/.test(s[1]));
  proc.write(':pods\r');
  await waitFor((s) => /Pods/.test(s[1]) && !/Systems › \S+ › Pods/.test(s[1]));
  proc.write('A');
  await waitFor((s) => s.some((l) => /AGE[↑↓^v]/.test(l)));
  await phase(`${churn ? 'churn' : 'idle'}: all pods, newest first`);
  proc.write('q');
  await new Promise((r) => proc.onExit(r));
  demo.stop();
}

console.log(`warroom bench:bytes  pods=${pods}  terminal=${cols}x${rows} TERM=${values.term}${values.ascii ? ' --ascii' : ''}  ${seconds} s per phase  node=${process.version}`);
await measure(false);
await measure(true);
process.exit(0);
