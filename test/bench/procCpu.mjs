// CPU time a benchmark's console has used, from /proc (Linux): user + system. Unlike wall time, hardly
// inflated by a busy machine.
import { readFileSync } from 'node:fs';

/** utime + stime of process `pid` (or of its thread `tid` alone), in seconds; the kernel counts in 10 ms ticks. */
export function cpuSeconds(pid, tid) {
  const fields = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
