import { useSyncExternalStore } from 'react';
import { clusterLabels } from '../../platform/stores/fleetQueries.js';
import type { Pane, PaneProps } from './panes.js';
import type { DetailLine } from './podDetailLines.js';
import { scrollKeys, TextLines } from './textPane.js';
import { glyphs } from '../../terminal/glyphs.js';
import type { ConsoleRuntime } from '../../platform/consoleRuntime.js';

// `i` on a fleet application marked T (DRIFT): how its pod template differs between the
// clusters, each cluster's against the first that has it, read from their API servers now.

function paneLines(runtime: ConsoleRuntime): DetailLine[] {
  const s = runtime.templateDrift.getSnapshot();
  if (!s) return [];
  const head: DetailLine = { text: `Pod template of ${s.app.kind === 'Deployment' ? 'deploy' : 'sts'}/${s.app.name} in ${s.app.namespace}, per cluster`, style: 'heading' };
  if (s.state === 'loading') return [head, { text: `reading it from every cluster${glyphs.ellipsis}`, style: 'dim' }];
  return [head, { text: '' }, ...s.lines.map((l): DetailLine => ({ text: l.text, style: l.tone === 'place' ? 'accent' : l.tone }))];
}

function DriftBody({ runtime, view, width, height }: PaneProps) {
  useSyncExternalStore(runtime.templateDrift.subscribe, runtime.templateDrift.getSnapshot);
  return <TextLines lines={paneLines(runtime)} top={view.top} width={width} height={height} />;
}

export const driftPane: Pane = {
  title: () => 'Template drift',
  render: (props) => <DriftBody {...props} />,
  open: (_ctx, view, runtime) => {
    if (!view.namespace || !view.app) return;
    const contexts = runtime.contexts;
    const labels = clusterLabels(contexts.map((c) => c.contextName), 12);
    runtime.templateDrift.open({ namespace: view.namespace, kind: view.app.kind, name: view.app.name }, contexts.map((c, i) => ({ label: labels[i], session: c.session })));
  },
  close: (_ctx, _view, runtime) => runtime.templateDrift.close(),
  helpTitle: 'Template drift',
  keys: [...scrollKeys('drift', ({ runtime }) => paneLines(runtime).length)],
};
