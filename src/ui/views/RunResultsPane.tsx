import { Box, Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { failed, resultOrder, type RunOnPods, type RunPodResult, type RunSnapshot } from '../../platform/exec/runOnPods.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';

// Run-on-all-pods results side by side: the pods (failures first) with exit code and
// duration on the left, the selected pod's output on the right. Output was sanitised when it
// arrived; this view only cuts it to the screen.

const EMPTY: RunSnapshot = { version: 0, scope: '', command: [], startedAt: 0, results: [] };
const noRun = { subscribe: () => () => undefined, getSnapshot: () => EMPTY };

function useRun(runtime: ConsoleRuntime): RunSnapshot {
  const run: Pick<RunOnPods, 'subscribe' | 'getSnapshot'> = runtime.ctx.runs.current() ?? noRun;
  return useSyncExternalStore(run.subscribe, run.getSnapshot);
}

function status(r: RunPodResult): string {
  if (r.state === 'waiting') return 'waiting';
  if (r.state === 'running') return 'running…';
  if (r.problem) return r.problem;
  return `exit ${r.exitCode}`;
}

function seconds(ms: number | undefined): string {
  return ms === undefined ? '' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)}s`;
}

function RunResultsBody({ runtime, view, width, height, now }: PaneProps) {
  const theme = useTheme();
  const snap = useRun(runtime);
  const ordered = resultOrder(snap.results);
  const cursor = Math.min(view.cursor, Math.max(0, ordered.length - 1));
  const selected = ordered[cursor];
  const bad = snap.results.filter(failed).length;
  const done = snap.results.filter((r) => r.state === 'done').length;
  const elapsed = ((snap.finishedAt ?? now) - snap.startedAt) / 1000;
  const summary = ` ${snap.command.join(' ')}  ·  ${snap.scope}  ·  ${done}/${snap.results.length} done, ${bad} failed  ·  ${elapsed.toFixed(1)}s${snap.finishedAt ? '' : '  running'}`;
  const listWidth = Math.max(34, Math.min(72, Math.floor(width * 0.45)));
  const nameWidth = listWidth - 26;
  const outWidth = Math.max(10, width - listWidth - 1);
  const rows = Math.max(1, height - 1);
  const top = Math.max(0, Math.min(cursor - Math.floor(rows / 2), ordered.length - rows));
  const outLines = (selected?.output ?? '').replace(/\n$/, '').split('\n');
  if (selected?.truncated) outLines.push('[output truncated]');
  const outTop = Math.max(0, Math.min(view.top, outLines.length - rows));
  return (
    <>
      <Text bold wrap="truncate" color={toneColor(theme, bad ? 'warn' : 'title')}>{fit(summary, width)}</Text>
      <Box width={width} height={rows}>
        <Box flexDirection="column" width={listWidth}>
          {ordered.slice(top, top + rows).map((r, i) => {
            const at = top + i;
            const name = r.pod.length > nameWidth ? `${r.pod.slice(0, nameWidth - 1)}…` : r.pod.padEnd(nameWidth);
            const line = ` ${failed(r) ? '✗' : r.state === 'done' ? '✓' : '·'} ${name} ${status(r).slice(0, 13).padEnd(13)} ${seconds(r.durationMs).padStart(7)}`;
            const tone = failed(r) ? 'error' : r.state === 'done' ? 'ok' : 'dim';
            return (
              <Text key={`${r.namespace}/${r.pod}`} wrap="truncate" inverse={at === cursor} color={toneColor(theme, tone)}>
                {fit(line, listWidth)}
              </Text>
            );
          })}
        </Box>
        <Box flexDirection="column" width={1}>
          {Array.from({ length: rows }, (_, i) => (
            <Text key={i} color={toneColor(theme, 'dim')}>│</Text>
          ))}
        </Box>
        <Box flexDirection="column" width={outWidth}>
          {selected ? (
            <Text bold wrap="truncate">{fit(` ${selected.pod} (${selected.container || '?'})  ${status(selected)}`, outWidth)}</Text>
          ) : null}
          {outLines.slice(outTop, outTop + rows - 1).map((l, i) => (
            <Text key={outTop + i} wrap="truncate">{fit(` ${l}`, outWidth)}</Text>
          ))}
        </Box>
      </Box>
    </>
  );
}

function orderedResults({ runtime }: PaneKeyContext): RunPodResult[] | undefined {
  const run = runtime.ctx.runs.current();
  return run ? resultOrder(run.getSnapshot().results) : undefined;
}

function selectedResult(c: PaneKeyContext): RunPodResult | undefined {
  const ordered = orderedResults(c);
  return ordered?.[Math.min(c.view.cursor, Math.max(0, ordered.length - 1))];
}

function selectPod(c: PaneKeyContext, to: (cursor: number, length: number) => number): boolean | void {
  const ordered = orderedResults(c);
  if (!ordered) return false;
  const cursor = Math.min(c.view.cursor, Math.max(0, ordered.length - 1));
  c.runtime.nav.updateCurrent({ cursor: Math.max(0, Math.min(ordered.length - 1, to(cursor, ordered.length))), top: 0 });
}

function scrollOutput(c: PaneKeyContext, direction: 1 | -1): boolean | void {
  if (!c.runtime.ctx.runs.current()) return false;
  c.runtime.nav.updateCurrent({ top: Math.max(0, c.view.top + direction * Math.max(1, c.height - 3)) });
}

export const runResultsPane: Pane = {
  title: () => 'Run on pods',
  render: (props) => <RunResultsBody {...props} />,
  helpTitle: 'Run results',
  keys: [
    { action: 'run.down', keys: ['j', 'down'], help: 'select the next pod (failures first, then slowest)', hint: 'j/k pod', run: (c) => selectPod(c, (cursor) => cursor + 1) },
    { action: 'run.up', keys: ['k', 'up'], help: 'select the previous pod', run: (c) => selectPod(c, (cursor) => cursor - 1) },
    { action: 'run.first', keys: ['g', 'home'], help: 'first pod', run: (c) => selectPod(c, () => 0) },
    { action: 'run.last', keys: ['G', 'end'], help: 'last pod', run: (c) => selectPod(c, (_, length) => length - 1) },
    { action: 'run.output-down', keys: ['pagedown'], help: "scroll the selected pod's output down", hint: 'PgDn output', run: (c) => scrollOutput(c, 1) },
    { action: 'run.output-up', keys: ['pageup'], help: "scroll the selected pod's output up", run: (c) => scrollOutput(c, -1) },
    { action: 'run.write', keys: ['w'], help: 'write all results to warroom-run-<time>.txt in the working directory', hint: 'write to a file', run: ({ runtime }) => {
      if (!runtime.ctx.runs.current()) return false;
      void runtime.ctx.runs.save();
    } },
    { action: 'row.shell', keys: ['s'], help: 'shell in the selected pod', hint: 'shell in the pod', run: (c) => {
      const selected = selectedResult(c);
      if (!selected) return false;
      void c.runtime.ctx.exec.shellInto(selected.namespace, selected.pod);
    } },
  ],
};
