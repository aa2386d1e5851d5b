import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { sanitize } from '../../platform/text/sanitize.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Pane, PaneProps } from './panes.js';

// The container picker before a shell: default container first, stopped ones marked.
// The cursor lives in the view state (navStore), like every list's.

function ExecPickBody({ runtime, view, width, height }: PaneProps) {
  const theme = useTheme();
  const launcher = runtime.ctx.exec;
  const picker = useSyncExternalStore(launcher.subscribe, launcher.getPicker);
  if (!picker) return <Text>{fit(' no pod selected', width)}</Text>;
  const cursor = Math.min(view.cursor, picker.choices.length - 1);
  const rows = picker.choices.slice(0, Math.max(0, height - 2));
  return (
    <>
      <Text bold color={toneColor(theme, 'title')}>{fit(` Shell in ${sanitize(picker.namespace)}/${sanitize(picker.pod)}: which container?`, width)}</Text>
      <Text> </Text>
      {rows.map((c, i) => {
        const label = ` ${i === cursor ? '▸' : ' '} ${sanitize(c.name).padEnd(24)} ${(c.isDefault ? 'default' : '').padEnd(8)} ${c.state.padEnd(28)} ${sanitize(c.image)}`;
        return (
          <Text key={c.name} inverse={i === cursor} dimColor={!c.running} wrap="truncate">
            {fit(label, width)}
          </Text>
        );
      })}
    </>
  );
}

export const execPickPane: Pane = {
  title: (view) => `${view.pod ?? ''} › shell`,
  render: (props) => <ExecPickBody {...props} />,
  hints: '<enter> shell in the container  j/k move  <esc> back',
  help: [
    ['j k ↑ ↓', 'move'],
    ['Enter', 'open a shell in the container'],
    ['Esc', 'back'],
  ],
  onKey: (runtime, input, key) => {
    const launcher = runtime.ctx.exec;
    const picker = launcher.getPicker();
    if (!picker) return false;
    const cursor = Math.min(runtime.nav.current.cursor, picker.choices.length - 1);
    const to = (n: number) => {
      runtime.nav.updateCurrent({ cursor: Math.max(0, Math.min(picker.choices.length - 1, n)) });
      return true;
    };
    if (key.downArrow || input === 'j') return to(cursor + 1);
    if (key.upArrow || input === 'k') return to(cursor - 1);
    if (key.return) {
      const choice = picker.choices[cursor];
      if (choice) launcher.pick(choice);
      return true;
    }
    return false;
  },
};
