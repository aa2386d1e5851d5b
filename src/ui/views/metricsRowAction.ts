import type { PodRow } from '../../platform/kube/rows.js';
import type { RowAction } from './panes.js';
import { metricsViewFor } from './metricsView.js';
import type { AppRow, SystemRow } from './tableDefs.js';

// `m` on a system, an application or a pod: open its metrics.

export const metricsRowAction: RowAction = {
  key: 'm',
  description: 'metrics: charts of the selected system, application or pod',
  views: ['systems', 'apps', 'pods'],
  run(runtime, view, row) {
    if (view.kind === 'systems') {
      runtime.nav.push(metricsViewFor({ namespace: (row as SystemRow).ns.name }));
    } else if (view.kind === 'apps') {
      const w = (row as AppRow).w;
      runtime.nav.push(metricsViewFor({ namespace: w.namespace, app: { kind: w.kind, name: w.name } }));
    } else {
      const p = row as PodRow;
      runtime.nav.push(metricsViewFor({ namespace: p.namespace, pod: p.name, app: view.app }));
    }
  },
};
