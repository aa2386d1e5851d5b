import { useSyncExternalStore } from 'react';
import { podDetailLines } from './podDetailLines.js';
import { scrollKeys, TextLines } from './textPane.js';
import { metricsViewFor } from './metricsView.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';

// Pod detail: containers, conditions, recent events and the YAML, scrollable.

function PodDetailBody({ runtime, view, width, height, now }: PaneProps) {
  const detail = useSyncExternalStore(runtime.ctx.podDetail.subscribe, runtime.ctx.podDetail.getSnapshot);
  return <TextLines lines={detail ? podDetailLines(detail, now) : []} top={view.top} width={width} height={height} />;
}

function lineCount({ runtime }: PaneKeyContext): number {
  const detail = runtime.ctx.podDetail.getSnapshot();
  return detail ? podDetailLines(detail, Date.now()).length : 0;
}

export const podDetailPane: Pane = {
  title: (view) => view.pod ?? '',
  render: (props) => <PodDetailBody {...props} />,
  open: (ctx, view) => {
    if (view.namespace && view.pod) ctx.podDetail.open(view.namespace, view.pod);
  },
  close: (ctx) => ctx.podDetail.close(),
  helpTitle: 'Pod detail',
  keys: [
    ...scrollKeys('detail', lineCount),
    { action: 'row.logs', keys: ['l'], help: "this pod's logs", hint: 'logs', run: ({ runtime, view: { namespace, pod, app } }) => {
      if (!namespace || !pod) return false;
      runtime.nav.push({ kind: 'logs', namespace, pod, app });
    } },
    { action: 'row.metrics', keys: ['m'], help: "this pod's metrics", hint: 'metrics', run: ({ runtime, view: { namespace, pod, app } }) => {
      if (!namespace || !pod) return false;
      runtime.nav.push(metricsViewFor({ namespace, pod, app }));
    } },
  ],
};
