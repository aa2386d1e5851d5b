import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { feedWho } from '../../platform/stores/warroomFeed.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';

// `:feed`: what the other warroom consoles on this cluster changed (their audit Events), newest
// first: when, who and from which host, what, on which object.

const clock = (ms: number) => new Date(ms).toTimeString().slice(0, 8);

function FeedBody({ runtime, view, width, height }: PaneProps) {
  const theme = useTheme();
  const feed = runtime.ctx.warroomFeed;
  const entries = useSyncExternalStore(feed.subscribe, feed.getSnapshot);
  if (!runtime.ctx.actionsConfig.kubernetesEvents) {
    return <Text color={toneColor(theme, 'dim')}>{fit('the war-room feed reads the consoles\' audit Events: set audit.kubernetesEvents: true in the config file (every console of the war room)', width)}</Text>;
  }
  if (entries.length === 0) return <Text color={toneColor(theme, 'dim')}>{fit('no changes by other warroom consoles on this cluster yet', width)}</Text>;
  const top = Math.max(0, Math.min(view.top, entries.length - (height - 1)));
  return (
    <>
      <Text bold>{fit(`${fit('TIME', 8)}  ${fit('WHO', 28)}  WHAT`, width)}</Text>
      {entries.slice(top, top + height - 1).map((e) => (
        <Text key={`${e.key}|${e.time}`} wrap="truncate">
          {fit(`${clock(e.time)}  ${fit(feedWho(e), 28)}  ${e.action} ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}: ${e.message}`, width)}
        </Text>
      ))}
    </>
  );
}

const scroll = ({ runtime, view }: PaneKeyContext, by: number) => runtime.nav.updateCurrent({ top: Math.max(0, Math.min(runtime.ctx.warroomFeed.getSnapshot().length - 1, view.top + by)) });

export const feedPane: Pane = {
  title: () => 'War-room feed',
  render: (props) => <FeedBody {...props} />,
  helpTitle: 'War-room feed',
  keys: [
    { action: 'feed.down', keys: ['j', 'down'], help: 'scroll down', hint: 'j/k', run: (c) => scroll(c, 1) },
    { action: 'feed.up', keys: ['k', 'up'], help: 'scroll up', run: (c) => scroll(c, -1) },
  ],
};
