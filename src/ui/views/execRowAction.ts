import type { PodRow } from '../../platform/kube/rows.js';
import { DETACH_KEY_NAME } from '../../terminal/handoff.js';
import type { RowAction } from './panes.js';
import type { AppRow } from './tableDefs.js';

// `s` on a pod: a shell in one of its containers (k9s habit). On an application `s` is the
// scale dialog, so a shell there is `x`: it opens the application's pods to pick one.

export const execRowAction: RowAction = {
  key: 's',
  description: `shell in the pod (container picker if several; exit or ${DETACH_KEY_NAME} returns)`,
  views: ['pods'],
  run(runtime, _view, row) {
    const p = row as PodRow;
    void runtime.ctx.exec.shellInto(p.namespace, p.name);
  },
};

export const appShellRowAction: RowAction = {
  key: 'x',
  description: 'shell: pick a pod of the application (then s); :run CMD runs on all its pods',
  views: ['apps'],
  run(runtime, _view, row) {
    const w = (row as AppRow).w;
    runtime.nav.push({ kind: 'pods', namespace: w.namespace, app: { kind: w.kind, name: w.name } });
    runtime.nav.say(`pick a pod of ${w.name} and press s for a shell`);
  },
};

export const runRowAction: RowAction = {
  key: '!',
  description: 'run a command in every pod of the application / every listed pod (:run CMD)',
  views: ['apps', 'pods'],
  run(runtime) {
    runtime.nav.setMode('command', 'run ');
  },
};
