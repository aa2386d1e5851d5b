import { Box, Text } from 'ink';
import { useEffect, useMemo, useSyncExternalStore, type ReactElement } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { MetricsPaneSnapshot, MetricsPaneStore } from '../../platform/metrics/metricsPaneStore.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { targetTitle } from '../../platform/metrics/metricsTarget.js';
import { caretLine } from '../../platform/metrics/promqlCheck.js';
import { TIME_RANGES } from '../../platform/metrics/timeRanges.js';
import type { Binding } from '../keys/keymap.js';
import { healthStore } from '../../self/healthStore.js';
import { fit, formatAge } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { layoutChart, legendRowCount } from '../widgets/brailleChart.js';
import { MetricsChart } from '../widgets/MetricsChart.js';
import { HealthBody } from './HealthPane.js';
import { actionsHealthRows } from './actionsHealth.js';
import { chartColumns, chartGrid, plotCellsFor } from './metricsGrid.js';
import { clusterLabels } from './lists/fleetClusters.js';
import { isHealthView, metricsTitle, targetOfView } from './metricsView.js';
import { fleetWide, type Pane, type PaneKeyContext, type PaneProps } from './panes.js';
import { glyphs } from '../../terminal/glyphs.js';

// The metrics pane: a header line (target, range, age or the error), then the charts in a
// grid. Reads the metrics store (a context's, or on a fleet-wide view the fleet's, with a
// series per cluster); keys call its methods. Never fetches anything itself.

/** The store the pane shows: the view's cluster's, or the fleet's. */
export function metricsOf(runtime: ConsoleRuntime, view: ViewState = runtime.nav.current): MetricsPaneStore {
  return fleetWide(runtime, view) ? runtime.fleetMetrics : runtime.ctx.metrics;
}

export function statusLine(s: MetricsPaneSnapshot, now: number): { text: string; tone: 'error' | 'warn' | 'dim' } {
  if (s.unavailable) return { text: `${glyphs.warn} ${s.unavailable}`, tone: 'warn' };
  // Over a fleet, clusters in trouble first: at 80 columns the line is cut from the right.
  const trouble = (s.clusters ?? []).filter((c) => c.problem);
  const clusterLine = trouble.map((c) => `${c.label}: ${c.problem}`).join(` ${glyphs.sep} `);
  if (s.error) {
    const age = s.dataAt ? `; showing data from ${formatAge(s.dataAt, now)} ago` : '';
    const retry = s.retryAt ? `; retrying in ${Math.max(0, Math.ceil((s.retryAt - now) / 1000))}s` : '';
    return { text: `${glyphs.warn} ${clusterLine || s.error}${age}${retry}`, tone: 'error' };
  }
  if (s.loading && !s.dataAt) return { text: `loading from ${s.endpoint ?? (s.clusters ? "each cluster's Prometheus" : 'Prometheus')}${glyphs.ellipsis}`, tone: 'dim' };
  const warn = s.warnings.length ? `  ${glyphs.warn} ${s.warnings[0]}` : '';
  const updated = `updated ${s.dataAt ? formatAge(s.dataAt, now) : '-'} ago${s.loading ? ' (refreshing)' : ''}`;
  if (!s.clusters) return { text: `${s.endpoint ?? ''}  ${updated}${warn}`, tone: warn ? 'warn' : 'dim' };
  const fine = s.clusters.filter((c) => !c.problem).map((c) => c.label);
  const notes = s.clusters.filter((c) => c.note).map((c) => `${c.label}: ${c.note}`);
  const from = s.endpoint ? `${s.endpoint} for ${fine.join(', ')}` : `${fine.join(', ')}: each cluster's Prometheus`;
  const text = [trouble.length ? `${glyphs.warn} ${clusterLine}` : '', fine.length ? `${from}  ${updated}` : '', ...notes].filter(Boolean).join(` ${glyphs.sep} `);
  return { text: `${text}${warn}`, tone: trouble.length ? 'error' : warn ? 'warn' : 'dim' };
}

