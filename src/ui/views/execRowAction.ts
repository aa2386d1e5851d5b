import type { Binding } from '../keys/keymap.js';
import { DETACH_KEY_NAME } from '../../terminal/handoff.js';
import { rowKey, type ListViewId, type RowKeyContext } from './lists/listView.js';

// `s` on a pod: a shell in one of its containers (k9s habit). On an application `s` is the
// scale dialog, so a shell there is `x`: it opens the application's pods to pick one.

export const shellKey = rowKey<'pods'>('row.shell', ['s'], `shell in the pod (container picker if several; exit or ${DETACH_KEY_NAME} returns)`, (p, { runtime }) => {
  void runtime.ctx.exec.shellInto(p.namespace, p.name);
});

export const appShellKey = rowKey<'apps'>('row.shell-pick', ['x'], 'shell: pick a pod of the application (then s); :run CMD runs on all its pods', ({ w }, { runtime }) => {
  runtime.nav.push({ kind: 'pods', namespace: w.namespace, app: { kind: w.kind, name: w.name } });
  runtime.nav.say(`pick a pod of ${w.name} and press s for a shell`);
});

export function runKey<K extends ListViewId>(): Binding<RowKeyContext<K>> {
  return {
    action: 'row.run',
    keys: ['!'],
    help: 'run a command in every pod of the application / every listed pod (:run CMD)',
    run: ({ runtime }) => runtime.nav.setMode('command', 'run '),
  };
}
