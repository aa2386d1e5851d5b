import { Text } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { LogsPaneStore } from '../../platform/logs/fleetLogsStore.js';
import type { LogScope } from '../../platform/logs/logScope.js';
import type { LogsSnapshot } from '../../platform/logs/logsStore.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { cellRuns, histogramCells } from '../widgets/histogramStrip.js';
import { clusterLabels } from './lists/fleetClusters.js';
import { footLine, STRIP_LABEL_WIDTH, stripLabel, titleLine, visibleRows } from './logsLines.js';
import { fleetWide, type Pane, type PaneKeyContext, type PaneProps } from './panes.js';
import { glyphs } from '../../terminal/glyphs.js';

// Logs of a system, an application or a pod: follows by default; space or scrolling up
// pauses (lines keep arriving, counted); G/End follows again. `/` searches (Elasticsearch
// query_string, plus @15m / @errors directives), n/N jump between matches. The strip above
// the lines counts lines and errors over the time range. The view reads the logs store; it
// never fetches anything itself.

const HEAD_ROWS = 3; // title, source, histogram
const FOOT_ROWS = 1;

export function scopeOf(view: ViewState): LogScope | undefined {
  if (!view.namespace) return undefined;
  if (view.pod) return { kind: 'pod', namespace: view.namespace, pod: view.pod };
  if (view.app) return { kind: 'application', namespace: view.namespace, app: view.app };
  return { kind: 'system', namespace: view.namespace };
}

/** The store the pane shows: the view's cluster's, or the fleet's merged one. */
export function logsOf(runtime: ConsoleRuntime, view: ViewState = runtime.nav.current): LogsPaneStore {
  return fleetWide(runtime, view) ? runtime.fleetLogs : runtime.ctx.logs;
}

/** The fleet's source line: clusters reading alike grouped, a cluster in trouble named with why. */
export function fleetSourceLine(snap: LogsSnapshot): { text: string; trouble: boolean } {
  const groups = new Map<string, string[]>();
  let trouble = false;
  for (const c of snap.clusters ?? []) {
    let what: string;
    if (c.error && c.source?.kind !== 'elasticsearch') what = `not answering (${c.error})`;
    else if (c.error) what = `Elasticsearch: ${c.error}`;
    else if (!c.source) what = c.busy ? `connecting${glyphs.ellipsis}` : 'no source';
    else if (c.source.kind === 'elasticsearch') what = 'Elasticsearch';
    else if (c.sourceWhy?.startsWith('Elasticsearch failed')) what = 'Elasticsearch unreachable, reading the Kubernetes log API';
    else what = 'Kubernetes log API (no Elasticsearch)';
    if (what !== 'Elasticsearch') trouble = true;
    groups.set(what, [...(groups.get(what) ?? []), c.label]);
  }
  // Clusters in trouble first: at 80 columns the line is cut from the right.
  const parts = [...groups].sort(([a], [b]) => Number(a === 'Elasticsearch') - Number(b === 'Elasticsearch')).map(([what, labels]) => `${labels.join(', ')}: ${what}`);
  return { text: ` sources: ${parts.join(` ${glyphs.sep} `)}${trouble ? ' (r: retry)' : ''}`, trouble };
}

function Spinner() {
  const [i, setI] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setI((n) => n + 1), 120);
    return () => clearInterval(t);
  }, []);
  const frames = glyphs.spinner;
  return <Text>{frames[i % frames.length]}</Text>;
}

