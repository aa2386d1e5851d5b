import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { ForwardRow } from '../../platform/exec/portForwards.js';
import { forDisplay } from '../../platform/text/sanitize.js';
import { formatAge, fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';
import { glyphs } from '../../terminal/glyphs.js';

// `:pf`: the console's port-forwards: local address, pod and port, connections open and in all,
// bytes in (from the pod) and out, since when, the last error; x (or Ctrl-D) stops the selected one.

export function bytes(n: number): string {
  if (n < 1024) return `${n}B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)}K`;
  return `${(n / 1024 / 1024).toFixed(1)}M`;
}

export function forwardLine(r: ForwardRow, now: number, width: number): string {
  const pod = `${r.spec.namespace}/${r.spec.pod}:${r.spec.podPort}`;
  const tail = `${fit(`${r.active}/${r.total}`, 7, 'right')} ${fit(bytes(r.bytesIn), 7, 'right')} ${fit(bytes(r.bytesOut), 7, 'right')} ${fit(formatAge(r.since, now), 6, 'right')}`;
  const left = `${fit(`127.0.0.1:${r.localPort}`, 16)} ${r.lastError ? `${glyphs.warn} ` : ''}${pod}`;
  return `${fit(left, Math.max(10, width - tail.length - 1))} ${tail}`;
}

function ForwardsBody({ runtime, view, width, height, now }: PaneProps) {
  const theme = useTheme();
  const store = runtime.portForwards;
  const { rows } = useSyncExternalStore(store.subscribe, store.getSnapshot);
  if (rows.length === 0) return <Text color={toneColor(theme, 'dim')}>{fit('no port-forwards: Shift-F on a pod (or a Service) starts one', width)}</Text>;
  const cursor = Math.min(view.cursor, rows.length - 1);
  const selected = rows[cursor];
  const head = `${fit('LOCAL', 16)} POD:PORT`;
  const tail = `${fit('CONN', 7, 'right')} ${fit('IN', 7, 'right')} ${fit('OUT', 7, 'right')} ${fit('SINCE', 6, 'right')}`;
  return (
    <>
      <Text bold>{`${fit(head, Math.max(10, width - tail.length - 1))} ${tail}`}</Text>
      {rows.slice(0, height - 3).map((r, i) => (
        <Text key={r.id} inverse={i === cursor} wrap="truncate" color={r.lastError ? toneColor(theme, 'warn') : undefined}>
          {forwardLine(r, now, width)}
        </Text>
      ))}
      <Text> </Text>
      {/* The selected forward in full: the row cuts a long pod name and its error at 80 columns. */}
      <Text wrap="truncate" color={selected.lastError ? toneColor(theme, 'warn') : toneColor(theme, 'dim')}>
        {fit(`${selected.spec.namespace}/${selected.spec.pod}:${selected.spec.podPort}${selected.spec.via ? ` via ${selected.spec.via}` : ''}${selected.lastError ? `: ${forDisplay(selected.lastError)}` : ''}`, width)}
      </Text>
    </>
  );
}

const move = ({ runtime, view }: PaneKeyContext, by: number) => runtime.nav.updateCurrent({ cursor: Math.max(0, Math.min(runtime.portForwards.size - 1, view.cursor + by)) });

function stopSelected({ runtime, view }: PaneKeyContext): void {
  const rows = runtime.portForwards.getSnapshot().rows;
  const r = rows[Math.min(view.cursor, rows.length - 1)];
  if (!r) return runtime.nav.say('no port-forward to stop', 'warn');
  void runtime.portForwards.stop(r.id).then(() => runtime.nav.say(`stopped 127.0.0.1:${r.localPort} (audited): ${r.total} connection${r.total === 1 ? '' : 's'}, ${bytes(r.bytesIn)} in, ${bytes(r.bytesOut)} out, to ${r.spec.namespace}/${r.spec.pod}:${r.spec.podPort}`));
}

export const portForwardsPane: Pane = {
  title: () => 'Port-forwards',
  render: (props) => <ForwardsBody {...props} />,
  helpTitle: 'Port-forwards',
  keys: [
    { action: 'pf.down', keys: ['j', 'down'], help: 'move down', run: (c) => move(c, 1) },
    { action: 'pf.up', keys: ['k', 'up'], help: 'move up', run: (c) => move(c, -1) },
    { action: 'pf.stop', keys: ['x', 'ctrl+d'], help: 'stop the selected port-forward (audited)', hint: 'stop', run: stopSelected },
  ],
};
