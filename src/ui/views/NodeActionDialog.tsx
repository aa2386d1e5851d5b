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
    if (s?.kind === 'drain' && s.editing) return '<enter> set  <esc> keep';
    if (s?.kind === 'drain' && (s.phase === 'preview' || s.phase === 'checking')) return '<e> <f> <g> <t> <l> <x> options  <enter> confirm  <esc> cancel';
    if (s?.kind === 'drain') return `type ${s.confirmWord}, <enter> drain  <esc> back`;
    return s?.confirmWord ? `type ${s.confirmWord}, <enter> apply  <esc> cancel` : '<enter> apply  <esc> cancel';
  },
  helpTitle: 'Cordon and drain',
  keys: [
    { action: 'dialog.cancel', keys: ['escape'], help: 'cancel the preview; stop a running drain (the node stays cordoned); close', run: ({ runtime }) => runtime.nodeActions.escape() },
    { action: 'dialog.confirm', keys: ['enter'], help: 'apply (after the typed confirmation)', run: ({ runtime }) => runtime.nodeActions.enter() },
    { action: 'dialog.erase', keys: ['backspace', 'delete'], help: 'erase a character', run: ({ runtime }) => runtime.nodeActions.backspace() },
    { action: 'drain.delete-emptydir-data', keys: ['e'], help: "drain: --delete-emptydir-data on/off (a pod's emptyDir data is lost; without it such a pod blocks the drain)", run: ({ runtime }) => runtime.nodeActions.toggleDrainFlag('deleteEmptyDirData') },
    { action: 'drain.force', keys: ['f'], help: 'drain: --force on/off (a pod no controller manages is deleted for good; without it such a pod blocks the drain)', run: ({ runtime }) => runtime.nodeActions.toggleDrainFlag('force') },
    { action: 'drain.grace-period', keys: ['g'], help: "drain: --grace-period, seconds each pod gets to stop (empty: the pod's own)", run: ({ runtime }) => runtime.nodeActions.editDrainField('gracePeriod') },
    { action: 'drain.timeout', keys: ['t'], help: 'drain: --timeout, when the drain gives up (10m, 90s; 0: never)', run: ({ runtime }) => runtime.nodeActions.editDrainField('timeout') },
    { action: 'drain.pod-selector', keys: ['l'], help: 'drain: --pod-selector, a label selector: only the pods it selects are drained', run: ({ runtime }) => runtime.nodeActions.editDrainField('podSelector') },
    { action: 'drain.disable-eviction', keys: ['x'], help: 'drain: --disable-eviction, delete the pods instead of evicting them, bypassing disruption budgets (turned on by typing delete)', run: ({ runtime }) => runtime.nodeActions.editDrainField('disableEviction') },
  ],
  type: (runtime, text) => runtime.nodeActions.type(text),
};