function LogsBody({ runtime, view, width, height }: PaneProps) {
  const theme = useTheme();
  const store = logsOf(runtime, view);
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const nav = useSyncExternalStore(runtime.nav.subscribe, runtime.nav.getSnapshot);
  const applied = useRef(view.filter);

  // The `/` line is the console's filter prompt; the search runs when it is closed.
  useEffect(() => {
    if (nav.mode === 'normal' && view.filter !== applied.current) {
      applied.current = view.filter;
      store.search(view.filter);
    }
  }, [nav.mode, view.filter, store]);

  const stripWidth = Math.max(10, width - STRIP_LABEL_WIDTH - 1);
  store.histogramBuckets = stripWidth;
  const bodyHeight = Math.max(1, height - HEAD_ROWS - FOOT_ROWS);
  const { rows } = visibleRows({ snap, width, height: bodyHeight });

  const src = snap.source;
  const title = titleLine(snap, width - 1);
  const fleet = snap.clusters ? fleetSourceLine(snap) : undefined;
  const sourceLine = fleet
    ? fleet.text
    : src
    ? src.kind === 'elasticsearch'
      ? ` source: ${src.label}`
      : ` source: ${src.label} ${glyphs.dash} ${snap.sourceWhy ?? 'fallback'}${snap.sourceWhy?.startsWith('Elasticsearch failed') ? ' (r: try Elasticsearch again)' : ''}`
    : ` source: ${glyphs.dash}`;
  const cells = histogramCells(snap.histogram, stripWidth, snap.bar, snap.markers);
  const runs = cellRuns(cells);
  const total = snap.histogram?.buckets.reduce((n, b) => n + b.count, 0) ?? 0;
  const errors = snap.histogram?.buckets.reduce((n, b) => n + b.errors, 0) ?? 0;
  const foot = footLine(snap, width);

  const levelColor = (l: string) => (l === 'error' ? toneColor(theme, 'error') : l === 'warn' ? toneColor(theme, 'warn') : undefined);
  return (
    <>
      <Text wrap="truncate" bold color={toneColor(theme, 'title')}>
        {snap.busy ? <Spinner /> : ' '}
        {fit(title, width - 1)}
      </Text>
      <Text wrap="truncate" color={src?.kind === 'kubernetes' || fleet?.trouble ? toneColor(theme, 'warn') : toneColor(theme, 'dim')}>
        {fit(sourceLine, width)}
      </Text>
      <Text wrap="truncate">
        <Text color={toneColor(theme, 'dim')}>{stripLabel(total, errors)} </Text>
        {runs.map((r, i) => (
          <Text key={i} color={r.marked ? toneColor(theme, 'warn') : r.errors ? toneColor(theme, 'error') : toneColor(theme, 'accent')} inverse={r.selected}>
            {r.text}
          </Text>
        ))}
      </Text>
      {/* Keyed by screen row, not by line: while following every batch shifts the lines up,
          and keys that move with them made React and Yoga drop and rebuild every row. */}
      {rows.map((r, i) => (
        <Text key={i} wrap="truncate">
          {r.segments.map((s, i) =>
            i === r.segments.length - 1 ? (
              <Text key={i} color={levelColor(r.level)}>
                {s.text}
              </Text>
            ) : (
              <Text key={i} color={theme.monochrome ? undefined : s.color} dimColor={s.dim}>
                {s.text}
              </Text>
            ),
          )}
        </Text>
      ))}
      {Array.from({ length: Math.max(0, bodyHeight - rows.length) }, (_, i) => (
        <Text key={`pad${i}`}> </Text>
      ))}
      <Text wrap="truncate" color={toneColor(theme, foot.tone)}>
        {fit(foot.text, width)}
      </Text>
    </>
  );
}

function bodyRows(height: number): number {
  return Math.max(1, height - HEAD_ROWS - FOOT_ROWS);
}

function scrollBy({ runtime, height }: PaneKeyContext, lines: number): void {
  const rows = bodyRows(height);
  logsOf(runtime).scrollTo(logsOf(runtime).currentTop(rows) + lines, rows);
}

