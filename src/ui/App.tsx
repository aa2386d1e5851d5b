import { Box, Text, useInput, type Key } from 'ink';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { describeError } from '../platform/errors.js';
import type { ConsoleRuntime } from '../platform/consoleRuntime.js';
import type { ViewState } from '../platform/stores/navStore.js';
import { fit, formatClock } from './format.js';
import { runCommand } from './keys/commands.js';
import { helpLines } from './keys/help.js';
import { paneFor, rowActionsFor } from './views/panes.js';
import './views/registerPanes.js';
import './views/registerScale.js';
import { openOverlay, useOverlay } from './views/overlays.js';
import { markScope } from '../platform/stores/markStore.js';
import { useListModel, type ListModel } from './views/useListModel.js';
import { useSparklines } from './views/useSparklines.js';
import { crumbLine, useFilterProblem } from './views/filterCrumb.js';
import { toneColor, useTheme } from './theme/ThemeContext.js';
import { useTerminalSize } from './widgets/TerminalSize.js';
import { VirtualTable } from './widgets/VirtualTable.js';
import { connectionState } from './widgets/connectionState.js';
import type { AppRow, SystemRow } from './views/tableDefs.js';
import type { PodRow } from '../platform/kube/rows.js';

// The console's single screen: header, breadcrumb, the current view, status line.
// Root height is rows - 1: at full height Ink clears the whole terminal on every frame.

const CHROME_ROWS = 3; // header, breadcrumb, status line

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs]);
  return now;
}

function breadcrumb(view: ViewState): string {
  const parts = ['Systems'];
  if (view.namespace) parts.push(view.namespace);
  if (view.kind === 'apps' || view.app) parts.push('Applications');
  if (view.app) parts.push(view.app.name);
  if (view.kind === 'pods' || view.kind === 'pod') parts.push('Pods');
  if (view.kind === 'replicasets') parts.push('ReplicaSets');
  const pane = paneFor(view.kind);
  if (pane) parts.push(pane.title(view));
  return parts.filter(Boolean).join(' › ');
}

