import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../platform/consoleRuntime.js';
import type { ViewState } from '../platform/stores/navStore.js';
import { CoalescingNotifier, STORE_TICK_MS } from '../platform/stores/coalescingNotifier.js';
import { markScope } from '../platform/stores/markStore.js';
import { glyphs } from '../terminal/glyphs.js';
import { fit, formatClock, hintLine } from './format.js';
import { COMMANDS } from './keys/commands.js';
import { helpPageLines } from './keys/help.js';
import { helpScope } from './keys/helpKeys.js';
import { clampCursor, clampTop } from './keys/listCursor.js';
import { KeyStack } from './keys/keyStack.js';
import { useKeyPresses } from './keys/useKeyPresses.js';
import type { AnyListModel, ListModel } from './views/lists/listView.js';
import { isListView, listViews } from './views/lists/listViews.js';
import { involvedTitle } from './views/lists/eventsView.js';
import { kindTitle } from './views/lists/resourcesView.js';
import { paneFor } from './views/panes.js';
import './views/registerPanes.js';
import './views/registerScale.js';
import './views/registerAlerts.js';
import { useOverlay } from './views/overlays.js';
import { useSparklines } from './views/useSparklines.js';
import { crumbLine, useFilterProblem } from './views/filterCrumb.js';
import { toneColor, useTheme } from './theme/ThemeContext.js';
import { useTerminalSize } from './widgets/TerminalSize.js';
import { VirtualTable } from './widgets/VirtualTable.js';
import { connectionState } from './widgets/connectionState.js';
import { FleetHeader } from './widgets/FleetHeader.js';
import { alertBadge } from './widgets/alertBadge.js';
import { sanitize } from '../platform/text/sanitize.js';

// The console's single screen: header, breadcrumb, the current view, status line.
// Root height is rows - 1: at full height Ink clears the whole terminal on every frame.

const CHROME_ROWS = 3; // header, breadcrumb, status line

/**
 * Re-renders when any cluster's rows or alerts change (a fleet view merges them all; the header
 * counts alerts). Each store already tells at most once per tick; over a fleet the ticks of every
 * cluster are joined into one, so N clusters churning cost one frame per tick, not N.
 */