export const logsPane: Pane = {
  title: (view) => `Logs (${view.pod ? 'pod' : view.app ? 'application' : 'system'})`,
  render: (props) => <LogsBody {...props} />,
  open: (ctx, view, runtime) => {
    const scope = scopeOf(view);
    if (!scope) return;
    if (fleetWide(runtime, view)) runtime.fleetLogs.open(scope, clusterLabels(runtime.contexts.map((c) => c.contextName), 9));
    else ctx.logs.open(scope);
  },
  close: (ctx, view, runtime) => (fleetWide(runtime, view) ? runtime.fleetLogs.close() : ctx.logs.close()),
  helpTitle: 'Logs',
  keys: [
    { action: 'logs.cancel', keys: ['escape'], before: 'back', help: 'cancel a running search; after a bar jump, back to the range before; else back', run: ({ runtime }) => { const store = logsOf(runtime); return store.cancel() || store.clearBar() || store.leaveJump(); } },
    { action: 'logs.pause', keys: ['space'], help: 'pause / follow (lines keep arriving while paused)', hint: 'pause', run: ({ runtime }) => logsOf(runtime).togglePause() },
    { action: 'logs.follow', keys: ['G', 'end'], help: 'follow again (newest lines)', hint: 'follow', run: ({ runtime }) => logsOf(runtime).resume() },
    { action: 'logs.oldest', keys: ['g', 'home'], help: 'oldest line held', run: ({ runtime, height }) => logsOf(runtime).scrollTo(logsOf(runtime).getSnapshot().ring.first, bodyRows(height)) },
    { action: 'logs.up', keys: ['k', 'up'], help: 'scroll up a line (pauses; older lines load as you go)', run: (c) => scrollBy(c, -1) },
    { action: 'logs.down', keys: ['j', 'down'], help: 'scroll down a line', run: (c) => scrollBy(c, 1) },
    { action: 'logs.page-up', keys: ['pageup', 'ctrl+b'], help: 'scroll up a page', run: (c) => scrollBy(c, -bodyRows(c.height)) },
    { action: 'logs.page-down', keys: ['pagedown', 'ctrl+f'], help: 'scroll down a page', run: (c) => scrollBy(c, bodyRows(c.height)) },
    { action: 'logs.search', keys: ['/'], help: 'search: Elasticsearch query_string; @15m @1h @24h, @FROM..TO, @errors @warnings @all', hint: 'search', run: ({ runtime }) => runtime.nav.setMode('filter', runtime.nav.current.filter) },
    { action: 'logs.next-match', keys: ['n'], help: 'next match', hint: 'match', run: ({ runtime, height }) => logsOf(runtime).nextMatch(1, bodyRows(height)) },
    { action: 'logs.previous-match', keys: ['N'], help: 'previous match', run: ({ runtime, height }) => logsOf(runtime).nextMatch(-1, bodyRows(height)) },
    { action: 'logs.levels', keys: ['e'], help: 'level filter: all, warnings+errors, errors, no debug', hint: 'level', run: ({ runtime }) => logsOf(runtime).cycleLevels() },
    { action: 'logs.range', keys: ['t'], help: 'time range: 5m 15m 1h 6h 24h 7d', hint: 'range', run: ({ runtime }) => logsOf(runtime).cycleRange() },
    { action: 'logs.bar-previous', keys: ['['], help: 'choose the histogram bar before', hint: 'bar', run: ({ runtime }) => logsOf(runtime).selectBar(-1) },
    { action: 'logs.bar-next', keys: [']'], help: 'choose the histogram bar after', run: ({ runtime }) => logsOf(runtime).selectBar(1) },
    { action: 'logs.bar-jump', keys: ['enter'], help: 'jump to the chosen histogram bar (Esc goes back)', run: ({ runtime, height }) => { if (logsOf(runtime).getSnapshot().bar === undefined) return false; logsOf(runtime).jumpToBar(bodyRows(height)); } },
    { action: 'logs.wrap', keys: ['W'], help: 'wrap long lines', hint: 'wrap', run: ({ runtime }) => logsOf(runtime).toggle('wrap') },
    { action: 'logs.timestamps', keys: ['T'], help: 'timestamps', hint: 'time', run: ({ runtime }) => logsOf(runtime).toggle('timestamps') },
    { action: 'logs.json', keys: ['J'], help: 'JSON: raw / pretty / key=value', hint: 'json', run: ({ runtime }) => logsOf(runtime).toggle('json') },
    { action: 'logs.tags', keys: ['P'], help: 'pod tags', hint: 'tags', run: ({ runtime }) => logsOf(runtime).toggle('tags') },
    { action: 'logs.write', keys: ['w'], help: 'write the lines held to a file', hint: 'write', run: ({ runtime }) => logsOf(runtime).write() },
    { action: 'logs.previous-container', keys: ['p'], help: 'previous container (Kubernetes log API)', run: ({ runtime }) => logsOf(runtime).togglePrevious() },
    { action: 'logs.reload', keys: ['r'], help: 'reload (try Elasticsearch again after a fallback)', run: ({ runtime }) => logsOf(runtime).retry() },
  ],
};
