import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import type { HistorySnapshot } from '../../platform/stores/rolloutHistoryStore.js';
import { sanitize } from '../../platform/text/sanitize.js';
import { fit, formatAge } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Tone } from './tableModel.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';
import { glyphs } from '../../terminal/glyphs.js';

// `H` on an application: its revisions (Deployment ReplicaSets / StatefulSet ControllerRevisions),
// a diff between any two (Space marks one, Enter diffs the selected against it, else against the
// running one) and `R` a rollback to the selected revision: the server's dry-run diff of the
// template, Enter to apply, then the rollout's progress as `kubectl rollout status` reads it.

export interface HistoryLine {
  text: string;
  tone?: Tone | 'accent';
  bold?: boolean;
  inverse?: boolean;
}

const diffTone = (l: string): HistoryLine['tone'] => (l.startsWith('+') ? 'ok' : l.startsWith('-') ? 'error' : l === '@@' ? 'dim' : undefined);

/** The selected revision in full (at 80 columns its change-cause does not fit on its row). */
function selectedDetail(s: HistorySnapshot, now: number): HistoryLine[] {
  const r = s.revisions[s.cursor];
  if (!r) return [];
  return [
    { text: `revision ${r.revision}: ${s.ref.kind === 'Deployment' ? 'ReplicaSet' : 'ControllerRevision'} ${r.name}, created ${formatAge(r.created, now)} ago`, tone: 'accent' },
    { text: `  change-cause: ${r.changeCause || '(none)'}` },
  ];
}

function revisionLines(s: HistorySnapshot, now: number, width: number): HistoryLine[] {
  if (s.state === 'loading') return [{ text: `loading revisions${glyphs.ellipsis}`, tone: 'dim' }];
  if (s.state === 'error') return [{ text: `cannot list the revisions: ${sanitize(s.error ?? '')}`, tone: 'error' }];
  if (s.revisions.length === 0) return [{ text: `no revisions of ${s.ref.kind} ${s.ref.namespace}/${s.ref.name}`, tone: 'dim' }];
  const sts = s.ref.kind === 'StatefulSet';
  const head = `  ${fit('REV', 5, 'right')}  ${fit('AGE', 6, 'right')}  ${fit(sts ? '' : 'PODS', 7, 'right')}  IMAGES ${glyphs.sep} CHANGE-CAUSE`;
  return [
    { text: head, bold: true },
    ...s.revisions.map((r, i): HistoryLine => {
      const mark = r.current ? glyphs.live : s.mark === r.revision ? '*' : ' ';
      const pods = r.replicas === undefined ? '' : `${r.ready ?? 0}/${r.replicas}`;
      const rest = `${r.images.join(', ')}${r.changeCause ? ` ${glyphs.sep} ${r.changeCause}` : ''}`;
      return { text: fit(`${mark} ${fit(String(r.revision), 5, 'right')}  ${fit(formatAge(r.created, now), 6, 'right')}  ${fit(pods, 7, 'right')}  ${rest}`, width), inverse: i === s.cursor, tone: r.current ? 'ok' : undefined };
    }),
    { text: '' },
    ...selectedDetail(s, now),
    { text: `${glyphs.live} running  * marked for diff`, tone: 'dim' },
  ];
}

function rollbackLines(s: HistorySnapshot, recent: string | undefined): HistoryLine[] {
  const r = s.rollback!;
  const p = r.preview;
  const to = p?.to ?? s.revisions[s.cursor];
  const out: HistoryLine[] = [{ text: `Roll back ${s.ref.kind} ${s.ref.namespace}/${s.ref.name}${p?.from !== undefined ? ` from revision ${p.from}` : ''} to revision ${to?.revision ?? '?'}`, bold: true, tone: 'accent' }];
  if (recent) out.push({ text: `${glyphs.warn} ${recent}`, tone: 'warn' });
  if (r.phase === 'previewing') return [...out, { text: `checking permission and sending the dry-run (dryRun=All)${glyphs.ellipsis}`, tone: 'dim' }];
  if (p && !p.ok) return [...out, { text: `${glyphs.cross} ${sanitize(p.reason ?? '')}`, tone: 'error' }, { text: 'Esc back', tone: 'dim' }];
  if (r.error) return [...out, { text: `${glyphs.cross} rollback failed: ${sanitize(r.error)}`, tone: 'error' }, { text: 'Esc back', tone: 'dim' }];
  const status = r.status && sanitize(r.status.message);
  const next =
    r.phase === 'preview' ? { text: 'Enter rolls back (audited), Esc cancels', tone: 'accent' as const }
    : r.phase === 'applying' ? { text: `sending the rollback${glyphs.ellipsis}`, tone: 'dim' as const }
    : r.phase === 'watching' ? { text: `rolling out: ${status ?? `waiting for the controller${glyphs.ellipsis}`} (Esc stops watching; the rollout goes on)`, tone: 'warn' as const }
    : r.status?.done ? { text: `${glyphs.check} ${status}`, tone: 'ok' as const }
    : r.stalled ? { text: `${glyphs.cross} stalled: ${status ?? 'no progress'} (the change stays applied; look at the pods)`, tone: 'error' as const }
    : { text: `${glyphs.cross} ${status ?? 'the rollout did not finish'}`, tone: 'error' as const };
  return [...out, { text: `dry-run accepted ${glyphs.sep} images ${to?.images.join(', ')}`, tone: 'dim' }, next, { text: 'template now -> after the rollback (the server\'s dry-run answer):', tone: 'dim' }, ...(p?.diff ?? []).map((l) => ({ text: l, tone: diffTone(l) }))];
}

