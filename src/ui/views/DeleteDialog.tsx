import { useSyncExternalStore } from 'react';
import { DialogLines } from './DialogLines.js';
import { deleteDialogLines } from './deleteDialogLines.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';

// Ctrl-D / Ctrl-K over the current view: what goes, the confirmation, then each object until it is gone.

function DeleteBody({ runtime, width, height }: PaneProps) {
  const d = runtime.deletion;
  const state = useSyncExternalStore(d.subscribe, d.getSnapshot);
  if (!state) return null;
  return <DialogLines lines={deleteDialogLines(state, width, runtime.fleet, height)} height={height} />;
}

export const deleteOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.deletion.subscribe(l),
  isOpen: (runtime) => runtime.deletion.isOpen,
  title: (runtime) => (runtime.deletion.getSnapshot()?.mode === 'kill' ? 'Kill?' : 'Delete?'),
  render: (props) => <DeleteBody {...props} />,
  hints: (runtime) => {
    const s = runtime.deletion.getSnapshot();
    const tab = s?.cascadeOffered && (s.phase === 'confirm' || s.phase === 'previewing') ? '  <tab> cascade' : '';
    if (s?.phase === 'confirm') return `${s.confirmWord ? `type ${s.confirmWord}, <enter> ${s.mode}` : `<y>/<enter> ${s.mode}`}${tab}  <esc> cancel`;
    return `${tab.trim() ? `${tab.trim()}  ` : ''}<esc> close`;
  },
  helpTitle: 'Delete / kill',
  keys: [
    { action: 'delete.cancel', keys: ['escape'], help: 'cancel (while following: stop following; the deletion goes on)', run: ({ runtime }) => runtime.deletion.escape() },
    { action: 'delete.confirm', keys: ['enter'], help: 'delete (after the typed word when one is asked for); when done: close', run: ({ runtime }) => runtime.deletion.enter() },
    { action: 'delete.cascade', keys: ['tab'], help: 'the cascade of an object that owns others: Background (default), Foreground, Orphan (kubectl --cascade); previewed again', run: ({ runtime }) => runtime.deletion.cycleCascade() },
    { action: 'delete.yes', keys: ['y'], help: 'delete one object (no word to type)', run: ({ runtime }) => runtime.deletion.yes() },
    { action: 'delete.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => runtime.deletion.backspace() },
  ],
  type: (runtime, text) => runtime.deletion.type(text),
};
