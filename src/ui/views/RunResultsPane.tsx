import { Box, Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { resultOrder, type RunOnPods, type RunPodResult, type RunSnapshot } from '../../platform/exec/runOnPods.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';
import { runResultsLayout, type RunLine } from './runResultsLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// Run-on-all-pods results: the pods (failures first) with exit code and duration, the
// selected pod's whole status and its output; side by side, or stacked on a narrow terminal
// (runResultsLines.ts). Output was sanitised when it arrived; this view only cuts it to the screen.

const EMPTY: RunSnapshot = { version: 0, scope: '', command: [], startedAt: 0, results: [] };
const noRun = { subscribe: () => () => undefined, getSnapshot: () => EMPTY };

function useRun(runtime: ConsoleRuntime): RunSnapshot {
  const run: Pick<RunOnPods, 'subscribe' | 'getSnapshot'> = runtime.ctx.runs.current() ?? noRun;
  return useSyncExternalStore(run.subscribe, run.getSnapshot);
}

function RunResultsBody({ runtime, view, width, height, now }: PaneProps) {
  const theme = useTheme();
  const snap = useRun(runtime);
  const layout = runResultsLayout(snap, view.cursor, view.top, width, height, now);
  const rows = Math.max(1, height - 1);
  const line = (l: RunLine, key: string | number) => (
    <Text key={key} wrap="truncate" bold={l.bold} inverse={l.selected} color={l.tone === 'normal' ? undefined : toneColor(theme, l.tone)}>
      {l.text}
    </Text>
  );
  const summary = line(layout.summary, 'summary');
  if (layout.mode === 'stacked') {
    return (
      <>
        {summary}
        {layout.list.map((l, i) => line(l, `l${i}`))}
        {layout.detail.map((l, i) => line(l, `d${i}`))}
        {layout.output.map((l, i) => line(l, `o${layout.outTop + i}`))}
      </>
    );
  }
  return (
    <>
      {summary}
      <Box width={width} height={rows}>
        <Box flexDirection="column" width={layout.listWidth}>
          {layout.list.map((l, i) => line(l, `l${i}`))}
        </Box>
        <Box flexDirection="column" width={1}>
          {Array.from({ length: rows }, (_, i) => (
            <Text key={i} color={toneColor(theme, 'dim')}>{glyphs.rule}</Text>
          ))}
        </Box>
        <Box flexDirection="column" width={layout.outWidth}>
          {layout.detail.map((l, i) => line(l, `d${i}`))}
          {layout.output.map((l, i) => line(l, `o${layout.outTop + i}`))}
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
