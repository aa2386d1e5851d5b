import { Box, Text } from 'ink';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { clusterLabels } from '../views/lists/fleetClusters.js';
import { alertBadge, type AlertBadge } from './alertBadge.js';
import { connectionState, type ConnectionState } from './connectionState.js';
import { glyphs } from '../../terminal/glyphs.js';

// The header of a fleet: every cluster with its own connection state and read-only badge, so
// one cluster down or stale is seen at once while the others stay live. Narrow terminals keep
// each cluster's name and state symbol; the words give way first.

interface ClusterState {
  label: string;
  state: ConnectionState;
  readOnly: boolean;
  /** The view is routed to this cluster. */
  current: boolean;
  /** Its firing critical alerts; undefined without an alert source. */
  alerts?: AlertBadge;
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
    alerts: alertBadge(c.alerts),
  }));
}

/**
 * The fleet's firing critical alerts, per cluster, after the clusters' states: `✗ dc1:2 dc2:3`
 * (`dc2:?` when its source does not answer, `dc2:…` before its first answer), `✗ 5 critical`
 * when that does not fit, `0 critical` when none fire; '' when no cluster has an alert source.
 */
export function fleetAlertsText(parts: readonly ClusterState[], room: number): { text: string; level: AlertBadge['level'] } {
  const badges = parts.flatMap((p) => (p.alerts ? [{ label: p.label, ...p.alerts }] : []));
  if (!badges.length) return { text: '', level: 'dim' };
  const shown = badges.filter((b) => b.short);
  if (!shown.length) return { text: '0 critical', level: 'ok' };
  const total = shown.reduce((n, b) => n + b.count, 0);
  // Nothing known to fire yet is not a cross: the clusters not read (yet) are named with `?` or `…`.
  const level = total > 0 ? 'error' : shown.every((b) => b.level === 'dim') ? 'dim' : 'warn';
  const each = `${total > 0 ? glyphs.cross : 'alerts'} ${shown.map((b) => `${b.label}:${b.short}`).join(' ')}`;
  if (each.length <= room) return { text: each, level };
  const unsure = shown.some((b) => b.short !== String(b.count));
  if (total > 0) return { text: `${glyphs.cross} ${total} critical${unsure ? '?' : ''}`, level };
  return { text: level === 'dim' ? `alerts ${glyphs.ellipsis}` : 'alerts ?', level };
}

/** The clusters' texts: whole when they fit in `width`, else a cluster's state in one word, else its symbol. */
export function fleetHeaderTexts(parts: readonly ClusterState[], width: number): string[] {
  const name = (p: ClusterState) => `${p.current ? glyphs.crumb : ''}${p.label}${p.readOnly ? ' RO' : ''}`;
  const whole = parts.map((p) => `${name(p)} ${p.state.text}`);
  if (whole.join('  ').length <= width) return whole;
  const twoWords = (p: ClusterState) => {
    const words = p.state.text.split(' ').slice(0, 2).join(' ');
    return words.endsWith(glyphs.ellipsis) ? words.slice(0, -glyphs.ellipsis.length) : words;
  };
  const short = parts.map((p) => `${name(p)} ${twoWords(p)}`);
  if (short.join('  ').length <= width) return short;
  return parts.map((p) => `${name(p)} ${symbolOf(p.state)}`);
}

export function FleetHeader({ runtime, width, now }: { runtime: ConsoleRuntime; width: number; now: number }) {
  const theme = useTheme();
  const parts = fleetHeaderParts(runtime, now);
  const lead = ` warroom  fleet of ${parts.length}  `;
  const alerts = fleetAlertsText(parts, Math.max(0, Math.floor((width - lead.length) / 3)));
  const alertsCell = alerts.text ? ` ${alerts.text} ` : '';
  const texts = fleetHeaderTexts(parts, Math.max(0, width - lead.length - alertsCell.length));
  let used = lead.length;
  const cells = texts.map((t) => {
    const room = Math.max(0, width - alertsCell.length - used);
    // The gap after a cluster gives way before its state does.
    const shown = room >= t.length ? `${t}  `.slice(0, Math.min(t.length + 2, room)) : fit(t, room);
    used += shown.length;
    return shown;
  });
  return (
    <Box width={width}>
      <Text wrap="truncate" color={theme.header.fg} backgroundColor={theme.header.bg} inverse={theme.monochrome || theme.header.inverse}>
        {lead}
      </Text>
      {cells.map((shown, i) => {
        const level = parts[i].state.level;
        return (
          <Text key={i} bold={parts[i].current} color={toneColor(theme, level === 'ok' ? 'ok' : level === 'warn' ? 'warn' : 'error')}>
            {shown}
          </Text>
        );
      })}
      <Text>{' '.repeat(Math.max(0, width - used - alertsCell.length))}</Text>
      {alertsCell ? (
        <Text bold={alerts.level === 'error'} color={toneColor(theme, alerts.level)}>
          {fit(alertsCell, Math.min(alertsCell.length, Math.max(0, width - used)))}
        </Text>
      ) : null}
    </Box>
  );
}
