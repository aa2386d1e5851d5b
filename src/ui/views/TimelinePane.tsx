import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ViewState } from '../../platform/stores/navStore.js';
import { scopeLabel, TIMELINE_RANGES, timelineRange, type TimelineEntry, type TimelineKind, type TimelineScope } from '../../platform/timeline/timelineEntry.js';
import type { SourceState, TimelineSnapshot } from '../../platform/timeline/timelineStore.js';
import { glyphs } from '../../terminal/glyphs.js';
import { fit } from '../format.js';
import { clusterLabels } from './lists/fleetClusters.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { metricsViewFor } from './metricsView.js';
import { fleetWide, type Pane, type PaneKeyContext, type PaneProps } from './panes.js';
import type { Tone } from './tableModel.js';

// `T` on a system, application or pod (and `:timeline [RANGE]`): what changed and what went
// wrong there over the range, newest first, one line an entry (time, kind, what, source), with
// a line per source saying how it went. Enter opens what the entry is about; Esc comes back.

export const KIND_GLYPH: Record<TimelineKind, () => string> = {
  rollout: () => glyphs.tlRollout,
  scale: () => glyphs.tlScale,
  restart: () => glyphs.tlRestart,
  oom: () => glyphs.tlOom,
  warning: () => glyphs.tlWarning,
  'alert-fired': () => glyphs.tlFired,
  'alert-resolved': () => glyphs.tlResolved,
  'log-spike': () => glyphs.tlSpike,
  audit: () => glyphs.tlAudit,
};

const KIND_TONE: Partial<Record<TimelineKind, Tone | 'accent'>> = { rollout: 'accent', oom: 'error', 'alert-fired': 'error', 'alert-resolved': 'ok', warning: 'warn', restart: 'warn', 'log-spike': 'error' };

export function scopeOfView(view: ViewState): TimelineScope | undefined {
  return view.namespace ? { namespace: view.namespace, app: view.app, pod: view.pod } : undefined;
}

