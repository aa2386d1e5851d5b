import { useSyncExternalStore } from 'react';
import { DialogLines } from './DialogLines.js';
import { editDialogLines } from './editDialogLines.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';

// `e` after the editor: the server's dry-run of the edit as a diff over the current view.

function EditBody({ runtime, width, height }: PaneProps) {
  const e = runtime.edits;
  const state = useSyncExternalStore(e.subscribe, e.getSnapshot);
  if (!state) return null;
  return <DialogLines lines={editDialogLines(state, width, height)} height={height} />;
}

export const editOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.edits.subscribe(l),
  isOpen: (runtime) => runtime.edits.isOpen,
  title: () => 'Edit?',
  render: (props) => <EditBody {...props} />,
  hints: (runtime) => (runtime.edits.getSnapshot()?.phase === 'confirm' ? '<enter> apply  <e> edit again  <esc> cancel' : '<e> edit again  <esc> cancel'),
  helpTitle: 'Edit preview',
  keys: [
    { action: 'edit.cancel', keys: ['escape'], help: 'cancel: nothing is sent', run: ({ runtime }) => void runtime.edits.close() },
    { action: 'edit.apply', keys: ['enter'], help: 'apply the edit (with the resourceVersion you edited: a change made meanwhile is a conflict)', run: ({ runtime }) => runtime.edits.enter() },
    { action: 'edit.again', keys: ['e'], help: 'back to the editor (after a conflict: the object as it is now)', run: ({ runtime }) => void runtime.edits.reedit() },
    { action: 'edit.down', keys: ['j', 'down'], help: 'scroll the diff', run: ({ runtime }) => runtime.edits.scrollBy(1) },
    { action: 'edit.up', keys: ['k', 'up'], help: 'scroll the diff back', run: ({ runtime }) => runtime.edits.scrollBy(-1) },
  ],
  type: () => undefined,
};
