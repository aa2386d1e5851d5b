// A program in a pseudo-terminal drawn into a headless xterm, for benchmarks that time what the
// screen shows: bench:pods (warroom alone) and bench:compare (warroom and k9s in the same size).
import { readFileSync } from 'node:fs';
import pty from '@lydell/node-pty';
import xtermHeadless from '@xterm/headless';
import { cpuSeconds as cpuSecondsOf } from './procCpu.mjs';

export function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Starts `file args` in a PTY of cols x rows. `t0` is taken just before the spawn, so
 * `waitFor(...) - t0` is the time from process start to what the screen shows.
 */
export function startInPty(file, args, { cols, rows, cwd, env = process.env }) {
  const term = new xtermHeadless.Terminal({ cols, rows, allowProposedApi: true });
  const t0 = performance.now();
  const proc = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd, env: { ...env, TERM: 'xterm-256color', LANG: 'C.UTF-8', LC_ALL: '' } });
  let exited;
  const exit = new Promise((resolve) => proc.onExit((e) => resolve((exited = e))));
  proc.onData((d) => term.write(d));
  const flush = () => new Promise((r) => term.write('', r));
  const screen = () => {
    const b = term.buffer.active;
    return Array.from({ length: rows }, (_, y) => b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
  };
  async function waitFor(pred, ms = 120_000) {
    const start = performance.now();
    for (;;) {
      await flush();
      const s = screen();
      if (pred(s)) return performance.now();
      if (exited) throw new Error(`${file} exited (${JSON.stringify(exited)}); screen:\n${s.join('\n')}`);
      if (performance.now() - start > ms) throw new Error(`timeout; screen:\n${s.join('\n')}`);
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  // The row drawn highlighted (inverse or a selection background across its first cells): the
  // cursor's position. Both warroom and k9s paint the whole selected row.
  const highlighted = (line) => {
    let marked = 0;
    for (let x = 1; x <= 6; x++) {
      const cell = line.getCell(x);
      if (cell && (cell.isInverse() || !cell.isBgDefault())) marked++;
    }
    return marked >= 4;
  };
  const selected = () => {
    const b = term.buffer.active;
    for (let y = 3; y < rows; y++) {
      const line = b.getLine(b.viewportY + y);
      if (line && highlighted(line)) return `${y}:${line.translateToString(true)}`;
    }
    return '';
  };
  /** Resident set now and its peak (MB), from /proc. */
  const memory = () => {
    try {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      return { rss: Number(/VmRSS:\s+(\d+)/.exec(status)[1]) / 1024, hwm: Number(/VmHWM:\s+(\d+)/.exec(status)[1]) / 1024 };
    } catch {
      return { rss: NaN, hwm: NaN };
    }
  };
  /** CPU seconds the process has used (user + system), from /proc/PID/stat. */
  const cpuSeconds = () => cpuSecondsOf(proc.pid);
  /**
   * Keystroke -> frame: `count` presses alternating `down` and `up` within `span` rows, each
   * timed until the highlighted row moves (redraws from churn do not count).
   */
  async function keyLatencies(count, span, down = 'j', up = 'k') {
    const latencies = [];
    for (let i = 0; i < count; i++) {
      await flush();
      const before = selected();
      const sent = performance.now();
      proc.write(i % (2 * span) < span ? down : up);
      try {
        const drawn = await waitFor(() => selected().split(':')[0] !== before.split(':')[0], 5000);
        latencies.push(drawn - sent);
      } catch {
        latencies.push(5000);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    return latencies.sort((a, b) => a - b);
  }
  return { proc, term, t0, exit, flush, screen, waitFor, selected, memory, cpuSeconds, keyLatencies };
}