/** The fixed lines at the top (the rest scrolls), and the scrolling body. */
export function historyLines(s: HistorySnapshot, now: number, width: number, recent?: string): { head: HistoryLine[]; body: HistoryLine[] } {
  if (s.mode === 'diff' && s.diff) return { head: [{ text: s.diff.title, bold: true, tone: 'accent' }], body: s.diff.lines.map((l) => ({ text: l, tone: diffTone(l) })) };
  if (s.mode === 'rollback' && s.rollback) {
    const all = rollbackLines(s, recent);
    const fixed = all.findIndex((l) => l.text.startsWith('template now'));
    return fixed < 0 ? { head: all, body: [] } : { head: all.slice(0, fixed + 1), body: all.slice(fixed + 1) };
  }
  return { head: [], body: revisionLines(s, now, width) };
}

function HistoryBody({ runtime, width, height, now }: PaneProps) {
  const theme = useTheme();
  const store = runtime.ctx.history;
  const s = useSyncExternalStore(store.subscribe, store.getSnapshot);
  if (!s) return <Text>{`loading${glyphs.ellipsis}`}</Text>;
  const { head, body } = historyLines(s, now, width, s.mode === 'rollback' ? store.recentChange() : undefined);
  const room = Math.max(1, height - head.length);
  // The list keeps the cursor in view; a diff scrolls by its own offset.
  const top = s.mode === 'list' ? Math.max(0, Math.min(s.cursor + 1 - Math.floor(room / 2), body.length - room)) : Math.max(0, Math.min(s.scroll, body.length - room));
  return (
    <>
      {[...head, ...body.slice(top, top + room)].map((l, i) => (
        <Text key={i} wrap="truncate" bold={l.bold} inverse={l.inverse} color={l.tone ? toneColor(theme, l.tone) : undefined}>
          {fit(l.text, width)}
        </Text>
      ))}
    </>
  );
}

const history = ({ runtime }: PaneKeyContext) => runtime.ctx.history;
const inList = (c: PaneKeyContext) => history(c).getSnapshot()?.mode === 'list';

export const historyPane: Pane = {
  title: () => 'History',
  render: (props) => <HistoryBody {...props} />,
  open: (ctx, view) => {
    if (view.namespace && view.app) ctx.history.open({ kind: view.app.kind, namespace: view.namespace, name: view.app.name });
  },
  close: (ctx) => ctx.history.close(),
  helpTitle: 'Rollout history',
  keys: [
    { action: 'history.down', keys: ['j', 'down'], help: 'next revision / scroll the diff', hint: 'j/k', run: (c) => history(c).move(1) },
    { action: 'history.up', keys: ['k', 'up'], help: 'previous revision / scroll up', run: (c) => history(c).move(-1) },
    { action: 'history.page-down', keys: ['pagedown', 'ctrl+f'], help: 'a page down', run: (c) => history(c).move(c.height - 2) },
    { action: 'history.page-up', keys: ['pageup', 'ctrl+b'], help: 'a page up', run: (c) => history(c).move(2 - c.height) },
    { action: 'history.mark', keys: ['space'], help: 'mark the revision to diff against', hint: 'Space mark', run: (c) => (inList(c) ? history(c).toggleMark() : false) },
    {
      action: 'history.diff',
      keys: ['enter', 'd'],
      help: 'in the list: diff the selected revision against the marked one (else the running one); in a rollback preview: roll back',
      hint: 'Enter diff',
      run: (c) => {
        const s = history(c).getSnapshot();
        if (s?.mode === 'rollback') return void history(c).confirm();
        if (s?.mode === 'list') return history(c).showDiff();
        return false;
      },
    },
    {
      action: 'history.rollback',
      keys: ['R'],
      help: 'roll back to the selected revision (dry-run diff, Enter applies, audited, progress until it completes or stalls)',
      hint: 'R roll back',
      run: (c) => {
        if (!inList(c)) return false;
        void history(c).startRollback().then((refused) => refused && c.runtime.nav.say(refused, 'error'));
      },
    },
    { action: 'history.back', keys: ['escape'], before: 'back', help: 'from a diff or a rollback back to the revisions (else back)', run: (c) => history(c).back() },
  ],
};
