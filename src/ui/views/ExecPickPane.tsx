import { Text } from 'ink';
import { useSyncExternalStore } from 'react';
import { sanitize } from '../../platform/text/sanitize.js';
import { fit } from '../format.js';
import { toneColor, useTheme } from '../theme/ThemeContext.js';
import type { Pane, PaneKeyContext, PaneProps } from './panes.js';
import { glyphs } from '../../terminal/glyphs.js';

// The container picker before a shell: default container first, stopped ones marked.
// The cursor lives in the view state (navStore), like every list's.

/** An image in `room` columns: cut from the left, so its name and tag stay. */
function imageIn(image: string, room: number): string {
  if (image.length <= room) return image;
  return room > 1 ? `${glyphs.cut}${image.slice(image.length - room + 1)}` : '';
}

function ExecPickBody({ runtime, view, width, height }: PaneProps) {
  const theme = useTheme();
  const launcher = runtime.ctx.exec;
  const picker = useSyncExternalStore(launcher.subscribe, launcher.getPicker);
  if (!picker) return <Text>{fit(' no pod selected', width)}</Text>;
  const cursor = Math.min(view.cursor, picker.choices.length - 1);
  const rows = picker.choices.slice(0, Math.max(0, height - 2));
  // Columns as wide as what they hold, so the image keeps its room at 80 columns.
  const nameWidth = Math.min(24, Math.max(9, ...rows.map((c) => sanitize(c.name).length)));
  const stateWidth = Math.min(28, Math.max(5, ...rows.map((c) => c.state.length)));
  return (
    <>
      <Text bold color={toneColor(theme, 'title')}>{fit(` Shell in ${sanitize(picker.namespace)}/${sanitize(picker.pod)}: which container?`, width)}</Text>
      <Text> </Text>
      {rows.map((c, i) => {
        const head = ` ${i === cursor ? glyphs.pointer : ' '} ${sanitize(c.name).padEnd(nameWidth)} ${(c.isDefault ? 'default' : '').padEnd(8)} ${c.state.padEnd(stateWidth)} `;
        const label = head + imageIn(sanitize(c.image), width - head.length);
        return (
          <Text key={c.name} inverse={i === cursor} dimColor={!c.running} wrap="truncate">
            {fit(label, width)}
          </Text>
        );
      })}
    </>
  );
}

function movePick({ runtime }: PaneKeyContext, by: number): boolean | void {
  const picker = runtime.ctx.exec.getPicker();
  if (!picker) return false;
  const cursor = Math.min(runtime.nav.current.cursor, picker.choices.length - 1);
  runtime.nav.updateCurrent({ cursor: Math.max(0, Math.min(picker.choices.length - 1, cursor + by)) });
}

export const execPickPane: Pane = {
  title: (view) => `${view.pod ?? ''} ${glyphs.crumb} shell`,
  render: (props) => <ExecPickBody {...props} />,
  helpTitle: 'Container picker',
  keys: [
    { action: 'pick.down', keys: ['j', 'down'], help: 'move down', hint: 'j/k move', run: (c) => movePick(c, 1) },
    { action: 'pick.up', keys: ['k', 'up'], help: 'move up', run: (c) => movePick(c, -1) },
    { action: 'pick.open', keys: ['enter'], help: 'open a shell in the container', hint: 'shell in the container', run: ({ runtime }) => {
      const picker = runtime.ctx.exec.getPicker();
      if (!picker) return false;
      const choice = picker.choices[Math.min(runtime.nav.current.cursor, picker.choices.length - 1)];
      if (choice) runtime.ctx.exec.pick(choice);
    } },
  ],
};
