import { useSyncExternalStore } from 'react';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';
import type { ScaleDialogStore } from '../../platform/stores/scaleDialogStore.js';
import { DialogLines } from './DialogLines.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';
import { scaleDialogLines } from './scaleDialogLines.js';

// The scale / restart dialog: draws the dialog store's state, turns keys into its calls. The
// store is the current context's, or the console's fleet store while a scale over the fleet is open.

function dialogOf(runtime: ConsoleRuntime): ScaleDialogStore {
  return runtime.fleetScale.isOpen ? runtime.fleetScale : runtime.ctx.scale;
}

function ScaleDialogBody({ runtime, width, height, now }: PaneProps) {
  const d = dialogOf(runtime);
  const state = useSyncExternalStore(d.subscribe, d.getSnapshot);
  if (!state) return null;
  return <DialogLines lines={scaleDialogLines(state, width, now, height)} height={height} />;
}

/** `+` / `-` on one application's count is a step (the help says so); elsewhere they are typed. */
function step(runtime: ConsoleRuntime, by: 1 | -1): boolean | void {
  const d = dialogOf(runtime);
  const s = d.getSnapshot();
  if (!s || s.phase !== 'edit' || s.targets.length !== 1 || s.kind !== 'scale' || !(s.inputFresh || /^\d+$/.test(s.input))) return false;
  d.step(by);
}

export const scaleOverlay: Overlay = {
  subscribe: (runtime, l) => {
    const offs = [runtime.ctx.scale.subscribe(l), runtime.fleetScale.subscribe(l)];
    return () => offs.forEach((off) => off());
  },
  isOpen: (runtime) => runtime.fleetScale.isOpen || runtime.ctx.scale.isOpen,
  title: (runtime) => (dialogOf(runtime).getSnapshot()?.kind === 'restart' ? 'Restart' : 'Scale'),
  render: (props) => <ScaleDialogBody {...props} />,
  hints: (runtime) => {
    const s = dialogOf(runtime).getSnapshot();
    if (!s) return '';
    switch (s.phase) {
      case 'edit':
        return '<enter> preview  <esc> cancel  +/- step';
      case 'preview':
        return s.confirmWord ? `type ${s.confirmWord}, <enter> apply  <esc> back` : '<enter> apply  <esc> back';
      case 'previewing':
      case 'applying':
        return '<esc> cancel what is not sent';
      case 'watching':
        return '<esc> stop watching  u undo';
      default:
        return '<enter>/<esc> close  u undo';
    }
  },
  helpTitle: 'Scale dialog',
  keys: [
    { action: 'dialog.cancel', keys: ['escape'], help: 'cancel (back one step)', run: ({ runtime }) => dialogOf(runtime).escape() },
    { action: 'dialog.confirm', keys: ['enter'], help: 'preview, then apply', run: ({ runtime }) => dialogOf(runtime).enter() },
    { action: 'dialog.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => dialogOf(runtime).backspace() },
    { action: 'scale.step-up', keys: ['+'], help: 'one more replica (a step; a number replaces)', run: ({ runtime }) => step(runtime, 1) },
    { action: 'scale.step-down', keys: ['-'], help: 'one replica fewer', run: ({ runtime }) => step(runtime, -1) },
    { action: 'scale.hpa', keys: ['h'], help: "change the HPA's limits instead (when an HPA owns the replicas)", run: ({ runtime }) => {
      const s = dialogOf(runtime).getSnapshot();
      if (s?.phase !== 'preview' || s.confirmWord) return false;
      void dialogOf(runtime).offerHpa();
    } },
    { action: 'scale.undo', keys: ['u'], help: 'undo this scale', run: ({ runtime }) => {
      const d = dialogOf(runtime);
      const s = d.getSnapshot();
      if (s?.phase !== 'done' && s?.phase !== 'watching') return false;
      d.close();
      d.undoLast();
    } },
  ],
  type(runtime, text) {
    const d = dialogOf(runtime);
    const s = d.getSnapshot();
    if (!s) return;
    // q outside a text field is not text: the dialog ignores it rather than typing it.
    if (text === 'q' && s.phase !== 'edit' && !(s.phase === 'preview' && s.confirmWord)) return;
    d.type(text);
  },
};
