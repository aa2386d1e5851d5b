import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { podDetailLines } from './podDetailLines.js';
import { metricsViewFor } from './metricsView.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';

// Pod detail: containers, conditions, recent events and the YAML, scrollable.

function PodDetailBody({ runtime, view, width, height, now }: PaneProps) {
  const theme = useTheme();
  const detail = useSyncExternalStore(runtime.ctx.podDetail.subscribe, runtime.ctx.podDetail.getSnapshot);
  const lines = detail ? podDetailLines(detail, now) : [];
  const top = Math.max(0, Math.min(view.top, lines.length - height));
  return (
    <>
      {lines.slice(top, top + height).map((l, i) => (
        <Text
          key={top + i}
          wrap="truncate"
          bold={l.style === 'heading'}
          color={l.style === 'heading' ? toneColor(theme, 'accent') : l.style ? toneColor(theme, l.style) : undefined}
        >
          {fit(l.text, width)}
        </Text>
      ))}
    </>
  );
}

function scrollTo({ runtime, height }: PaneKeyContext, top: number): void {
  const detail = runtime.ctx.podDetail.getSnapshot();
  const length = detail ? podDetailLines(detail, Date.now()).length : 0;
  runtime.nav.updateCurrent({ top: Math.max(0, Math.min(Math.max(0, length - height), top)) });
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
    { action: 'detail.down', keys: ['j', 'down'], help: 'scroll a line', hint: 'j/k scroll', run: (c) => scrollTo(c, c.view.top + 1) },
    { action: 'detail.up', keys: ['k', 'up'], help: 'scroll a line up', run: (c) => scrollTo(c, c.view.top - 1) },
    { action: 'detail.page-down', keys: ['pagedown', 'ctrl+f'], help: 'scroll a page', run: (c) => scrollTo(c, c.view.top + c.height) },
    { action: 'detail.page-up', keys: ['pageup', 'ctrl+b'], help: 'scroll a page up', run: (c) => scrollTo(c, c.view.top - c.height) },
    { action: 'detail.top', keys: ['g', 'home'], help: 'top', run: (c) => scrollTo(c, 0) },
    { action: 'detail.end', keys: ['G', 'end'], help: 'end', run: (c) => scrollTo(c, Infinity) },
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
