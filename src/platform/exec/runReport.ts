import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { failed, resultOrder, type RunSnapshot } from './runOnPods.js';

// Run-on-all-pods results as a text file: a summary, then per pod (failures first) the exit
// code, duration and output. Written to the working directory unless a directory is given.

export function runReportText(s: RunSnapshot): string {
  const ordered = resultOrder(s.results);
  const bad = s.results.filter(failed).length;
  const head = [
    `# warroom run: ${s.command.join(' ')}`,
    `# scope: ${s.scope}`,
    `# started: ${new Date(s.startedAt).toISOString()}${s.finishedAt ? `  finished: ${new Date(s.finishedAt).toISOString()}` : '  (still running)'}`,
    `# pods: ${s.results.length}  failed: ${bad}`,
    '',
  ];
  const body = ordered.flatMap((r) => [
    `== ${r.namespace}/${r.pod} (${r.container || '?'})  ${r.problem ?? (r.exitCode !== undefined ? `exit ${r.exitCode}` : r.state)}  ${r.durationMs !== undefined ? `${(r.durationMs / 1000).toFixed(2)}s` : ''}`,
    ...(r.output ? [r.output.replace(/\n$/, '')] : []),
    ...(r.truncated ? ['[output truncated]'] : []),
    '',
  ]);
  return [...head, ...body].join('\n');
}

export async function writeRunReport(s: RunSnapshot, dir = process.cwd(), now = new Date()): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
  const path = resolve(join(dir, `warroom-run-${stamp}.txt`));
  await writeFile(path, runReportText(s), { mode: 0o600 });
  return path;
}
