import { useSyncExternalStore } from 'react';
import type { PortForwardDialogState } from '../../platform/stores/portForwardDialogStore.js';
import { forDisplay } from '../../platform/text/sanitize.js';
import { glyphs } from '../../terminal/glyphs.js';
import { fit } from '../format.js';
import { DialogLines } from './DialogLines.js';
import type { Overlay } from './overlays.js';
import type { PaneProps } from './panes.js';
import type { DialogLine, LineTone } from './scaleDialogLines.js';

// Shift-F: which port of the pod (declared ones to pick, or typed), which local port on
// 127.0.0.1 (typed, or empty for a free one); Enter starts the forward through the gate.

export function portForwardLines(s: PortForwardDialogState, width: number): DialogLine[] {
  const out: DialogLine[] = [];
  const push = (text: string, tone: LineTone = 'normal') => out.push({ text: fit(text, width), tone });
  push(` Port-forward to ${s.pod ? `${s.namespace}/${s.pod}` : s.via ?? s.namespace} in ${s.context}`, 'title');
  if (s.via && s.pod) push(`   via ${s.via}`, 'dim');
  if (s.phase === 'loading') push(`   reading the ports and checking access${glyphs.ellipsis}`, 'dim');
  s.choices.forEach((c, i) => push(`   ${i === s.selected ? glyphs.pointer : ' '} ${fit(String(c.podPort), 5, 'right')}  ${forDisplay(c.label)}`, i === s.selected ? 'accent' : 'normal'));
  if (s.phase !== 'loading') {
    push('');
    const caret = (f: PortForwardDialogState['field']) => (s.field === f ? glyphs.caret : '');
    push(`   pod port     ${s.podPort}${caret('pod')}`, s.field === 'pod' ? 'prompt' : 'normal');
    push(`   local port   127.0.0.1:${s.localPort}${caret('local')}${s.localPort ? '' : '  (empty: a free port)'}`, s.field === 'local' ? 'prompt' : 'normal');
    push(`   ${glyphs.upDown} picks a declared port, digits type, Tab switches field, Enter starts, Esc cancels`, 'dim');
  }
  if (s.phase === 'starting') push(`   starting${glyphs.ellipsis}`, 'dim');
  if (s.note) push(`   ${forDisplay(s.note)}`, /^pod |behind/.test(s.note) ? 'dim' : 'error');
  return out;
}

function PortForwardBody({ runtime, width, height }: PaneProps) {
  const store = runtime.portForwardDialog;
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return state ? <DialogLines lines={portForwardLines(state, width)} height={height} /> : null;
}

export const portForwardOverlay: Overlay = {
  subscribe: (runtime, l) => runtime.portForwardDialog.subscribe(l),
  isOpen: (runtime) => runtime.portForwardDialog.isOpen,
  title: () => 'Port-forward',
  render: (props) => <PortForwardBody {...props} />,
  hints: () => '<enter> start  <tab> field  <esc> cancel',
  helpTitle: 'Port-forward',
  keys: [
    { action: 'dialog.cancel', keys: ['escape'], help: 'cancel: nothing starts', run: ({ runtime }) => runtime.portForwardDialog.escape() },
    { action: 'dialog.confirm', keys: ['enter'], help: 'start the forward', run: ({ runtime }) => runtime.portForwardDialog.enter() },
    { action: 'dialog.erase', keys: ['backspace', 'delete'], help: 'erase a digit', run: ({ runtime }) => runtime.portForwardDialog.backspace() },
    { action: 'dialog.field', keys: ['tab'], help: 'switch between the pod port and the local port', run: ({ runtime }) => runtime.portForwardDialog.switchField() },
    { action: 'dialog.down', keys: ['down'], help: 'the next declared port', run: ({ runtime }) => runtime.portForwardDialog.move(1) },
    { action: 'dialog.up', keys: ['up'], help: 'the previous declared port', run: ({ runtime }) => runtime.portForwardDialog.move(-1) },
  ],
  type: (runtime, text) => runtime.portForwardDialog.type(text),
};
