import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import { podDetailLines } from './podDetailLines.js';
import { metricsViewFor } from './metricsView.js';
import type { Pane, PaneProps } from './panes.js';

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

export const podDetailPane: Pane = {
  title: (view) => view.pod ?? '',
  render: (props) => <PodDetailBody {...props} />,
  open: (runtime, view) => {
    if (view.namespace && view.pod) runtime.ctx.podDetail.open(view.namespace, view.pod);
  },
  close: (runtime) => runtime.ctx.podDetail.close(),
  hints: '<esc> back  j/k PgUp/PgDn scroll  g/G top/end  l logs  m metrics  ? help  q quit',
  help: [
    ['l', "this pod's logs"],
    ['m', "this pod's metrics"],
    ['j k ↑ ↓', 'scroll a line'],
    ['PgUp PgDn  Ctrl-b Ctrl-f', 'scroll a page'],
    ['g G', 'top / end'],
    ['Esc', 'back to the pods'],
  ],
  onKey: (runtime, input, key, height) => {
    const top = runtime.nav.current.top;
    const detail = runtime.ctx.podDetail.getSnapshot();
    const length = detail ? podDetailLines(detail, Date.now()).length : 0;
    const max = Math.max(0, length - height);
    const to = (n: number) => {
      runtime.nav.updateCurrent({ top: Math.max(0, Math.min(max, n)) });
      return true;
    };
    if (key.downArrow || input === 'j') return to(top + 1);
    if (key.upArrow || input === 'k') return to(top - 1);
    if (key.pageDown || (key.ctrl && input === 'f')) return to(top + height);
    if (key.pageUp || (key.ctrl && input === 'b')) return to(top - height);
    if (input === 'g' || key.home) return to(0);
    if (input === 'G' || key.end) return to(max);
    const { namespace, pod, app } = runtime.nav.current;
    if ((input === 'l' || input === 'm') && namespace && pod) {
      runtime.nav.push(input === 'l' ? { kind: 'logs', namespace, pod, app } : metricsViewFor({ namespace, pod, app }));
      return true;
    }
    return false;
  },
};