function MetricsBody({ runtime, view, width, height, now }: PaneProps) {
  const theme = useTheme();
  const store = metricsOf(runtime, view);
  const s = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { columns, chartWidth } = chartColumns(width, Math.max(1, s.charts.length || 6));
  useEffect(() => store.setPlotCells(plotCellsFor(chartWidth)), [store, chartWidth]);
  // The App reopens a pane when its scope changes; a second `:promql` over the first changes
  // only the query, so the pane makes sure the store charts what this view asks for.
  const wanted = targetOfView(view);
  const wantedKey = JSON.stringify(wanted ?? null);
  useEffect(() => {
    if (wanted && JSON.stringify(store.getSnapshot().target ?? null) !== wantedKey) store.open(wanted);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [store, wantedKey]);

  const over = s.clusters ? ` in ${s.clusters.length} clusters` : '';
  const header = ` ${s.target ? `${targetTitle(s.target, s.podCount)}${over}` : ''}   range ${TIME_RANGES.map((r) => (r.label === s.range.label ? `[${r.label}]` : r.label)).join(' ')}${s.window ? `   step ${s.window.step}s` : ''}`;
  const status = statusLine(s, now);
  const lines: ReactElement[] = [
    <Text key="h" wrap="truncate" bold color={toneColor(theme, 'title')}>
      {fit(header, width)}
    </Text>,
    <Text key="s" wrap="truncate" color={toneColor(theme, status.tone)} dimColor={status.tone === 'dim' && theme.monochrome}>
      {fit(` ${status.text}`, width)}
    </Text>,
  ];
  const cursor = store.cursorIndex();
  const stale = s.error !== undefined;
  const plotWidth = chartWidth - (columns > 1 ? 1 : 0);
  // Laid out again only when data, size, scroll or cursor change, not on every clock tick.
  const { grid, laidOut } = useMemo(() => {
    const at = cursor >= 0 ? cursor : undefined;
    const legends = s.charts.map((c) => legendRowCount({ series: c.series, unit: c.unit, width: plotWidth, cursor: at }));
    const g = chartGrid(width, height - 2, legends, view.top);
    const charts = new Map(
      g.rows.flatMap((row) =>
        row.charts.map((i) => {
          const c = s.charts[i];
          const chart = layoutChart({ title: c.title, unit: c.unit, times: s.times, series: c.series, width: plotWidth, height: row.height, cursor: at, markers: s.markers, message: c.error ? `query failed: ${c.error}` : c.noData });
          return [i, { id: c.id, lines: chart.lines.slice(0, row.height) }] as const;
        }),
      ),
    );
    return { grid: g, laidOut: charts };
  }, [s.charts, s.times, s.markers, width, height, plotWidth, view.top, cursor]);
  if (s.promqlProblem) {
    const p = s.promqlProblem;
    return (
      <>
        {lines}
        <Text wrap="truncate" color={toneColor(theme, 'error')}>{fit(` PromQL syntax error at character ${p.position + 1}: ${p.message}`, width)}</Text>
        <Text wrap="truncate">{fit(`   ${p.query}`, width)}</Text>
        <Text wrap="truncate" color={toneColor(theme, 'error')}>{fit(`   ${caretLine(p.position)}`, width)}</Text>
      </>
    );
  }
  if (!s.charts.length) return <>{lines}</>;
  return (
    <>
      {lines}
      {grid.rows.map((row) => (
        <Box key={row.charts.join(',')} flexDirection="row" width={width} height={row.height}>
          {row.charts.map((i) => {
            const c = laidOut.get(i)!;
            return <MetricsChart key={c.id} lines={c.lines} width={chartWidth} stale={stale} monochrome={theme.monochrome} dimColor={theme.dim} titleColor={theme.accent} cursorColor={theme.warn} />;
          })}
        </Box>
      ))}
      {grid.more ? (
        <Text wrap="truncate" color={toneColor(theme, 'dim')} dimColor={theme.monochrome}>
          {fit(` ${grid.more}`, width)}
        </Text>
      ) : null}
    </>
  );
}

/** A key of the charts (the console health page has none: its keys fall through). */
function chartKey(action: string, keys: string[], help: string, run: (ctx: PaneKeyContext) => boolean | void, hint?: string, before?: string): Binding<PaneKeyContext> {
  return { action, keys, help, hint, before, run: (ctx) => (isHealthView(ctx.view) ? false : run(ctx)) };
}

export const metricsPane: Pane = {
  title: metricsTitle,
  render: (props) => (isHealthView(props.view) ? <HealthBody width={props.width} height={props.height} extra={actionsHealthRows(props.runtime)} /> : <MetricsBody {...props} />),
  open: (ctx, view, runtime) => {
    if (isHealthView(view)) return healthStore.open();
    const target = targetOfView(view);
    if (!target) return;
    if (fleetWide(runtime, view)) runtime.fleetMetrics.openFleet(target, clusterLabels(runtime.contexts.map((c) => c.contextName), 9));
    else ctx.metrics.open(target);
  },
  close: (ctx, view, runtime) => {
    healthStore.close();
    if (fleetWide(runtime, view)) runtime.fleetMetrics.close();
    else ctx.metrics.close();
  },
  helpTitle: 'Metrics',
  keys: [
    ...TIME_RANGES.map((r, i) => chartKey(`metrics.range-${r.label}`, [r.key], `time range ${r.label}`, ({ runtime, view }) => metricsOf(runtime, view).setRange(r), i === 0 ? '1-5 range' : undefined)),
    chartKey('metrics.cursor-left', ['left', 'h'], 'move the cursor: exact values at that time in the legends', ({ runtime, view }) => metricsOf(runtime, view).moveCursor(-1), '←/→ cursor'),
    chartKey('metrics.cursor-right', ['right', 'l'], 'move the cursor right', ({ runtime, view }) => metricsOf(runtime, view).moveCursor(1)),
    chartKey('metrics.cursor-left-10', ['shift+left', 'H'], 'move the cursor ten samples left', ({ runtime, view }) => metricsOf(runtime, view).moveCursor(-10)),
    chartKey('metrics.cursor-right-10', ['shift+right', 'L'], 'move the cursor ten samples right', ({ runtime, view }) => metricsOf(runtime, view).moveCursor(10)),
    chartKey('metrics.cursor-clear', ['escape'], 'leave the cursor (then Esc goes back)', ({ runtime, view }) => {
      if (metricsOf(runtime, view).getSnapshot().cursorTime === undefined) return false;
      metricsOf(runtime, view).clearCursor();
    }, undefined, 'back'),
    chartKey('metrics.refresh', ['r'], 'refresh now (auto-refresh every 10 s by default)', ({ runtime, view }) => {
      metricsOf(runtime, view).refreshNow();
      runtime.nav.say('refreshing');
    }, 'refresh'),
    chartKey('metrics.scroll-down', ['j', 'down', 'pagedown'], 'scroll the charts down', ({ runtime, view }) => {
      const charts = metricsOf(runtime, view).getSnapshot().charts.length;
      runtime.nav.updateCurrent({ top: Math.min(Math.max(0, charts - 1), view.top + 1) });
    }, 'j/k scroll'),
    chartKey('metrics.scroll-up', ['k', 'up', 'pageup'], 'scroll the charts up', ({ runtime, view }) => runtime.nav.updateCurrent({ top: Math.max(0, view.top - 1) })),
  ],
};
