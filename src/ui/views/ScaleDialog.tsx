import { useSyncExternalStore } from 'react';
import { DialogLines } from './DialogLines.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';
import { scaleDialogLines } from './scaleDialogLines.js';

// The scale / restart dialog: draws the dialog store's state, turns keys into its calls.

function ScaleDialogBody({ runtime, width, height, now }: PaneProps) {
  const d = runtime.ctx.scale;
  const state = useSyncExternalStore(d.subscribe, d.getSnapshot);
  if (!state) return null;
  return <DialogLines lines={scaleDialogLines(state, width, now)} height={height} />;
}

export const scaleOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.ctx.scale.subscribe(l),
  isOpen: (runtime) => runtime.ctx.scale.isOpen,
  title: (runtime) => (runtime.ctx.scale.getSnapshot()?.kind === 'restart' ? 'Restart' : 'Scale'),
  render: (props) => <ScaleDialogBody {...props} />,
  hints: (runtime) => {
    const s = runtime.ctx.scale.getSnapshot();
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
  onKey(runtime, input, key) {
    const d = runtime.ctx.scale;
    const s = d.getSnapshot();
    if (!s) return;
    if (key.escape) return d.escape();
    if (key.return) return d.enter();
    if (key.backspace || key.delete) return d.backspace();
    if (key.ctrl || key.meta || !input) return;
    const single = s.targets.length === 1 && s.kind === 'scale';
    if (s.phase === 'edit' && single && (input === '+' || input === '-') && (s.inputFresh || /^\d+$/.test(s.input))) return d.step(input === '+' ? 1 : -1);
    if (s.phase === 'preview' && !s.confirmWord && input === 'h') return void d.offerHpa();
    if ((s.phase === 'done' || s.phase === 'watching') && input === 'u') {
      d.close();
      return d.undoLast();
    }
    if (input === 'q' && s.phase !== 'edit' && !(s.phase === 'preview' && s.confirmWord)) return;
    d.type(input.replace(/[\x00-\x1f\x7f]/g, ''));
  },
};
