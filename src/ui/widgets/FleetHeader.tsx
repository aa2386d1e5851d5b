import { Box, Text } from 'ink';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { clusterLabels } from '../views/lists/fleetClusters.js';
import { connectionState, type ConnectionState } from './connectionState.js';

// The header of a fleet: every cluster with its own connection state and read-only badge, so
// one cluster down or stale is seen at once while the others stay live. Narrow terminals keep
// each cluster's name and state symbol; the words give way first.

interface ClusterState {
  label: string;
  state: ConnectionState;
  readOnly: boolean;
  /** The view is routed to this cluster. */
  current: boolean;
}

function symbolOf(state: ConnectionState): string {
  return state.text.split(' ')[0];
}

export function fleetHeaderParts(runtime: ConsoleRuntime, now: number): ClusterState[] {
  const labels = clusterLabels(runtime.contexts.map((c) => c.contextName), 12);
  const routed = runtime.nav.current.context;
  return runtime.contexts.map((c, i) => ({
    label: labels[i],
    state: connectionState(c.store.statuses(), now, { context: c.contextName, server: c.server, answered: c.store.answered() }),
    readOnly: c.gate.readOnlyReason() !== undefined,
    current: routed === c.contextName,
  }));
}

/** The clusters' texts: whole when they fit in `width`, else a cluster's state in one word, else its symbol. */
export function fleetHeaderTexts(parts: readonly ClusterState[], width: number): string[] {
  const name = (p: ClusterState) => `${p.current ? '›' : ''}${p.label}${p.readOnly ? ' RO' : ''}`;
  const whole = parts.map((p) => `${name(p)} ${p.state.text}`);
  if (whole.join('  ').length <= width) return whole;
  const short = parts.map((p) => `${name(p)} ${p.state.text.split(' ').slice(0, 2).join(' ').replace(/…$/, '')}`);
  if (short.join('  ').length <= width) return short;
  return parts.map((p) => `${name(p)} ${symbolOf(p.state)}`);
}

export function FleetHeader({ runtime, width, now }: { runtime: ConsoleRuntime; width: number; now: number }) {
  const theme = useTheme();
  const parts = fleetHeaderParts(runtime, now);
  const lead = ` warroom  fleet of ${parts.length}  `;
  const texts = fleetHeaderTexts(parts, Math.max(0, width - lead.length));
  let used = lead.length;
  return (
    <Box width={width}>
      <Text wrap="truncate" color={theme.header.fg} backgroundColor={theme.header.bg} inverse={theme.monochrome}>
        {lead}
      </Text>
      {texts.map((t, i) => {
        const shown = fit(`${t}  `, Math.max(0, Math.min(t.length + 2, width - used)));
        used += shown.length;
        const level = parts[i].state.level;
        return (
          <Text key={i} bold={parts[i].current} color={toneColor(theme, level === 'ok' ? 'ok' : level === 'warn' ? 'warn' : 'error')}>
            {shown}
          </Text>
        );
      })}
      <Text>{' '.repeat(Math.max(0, width - used))}</Text>
    </Box>
  );
}