export function App({ runtime }: { runtime: ConsoleRuntime }) {
  const theme = useTheme();
  const { columns, rows } = useTerminalSize();
  const nav = useSyncExternalStore(runtime.nav.subscribe, runtime.nav.getSnapshot);
  const now = useNow(1000);
  const view = nav.stack[nav.stack.length - 1];
  const model = useListModel(runtime, view, now);
  const overlay = useOverlay(runtime);
  const filterProblem = useFilterProblem(runtime, view, model);
  const marks = runtime.ctx.marks;
  useSyncExternalStore(marks.subscribe, marks.getSnapshot);
  const height = Math.max(3, rows - 1);
  const bodyHeight = Math.max(1, height - CHROME_ROWS);
  const tableRows = bodyHeight - 1 - (model?.problem ? 1 : 0);

  const pane = paneFor(view.kind);

  const cursor = model ? clampCursor(model, view) : 0;
  const top = model ? clampTop(view.top, cursor, tableRows, model.rows.length) : view.top;
  useSparklines(runtime, view, model?.rows.slice(top, top + tableRows));

  // Characters of a fast-typed run that arrived after a key changed the view: they are
  // handled after the next render, against the new view's rows (not the old view's).
  const pending = useRef('');
  const [, rerender] = useState(0);
  const keyContext: KeyContext = {
    model,
    cursor,
    top,
    pageRows: pane ? bodyHeight : tableRows,
    viewKey: viewKey(view),
    defer: (rest) => {
      pending.current += rest;
      rerender((n) => n + 1);
    },
  };
  const safeHandleKey = (input: string, key: Key) => {
    try {
      handleKey(runtime, input, key, keyContext);
    } catch (err) {
      // A key must never take the console down in a war room: say what failed instead.
      runtime.nav.say(`that key failed: ${describeError(err)}`, 'error');
    }
  };
  useEffect(() => {
    if (!pending.current) return;
    const rest = pending.current;
    pending.current = '';
    safeHandleKey(rest, plainKey(rest));
  });
  useInput(safeHandleKey);

  const conn = connectionState(runtime.ctx.store.statuses(), now, { context: runtime.ctx.session.contextName, server: runtime.ctx.session.server, answered: runtime.ctx.store.answered() });
  const ctxInfo = ` warroom  ${runtime.ctx.session.contextName}  ${runtime.ctx.session.server}  user:${runtime.ctx.session.user || '-'} `;
  const connText = ` ${conn.text} `;
  const ro = runtime.readOnly ? ' READ-ONLY ' : '';

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Box width={columns}>
        <Text wrap="truncate" color={theme.header.fg} backgroundColor={theme.header.bg} inverse={theme.monochrome}>
          {fit(ctxInfo, Math.max(0, columns - connText.length - ro.length))}
        </Text>
        {ro ? (
          <Text bold color={theme.readonly.fg} backgroundColor={theme.readonly.bg} inverse={theme.monochrome}>
            {ro}
          </Text>
        ) : null}
        <Text color={conn.level === 'ok' ? toneColor(theme, 'ok') : conn.level === 'warn' ? toneColor(theme, 'warn') : toneColor(theme, 'error')} bold>
          {connText}
        </Text>
      </Box>
      <Box width={columns}>
        <Text wrap="truncate" color={toneColor(theme, 'breadcrumb')} bold>
          {fit(crumbLine(` ${breadcrumb(view)}${overlay ? ` › ${overlay.title(runtime)}` : ''}${model ? `  (${model.rows.length === model.total ? model.total : `${model.rows.length} of ${model.total}`})` : ''}`, view.filter, filterProblem, columns), columns)}
        </Text>
      </Box>
      <Box flexDirection="column" width={columns} height={bodyHeight}>
        {nav.mode === 'help' ? (
          <HelpPage view={view} model={model} width={columns} height={bodyHeight} />
        ) : overlay ? (
          overlay.render({ runtime, view, width: columns, height: bodyHeight, now })
        ) : model ? (
          <>
            {model.problem ? (
              <Text wrap="truncate" color={toneColor(theme, 'error')}>
                {fit(` ⚠ ${model.problem}`, columns)}
              </Text>
            ) : null}
            <VirtualTable
              def={model.def}
              rows={model.rows}
              cursor={cursor}
              top={top}
              height={tableRows}
              width={columns}
              now={now}
              sort={view.sort}
              changedAt={model.changedAt}
              marked={marks.marked(markScope(view))}
            />
          </>
        ) : pane ? (
          pane.render({ runtime, view, width: columns, height: bodyHeight, now })
        ) : null}
      </Box>
      <StatusLine runtime={runtime} width={columns} model={model} now={now} />
    </Box>
  );
}

function HelpPage({ view, model, width, height }: { view: ViewState; model: ListModel | undefined; width: number; height: number }) {
  const theme = useTheme();
  const lines = helpLines(view.kind, model?.def, paneFor(view.kind)?.help);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={toneColor(theme, 'title')}>{fit(` Keys — ${view.kind === 'pod' ? 'pod detail' : view.kind} view`, width)}</Text>
      {lines.slice(0, height - 1).map(([k, d]) => (
        <Text key={k} wrap="truncate">
          {fit(`   ${k.padEnd(26)} ${d}`, width)}
        </Text>
      ))}
    </Box>
  );
}

