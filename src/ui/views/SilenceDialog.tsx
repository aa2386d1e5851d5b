import { useSyncExternalStore } from 'react';
import type { AlertDetailState, AlertRow } from '../../platform/alerts/alertRows.js';
import type { SilenceDialogStore } from '../../platform/alerts/silenceDialogStore.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import { alertDetailLines } from './alertDetailLines.js';
import { DialogLines } from './DialogLines.js';
import { openAlertTarget, silenceAlert } from './lists/alertsView.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';
import { silenceDialogLines } from './silenceDialogLines.js';
import { glyphs } from '../../terminal/glyphs.js';

// The silence dialogs (`S` on an alert, `x` on a silence) and an alert's details (`i`), over the
// alerts and silences views. Each lives in the context of the alert or silence it is about (a
// fleet has one per cluster); these draw the open one and turn keys into its calls.

function openDialog(runtime: ConsoleRuntime): SilenceDialogStore | undefined {
  return runtime.contexts.find((c) => c.silenceDialog.isOpen)?.silenceDialog;
}

function openDetail(runtime: ConsoleRuntime): AlertDetailState | undefined {
  return runtime.contexts.find((c) => c.alertDetail.isOpen)?.alertDetail;
}

function subscribeAll(runtime: ConsoleRuntime, pick: (c: ConsoleRuntime['contexts'][number]) => { subscribe(l: () => void): () => void }, listener: () => void): () => void {
  const offs = runtime.contexts.map((c) => pick(c).subscribe(listener));
  return () => offs.forEach((off) => off());
}

function SilenceBody({ runtime, width, height, now }: PaneProps) {
  useSyncExternalStore((l) => subscribeAll(runtime, (c) => c.silenceDialog, l), () => openDialog(runtime)?.getSnapshot());
  const state = openDialog(runtime)?.getSnapshot();
  return state ? <DialogLines lines={silenceDialogLines(state, width, now)} height={height} /> : null;
}

function DetailBody({ runtime, width, height, now }: PaneProps) {
  useSyncExternalStore((l) => subscribeAll(runtime, (c) => c.alertDetail, l), () => openDetail(runtime)?.getSnapshot());
  const row = openDetail(runtime)?.getSnapshot();
  return row ? <DialogLines lines={alertDetailLines(row, runtime.contextNamed(row.cluster), width, now, runtime.fleet)} height={height} /> : null;
}

/** Runs `f` on the open silence dialog; false (the key falls through) when none is open. */
function onDialog(runtime: ConsoleRuntime, f: (d: SilenceDialogStore) => boolean | void): boolean | void {
  const d = openDialog(runtime);
  return d ? f(d) : false;
}

export const silenceOverlay: Overlay = {
  subscribe: (runtime, l) => subscribeAll(runtime, (c) => c.silenceDialog, l),
  isOpen: (runtime) => openDialog(runtime) !== undefined,
  title: (runtime) => (openDialog(runtime)?.getSnapshot()?.kind === 'expire' ? 'Expire silence' : 'Silence'),
  render: (props) => <SilenceBody {...props} />,
  hints: (runtime) => {
    const s = openDialog(runtime)?.getSnapshot();
    if (!s) return '';
    if (s.phase === 'edit') return `${glyphs.upDown} field  <space> keep/drop matcher  <enter> preview  <esc> cancel`;
    if (s.phase === 'preview') return s.confirmWord ? `type ${s.confirmWord}, <enter> create  <esc> back` : `<enter> ${s.kind === 'create' ? 'create' : 'expire'}  <esc> ${s.kind === 'create' ? 'back' : 'cancel'}`;
    if (s.phase === 'done') return '<enter>/<esc> close';
    return '<esc> cancel';
  },
  helpTitle: 'Silence dialog',
  keys: [
    { action: 'dialog.cancel', keys: ['escape'], help: 'back one step, else close: nothing is sent before the preview is confirmed', run: ({ runtime }) => onDialog(runtime, (d) => d.escape()) },
    { action: 'dialog.confirm', keys: ['enter'], help: 'preview, then create (or expire)', run: ({ runtime }) => onDialog(runtime, (d) => d.enter()) },
    { action: 'dialog.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => onDialog(runtime, (d) => d.backspace()) },
    { action: 'silence.next-field', keys: ['down', 'tab'], help: 'next field (matchers, duration, comment)', run: ({ runtime }) => onDialog(runtime, (d) => d.moveFocus(1)) },
    { action: 'silence.previous-field', keys: ['up', 'shift+tab'], help: 'previous field', run: ({ runtime }) => onDialog(runtime, (d) => d.moveFocus(-1)) },
    { action: 'silence.toggle-matcher', keys: ['space'], help: 'keep or drop the matcher under the cursor (in a text field: a space)', run: ({ runtime }) => onDialog(runtime, (d) => d.toggleMatcher()) },
  ],
  type: (runtime, text) => openDialog(runtime)?.type(text),
};

/** Closes the alert's details and acts on the alert (its target, a silence); false when none is open. */
function fromDetail(runtime: ConsoleRuntime, act: (runtime: ConsoleRuntime, row: AlertRow) => void): boolean | void {
  const d = openDetail(runtime);
  const row = d?.getSnapshot();
  if (!d || !row) return false;
  d.close();
  act(runtime, row);
}

export const alertDetailOverlay: Overlay = {
  subscribe: (runtime, l) => subscribeAll(runtime, (c) => c.alertDetail, l),
  isOpen: (runtime) => openDetail(runtime) !== undefined,
  title: () => 'Alert',
  render: (props) => <DetailBody {...props} />,
  hints: () => '<enter> open target  S silence  <esc> close',
  helpTitle: 'Alert details',
  keys: [
    { action: 'dialog.cancel', keys: ['escape', 'i', 'q'], help: 'close', run: ({ runtime }) => openDetail(runtime)?.close() },
    { action: 'dialog.confirm', keys: ['enter'], help: 'open the pod, application or system the alert names', run: ({ runtime }) => fromDetail(runtime, openAlertTarget) },
    { action: 'alert.silence', keys: ['S'], help: 'silence the alert', run: ({ runtime }) => fromDetail(runtime, silenceAlert) },
  ],
  type: () => undefined,
};
