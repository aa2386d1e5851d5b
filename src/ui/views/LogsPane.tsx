import { Text } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { LogScope } from '../../platform/logs/logScope.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { cellRuns, histogramCells } from '../widgets/histogramStrip.js';
import { footLine, STRIP_LABEL_WIDTH, stripLabel, titleLine, visibleRows } from './logsLines.js';
import type { Pane, PaneProps } from './panes.js';

// Logs of a system, an application or a pod: follows by default; space or scrolling up
// pauses (lines keep arriving, counted); G/End follows again. `/` searches (Elasticsearch
// query_string, plus @15m / @errors directives), n/N jump between matches. The strip above
// the lines counts lines and errors over the time range. The view reads the logs store; it
// never fetches anything itself.

const HEAD_ROWS = 3; // title, source, histogram
const FOOT_ROWS = 1;
const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

export function scopeOf(view: ViewState): LogScope | undefined {
  if (!view.namespace) return undefined;
  if (view.pod) return { kind: 'pod', namespace: view.namespace, pod: view.pod };
  if (view.app) return { kind: 'application', namespace: view.namespace, app: view.app };
  return { kind: 'system', namespace: view.namespace };
}

function Spinner() {
  const [i, setI] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setI((n) => n + 1), 120);
    return () => clearInterval(t);
  }, []);
  return <Text>{SPINNER[i % SPINNER.length]}</Text>;
}

function LogsBody({ runtime, view, width, height }: PaneProps) {
  const theme = useTheme();
  const store = runtime.ctx.logs;
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
  const sourceLine = src
    ? src.kind === 'elasticsearch'
      ? ` source: ${src.label}`
      : ` source: ${src.label} — ${snap.sourceWhy ?? 'fallback'}${snap.sourceWhy?.startsWith('Elasticsearch failed') ? ' (r: try Elasticsearch again)' : ''}`
    : ' source: —';
  const cells = histogramCells(snap.histogram, stripWidth, snap.bar);
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
      <Text wrap="truncate" color={src?.kind === 'kubernetes' ? toneColor(theme, 'warn') : toneColor(theme, 'dim')}>
        {fit(sourceLine, width)}
      </Text>
      <Text wrap="truncate">
        <Text color={toneColor(theme, 'dim')}>{stripLabel(total, errors)} </Text>
        {runs.map((r, i) => (
          <Text key={i} color={r.errors ? toneColor(theme, 'error') : toneColor(theme, 'accent')} inverse={r.selected}>
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

export const logsPane: Pane = {
  title: (view) => `Logs (${view.pod ? 'pod' : view.app ? 'application' : 'system'})`,
  render: (props) => <LogsBody {...props} />,
  open: (runtime, view) => {
    const scope = scopeOf(view);
    if (scope) runtime.ctx.logs.open(scope);
  },
  close: (runtime) => runtime.ctx.logs.close(),
  hints: '<esc> back  space pause  G follow  / search  n/N match  e level  t range  [ ] bar  W wrap  T time  J json  P tags  w write  ? help',
  help: [
    ['space', 'pause / follow (lines keep arriving while paused)'],
    ['G End', 'follow again (newest lines)'],
    ['j k ↑ ↓ PgUp PgDn', 'scroll (up pauses; older lines load as you go)'],
    ['g Home', 'oldest line held'],
    ['/', 'search: Elasticsearch query_string; @15m @1h @24h, @FROM..TO, @errors @warnings @all'],
    ['n N', 'next / previous match'],
    ['e', 'level filter: all, warnings+errors, errors, no debug'],
    ['t', 'time range: 5m 15m 1h 6h 24h 7d'],
    ['[ ] Enter', 'choose a histogram bar and jump to it (Esc goes back)'],
    ['W T J P', 'wrap, timestamps, JSON (raw / pretty / key=value), pod tags'],
    ['w', 'write the lines held to a file'],
    ['p', 'previous container (Kubernetes log API)'],
    ['r', 'reload (try Elasticsearch again after a fallback)'],
    ['Esc', 'cancel a running search; after a bar jump, back to the range before; else back'],
  ],
  onKey: (runtime, input, key, height) => {
    const store = runtime.ctx.logs;
    const snap = store.getSnapshot();
    const rows = bodyRows(height);
    const top = store.currentTop(rows);
    if (key.escape) return store.cancel() || store.clearBar() || store.leaveJump();
    if (input === ' ') return (store.togglePause(), true);
    if (input === 'G' || key.end) return (store.resume(), true);
    if (input === 'g' || key.home) return (store.scrollTo(snap.ring.first, rows), true);
    if (key.upArrow || input === 'k') return (store.scrollTo(top - 1, rows), true);
    if (key.downArrow || input === 'j') return (store.scrollTo(top + 1, rows), true);
    if (key.pageUp || (key.ctrl && input === 'b')) return (store.scrollTo(top - rows, rows), true);
    if (key.pageDown || (key.ctrl && input === 'f')) return (store.scrollTo(top + rows, rows), true);
    if (input === '/') return (runtime.nav.setMode('filter', runtime.nav.current.filter), true);
    if (input === 'n') return (store.nextMatch(1, rows), true);
    if (input === 'N') return (store.nextMatch(-1, rows), true);
    if (input === 'e') return (store.cycleLevels(), true);
    if (input === 't') return (store.cycleRange(), true);
    if (input === '[') return (store.selectBar(-1), true);
    if (input === ']') return (store.selectBar(1), true);
    if (key.return && snap.bar !== undefined) return (store.jumpToBar(rows), true);
    if (input === 'W') return (store.toggle('wrap'), true);
    if (input === 'T') return (store.toggle('timestamps'), true);
    if (input === 'J') return (store.toggle('json'), true);
    if (input === 'P') return (store.toggle('tags'), true);
    if (input === 'p') return (store.togglePrevious(), true);
    if (input === 'r') return (store.retry(), true);
    if (input === 'w') return (store.write(), true);
    return false;
  },
};
