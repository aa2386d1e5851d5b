import { useSyncExternalStore } from 'react';
import { DialogLines } from './DialogLines.js';
import { fitDialog, nodeActionLines } from './nodeActionLines.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';

// `c` / `D` on the Nodes view: the cordon or drain preview, its confirmation and its progress.

function NodeActionBody({ runtime, width, height }: PaneProps) {
  const store = runtime.nodeActions;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  if (!state) return null;
  return <DialogLines lines={fitDialog(nodeActionLines(state, width), height, width)} height={height} />;
}

export const nodeActionOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.nodeActions.subscribe(l),
  isOpen: (runtime) => runtime.nodeActions.isOpen,
  title: (runtime) => (runtime.nodeActions.getSnapshot()?.kind === 'drain' ? 'Drain' : 'Cordon'),
  render: (props) => <NodeActionBody {...props} />,
  hints: (runtime) => {
    const s = runtime.nodeActions.getSnapshot();
    if (s?.kind === 'drain' && s.phase === 'running') return '<esc> stop the drain';
    if (s?.phase === 'done') return '<enter>/<esc> close';
    return s?.confirmWord ? `type ${s.confirmWord}, <enter> apply  <esc> cancel` : '<enter> apply  <esc> cancel';
  },
  helpTitle: 'Cordon and drain',
  keys: [
    { action: 'dialog.cancel', keys: ['escape'], help: 'cancel the preview; stop a running drain (the node stays cordoned); close', run: ({ runtime }) => runtime.nodeActions.escape() },
    { action: 'dialog.confirm', keys: ['enter'], help: 'apply (after the typed confirmation)', run: ({ runtime }) => runtime.nodeActions.enter() },
    { action: 'dialog.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => runtime.nodeActions.backspace() },
  ],
  type: (runtime, text) => runtime.nodeActions.type(text),
};