function useContextsVersion(runtime: ConsoleRuntime): number {
  const subscribe = useCallback((listener: () => void) => {
    // Alerts change at most once a poll: straight to the listener.
    const offs: Array<() => unknown> = runtime.contexts.map((c) => c.alerts.subscribe(listener));
    if (runtime.contexts.length === 1) {
      offs.push(runtime.contexts[0].store.subscribe(listener));
      return () => offs.forEach((off) => off());
    }
    const together = new CoalescingNotifier(STORE_TICK_MS);
    together.subscribe(listener);
    offs.push(...runtime.contexts.map((c) => c.store.subscribe(() => together.changed())));
    return () => {
      offs.forEach((off) => off());
      together.dispose();
    };
    // A new list of contexts (`:ctx`) is a new subscription.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runtime, runtime.contexts]);
  return useSyncExternalStore(subscribe, () => runtime.contexts.reduce((n, c) => n + c.store.getSnapshot().version + c.alerts.getSnapshot().version, 0));
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function breadcrumb(view: ViewState, fleet: boolean): string {
  // A view of the whole context or fleet (`:alerts`) is not below a system.
  if (isListView(view.kind) && listViews[view.kind].topLevel) return [view.context && `[${view.context}]`, listViews[view.kind].title].filter(Boolean).join(` ${glyphs.crumb} `);
  // Over the fleet: its merged lists, and what they open without picking a cluster (logs of an
  // application in every cluster); a view in one cluster names it and is under its Systems.
  const overFleet = view.kind.startsWith('fleet-') || (fleet && !view.context);
  const parts = [overFleet ? 'Fleet' : 'Systems'];
  if (view.context) parts.unshift(`[${view.context}]`);
  if (view.namespace) parts.push(view.namespace);
  if (view.kind === 'apps' || view.kind === 'fleet-apps' || view.app) parts.push('Applications');
  if (view.app) parts.push(view.app.name);
  if (view.kind === 'pods' || view.kind === 'fleet-pods' || view.kind === 'pod') parts.push('Pods');
  if (view.kind === 'replicasets') parts.push(listViews.replicasets.title);
  if (view.kind === 'resources' && view.resource) parts.push(kindTitle(view.resource));
  if (view.node) parts.splice(parts.indexOf('Systems') + 1, parts.length, 'Nodes', view.node, 'Pods');
  if (view.kind === 'nodes') parts.push(listViews.nodes.title);
  if (view.kind === 'events') parts.push(involvedTitle(view) ? `Events of ${involvedTitle(view)}` : listViews.events.title);
  const pane = paneFor(view.kind);
  if (pane) parts.push(pane.title(view));
  return parts.filter(Boolean).join(` ${glyphs.crumb} `);
}

export function App({ runtime, keys: given }: { runtime: ConsoleRuntime; keys?: KeyStack }) {
  const theme = useTheme();
  const { columns, rows } = useTerminalSize();
  const nav = useSyncExternalStore(runtime.nav.subscribe, runtime.nav.getSnapshot);
  // The key stack built at start-up (keymap, plugins, aliases checked), or a default one.
  const own = useMemo(() => (given ? undefined : new KeyStack(runtime)), [given, runtime]);
  useEffect(() => () => own?.dispose(), [own]);
  const keys = given ?? own!;
  useContextsVersion(runtime);
  const now = useNow(1000);
  const view = nav.stack[nav.stack.length - 1];
  const model = keys.model(view);
  const overlay = useOverlay(runtime);
  const filterProblem = useFilterProblem(runtime, view, model);
  const marks = runtime.ctx.marks;
  useSyncExternalStore(marks.subscribe, marks.getSnapshot);
  const height = Math.max(3, rows - 1);
  const bodyHeight = Math.max(1, height - CHROME_ROWS);
  const tableRows = Math.max(1, bodyHeight - 1 - (model?.problem ? 1 : 0));
  // Page keys move by what was last drawn.
  keys.layout.listRows = tableRows;
  keys.layout.bodyRows = bodyHeight;

  const pane = paneFor(view.kind);

  const cursor = model ? clampCursor(model, view) : 0;
  const top = model ? clampTop(view.top, cursor, tableRows, model.rows.length) : view.top;
  useSparklines(runtime, model, top, tableRows);
  useKeyPresses(useCallback((key) => keys.press(key), [keys]));

  const conn = connectionState(runtime.ctx.store.statuses(), now, { context: runtime.ctx.session.contextName, server: runtime.ctx.session.server, answered: runtime.ctx.store.answered() });
  const ctxInfo = ` warroom  ${runtime.ctx.session.contextName}  ${runtime.ctx.session.server}  user:${runtime.ctx.session.user || '-'} `;
  const connText = ` ${conn.text} `;
  const ro = runtime.readOnly ? ' READ-ONLY ' : '';
  const badge = alertBadge(runtime.ctx.alerts);
  const badgeText = badge ? ` ${badge.text} ` : '';

  return (
    <Box flexDirection="column" width={columns} height={height}>
      {runtime.fleet ? <FleetHeader runtime={runtime} width={columns} now={now} /> : <Box width={columns}>
        <Text wrap="truncate" color={theme.header.fg} backgroundColor={theme.header.bg} inverse={theme.monochrome || theme.header.inverse}>
          {fit(ctxInfo, Math.max(0, columns - connText.length - ro.length - badgeText.length))}
        </Text>
        {ro ? (
          <Text bold color={theme.readonly.fg} backgroundColor={theme.readonly.bg} inverse={theme.monochrome || theme.readonly.inverse}>
            {ro}
          </Text>
        ) : null}
        {badge ? (
          <Text bold={badge.level === 'error'} color={toneColor(theme, badge.level)}>
            {badgeText}
          </Text>
        ) : null}
        <Text color={conn.level === 'ok' ? toneColor(theme, 'ok') : conn.level === 'warn' ? toneColor(theme, 'warn') : toneColor(theme, 'error')} bold>
          {connText}
        </Text>
      </Box>}
      <Box width={columns}>
        <Text wrap="truncate" color={toneColor(theme, 'breadcrumb')} bold>
          {fit(crumbLine(` ${breadcrumb(view, !!runtime.fleet)}${overlay ? ` ${glyphs.crumb} ${overlay.title(runtime)}` : ''}${model ? `  ${model.state.count}` : ''}`, view.filter, filterProblem, columns), columns)}
        </Text>
      </Box>
      <Box flexDirection="column" width={columns} height={bodyHeight}>
        {nav.mode === 'help' ? (
          <HelpPage keys={keys} view={view} top={nav.helpTop} width={columns} height={bodyHeight} />
        ) : overlay ? (
          overlay.render({ runtime, view, width: columns, height: bodyHeight, now })
        ) : model ? (
          <>
            {model.problem ? (
              <Text wrap="truncate" color={toneColor(theme, 'error')}>
                {fit(` ${glyphs.warn} ${sanitize(model.problem)}`, columns)}
              </Text>
            ) : null}
            <ListTable model={model} cursor={cursor} top={top} height={model.state.message ? 0 : tableRows} width={columns} now={now} view={view} marked={marks.marked(markScope(view))} />
            {model.state.message ? (
              <Box paddingLeft={3} width={columns}>
                <Text wrap="wrap" color={toneColor(theme, model.state.kind === 'loading' || model.state.kind === 'empty' || model.state.kind === 'filtered' ? 'dim' : 'warn')}>
                  {model.state.message}
                  {model.state.reason && !model.problem ? ` ${glyphs.dash} the server says: ${model.state.reason}` : ''}
                </Text>
              </Box>
            ) : null}
          </>
        ) : pane ? (
          pane.render({ runtime, view, width: columns, height: bodyHeight, now })
        ) : null}
      </Box>
      <StatusLine runtime={runtime} keys={keys} width={columns} model={model} now={now} />
    </Box>
  );
}

/** The table of a list view (generic over its row type). */
function ListTable({ model, cursor, top, height, width, now, view, marked }: { model: AnyListModel; cursor: number; top: number; height: number; width: number; now: number; view: ViewState; marked: ReadonlySet<string> }) {
  const { def, rows, changedAt } = model;
  return <VirtualTable def={def} rows={rows} cursor={cursor} top={top} height={height} width={width} now={now} sort={view.sort} changedAt={changedAt} marked={marked} revision={model} />;
}

function HelpPage({ keys, view, top, width, height }: { keys: KeyStack; view: ViewState; top: number; width: number; height: number }) {
  const theme = useTheme();
  const lines = helpPageLines({
    keymap: keys.keymap,
    scopes: keys.viewScopes(view),
    drillHelp: isListView(view.kind) ? listViews[view.kind].drillHelp : undefined,
    commands: COMMANDS.split(/\s{2,}/),
    width,
  });
  const room = Math.max(1, height - 2);
  const first = Math.min(top, Math.max(0, lines.length - room));
  const more = lines.length > room;
  const title = isListView(view.kind) ? `${view.kind} view` : view.kind === 'pod' ? 'pod detail' : `${view.kind} view`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={toneColor(theme, 'title')}>{fit(` Keys ${glyphs.dash} ${title}`, width)}</Text>
      {lines.slice(first, first + room).map((line, i) => (
        <Text key={i} wrap="truncate">
          {fit(line, width)}
        </Text>
      ))}
      {more ? (
        <Text color={toneColor(theme, 'dim')} wrap="truncate">
          {fit(` lines ${first + 1}-${Math.min(lines.length, first + room)} of ${lines.length}: j/k PgUp/PgDn scroll, any other key closes`, width)}
        </Text>
      ) : null}
    </Box>
  );
}

function StatusLine({ runtime, keys, width, model, now }: { runtime: ConsoleRuntime; keys: KeyStack; width: number; model: ListModel | undefined; now: number }) {
  const theme = useTheme();
  const nav = useSyncExternalStore(runtime.nav.subscribe, runtime.nav.getSnapshot);
  if (nav.mode === 'filter' || nav.mode === 'command') {
    const prefix = nav.mode === 'filter' ? '/' : ':';
    // A long line scrolls: the end (where you type) stays in view.
    const room = Math.max(4, width - 2);
    const line = `${prefix}${nav.input}`;
    const shown = line.length > room ? `${glyphs.cut}${line.slice(line.length - room + 1)}` : line;
    // After Tab: what the word could still become, beside the cursor (or that nothing matched).
    const tab = nav.mode === 'command' ? keys.completionFor(nav.input) : undefined;
    const candidates = tab?.candidates;
    const after = !candidates || candidates.length === 1 ? '' : candidates.length === 0 ? (tab.waiting ? `   (${tab.waiting} still loading${glyphs.ellipsis})` : '   (nothing to complete)') : `   ${candidates.join('  ')}`;
    return (
      <Text wrap="truncate">
        <Text color={toneColor(theme, 'prompt')}>{`${shown}${glyphs.caret}`}</Text>
        <Text color={toneColor(theme, 'dim')}>{fit(after, Math.max(0, width - shown.length - 1))}</Text>
      </Text>
    );
  }
  if (model?.filterError) {
    return <Text wrap="truncate" color={toneColor(theme, 'error')}>{fit(` ${model.filterError}`, width)}</Text>;
  }
  if (nav.message && now - nav.message.at < 10_000) {
    const tone = nav.message.level === 'error' ? 'error' : nav.message.level === 'warn' ? 'warn' : 'accent';
    return <Text wrap="truncate" color={toneColor(theme, tone)}>{fit(` ${nav.message.text}`, width)}</Text>;
  }
  const view = nav.stack[nav.stack.length - 1];
  const overlay = keys.overlay();
  const hints = overlay ? overlay.hints(runtime) : nav.mode === 'help' ? `${keys.keymap.hints([helpScope])}  any other key closes` : keys.keymap.hintGroups(keys.viewScopes(view));
  return (
    <Text wrap="truncate" color={toneColor(theme, 'dim')} dimColor={theme.monochrome}>
      {hintLine(hints, formatClock(now), width)}
    </Text>
  );
}
