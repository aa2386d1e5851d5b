import { useSyncExternalStore } from 'react';
import { DialogLines } from './DialogLines.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';
import { runConfirmLines } from './runConfirmLines.js';

// The `:run` preview over the current view: Enter (after the typed word on many pods) starts the run.

function RunConfirmBody({ runtime, width, height }: PaneProps) {
  const c = runtime.ctx.runs.confirmation;
  const state = useSyncExternalStore(c.subscribe, c.getSnapshot);
  if (!state) return null;
  return <DialogLines lines={runConfirmLines(state, width)} height={height} />;
}

export const runConfirmOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.ctx.runs.confirmation.subscribe(l),
  isOpen: (runtime) => runtime.ctx.runs.confirmation.isOpen,
  title: () => 'Run?',
  render: (props) => <RunConfirmBody {...props} />,
  hints: (runtime) => {
    const s = runtime.ctx.runs.confirmation.getSnapshot();
    return s?.confirmWord ? `type ${s.confirmWord}, <enter> run  <esc> cancel` : '<enter> run  <esc> cancel';
  },
  helpTitle: 'Run confirmation',
  keys: [
    { action: 'dialog.cancel', keys: ['escape'], help: 'cancel: nothing runs', run: ({ runtime }) => runtime.ctx.runs.confirmation.escape() },
    { action: 'dialog.confirm', keys: ['enter'], help: 'run it', run: ({ runtime }) => runtime.ctx.runs.confirmation.enter() },
    { action: 'dialog.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => runtime.ctx.runs.confirmation.backspace() },
  ],
  type: (runtime, text) => runtime.ctx.runs.confirmation.type(text),
};