function StatusLine({ runtime, width, model, now }: { runtime: ConsoleRuntime; width: number; model: ListModel | undefined; now: number }) {
  const theme = useTheme();
  const nav = useSyncExternalStore(runtime.nav.subscribe, runtime.nav.getSnapshot);
  if (nav.mode === 'filter' || nav.mode === 'command') {
    const prefix = nav.mode === 'filter' ? '/' : ':';
    return (
      <Text wrap="truncate" color={toneColor(theme, 'prompt')}>
        {fit(`${prefix}${nav.input}█`, width)}
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
  const overlay = openOverlay(runtime);
  const hints = (overlay ? overlay.hints(runtime) : undefined) ?? paneFor(view.kind)?.hints ?? '<enter> open  <esc> back  / filter  : command  ? help  q quit';
  return (
    <Text wrap="truncate" color={toneColor(theme, 'dim')} dimColor={theme.monochrome}>
      {fit(` ${hints}   ${formatClock(now)}`, width)}
    </Text>
  );
}

function clampCursor(model: ListModel, view: ViewState): number {
  if (!model.rows.length) return 0;
  if (view.selectedKey !== undefined && model.rows[view.cursor] !== undefined && model.def.key(model.rows[view.cursor]) === view.selectedKey) return view.cursor;
  if (view.selectedKey !== undefined) {
    const i = model.rows.findIndex((r) => model.def.key(r) === view.selectedKey);
    if (i >= 0) return i;
  }
  return Math.min(Math.max(0, view.cursor), model.rows.length - 1);
}

function clampTop(top: number, cursor: number, height: number, length: number): number {
  let t = Math.min(top, Math.max(0, length - height));
  if (cursor < t) t = cursor;
  if (cursor >= t + height) t = cursor - height + 1;
  return Math.max(0, t);
}

interface KeyContext {
  model: ListModel | undefined;
  cursor: number;
  top: number;
  pageRows: number;
  /** Hands the rest of a typed run back to be handled after the next render. */
  defer(rest: string): void;
  /** The view the model and cursor were computed for. */
  viewKey: string;
}

function viewKey(v: ViewState): string {
  return `${v.kind}|${v.namespace ?? ''}|${v.app ? `${v.app.kind}/${v.app.name}` : ''}|${v.pod ?? ''}|${v.filter}|${v.sort ? `${v.sort.column}${v.sort.descending ? '-' : '+'}` : ''}`;
}

/** The Key of plain typed characters (a deferred run): nothing but maybe Enter. */
function plainKey(input: string): Key {
  const none = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false };
  return { ...none, return: input === '\r', backspace: input === '\x7f' || input === '\b' } as Key;
}

function handleKey(runtime: ConsoleRuntime, input: string, key: Key, ctx: KeyContext): void {
  const nav = runtime.nav;
  if (key.ctrl && input === 'c') return runtime.quit();
  // Ink delivers a run of quickly typed characters as one string ("jj", "cart\r" over SSH
  // or from automation): handle each character, and a CR inside the run as Enter.
  if (input.length > 1 && !key.ctrl && !key.meta) {
    const chars = [...input];
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i];
      const before = nav.getSnapshot().stack;
      // Inside a run, CR is Enter, DEL/BS are Backspace and other C0 codes are Ctrl+letter
      // (Ctrl-U clears a prompt), as they would be on their own.
      const code = ch.charCodeAt(0);
      const erase = ch === '\x7f' || ch === '\b';
      const ctrlLetter = code >= 1 && code <= 26 && ch !== '\r' && ch !== '\t' && ch !== '\b' ? String.fromCharCode(code + 96) : undefined;
      const asKey = { ...key, return: ch === '\r', escape: false, backspace: erase, ctrl: ctrlLetter !== undefined };
      handleKey(runtime, ch === '\r' || erase ? '' : (ctrlLetter ?? ch), asKey, { ...ctx, ...currentPosition(runtime, ctx) });
      if (nav.getSnapshot().stack.length !== before.length || nav.getSnapshot().stack[0] !== before[0] || nav.current.kind !== before[before.length - 1].kind) {
        if (i + 1 < chars.length) ctx.defer(chars.slice(i + 1).join(''));
        return;
      }
    }
    return;
  }
  const snap = nav.getSnapshot();
  // A dialog over the view (scale) takes every key while it is open.
  const overlay = openOverlay(runtime);
  if (overlay) return overlay.onKey(runtime, input, key);

  if (snap.mode === 'filter' || snap.mode === 'command') {
    if (key.escape) return nav.setMode('normal');
    if (key.return) {
      const text = snap.input;
      nav.setMode('normal');
      if (snap.mode === 'filter') nav.updateCurrent({ filter: text, cursor: 0, top: 0, selectedKey: undefined });
      else runCommand(runtime, text, { selected: ctx.model?.rows[ctx.cursor], listed: ctx.model?.rows });
      return;
    }
    if (key.backspace || key.delete) return nav.setInput(snap.input.slice(0, -1));
    if (key.ctrl && input === 'u') return nav.setInput('');
    if (input && !key.ctrl && !key.meta) {
      const next = snap.input + input.replace(/[\x00-\x1f\x7f]/g, '');
      nav.setInput(next);
      // Text filters apply as you type; a label selector waits for Enter (it is a server request).
      if (snap.mode === 'filter' && !next.trim().startsWith('-l')) nav.updateCurrent({ filter: next, cursor: 0, top: 0, selectedKey: undefined });
    }
    return;
  }

  if (snap.mode === 'help') return nav.setMode('normal');

  const view = nav.current;
  if (input === 'q' && !key.ctrl) return runtime.quit();
  // Keys that arrive in the same tick as a view change (Esc Esc Enter typed fast) must not
  // act on the rows of the view that was left: Enter and letters wait for the next render.
  if (viewKey(view) !== ctx.viewKey && !key.escape) {
    if (key.return || (input.length === 1 && input >= ' ')) ctx.defer(key.return ? '\r' : input);
    return;
  }
  const pane = paneFor(view.kind);
  if (pane?.onKey(runtime, input, key, ctx.pageRows)) return;
  const marks = runtime.ctx.marks;
  if (key.escape) {
    if (marks.marked(markScope(view)).size) return marks.clear(markScope(view));
    if (view.filter) return nav.updateCurrent({ filter: '', cursor: 0, top: 0 });
    nav.back();
    return;
  }
  if (input === '?') return nav.setMode('help');
  if (input === ':') return nav.setMode('command', '');
  if (!ctx.model) return;

  const length = ctx.model.rows.length;
  const move = (to: number) => {
    const next = Math.max(0, Math.min(Math.max(0, length - 1), to));
    const row = ctx.model!.rows[next];
    const top = clampTop(ctx.top, next, ctx.pageRows, length);
    nav.updateCurrent({ cursor: next, top, selectedKey: row !== undefined ? ctx.model!.def.key(row) : undefined });
  };
  const position = ctx.cursor;

  if (key.downArrow || input === 'j') return move(position + 1);
  if (key.upArrow || input === 'k') return move(position - 1);
  if (key.pageDown || (key.ctrl && input === 'f')) return move(position + ctx.pageRows);
  if (key.pageUp || (key.ctrl && input === 'b')) return move(position - ctx.pageRows);
  if (input === 'g' || key.home) return move(0);
  if (input === 'G' || key.end) return move(length);
  if (input === '/') return nav.setMode('filter', view.filter);
  if (key.return) return drillDown(runtime, ctx);
  if (input === ' ' && view.kind === 'apps') {
    const row = ctx.model.rows[ctx.cursor];
    if (row !== undefined) marks.toggle(markScope(view), ctx.model.def.key(row));
    return move(position + 1);
  }
  if (input === 'p' && view.kind === 'systems' && ctx.model) {
    const row = ctx.model.rows[ctx.cursor] as SystemRow | undefined;
    if (row) nav.push({ kind: 'pods', namespace: row.ns.name });
    return;
  }
  const action = rowActionsFor(view.kind).find((a) => a.key === input);
  if (action) {
    const row = ctx.model.rows[ctx.cursor];
    if (row !== undefined) action.run(runtime, view, row, ctx.model.rows);
    return;
  }
  if (/^[A-Z]$/.test(input)) {
    const col = ctx.model.def.columns.find((c) => c.sortKey === input);
    if (!col) return nav.say(`no column sorts with Shift-${input} here; ? lists the sort keys`, 'warn');
    const descending = view.sort?.column === col.id ? !view.sort.descending : false;
    nav.updateCurrent({ sort: { column: col.id, descending } });
    nav.say(`sorted by ${col.title.toLowerCase()}${descending ? ' (descending)' : ''}`);
  }
}

/** After one character of a batch moved the cursor, the next one starts from there. */
function currentPosition(runtime: ConsoleRuntime, ctx: KeyContext): Pick<KeyContext, 'cursor' | 'top'> {
  const v = runtime.nav.current;
  if (!ctx.model) return { cursor: 0, top: v.top };
  return { cursor: Math.min(v.cursor, Math.max(0, ctx.model.rows.length - 1)), top: v.top };
}

function drillDown(runtime: ConsoleRuntime, ctx: KeyContext): void {
  const nav = runtime.nav;
  const view = nav.current;
  const row = ctx.model?.rows[ctx.cursor];
  if (!row) return;
  if (view.kind === 'systems') nav.push({ kind: 'apps', namespace: (row as SystemRow).ns.name });
  else if (view.kind === 'apps') {
    const w = (row as AppRow).w;
    nav.push({ kind: 'pods', namespace: w.namespace, app: { kind: w.kind, name: w.name } });
  } else if (view.kind === 'pods') {
    const p = row as PodRow;
    nav.push({ kind: 'pod', namespace: p.namespace, pod: p.name, app: view.app });
  }
}