function clock(ms: number, long: boolean): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  const time = `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  return long ? `${p(d.getMonth() + 1)}-${p(d.getDate())} ${time}` : time;
}

/** `rollouts 3`, `alerts: off (no Prometheus configured ...)`, `log spikes: failed (...)`. */
export function sourceLine(s: SourceState, label: (context: string) => string = (c) => c): string {
  const who = `${s.cluster ? `${label(s.cluster)} ` : ''}${s.name}`;
  if (s.state === 'loading') return `${who}${glyphs.ellipsis}`;
  if (s.state === 'ok') return `${who} ${s.count}`;
  if (s.state === 'partial') return `${who} ${s.count}, partly: ${s.detail ?? ''}`;
  return `${who}: ${s.state === 'off' ? 'not configured' : 'failed'} (${s.detail ?? ''})`;
}

/** Wide enough to give each entry its source on its own line (else the selected one's is said below). */
const SOURCE_INLINE_WIDTH = 120;

export function entryLine(e: TimelineEntry, long: boolean, width: number, label: (context: string) => string = (c) => c): string {
  const tag = e.cluster ? `${label(e.cluster)} ` : '';
  const head = `${clock(e.time, long)} ${KIND_GLYPH[e.kind]()} ${tag}`;
  if (width < SOURCE_INLINE_WIDTH) return `${head}${e.text}`;
  const src = ` ${glyphs.sep} ${e.source}`;
  return `${head}${fit(e.text, Math.max(10, width - head.length - src.length)).trimEnd()}${src}`;
}

/** The selected entry whole, with its source and cluster (at 80 columns its line is cut). */
export function detailLine(e: TimelineEntry | undefined, label: (context: string) => string = (c) => c): string {
  return e ? `${e.cluster ? `${label(e.cluster)}: ` : ''}${e.text} (${e.source})` : '';
}

/**
 * The lines above the entries: the range and scope, every source's state (a line per cluster: two
 * clusters' do not fit in one), the failing ones each on a line.
 */
export function headLines(s: TimelineSnapshot): Array<{ text: string; tone?: Tone | 'accent' }> {
  const ok = s.sources.filter((x) => x.state === 'ok' || x.state === 'loading');
  const bad = s.sources.filter((x) => x.state === 'off' || x.state === 'error' || x.state === 'partial');
  const clusters = [...new Set(ok.map((x) => x.cluster))];
  return [
    { text: `${scopeLabel(s.scope)} ${glyphs.sep} last ${s.range} ${glyphs.sep} ${s.entries.length} entries, newest first (t: range)`, tone: 'accent' },
    ...clusters.map((c) => ({ text: ok.filter((x) => x.cluster === c).map((x) => sourceLine(x, s.label)).join(`  `), tone: 'dim' as const })),
    ...bad.map((x) => ({ text: sourceLine(x, s.label), tone: (x.state === 'error' ? 'error' : 'dim') as Tone })),
  ];
}

function TimelineBody({ runtime, width, height }: PaneProps) {
  const theme = useTheme();
  const store = runtime.timeline;
  const s = useSyncExternalStore(store.subscribe, store.getSnapshot);
  if (!s) return <Text>{`loading${glyphs.ellipsis}`}</Text>;
  const head = headLines(s);
  const detail = s.entries.length ? detailLine(s.entries[s.cursor], s.label) : '';
  const detailRows = detail ? Math.min(2, Math.ceil(detail.length / Math.max(1, width))) : 0;
  const room = Math.max(1, height - head.length - detailRows);
  const long = s.to - s.from > 24 * 3_600_000;
  const top = Math.max(0, Math.min(s.cursor - Math.floor(room / 2), s.entries.length - room));
  const loading = s.sources.some((x) => x.state === 'loading');
  const body = s.entries.length
    ? s.entries.slice(top, top + room).map((e, i) => (
        <Text key={`${top + i}`} wrap="truncate" inverse={top + i === s.cursor} color={KIND_TONE[e.kind] ? toneColor(theme, KIND_TONE[e.kind]!) : undefined}>
          {fit(entryLine(e, long, width, s.label), width)}
        </Text>
      ))
    : [
        <Text key="none" color={toneColor(theme, 'dim')}>
          {fit(loading ? `reading${glyphs.ellipsis}` : `nothing changed or went wrong in the last ${s.range} that these sources know of`, width)}
        </Text>,
      ];
  return (
    <>
      {head.map((l, i) => (
        <Text key={`h${i}`} wrap="truncate" color={l.tone ? toneColor(theme, l.tone) : undefined}>
          {fit(l.text, width)}
        </Text>
      ))}
      {body}
      {detailRows > 0 && (
        <Text wrap="wrap" color={toneColor(theme, 'dim')}>
          {detail.length > width * 2 ? `${detail.slice(0, width * 2 - 1)}${glyphs.cut}` : detail}
        </Text>
      )}
    </>
  );
}

/** Enter: what the entry is about, in the entry's cluster. */
export function openEntry(runtime: ConsoleRuntime, view: ViewState, e: TimelineEntry): void {
  const t = e.target;
  const scope = scopeOfView(view);
  if (!t || !scope) return;
  const context = e.cluster ?? view.context;
  const nav = runtime.nav;
  switch (t.kind) {
    case 'revision':
      nav.push({ kind: 'history', namespace: t.namespace, app: t.app, context });
      return runtime.ctx.history.focusRevision(t.revision);
    case 'pod':
      return nav.push({ kind: 'pod', namespace: t.namespace, pod: t.pod, app: scope.app, context });
    case 'events':
      return nav.push({ kind: 'events', namespace: t.namespace, involved: t.involved, context });
    case 'logs': {
      nav.push({ kind: 'logs', ...scope, context });
      const logs = runtime.ctx.logs;
      return logs.apply({ ...logs.getSnapshot().query, range: { kind: 'absolute', from: t.at, to: t.at + 60_000 } });
    }
    case 'metrics':
      nav.push({ ...metricsViewFor(scope), context });
      return runtime.ctx.metrics.focusTime(t.at);
  }
}

const timeline = ({ runtime }: PaneKeyContext) => runtime.timeline;

export const timelinePane: Pane = {
  title: () => 'Timeline',
  render: (props) => <TimelineBody {...props} />,
  open: (ctx, view, runtime) => {
    const scope = scopeOfView(view);
    if (!scope) return;
    if (!fleetWide(runtime, view)) return runtime.timeline.open(scope, [ctx.timeline]);
    const names = runtime.contexts.map((c) => c.contextName);
    const short = clusterLabels(names, 9);
    runtime.timeline.open(scope, runtime.contexts.map((c) => c.timeline), undefined, new Map(names.map((n, i) => [n, short[i]])));
  },
  // Kept while the user looks at an entry (Esc comes back to the same list); `:ctx` and quitting close it.
  helpTitle: 'Timeline',
  keys: [
    { action: 'timeline.down', keys: ['j', 'down'], help: 'next (older) entry', hint: 'j/k', run: (c) => timeline(c).move(1) },
    { action: 'timeline.up', keys: ['k', 'up'], help: 'previous (newer) entry', run: (c) => timeline(c).move(-1) },
    { action: 'timeline.page-down', keys: ['pagedown', 'ctrl+f'], help: 'a page down', run: (c) => timeline(c).move(Math.max(1, c.height - 3)) },
    { action: 'timeline.page-up', keys: ['pageup', 'ctrl+b'], help: 'a page up', run: (c) => timeline(c).move(-Math.max(1, c.height - 3)) },
    { action: 'timeline.first', keys: ['g', 'home'], help: 'newest entry', run: (c) => timeline(c).move(-1e9) },
    { action: 'timeline.last', keys: ['G', 'end'], help: 'oldest entry', run: (c) => timeline(c).move(1e9) },
    { action: 'timeline.range', keys: ['t'], help: 'range: 15m, 1h, 6h, 24h, 7d', hint: 't range', run: (c) => timeline(c).cycleRange() },
    { action: 'timeline.reload', keys: ['r'], help: 'read every source again', run: (c) => void timeline(c).load() },
    {
      action: 'timeline.open',
      keys: ['enter'],
      help: "open what the entry is about: a rollout's diff, the pod, the logs at that minute, the charts at that time",
      hint: 'Enter open',
      run: ({ runtime, view }) => {
        const e = runtime.timeline.selected;
        if (!e) return false;
        openEntry(runtime, view, e);
      },
    },
  ],
};

/** `:timeline [RANGE]`: the timeline of what the view shows (its system, application or pod). */
export function timelineCommandLine(runtime: ConsoleRuntime, arg: string): void {
  const view = runtime.nav.current;
  const range = arg.trim();
  if (range && !timelineRange(range)) return runtime.nav.say(`usage: :timeline [${TIMELINE_RANGES.map((r) => r.label).join('|')}]`, 'warn');
  if (view.kind === 'timeline') return range ? runtime.timeline.setRange(range) : undefined;
  const scope = scopeOfView(view);
  if (!scope) return runtime.nav.say('open a system, an application or a pod first (or press T on its row)', 'warn');
  runtime.nav.push({ kind: 'timeline', namespace: scope.namespace, app: scope.app, pod: scope.pod, context: view.context });
  if (range) runtime.timeline.setRange(range);
}
