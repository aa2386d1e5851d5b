import type { Binding } from '../keys/keymap.js';
import { rowKey, type RowKeyContext } from './lists/listView.js';

// Shift-F: a port-forward to the selected pod, or to a ready pod behind the selected Service.

export const podPortForwardKey = rowKey<'pods'>('row.port-forward', ['F'], 'port-forward a local port on 127.0.0.1 to the pod (pick a declared port or type one)', (p, { runtime }) => {
  runtime.portForwardDialog.openPod(runtime.ctx.gate, p.namespace, p.name);
});

/** On the kinds view: pods and Services only; any other kind lets the key fall through (a sort letter). */
export const resourcePortForwardKey: Binding<RowKeyContext<'resources'>> = {
  action: 'row.port-forward',
  keys: ['F'],
  help: 'port-forward to the pod, or to a ready pod behind the Service (its port mapped)',
  run: ({ runtime, view, row }) => {
    const res = view.resource;
    if (!row || !res || res.group !== '' || (res.resource !== 'pods' && res.resource !== 'services')) return false;
    if (res.resource === 'pods') runtime.portForwardDialog.openPod(runtime.ctx.gate, row.namespace, row.name);
    else runtime.portForwardDialog.openService(runtime.ctx.gate, row.namespace, row.name);
  },
};
