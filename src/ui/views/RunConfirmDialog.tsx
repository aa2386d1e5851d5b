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
  onKey(runtime, input, key) {
    const c = runtime.ctx.runs.confirmation;
    if (key.escape) return c.escape();
    if (key.return) return c.enter();
    if (key.backspace || key.delete) return c.backspace();
    if (key.ctrl || key.meta || !input) return;
    c.type(input.replace(/[\x00-\x1f\x7f]/g, ''));
  },
};
