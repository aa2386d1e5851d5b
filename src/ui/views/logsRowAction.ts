import type { PodRow } from '../../platform/kube/rows.js';
import type { RowAction } from './panes.js';
import type { AppRow, SystemRow } from './tableDefs.js';

// `l` on a system, an application or a pod opens its logs.

export const logsRowAction: RowAction = {
  key: 'l',
  description: 'logs of the selected system, application or pod',
  views: ['systems', 'apps', 'pods'],
  run(runtime, view, row) {
    if (view.kind === 'systems') {
      const r = row as SystemRow;
      runtime.nav.push({ kind: 'logs', namespace: r.ns.name });
    } else if (view.kind === 'apps') {
      const w = (row as AppRow).w;
      runtime.nav.push({ kind: 'logs', namespace: w.namespace, app: { kind: w.kind, name: w.name } });
    } else {
      const p = row as PodRow;
      runtime.nav.push({ kind: 'logs', namespace: p.namespace, pod: p.name, app: view.app });
    }
  },
};
